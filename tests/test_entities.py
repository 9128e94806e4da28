"""Entities: date and place, countries as ISO codes, organisations, people with roles."""

from __future__ import annotations

from typing import Any

import pytest

from communique_nlp import parse
from communique_nlp.stages.entities import rule_kind, title_kind


def document(text: str) -> dict[str, Any]:
    return dict(parse(text).as_dict()["document"])


@pytest.mark.parametrize(
    ("dateline", "date", "place"),
    [
        ("OTTAWA, ON, le 23 nov. 2025 /CNW/ - Le ministre a annoncé une mesure.", "2025-11-23",
         "Ottawa"),
        ("WELLINGTON, New Zealand, June 29, 2023 /CNW/ - The Minister announced a measure.",
         "2023-06-29", "Wellington"),
        ("Bruxelles, le 8 décembre 2016 - La Commission a présenté une initiative.",
         "2016-12-08", "Bruxelles"),
        ("HAMILTON, ON, Aug. 31, 2012 /CNW/ - Officers discovered a container of goods.",
         "2012-08-31", "Hamilton"),
    ],
)
def test_dateline(dateline: str, date: str, place: str) -> None:
    found = document(dateline + " Other sentences follow here to make a paragraph.")
    assert (found["date"], found["place"]) == (date, place)


def test_signature_beats_a_meeting_date_in_the_text() -> None:
    text = ("Communiqué conjoint\n\n"
            "Nous nous sommes réunis à Ottawa le 26 juin 2017 pour discuter des défis communs "
            "de sécurité nationale et de coopération entre nos services de police.\n\n"
            "Ottawa, le 27 juin 2017\n")
    found = document(text)
    assert (found["date"], found["place"]) == ("2017-06-27", "Ottawa")


def test_countries_from_names_and_adjectives_in_both_languages() -> None:
    text = ("Les ministres de l'Australie, des États-Unis et du Royaume-Uni ont rencontré le "
            "ministre croate. The Iranian Revolution and Lebanese Hizballah were discussed, "
            "as were French and British patrols. The European Union agreed.")
    assert document(text)["countries"] == ["AU", "EU", "FR", "GB", "HR", "IR", "LB", "US"]


def test_places_that_contain_a_country_word_are_not_that_country() -> None:
    text = "Police in New South Wales and New Mexico worked with partners in Papua New Guinea."
    assert document(text)["countries"] == ["PG"]


def test_compound_adjective_names_both_countries() -> None:
    assert document("La coopération franco-britannique se poursuit.")["countries"] == ["FR", "GB"]


def test_people_with_roles() -> None:
    text = ("L'honorable Gary Anandasangaree, ministre de la Sécurité publique, a accueilli la "
            "réunion. Sir Julian King, Commissioner for the Security Union, said the forum "
            "mattered.")
    people = {p["name"]: p["role"] for p in document(text)["people"]}
    assert people["Gary Anandasangaree"] == "ministre de la Sécurité publique"
    assert people["Julian King"] == "Commissioner for the Security Union"


def test_organizations_from_the_gazetteer() -> None:
    text = "The RCMP and the Canadian Security Intelligence Service worked with Europol."
    assert {"Royal Canadian Mounted Police", "Europol"} <= set(document(text)["organizations"])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Joint statement of the Ministers\n\nWe, the Ministers, met in Rome to discuss "
         "shared threats to our societies and agreed on a plan.", "communique"),
        ("OTTAWA, ON, March 3, 2026 /CNW/ - The Minister announced funding for police "
         "services.\n\nQuick facts\n\nThe fund is worth $64 million over five years.",
         "press_release"),
        ("OTTAWA, ON, Oct. 14, 2024 /CNW/ - We have decided to speak publicly about our "
         "investigations because we believe the threat to public safety is serious.",
         "statement"),
    ],
)
def test_document_kind(text: str, kind: str) -> None:
    assert document(text)["kind"] == kind


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Declaration on Cooperation against Organised Crime\n\nThe ministers of the three "
         "countries met in Lisbon and adopted this text on shared threats.", "communique"),
        ("The union makes a declaration on migration\n\nLeaders met in Malta and agreed on a "
         "text about irregular migration routes, a reporter wrote.", "press_release"),
        ("Joint Canada-Mexico statement after the security dialogue\n\nThe two governments "
         "will share information on firearms trafficking.", "communique"),
        ("Meeting of the G7 interior ministers\n\nThe federal minister met her counterparts "
         "in Bonn to discuss threats from organised crime.", "press_release"),
        ("Joint statement of the ministers of the interior of Spain, Italy and Greece, meeting "
         "in Athens on 3 May 2026, on the protection of their borders against smuggling.",
         "communique"),
    ],
)
def test_rule_kind_reads_the_name_of_a_joint_text(text: str, verdict: str) -> None:
    """A title that opens with 'Declaration on', or names a joint statement in other words,
    is the joint text itself; a meeting's name, or a report of a declaration, is not."""
    assert rule_kind(parse(text).document) == verdict


