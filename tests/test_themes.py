"""Themes: bilingual lexicons matched on lemmas, with evidence, never from page chrome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from communique_nlp import Options, parse


def themes(text: str, options: Options | None = None) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in parse(text, options).as_dict()["themes"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ministers discussed terrorist propaganda and violent extremism online.", "terrorism"),
        ("Les ministres ont évoqué la propagande terroriste et l'extrémisme violent.",
         "terrorism"),
        ("Ransomware and cyber-attacks on hospitals are rising.", "cybercrime"),
        ("Les cybermenaces et les logiciels rançonneurs visent nos hôpitaux.", "cybercrime"),
        ("Smuggling networks and migrant smugglers exploit people at sea.", "migrant_smuggling"),
        ("Les passeurs et le trafic illicite de migrants exploitent la misère humaine.",
         "migrant_smuggling"),
        ("Encryption can prevent lawful access to the content of communications.", "encryption"),
        ("Le chiffrement empêche l'accès légal aux communications des criminels.", "encryption"),
        ("States target dissidents abroad through transnational repression.",
         "transnational_repression"),
        ("La répression transnationale vise les membres de la diaspora.",
         "transnational_repression"),
    ],
)
def test_core_themes_in_both_languages(text: str, expected: str) -> None:
    found = themes(text)
    assert expected in found
    assert found[expected]["evidence"], "every tag carries evidence"


def test_inflected_forms_match_through_lemmas() -> None:
    assert "terrorism" in themes("Des combattants terroristes étrangers sont revenus au pays.")
    assert "cybercrime" in themes("Les cyberattaques ont touché plusieurs municipalités.")


def test_near_misses_do_not_tag() -> None:
    text = ("Officers seized contraband tobacco that had been smuggled through the port. The "
            "initial attack crews fought the wildfire. Asylum claims and irregular migration "
            "rose at the border.")
    assert set(themes(text)) & {"terrorism", "cybercrime", "migrant_smuggling", "encryption",
                                "transnational_repression"} == set()


def test_page_chrome_does_not_tag() -> None:
    text = ("Skip to main content\nCounter-terrorism\nCybercrime and scams\n"
            "Wildfire season: the province adds crews and aircraft ahead of summer.\n"
            "The new crews will be based in the interior and the north of the province.\n")
    assert themes(text) == {}


def test_score_grows_with_mentions() -> None:
    once = themes("Ransomware hit a hospital last week in the capital region of the country.")
    often = themes("Ransomware hit a hospital. Ransomware hit a school. Cybercrime is rising. "
                   "Cyber threats grow. Ransomware again.")
    assert 0 < once["cybercrime"]["score"] < often["cybercrime"]["score"] <= 1


def test_user_taxonomy_replaces_the_default_with_themes_only(tmp_path: Path) -> None:
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text(
        "themes:\n"
        "  - id: wildfire\n"
        "    label: Wildfires\n"
        "    terms:\n"
        "      en: {strong: [wildfire, forest fire]}\n"
        "      fr: {strong: [feu de forêt, incendie de forêt]}\n", encoding="utf-8")
    found = themes("The wildfire season starts early. Ransomware hit a school.",
                   Options(themes=taxonomy, themes_only=True))
    assert set(found) == {"wildfire"}
    assert found["wildfire"]["label"] == "Wildfires"
