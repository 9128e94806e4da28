"""Normalise: paragraphs and list items are rebuilt from the three shapes text arrives in."""

from __future__ import annotations

from communique_nlp.model import Block
from communique_nlp.stages.ingest import ingest_text
from communique_nlp.stages.normalise import clean_text, normalise


def blocks(text: str) -> list[Block]:
    return list(normalise(ingest_text(text)).blocks)


def texts(text: str) -> list[str]:
    return [b.text for b in blocks(text)]


def test_clean_text_unifies_spaces_and_drops_invisible_characters() -> None:
    raw = "Cyber\u00adcrime\u00a0:\u200b «\u202fdéjà\u202f»\r\nfin\rend\x07"
    assert clean_text(raw) == "Cybercrime : « déjà »\nfin\nend"


def test_web_copy_keeps_one_paragraph_per_line() -> None:
    text = ("Ministers met in Ottawa today to discuss shared threats.\n"
            "They agreed to deepen cooperation on cybercrime.\n")
    assert texts(text) == ["Ministers met in Ottawa today to discuss shared threats.",
                           "They agreed to deepen cooperation on cybercrime."]


def test_pdf_text_is_rejoined_across_blank_lines_and_page_numbers() -> None:
    text = (
        "Communiqué conjoint\n"
        "Nous, les ministres de l'Intérieur de l'Australie, du Canada et du Royaume-Uni, nous \n\n"
        "sommes réunis à Ottawa pour discuter des défis de sécurité nationale que doivent \n\n"
        "relever nos nations et des domaines de collaboration future entre nos services. \n\n"
        "- 2 -\n\n"
        "Lutter contre l'extrémisme violent \n\n"
        "La sécurité de nos citoyens continue d'être menacée par les groupes terroristes et \n\n"
        "les individus qui les soutiennent dans nos pays et à l'étranger depuis des années. \n"
    )
    assert texts(text) == [
        "Communiqué conjoint",
        "Nous, les ministres de l'Intérieur de l'Australie, du Canada et du Royaume-Uni, nous "
        "sommes réunis à Ottawa pour discuter des défis de sécurité nationale que doivent "
        "relever nos nations et des domaines de collaboration future entre nos services.",
        "Lutter contre l'extrémisme violent",
        "La sécurité de nos citoyens continue d'être menacée par les groupes terroristes et "
        "les individus qui les soutiennent dans nos pays et à l'étranger depuis des années.",
    ]


def test_heading_wrapped_over_two_lines_is_joined() -> None:
    text = (
        "Les ministres ont discuté longuement des outils de partage de l'information.\n\n"
        "La coopération en matière de sécurité sur la gestion des \n"
        "frontières et la traite de personnes \n\n"
        "La rencontre commune a permis de discuter des outils disponibles pour le partage de \n\n"
        "l'information sur les activités criminelles et les questions de sécurité nationale. \n"
        "Les ministres ont convenu de poursuivre ces travaux au cours de l'année qui vient.\n"
    )
    assert ("La coopération en matière de sécurité sur la gestion des frontières et la traite "
            "de personnes") in texts(text)


def test_hyphenation_is_undone_but_compounds_are_kept() -> None:
    text = (
        "Les ministres ont souligné l'importance de la coopé-\n"
        "ration entre les services de police face aux cyber-\n"
        "attaques qui visent les hôpitaux et les infrastructures de tous les pays membres.\n"
        "Ils ont aussi rappelé la hausse des attaques par rançongiciel dans plusieurs secteurs.\n"
        "Les États membres poursuivront leurs échanges sur ces questions au cours de l'année.\n"
    )
    joined = " ".join(texts(text))
    assert "coopération entre" in joined
    assert "cyber-attaques" in joined


def test_running_header_repeated_on_pages_is_removed() -> None:
    page = ("Réunion des ministres – Rome 2026\n"
            "Les ministres ont adopté des mesures concrètes pour renforcer la coopération.\n")
    text = "\f".join([page] * 3)
    assert all("Rome 2026" not in t for t in texts(text))


def test_bullets_of_every_kind_keep_their_glyph() -> None:
    text = ("Ministers committed to:\n"
            "• share information on foreign fighters;\n"
            "- support victims of ransomware;\n"
            "1. publish guidance;\n"
            "a) train officers;\n"
            "-\n"
            "strengthen patrols along the coast.\n")
    found = blocks(text)
    assert [(b.glyph, b.text) for b in found[1:]] == [
        ("•", "share information on foreign fighters;"),
        ("-", "support victims of ransomware;"),
        ("1.", "publish guidance;"),
        ("a)", "train officers;"),
        ("-", "strengthen patrols along the coast."),
    ]


def test_bullet_continuation_lines_join_their_item() -> None:
    text = ("• Des approches partagées pour mobiliser les fournisseurs de services de \n"
            "communication afin de faire face à la propagande terroriste en ligne.\n"
            "• Promouvoir la recherche sur les programmes les plus efficaces.\n")
    assert texts(text) == [
        "Des approches partagées pour mobiliser les fournisseurs de services de communication "
        "afin de faire face à la propagande terroriste en ligne.",
        "Promouvoir la recherche sur les programmes les plus efficaces.",
    ]


def test_negative_number_is_not_a_bullet() -> None:
    assert blocks("-3 degrees were recorded at the border crossing this morning.")[0].glyph is None