@pytest.mark.parametrize(
    "text",
    [
        "Déclaration de M. Jean Dupont concernant la sécurité des ports\n\nLe ministre a "
        "rappelé que la coopération entre les services reste essentielle.",
        "Déclaration d'Anne Martin lors du sommet régional\n\nJe tiens à remercier nos "
        "partenaires pour leur engagement contre la traite des personnes.",
        "Statement by the Minister of Justice on online fraud\n\nThe minister reported "
        "figures on fraud and explained the history of the department and its guidance.",
    ],
)
def test_a_title_naming_one_party_s_statement_decides_the_kind(text: str) -> None:
    """'Statement by ...', 'Déclaration de M. ...': the kind the title names is kept, however
    much the body reads like a report."""
    assert title_kind(parse(text).document) == "statement"
    assert document(text)["kind"] == "statement"


# -- people: every person once, the role printed before or after the name -----------------------

def people_of(text: str) -> dict[str, str | None]:
    return {p["name"]: p["role"] for p in document(text)["people"]}


def test_role_printed_before_the_name_in_french_and_english() -> None:
    people = people_of(
        "OTTAWA, le 28 février 2017 - Le ministre de la Sécurité publique et de la Protection "
        "civile, l'honorable Ralph Goodale, a fait la déclaration suivante. Plus tard, "
        "Australian Foreign Minister Julie Bishop met Secretary of Defense Lloyd Austin.")
    assert people["Ralph Goodale"] == ("ministre de la Sécurité publique et de la Protection "
                                       "civile")
    assert people["Julie Bishop"] == "Australian Foreign Minister"
    assert people["Lloyd Austin"] == "Secretary of Defense"


def test_honorifics_and_post_nominals_are_no_part_of_a_name() -> None:
    people = people_of("The Hon Peter Dutton MP said the Government would act. Mr. Dutton "
                       "added that the Minister, Peter Dutton, had written to the states.")
    assert list(people) == ["Peter Dutton"]  # once, however often and however named


def test_an_office_after_a_name_belongs_to_the_next_person_when_a_name_follows_it() -> None:
    people = people_of("The Secretary, Michael Pompeo, Defense Secretary James Mattis, and "
                       "Foreign Minister Julie Bishop met in Palo Alto on Monday.")
    assert people["James Mattis"] == "Defense Secretary"
    assert people.get("Michael Pompeo") != "Defense Secretary James Mattis"


def test_a_lower_case_title_opens_a_one_word_name() -> None:
    people = people_of("Guidés par un engagement pris par le président Biden et le premier "
                       "ministre Trudeau, les ministres se sont réunis à Washington.")
    assert people["Biden"] == "président" and people["Trudeau"] == "premier ministre"


def test_media_contacts_are_left_out() -> None:
    text = ("OTTAWA, ON, March 3, 2026 /CNW/ - The Honourable Jane Doe-Smith, Minister of "
            "Public Safety, announced funding for police services today.\n\nContacts\n\n"
            "Priya Landry-Sinclair\nDirector of Communications\nOffice of the Minister\n"
            "613-555-0100")
    assert list(people_of(text)) == ["Jane Doe-Smith"]


# -- place: the dateline city, or the meeting place; never a function word ------------------------

@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("On December 15, 2023, the ministers adopted a statement on terrorism.", None),
        ("Tuesday, April 14, 2026\n\nThe minister announced new funding for police services.",
         None),
        ("WASHINGTON - Today, the Secretary of Homeland Security announced new measures.",
         "Washington"),
        ("Déclaration\n\nLe 24 décembre 2024 - Ottawa (Ontario) - Affaires mondiales Canada\n\n"
         "La ministre des Affaires étrangères a fait la déclaration suivante.", "Ottawa"),
        ("Interior ministers met in Brussels on Friday to discuss the follow-up of the "
         "attacks and agreed on new measures.", "Brussels"),
        ("Les ministres se sont réunis jusqu'à vendredi à Ischia en Italie pour parler de la "
         "propagande terroriste.", "Ischia"),
    ],
)
def test_place(text: str, place: str | None) -> None:
    assert document(text)["place"] == place


def test_offices_read_past_honorifics_asides_and_common_words() -> None:
    people = people_of(
        "La déclaration a été communiquée par le Porte-parole du Secrétaire général de l’ONU, "
        "M. Ban Ki-moon. Le ministre de la Protection civile, l’honorable Bill Blair, et le "
        "conseiller fédéral et chef du Département fédéral de justice et police (DFJP), Beat "
        "Jans, étaient présents. Dominic LeBlanc, Minister of Public Safety, Democratic "
        "Institutions and Intergovernmental Affairs, issued a statement.")
    assert people["Ban Ki-moon"] == "Porte-parole du Secrétaire général de l’ONU"
    assert people["Bill Blair"] == "ministre de la Protection civile"
    assert people["Beat Jans"].endswith("justice et police (DFJP)")
    assert people["Dominic LeBlanc"] == "Minister of Public Safety"


