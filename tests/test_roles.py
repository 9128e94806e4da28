"""Learned block roles: gold labels, the segmenter following the model's decisions, the rules
as fallback, and the title cleaned of a glued language link."""

from __future__ import annotations

from pathlib import Path

from communique_nlp.learn import roles
from communique_nlp.learn.linear import LinearModel
from communique_nlp.model import Block, Document, Source
from communique_nlp.stages import segment as seg

BLOCKS = [
    Block("Accueil"),
    Block("Déclaration des ministres sur la sécurité"),
    Block("Coopération policière et de renseignement", glyph="1."),
    Block("Les ministres ont convenu de renforcer l'échange d'informations entre leurs "
          "services de police et de renseignement, dans le respect des droits fondamentaux et "
          "sous le contrôle des autorités judiciaires de chaque État."),
    Block("l'échange de données sur les passeurs", glyph="•"),
    Block("la lutte contre le financement du terrorisme", glyph="•"),
]


def test_labels_come_from_the_gold_with_numbered_headings_and_items() -> None:
    gold = {"title": "Déclaration des ministres sur la sécurité",
            "sections": [{"heading": None, "kind": "boilerplate"},
                         {"heading": "1. Coopération policière et de renseignement",
                          "kind": "body"}],
            "bullets": ["l'échange de données sur les passeurs"]}
    assert roles.labels(BLOCKS, gold) == ["other", "title", "heading", "other", "item", "other"]


def test_the_segmenter_follows_the_learned_decisions() -> None:
    decided = seg.Roles(title=1, headings=frozenset({2}), items=frozenset({5}))
    title, sections = seg._segment(BLOCKS, decided)
    assert title == "Déclaration des ministres sur la sécurité"
    assert [s.heading for s in sections] == [None, "1. Coopération policière et de renseignement"]
    assert sections[0].kind == "boilerplate"  # 'Accueil' before the headline
    assert [p.text for p in sections[1].paragraphs if p.is_bullet] == [
        "la lutte contre le financement du terrorisme"]  # block 4 was not called an item


def test_without_a_model_file_the_rules_decide(tmp_path: Path) -> None:
    document = Document(source=Source(path="x", sha256="", format="txt"), blocks=tuple(BLOCKS))
    ruled = seg.segment(document, model_dir=tmp_path)
    title, sections = seg._segment(BLOCKS, None)
    assert ruled.title == title
    assert [s.heading for s in ruled.sections] == [s.heading for s in sections]


def test_decide_takes_the_likeliest_early_block_as_title() -> None:
    model = LinearModel(labels=("heading", "item", "other", "title"), bias=(0.0, 0.0, 1.0, 0.0),
                        weights={"w:déclaration": (0.0, 0.0, 0.0, 5.0)})
    decided = roles.decide(model, BLOCKS, seg.rule_roles(BLOCKS))
    assert decided.title == 1
    assert not decided.headings and not decided.items


def test_a_language_link_glued_to_the_title_is_dropped() -> None:
    assert seg._without_language_link(
        "New Centre for Community Engagement supports local efforts Français") == (
        "New Centre for Community Engagement supports local efforts")
    assert seg._without_language_link("Le Conseil proroge le régime [中文]") == (
        "Le Conseil proroge le régime")
    assert seg._without_language_link("Parlons Français") == "Parlons Français"  # too short
    assert seg._without_language_link("Speaking plain English today") == (
        "Speaking plain English today")


def test_a_numbered_heading_keeps_its_number_and_a_bullet_glyph_is_dropped() -> None:
    assert seg.heading_text(Block("INTRODUCTION", glyph="I.")) == "I. INTRODUCTION"
    assert seg.heading_text(Block("Summary points", glyph="•")) == "Summary points"


def test_reference_codes_and_addresses_are_features() -> None:
    for code in ("SC/12446", "PS-2025-QP-00014", "SG/SM/16876"):
        assert seg.is_reference_code(code), code
        assert not seg._heading_candidate(Block(code))
    for text in ("Main results", "G7", "Coopération policière"):
        assert not seg.is_reference_code(text), text
    rows = roles.features([Block("SC/12446"), Block("Contact: presse@interieur.gouv.fr")],
                          ["text", "text"])
    assert rows[0]["reference"] == 1.0 and rows[1]["address"] == 1.0


def test_title_examples_are_the_blocks_before_the_text() -> None:
    document = Document(source=Source(path="x", sha256="", format="txt"), blocks=tuple(BLOCKS))
    gold = {"title": "Déclaration des ministres sur la sécurité"}
    found = roles.title_examples(document, gold)
    # up to the first block of running text, included
    assert [label for _, label in found] == ["other", "title", "other", "other"]
    assert roles.title_examples(document, {"sections": []}) == []


