"""Segment: title, lead, headed sections and their kinds, chrome, list items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from communique_nlp import parse
from communique_nlp.model import Block
from communique_nlp.pipeline import Options
from communique_nlp.stages import segment as seg


def sections(text: str) -> list[dict[str, Any]]:
    return list(parse(text).as_dict()["sections"])


def test_title_lead_and_known_headings_in_french() -> None:
    text = (
        "Le ministre annonce une nouvelle stratégie contre la cybercriminalité\n\n"
        "OTTAWA, le 12 mars 2026 /CNW/ - Le ministre de la Sécurité publique a annoncé "
        "aujourd'hui une stratégie nationale de lutte contre les rançongiciels.\n\n"
        "Citation\n\n"
        "« Nous allons protéger nos hôpitaux. »\n\n"
        "- L'honorable Jeanne Roy, ministre de la Sécurité publique\n\n"
        "Faits en bref\n\n"
        "Les signalements de cyberincidents ont doublé en deux ans.\n\n"
        "Liens connexes\n\n"
        "Stratégie nationale de cybersécurité\n\n"
        "Personnes-ressources\n\n"
        "Relations avec les médias, 613-555-0100\n"
    )
    extraction = parse(text).as_dict()
    assert extraction["document"]["title"] == (
        "Le ministre annonce une nouvelle stratégie contre la cybercriminalité")
    got = [(s["heading"], s["kind"]) for s in extraction["sections"]]
    assert got == [(None, "lead"), ("Citation", "quote"), ("Faits en bref", "quick_facts"),
                   ("Liens connexes", "links"), ("Personnes-ressources", "contacts")]
    quote = extraction["sections"][1]
    assert quote["bullets"] == []  # the '- L'honorable ...' line attributes the quote
    assert "L'honorable Jeanne Roy" in quote["text"]


def test_unknown_headings_are_body_sections() -> None:
    text = (
        "Joint statement of the Interior Ministers\n\n"
        "We met in Rome on 14 May 2026 to discuss common threats to our societies.\n\n"
        "Countering ransomware\n\n"
        "Ransomware attacks on hospitals have increased sharply across our countries.\n\n"
        "Migrant smuggling\n\n"
        "Smuggling networks exploit vulnerable people on dangerous sea routes every year.\n"
    )
    got = [(s["heading"], s["kind"]) for s in sections(text)]
    assert got == [(None, "lead"), ("Countering ransomware", "body"),
                   ("Migrant smuggling", "body")]


def test_page_chrome_goes_to_boilerplate_never_to_the_body() -> None:
    text = (
        "Skip to main content\nMenu\nShare this page\n"
        "Statement on lawful access to encrypted content\n"
        "Published: 2026-04-09\n"
        "The Government supports strong encryption and lawful access for investigators who "
        "hold a warrant, and will work with industry on solutions.\n"
        "Date modified: 2026-04-10\n"
        "Report a problem on this page\n"
    )
    found = sections(text)
    kinds = [s["kind"] for s in found]
    assert kinds[0] == "boilerplate" and kinds[-1] == "boilerplate"
    body = [s for s in found if s["kind"] == "lead"]
    assert len(body) == 1
    assert "Skip to main content" not in body[0]["text"]
    assert "Date modified" not in body[0]["text"]


def test_implied_list_after_a_colon_ends_with_the_full_stop() -> None:
    text = (
        "Canada achieved a number of significant goals at the meeting, including:\n\n"
        "continuing work with partners on countering foreign interference;\n\n"
        "leading a discussion on violent extremism in the Five Eyes countries;\n\n"
        "addressing irregular migration by promoting regular pathways.\n\n"
        "In addition to these discussions, the Minister met his counterparts bilaterally.\n"
    )
    lead = sections(text)[0]
    assert [b["text"] for b in lead["bullets"]] == [
        "continuing work with partners on countering foreign interference;",
        "leading a discussion on violent extremism in the Five Eyes countries;",
        "addressing irregular migration by promoting regular pathways.",
    ]
    assert "In addition to these discussions" in lead["text"]


def test_list_of_full_stop_items_stops_at_a_new_turn_of_the_argument(tmp_path: Path) -> None:
    """The rules' implied list (sentences after a lead-in ending with ':'). The learned block
    roles overrule it: on the real training documents such sentences are list items in 5
    cases out of 22, and keeping the rule on top of the model costs 0.05 of bullet F1 in
    grouped cross-validation. So this pins the rule fallback, used when no model file is
    present (here an empty model folder)."""
    text = (
        "Les résultats de la réunion des ministres comprennent :\n\n"
        "La publication d'un communiqué de la réunion des ministres.\n\n"
        "L'élaboration d'un cadre d'intervention pour contrer la répression transnationale.\n\n"
        "En plus de ces discussions, le ministre a rencontré ses homologues.\n"
    )
    lead = parse(text, Options(model_dir=tmp_path)).as_dict()["sections"][0]
    assert len(lead["bullets"]) == 2


def test_label_heading_with_colon_versus_list_lead_in() -> None:
    text = (
        "The young person was charged with the following offences:\n"
        "- Facilitation of a terrorist activity;\n"
        "- Instructing a person to carry out a terrorist activity.\n"
        "General information:\n"
        "- The RCMP is seeing a concerning trend of violent extremism online.\n"
    )
    got = [(s["heading"], s["kind"]) for s in sections(text)]
    assert got == [(None, "lead"), ("General information", "background")]


def test_signature_and_attendees_are_their_own_sections() -> None:
    text = (
        "Communiqué conjoint\n\n"
        "Nous, les ministres, nous sommes réunis à Ottawa pour discuter des défis communs de "
        "sécurité nationale et de la coopération entre nos services.\n\n"
        "Les homologues présents comprennent George Brandis, procureur général de l'Australie; "
        "Peter Dutton, ministre de l'Immigration; Amber Rudd, ministre de l'Intérieur; "
        "John Kelly, secrétaire à la Sécurité intérieure; Jeff Sessions, procureur général.\n\n"
        "Ottawa, le 27 juin 2017\n"
    )
    kinds = [s["kind"] for s in sections(text)]
    assert kinds == ["lead", "attendees", "signature"]


def test_ids_are_stable_when_other_items_change() -> None:
    base = ("Ministers meet on smuggling and cyber threats\n\n"
            "Ministers agreed to share information on smuggling networks.\n\n"
            "Cyber threats\n\nRansomware remains the most disruptive threat to hospitals.\n")
    edited = base.replace("smuggling networks", "migrant smuggling networks")
    first = {s["heading"]: s["id"] for s in sections(base)}
    second = {s["heading"]: s["id"] for s in sections(edited)}
    assert first["Cyber threats"] == second["Cyber threats"]
    assert first[None] != second[None]


def test_a_cut_line_and_a_document_symbol_are_no_headings() -> None:
    assert seg.ends_cut("La ministre de la")
    assert seg.ends_cut("The report notes that")
    assert not seg.ends_cut("Coopération policière")
    assert not seg._heading_candidate(Block("Le directeur général de la"))
    assert not seg._heading_candidate(Block("AB/CD/4521"))
    assert seg._heading_candidate(Block("Prochaines étapes"))


def test_a_common_heading_over_a_date_heads_it() -> None:
    text = (
        "Le ministre annoncera une aide aux collectivités\n\n"
        "Les représentants des médias sont invités à assister à une annonce du ministre "
        "concernant une aide aux collectivités touchées par les inondations.\n\n"
        "Date\n\n"
        "Le mardi 14 avril 2026\n\n"
        "Lieu\n\n"
        "Hôtel de ville, salle 3\n"
    )
    headings = [s["heading"] for s in sections(text)]
    assert "Date" in headings


def test_a_common_heading_is_no_title_candidate() -> None:
    assert not seg._is_title_candidate(Block("Prochaines étapes"))
    assert not seg._is_title_candidate(Block("Suggested response"))
    assert seg._is_title_candidate(Block("Les ministres adoptent un plan contre les passeurs"))


def test_a_byline_is_no_heading_nor_title_candidate() -> None:
    assert seg._is_byline("Par Camille Martin")
    assert seg._is_byline("By: the Director of Operations")
    assert not seg._is_byline("Par ailleurs")
    assert not seg._is_byline("By the numbers")
    assert not seg._heading_candidate(Block("By Northern Policy Review"))
    assert not seg._is_title_candidate(Block("Par Camille Martin"))


def test_an_acronym_is_one_short_word_in_capitals() -> None:
    assert seg.is_acronym("OCRTEH")
    assert not seg.is_acronym("Contexte")
    assert not seg.is_acronym("HOME AFFAIRS")
