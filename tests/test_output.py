"""Output: the schema's shape and key order, valid against the JSON Schema, deterministic,
YAML that round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from communique_nlp import parse
from communique_nlp.schema import output_schema
from communique_nlp.stages.serialise import render, to_yaml

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DOCUMENTS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_corpus_output_validates_against_the_schema(path: Path) -> None:
    data = parse(path).as_dict()
    jsonschema.validate(data, output_schema())
    assert list(data) == ["schema", "source", "document", "sections", "commitments", "themes",
                          "warnings"]
    assert list(data["document"])[:4] == ["language", "language_confidence", "languages", "kind"]


def test_output_is_byte_identical_across_runs() -> None:
    path = CORPUS / "fcm-2026-communique-fr.txt"
    first = render(parse(path).as_dict(), "yaml")
    second = render(parse(path).as_dict(), "yaml")
    assert first == second


def test_yaml_round_trips_tricky_strings_and_has_no_aliases() -> None:
    data = {"a": "yes", "b": "2017-06-27", "c": "1.0", "d": "null", "e": "key: value",
            "f": "ligne 1\nligne 2", "g": ["x"], "h": ["x"], "i": "« déjà »"}
    data["h"] = data["g"]  # the same object twice must not become an alias
    text = to_yaml(data)
    assert "&" not in text and "*" not in text
    assert yaml.safe_load(text) == data
    assert "« déjà »" in text  # unicode kept as is


def test_json_output_matches_yaml_output() -> None:
    data = parse(CORPUS / "news-release-en.txt").as_dict()
    assert json.loads(render(data, "json")) == yaml.safe_load(render(data, "yaml"))


def test_ids_are_content_derived_and_unique() -> None:
    data = parse(CORPUS / "fcm-2026-communique-en.txt").as_dict()
    ids = [s["id"] for s in data["sections"]]
    ids += [b["id"] for s in data["sections"] for b in s["bullets"]]
    ids += [c["id"] for c in data["commitments"]]
    assert len(ids) == len(set(ids))
    assert all(i.split("-")[0] in ("s", "b", "c") and len(i.split("-")[1]) == 8 for i in ids)