def test_a_shared_office_a_directory_line_and_a_glued_line() -> None:
    people = people_of("Slovenian Ministers for Justice Marjan Dikaučič and for Home Affairs "
                       "Aleš Hojs attended the meeting in Brussels on Monday.")
    assert people["Marjan Dikaučič"] == "Slovenian Ministers for Justice"
    directory = people_of("Nom du ministre :\n\nBlair, Bill (L’hon.)\n\nTitre du ministre :"
                          "\n\nMinistre de la Sécurité publique et de la Protection civile")
    assert directory["Blair, Bill"] == "Ministre de la Sécurité publique et de la Protection civile"
    glued = people_of("Intervention de M. Eric BESSONMinistre de l’immigration, de "
                      "l’intégration et du développement solidaire, à Paris.")
    assert glued["Eric BESSON"].startswith("Ministre de l’immigration")


# -- parties: who issues or signs the text, apart from the countries merely named ----------------

def test_a_defined_group_gives_its_members_and_not_the_countries_it_mentions() -> None:
    found = document(
        "Joint statement\n\nWe, the Ministers of Australia, Canada, New Zealand, the United "
        "Kingdom and the United States, met in Ottawa. We condemn the attack in Somalia and "
        "the threats against Ukraine.")
    assert found["parties"] == ["AU", "CA", "GB", "NZ", "US"]
    assert {"SO", "UA"} <= set(found["countries"])


def test_speakers_far_before_their_list_and_a_joint_title_give_the_parties() -> None:
    speakers = document(
        "Five Country Ministerial – Joint Communiqué\n\nWe, the Ministers responsible for "
        "home affairs, public safety, immigration and security of Australia, Canada, New "
        "Zealand, the United Kingdom and the United States, met in Christchurch.")
    assert speakers["parties"] == ["AU", "CA", "GB", "NZ", "US"]
    joint = document("Joint EU-U.S. statement following the Ministerial Meeting\n\nThe "
                     "ministers met in Washington and discussed cybercrime with Japan.")
    assert joint["parties"] == ["EU", "US"]


def test_the_body_named_first_issues_and_a_news_outlet_above_it_none() -> None:
    advisory = document("National Cyber Security Centre\n\nJoint advisory\n\nThe NCSC, the "
                        "FBI and the Australian Signals Directorate observed an increase in "
                        "ransomware incidents against critical infrastructure.")
    assert advisory["parties"] == ["GB"]
    article = document("Le Journal de Montréal\n\nLa GRC a perturbé des activités illégales "
                       "au Québec, selon des documents obtenus par notre journaliste.")
    assert article["parties"] == []


def test_a_national_release_gives_its_country_and_an_organisation_none() -> None:
    national = document("Public Safety Canada\n\nOTTAWA, March 3, 2026 - The Minister "
                        "announced funding to counter violent extremism with France.")
    assert national["parties"] == ["CA"]
    international = document("INTERPOL\n\nLYON (France) – An operation coordinated by "
                             "INTERPOL led to 286 arrests in 47 countries, including Italy.")
    assert international["parties"] == []


# -- organisations: named bodies and listed terrorist entities, in both languages -----------------

def test_listed_terrorist_entities_are_organisations_and_still_terrorism_evidence() -> None:
    text = ("Canada listed the Terrorgram Collective. Hizballah and the IRGC-Qods Force remain "
            "a terrorist threat; le Hezbollah et la Force Al-Qods aussi.")
    result = parse(text).as_dict()
    assert {"Terrorgram Collective", "Hizballah", "IRGC-Qods Force"} <= set(
        result["document"]["organizations"])
    assert "terrorism" in {t["id"] for t in result["themes"]}


@pytest.mark.parametrize(
    "text",
    [
        "Questions and answers: the new border data rules\n\nBRUSSELS, 4 March 2026 - Today "
        "the Commission adopted new rules. Why are new rules needed? Smugglers adapt fast.",
        "Regional ministers' meeting fact sheet\n\nThe ministers met in Perth on 2 May 2026 and "
        "agreed to share data on smuggling networks, the department said today.",
    ],
)
def test_a_title_naming_a_reference_text_makes_it_other(text: str) -> None:
    """A Q&A or a fact sheet reads like a release (a dateline, 'today') but is reference."""
    assert title_kind(parse(text).document) == "other"
    assert document(text)["kind"] == "other"



def test_a_one_word_name_needs_a_title_before_it_or_a_speech_verb_after_it() -> None:
    from communique_nlp.stages.people import mentions

    def names(text: str) -> list[str]:
        return [m.name for m in mentions(text)]

    assert names("The plan works, Goodale said on Monday.") == ["Goodale"]
    assert names("Guidés par le président Biden, les ministres ont agi.") == ["Biden"]
    # capitalised words alone, sentence openers and places, are no names
    assert names("Security matters. Ottawa and Paris agree on the plan.") == []
    assert names("Ottawa agreed, and Paris said nothing.") == ["Paris"]
