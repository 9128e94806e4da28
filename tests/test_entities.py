"""Entities: date and place, countries as ISO codes, organisations, people with roles."""

from __future__ import annotations

from typing import Any

import pytest

from communique_nlp import parse


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
