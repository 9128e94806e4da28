"""Commitments: undertakings of the issuing parties, in both languages, and what is not one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from communique_nlp import parse
from communique_nlp.stages.commitments import _sentences_seen


def commitments(text: str) -> list[dict[str, Any]]:
    return list(parse(text).as_dict()["commitments"])


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("We agreed to establish a joint ransomware disruption cell next year.", "agreed to"),
        ("Ministers reaffirmed their commitment to prevent and counter migrant smuggling.",
         "reaffirmed their commitment"),
        ("The RCMP is committed to continue working with domestic and foreign agencies.",
         "is committed to"),
        ("We will continue to exchange information on foreign terrorist fighters.", "will"),
        ("Les ministres se sont également engagés à soutenir leurs organismes frontaliers.",
         "se sont également engagés à"),
        ("Au cours de notre réunion, nous nous sommes entendus sur des efforts conjoints.",
         "nous sommes entendus sur"),
        ("La GRC est résolue à continuer de travailler avec ses partenaires étrangers.",
         "est résolue à"),
        ("Nous continuerons de collaborer avec les entreprises technologiques du secteur.",
         "Nous continuerons"),
        ("Les ministres ont convenu que nos pays continueront de coopérer avec l'industrie.",
         "convenu que"),
    ],
)
def test_commitment_sentences_in_both_languages(sentence: str, cue: str) -> None:
    found = commitments(sentence)
    assert len(found) == 1
    assert found[0]["source"] == "sentence"
    assert found[0]["cue"] == cue
    assert found[0]["text"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # past events, facts, concern, topics discussed
        "Ministers discussed the growing threat of ransomware to hospitals and schools.",
        "The RCMP arrested five young persons on terrorism-related offences since June.",
        "Les ministres ont fait part de leurs préoccupations relatives aux cyberattaques.",
        # a finding of need, not an undertaking
        "The UK and France agree that additional and urgent action is required at the border.",
        "Les ministres ont convenu que le partage de renseignements est essentiel à nos pays.",
        # third parties' undertakings
        "The internet companies also committed to support the new civil society programme.",
        "Les entreprises de l'internet se sont également engagées à soutenir le programme.",
        "The programme, funded by the Commission, will support civil society organisations.",
        # the purpose of a meeting
        "We met in Halifax on 18 August to review the threats and agree on our priorities.",
    ],
)
def test_not_commitments(sentence: str) -> None:
    assert commitments(sentence) == []


def test_quotes_are_one_person_s_words() -> None:
    text = ("“The Government of Canada remains vigilant and is committed to ensuring that the "
            "list remains current,” added Minister Toews.\n\n"
            "« Nous allons protéger nos hôpitaux et nous continuerons d'agir », a déclaré la "
            "ministre.\n")
    assert commitments(text) == []


def test_items_of_a_committing_list_are_commitments_and_the_lead_in_is_not() -> None:
    # a headline first: without one, a lone 'Cybercrime' opening the text is not read as a
    # section heading by the learned block roles (on real documents such a line is mostly a
    # kicker, a category or the title)
    text = ("Interior ministers meet in Ottawa\n\n"
            "Cybercrime\n\n"
            "Ransomware attacks on hospitals have increased across our countries this year.\n\n"
            "Ministers further committed to:\n\n"
            "• share indicators of compromise within 24 hours;\n\n"
            "• support victims who refuse to pay ransoms.\n\n"
            "Discussions focused on:\n\n"
            "• the role of cryptocurrency mixers;\n\n"
            "• initial access brokers.\n")
    found = commitments(text)
    assert [(c["source"], c["text"]) for c in found] == [
        ("bullet", "share indicators of compromise within 24 hours;"),
        ("bullet", "support victims who refuse to pay ransoms."),
    ]
    assert found[0]["actor"] == "Ministers" and found[0]["cue"] == "committed to"
    assert found[0]["themes"] == ["cybercrime"]  # from the section heading


def test_actor_skips_an_opening_phrase_and_keeps_an_apposition() -> None:
    found = commitments(
        "Facing this alarming number of crossings, the Ministers agreed to build on their "
        "cooperation.\n\nWe, the G7 Ministers of Interior and Security, reaffirm our "
        "commitment to prevent and counter migrant smuggling.\n")
    assert [c["actor"] for c in found] == ["the Ministers",
                                          "We, the G7 Ministers of Interior and Security"]


def test_one_commitment_per_sentence_however_many_cues() -> None:
    found = commitments("We will continue to cooperate through the Coalition; we will continue "
                        "to implement the Action Plan; and we will advance the commitments.")
    assert len(found) == 1


def test_a_newswire_dateline_is_not_part_of_the_first_commitment() -> None:
    found = commitments("KANANASKIS, AB, June 17, 2025 /CNW/ - We, the Leaders of the G7, are "
                        "committed to protecting our communities from transnational repression.")
    assert [c["text"] for c in found] == [
        "We, the Leaders of the G7, are committed to protecting our communities from "
        "transnational repression."]


@pytest.mark.parametrize(("text", "kept"), [
    ("KANANASKIS, AB, June 17, 2025 /CNW/ - We, the Leaders", "We, the Leaders"),
    ("OTTAWA, ON, le 23 nov. 2025 /CNW/ - Le ministre", "Le ministre"),
    ("TUNIS, Tunisie — Les ministres de l'Intérieur", "Les ministres de l'Intérieur"),
    ("PARIS (Reuters) - Les ministres", "Les ministres"),
    # no dateline: a dash inside a sentence stays
    ("We, the G7 Ministers - and our partners - agree", "We, the G7 Ministers - and our partners"
     " - agree"),
    ("EU-US ministers - meeting in Brussels - agreed", "EU-US ministers - meeting in Brussels -"
     " agreed"),
])
def test_strip_dateline(text: str, kept: str) -> None:
    from communique_nlp.stages.commitments import strip_dateline

    assert strip_dateline(text) == kept


@pytest.mark.parametrize(("english", "french"), [
    ("The United Kingdom will host the next meeting of interior ministers in 2026.",
     "Le Royaume-Uni accueillera la prochaine réunion des ministres de l'Intérieur en 2026."),
    ("The States reaffirmed their determination to protect the principles of the organisation.",
     "Les États ont redit leur détermination à protéger les principes de l'organisation."),
])
def test_the_two_versions_of_an_undertaking_are_both_found(english: str, french: str) -> None:
    assert [c["text"] for c in commitments(english)] == [english]
    assert [c["text"] for c in commitments(french)] == [french]


def test_without_a_model_file_the_rules_decide(tmp_path: Path) -> None:
    from communique_nlp.pipeline import Options

    text = ("Ministers discussed the growing threat of ransomware.\n\n"
            "We agreed to establish a joint ransomware disruption cell next year.\n")
    found = parse(text, Options(model_dir=tmp_path)).as_dict()["commitments"]
    assert [c["cue"] for c in found] == ["agreed to"]


def test_training_examples_are_the_candidates_labelled_by_the_gold() -> None:
    from communique_nlp.learn.commitment import NEGATIVE, POSITIVE, examples
    from communique_nlp.pipeline import Options, run
    from communique_nlp.stages.ingest import ingest_text

    text = ("Ransomware attacks on hospitals increased this year. The Taskforce will publish "
            "guidance for hospitals in the spring. Criminal groups will keep targeting "
            "hospitals.\n\n"
            "Ministers discussed the role of cryptocurrency mixers.\n")
    document = run(ingest_text(text), Options())
    gold = {"commitments": [{"text": "The Taskforce will publish guidance for hospitals"}]}
    labelled = examples(document, gold)
    # the two sentences with a future; none without a cue, a future or a word of commitment
    assert [label for _, label in labelled] == [POSITIVE, NEGATIVE]
    assert all(row["bias"] == 1.0 for row, _ in labelled)


@pytest.mark.parametrize(
    ("sentence", "language", "reason"),
    [
        ("The strategy's vision is that the UK will continue to be a cyber power.", "en",
         "subordinate"),
        ("The plan set out how the Government will invest in cyber defence.", "en",
         "subordinate"),
        ("Ministers agreed on the maximum quantity of fish to be caught next year.", "en",
         "noun_object"),
        ("Les ministres sont convenus d'une orientation générale sur la proposition.", "fr",
         "noun_object"),
        ("No further details will be released about the suspects.", "en", "negated"),
        ("Aucune autre mesure ne sera prise contre les suspects.", "fr", "negated"),
        ("The minister will be joined by several journalists on the visit.", "en",
         "logistics"),
        ("The minister will be assisted by several volunteers on the visit.", "en",
         "third_party"),
        ("Ministers will be joined by their G7 counterparts at the summit.", "en", "logistics"),
        ("La ministre sera accompagnée de ses homologues du G7 lors du sommet.", "fr",
         "logistics"),
        ("More details will be released on the day of the summit.", "en", "logistics"),
        ("D'autres précisions seront communiquées la semaine prochaine.", "fr", "logistics"),
        ("The pledge calls upon all states to commit to ending the practice.", "en", "call_on"),
        ("We will publish the results next month,” the spokesperson said.", "en", "quoted"),
        ("Gangs intending to exploit the border were dismantled.", "en", "participle"),
        ("Les suspects seront présentés au juge demain, précise la préfecture.", "fr",
         "reported"),
        ("The Minister wrote to the judge after she agreed to chair the review.", "en",
         "third_party"),
        ("It has been ten years since all analysts expected that the data will be encrypted.",
         "en", "subordinate"),
    ],
)
def test_the_rules_turn_down_what_is_no_undertaking_of_the_parties(sentence: str,
                                                                   language: str,
                                                                   reason: str) -> None:
    """Reported futures and decisions, denied passives and logistics, calls on others,
    quotations and participles: each turned down, for the reason given."""
    (seen,) = _sentences_seen(sentence, language)
    assert seen.found is None
    assert reason in seen.rejections


@pytest.mark.parametrize(
    ("sentence", "language", "cue"),
    [
        ("Progress on the action plan will be reviewed at the next meeting.", "en",
         "will be reviewed"),
        ("Une attention particulière sera accordée aux victimes de la traite.", "fr",
         "sera accordée"),
        ("Les contrôles aux frontières seront renforcés dès le mois prochain.", "fr",
         "seront renforcés"),
        ("Joint work on wanted fugitives will continue within the task force.", "en",
         "will continue"),
    ],
)
def test_a_passive_future_is_the_parties_undertaking(sentence: str, language: str,
                                                     cue: str) -> None:
    (seen,) = _sentences_seen(sentence, language)
    assert seen.found is not None and seen.found.cue == cue


@pytest.mark.parametrize(("sentence", "language"), [
    ("The new threats will be discussed at the summit.", "en"),
    ("Ces questions seront abordées lors du sommet.", "fr"),
])
def test_a_passive_of_saying_is_no_undertaking(sentence: str, language: str) -> None:
    (seen,) = _sentences_seen(sentence, language)
    assert seen.found is None


def test_a_list_item_of_two_sentences_whose_first_has_no_cue_is_one_candidate() -> None:
    from communique_nlp.pipeline import Options, run
    from communique_nlp.stages.commitments import candidates
    from communique_nlp.stages.ingest import ingest_text

    text = ("Action plan on maritime smuggling\n\n"
            # an opening paragraph of running text: a glyph line before any text may be a menu
            "The ministers met in Valletta on Monday to agree on the actions their services "
            "will take together this year.\n\n"
            "• Strengthen the joint patrols at sea with more vessels. We will also widen their "
            "area of operation.\n\n"
            "• The ministers reaffirmed their determination to dismantle the networks. They "
            "further committed to share passenger data.\n")
    found = [c.text for c in candidates(run(ingest_text(text), Options()))
             if c.source == "bullet"]
    assert found[0].startswith("Strengthen the joint patrols") and found[0].endswith(
        "area of operation.")
    assert found[1:] == ["The ministers reaffirmed their determination to dismantle the "
                         "networks.", "They further committed to share passenger data."]


@pytest.mark.parametrize(
    ("text", "language", "cue"),
    [
        # an acronym, an organisation's name, one whose review it is
        ("As a hub of expertise, the NCPV will support local prevention networks.", "en", "will"),
        ("The Agency's new Prevention Fund will finance research on online hate.", "en", "will"),
        ("The Board's review will examine how threats against diaspora groups are handled.",
         "en", "will"),
        # a French simple future after a name, its head first
        ("Dans ce cadre, le Bureau de la prévention du Québec appuiera les organismes locaux.",
         "fr", "Québec appuiera"),
        # a pronoun after a sentence that names an organisation
        ("The Minister opened the new Prevention Centre. It will train frontline workers.",
         "en", "will"),
        ("Le ministre a inauguré le Centre de prévention. Il formera les intervenants.", "fr",
         "Il formera"),
    ],
)
def test_an_organisation_or_a_pronoun_for_one_undertakes(text: str, language: str,
                                                         cue: str) -> None:
    seen = _sentences_seen(text, language)
    assert seen[-1].found is not None and seen[-1].found.cue == cue


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("A focus of the new Prevention Centre will be online fraud.", "en"),
        ("The Minister met the families. It will take years to rebuild trust.", "en"),
        ("Les policiers ont fouillé le quartier. Il faudra des semaines pour tout analyser.",
         "fr"),
        ("Christiane Dumira et ses collègues ont présenté le bilan.", "fr"),
    ],
)
def test_no_organisation_acts_here(text: str, language: str) -> None:
    assert all(seen.found is None for seen in _sentences_seen(text, language))


@pytest.mark.parametrize(
    ("subject", "language", "expected"),
    [
        ("the CCPV", "en", True),
        ("the Centre's Community Safety Fund", "en", True),
        ("In the coming months the Centre", "en", True),
        ("A focus of the European Centre", "en", False),
        ("This operation", "en", False),
        ("le Fonds pour la sécurité des collectivités du Centre", "fr", True),
        ("l'Agence", "fr", True),
        ("la stratégie du Centre", "fr", False),
    ],
)
def test_a_subject_headed_by_an_organisation(subject: str, language: str,
                                             expected: bool) -> None:
    from communique_nlp.learn.commitment import names_an_organisation

    assert names_an_organisation(subject, language) is expected


@pytest.mark.parametrize(("text", "language"), [
    ("The Commission proposed a new border agency. The agency will be based in Vienna.", "en"),
    ("La Commission a proposé de créer une agence. Elle sera installée à Vienne.", "fr"),
])
def test_a_future_describing_a_proposal_is_no_undertaking(text: str, language: str) -> None:
    last = _sentences_seen(text, language)[-1]
    assert last.found is None and "proposal" in last.rejections


def test_a_future_after_welcoming_a_proposal_in_the_same_sentence_stands() -> None:
    (seen,) = _sentences_seen("We welcome the proposal and will adopt it by June.", "en")
    assert seen.found is not None