def test_names_offices_and_cut_lines_are_features() -> None:
    blocks = [Block("Présidente Mme Agathe DURAND"), Block("Ministre de la Justice du Portugal"),
              Block("Le rapport du groupe de travail recommande que la"),
              Block("Coopération policière et judiciaire")]
    rows = roles.features(blocks, ["text"] * len(blocks))
    assert rows[0]["person_line"] == 1.0 and rows[0]["next:office_line"] == 1.0
    assert rows[1]["office_line"] == 1.0 and rows[1]["prev:person_line"] == 1.0
    assert rows[2]["open_end"] == 1.0
    assert not any(rows[3][name] for name in ("person_line", "office_line", "open_end"))


def test_a_colon_label_over_text_and_over_a_field_value() -> None:
    blocks = [Block("Objet :"), Block("Les ministres examinent les suites données au plan "
                                      "d'action adopté l'an dernier contre les passeurs."),
              Block("Date de réception :"), Block("3 mars 2026")]
    rows = roles.features(blocks, ["text"] * len(blocks))
    assert rows[0]["colon&next_long"] == 1.0 and rows[0]["colon&next_short"] == 0.0
    assert rows[2]["colon&next_short"] == 1.0 and rows[2]["colon&next_long"] == 0.0


def test_a_numbered_line_apart_from_its_siblings_is_an_outline_heading() -> None:
    blocks = [Block("II. Surveillance des frontières extérieures"),
              Block("Les ministres renforcent les contrôles aux points de passage.", glyph="1."),
              Block("Les agences échangent leurs analyses de risque chaque mois.", glyph="2."),
              Block("Mesures d'urgence", glyph="a)"),
              Block("Un fonds de réserve est mobilisé pour les États membres qui font face à "
                    "une hausse soudaine des arrivées, sur demande motivée.")]
    rows = roles.features(blocks, ["text"] * len(blocks))
    assert rows[0]["outline_apart"] == 1.0 and rows[3]["outline_apart"] == 1.0
    assert rows[1]["outline_apart"] == 0.0 and rows[2]["outline_apart"] == 0.0
    assert rows[0]["outline_apart&next_glyph"] == 1.0
    assert rows[3]["outline_apart&next_glyph"] == 0.0


def test_a_colon_label_over_bullets_is_told_from_a_lead_in() -> None:
    blocks = [Block("Canaux utilisés :"), Block("Messagerie", glyph="•"),
              Block("Les ministres sont convenus des mesures suivantes :"),
              Block("Former les enquêteurs", glyph="•")]
    rows = roles.features(blocks, ["text"] * len(blocks))
    assert rows[0]["label_heading&next_glyph"] == 1.0
    assert rows[2]["label_heading&next_glyph"] == 0.0


def test_a_form_field_printed_as_an_item_is_no_label_over_bullets() -> None:
    blocks = [Block("Date de réception :", glyph="-"), Block("3 mars 2026", glyph="-")]
    rows = roles.features(blocks, ["item"] * len(blocks))
    assert rows[0]["label_heading&next_glyph"] == 0.0


def test_a_common_heading_is_a_kind_of_its_own() -> None:
    blocks = [Block("Principaux résultats"), Block("Contexte"), Block("Mesures prises")]
    rows = roles.features(blocks, ["text"] * len(blocks))
    assert rows[0]["kind=generic"] == 1.0 and "no_kind" not in rows[0]
    assert rows[1]["kind=background"] == 1.0
    assert rows[2]["no_kind"] == 1.0


def test_an_acronym_a_line_with_a_comma_and_a_field_value_head_nothing() -> None:
    blocks = [Block("Bilan de l'opération conjointe"), Block("OCRTEH"), Block("CONTEXTE"),
              Block("Le parquet a ouvert une enquête, selon la"), Block("Suites judiciaires"),
              Block("Durée de la mission : 18 mois"),
              Block("Les enquêteurs ont interpellé douze personnes dans trois départements et "
                    "saisi des documents falsifiés ainsi que plusieurs véhicules.")]
    every_line_a_heading = LinearModel(labels=("heading", "item", "other", "title"),
                                       bias=(5.0, 0.0, 0.0, 0.0), weights={})
    decided = roles.decide(every_line_a_heading, blocks, seg.rule_roles(blocks))
    assert decided.headings == frozenset({0, 2, 4, 6})
