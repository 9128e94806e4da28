"""The theme decision: the rule (fallback and feature) and the learned model over it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from communique_nlp import Options, parse
from communique_nlp.learn import themes as learned
from communique_nlp.learn.data import labelled_docs
from communique_nlp.learn.store import model_file
from communique_nlp.learn.train import COMPONENTS, train_all
from communique_nlp.pipeline import run_path
from communique_nlp.stages.themes import collect, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "train"
HEADLINE = "Ministers publish the new national strategy\n\n"


def rule_themes(text: str, tmp_path: Path) -> set[str]:
    """Themes as the rule decides them (no learned model in the folder), of ``text`` under a
    headline that names none."""
    document = parse(HEADLINE + text, Options(model_dir=tmp_path)).as_dict()
    assert document["document"]["title"] == HEADLINE.strip()
    return {t["id"] for t in document["themes"]}


def test_a_weak_term_repeated_is_one_piece_of_evidence(tmp_path: Path) -> None:
    text = ("The strategy sets out how the country protects its interests in cyberspace. "
            "Cyberspace is contested, and the strategy invests in skills for cyberspace.")
    assert "cybercrime" not in rule_themes(text, tmp_path)
    other = ("The strategy sets out how the country protects its interests in cyberspace, "
             "and how it responds to each cyber incident on its networks.")
    assert "cybercrime" in rule_themes(other, tmp_path)  # two different weak terms


def test_a_unit_named_after_a_theme_is_not_evidence(tmp_path: Path) -> None:
    text = ("Officers of the Garda National Cyber Crime Bureau searched two houses in the "
            "county on Tuesday and seized documents relating to labour exploitation.")
    assert "cybercrime" not in rule_themes(text, tmp_path)
    assert "cybercrime" in rule_themes("Cyber crime against hospitals keeps rising in the "
                                       "region, officers of the bureau said on Tuesday.",
                                       tmp_path)


def test_examples_label_each_mentioned_core_theme_from_the_gold() -> None:
    text = ("Ministers met in Rome.\n\nThey discussed terrorist propaganda online and the "
            "cyberspace strategy of the alliance for the years ahead.\n")
    document = parse(text).document
    rows = learned.examples(document, {"themes": ["terrorism"]})
    by_label = {label: row for row, label in rows}
    assert set(by_label) == {"yes", "no"}  # terrorism (gold) and cybercrime (mentioned only)
    assert by_label["yes"]["theme=terrorism"] == 1.0 and by_label["yes"]["rule"] == 1.0
    assert by_label["no"]["theme=cybercrime"] == 1.0 and by_label["no"]["rule"] == 0.0
    assert learned.examples(document, {}) == []  # no theme annotation: nothing to learn


def test_the_model_decides_core_themes_when_present(tmp_path: Path) -> None:
    # a model that says no to everything: the core themes go, the extended ones stay (rule)
    (tmp_path / "themes.json").write_text(json.dumps(
        {"labels": ["no", "yes"], "bias": [-5.0], "weights": {}}), encoding="utf-8")
    text = "Terrorist propaganda and money laundering were on the agenda of the ministers."
    found = {t["id"] for t in parse(text, Options(model_dir=tmp_path)).as_dict()["themes"]}
    assert "terrorism" not in found and "organized_crime" in found


@pytest.mark.skipif(not TRAIN.is_dir(), reason="../shared/eval/train is not present")
def test_make_models_reproduces_the_committed_theme_model(tmp_path: Path) -> None:
    # the components before it in pipeline order shape the documents it learns from
    upto = next(i for i, c in enumerate(COMPONENTS) if c.name == learned.MODEL)
    docs = labelled_docs([TRAIN, ROOT / "corpus"])
    train_all(docs, tmp_path, components=COMPONENTS[: upto + 1])
    committed = model_file(learned.MODEL)
    assert model_file(learned.MODEL, tmp_path).read_bytes() == committed.read_bytes()


def test_collect_keeps_chrome_out(tmp_path: Path) -> None:
    text = ("Skip to main content\nCounter-terrorism\nCybercrime and scams\n"
            "Wildfire season: the province adds crews and aircraft ahead of summer.\n"
            "The new crews will be based in the interior and the north of the province.\n")
    found: Any = collect(run_path_text(text, tmp_path), load_taxonomy())
    assert not found.own and not found.title


def run_path_text(text: str, tmp_path: Path) -> Any:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return run_path(path, Options(model_dir=tmp_path))


def test_a_word_broken_across_a_flattened_line_is_found(tmp_path: Path) -> None:
    # text copied from a newspaper column: the line break became a space after the hyphen
    text = ("La GRC poursuit son enquête sur des activités de ré\u2010 pression "
            "transnationale visant des Canadiens d'origine chinoise.")
    assert "transnational_repression" in rule_themes(text, tmp_path)
