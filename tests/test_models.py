"""The model assets: well-formed data, and lemma tables in step with the recipe that builds them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

MODELS = Path(__file__).resolve().parents[1] / "models"
CORE = ["terrorism", "cybercrime", "migrant_smuggling", "encryption", "transnational_repression"]


def strings_only(value: Any, where: str) -> None:
    """YAML 1.1 reads 'on', 'no', 'yes' as booleans: every list item must stay a string."""
    if isinstance(value, dict):
        for key, item in value.items():
            strings_only(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                strings_only(item, where)
            else:
                assert isinstance(item, str), f"{where}: {item!r} is not a string"


@pytest.mark.parametrize("name", ["themes.yaml", "commitments.yaml", "headings.yaml",
                                  "countries.yaml", "organizations.yaml", "people.yaml",
                                  "glossary.yaml", "abbreviations.yaml", "kinds.yaml"])
def test_lexicons_are_lists_of_strings(name: str) -> None:
    strings_only(yaml.safe_load((MODELS / name).read_text("utf-8")), name)


def test_taxonomy_has_the_five_core_themes_in_both_languages() -> None:
    themes = yaml.safe_load((MODELS / "themes.yaml").read_text("utf-8"))["themes"]
    core = [t["id"] for t in themes if t.get("core")]
    assert core == CORE
    for theme in themes:
        for language in ("en", "fr"):
            assert theme["terms"][language]["strong"], (theme["id"], language)


@pytest.mark.skipif(importlib.util.find_spec("spacy_lookups_data") is None,
                    reason="spacy-lookups-data (dev extra) is not installed")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_shipped_lemma_tables_match_their_recipe(language: str) -> None:
    sys.path.insert(0, str(MODELS))
    try:
        import build_lemmas
    finally:
        sys.path.remove(str(MODELS))
    shipped = json.loads((MODELS / "lemmas" / f"{language}.json").read_text("utf-8"))
    assert build_lemmas.build(language) == shipped, "run `make models` after editing a lexicon"
