"""Quality gate: the scores on the project's corpus (and on the shared dev set when present)
must not fall below the floors pinned here. Raise a floor when quality improves; never lower
one to make a change pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique_nlp.apps.evaluate import evaluate

# corpus/: the documents written with the code, and the two sets written blind (web/, blind2/)
CORPUS_FLOORS = {
    "headings": 0.96, "bullets": 0.98, "commitments": 0.95, "commitment_themes": 0.96,
    "countries": 0.98, "themes": 0.95,
}
DEV_FLOORS = {
    "headings": 0.97, "bullets": 0.97, "commitments": 0.95, "commitment_themes": 0.95,
    "countries": 0.98, "themes": 0.96,
}
ACCURACY_FLOORS = {"language": 0.98, "kind": 0.95, "date": 0.97, "title": 0.97}


def check(folder: Path, floors: dict[str, float]) -> None:
    report = evaluate(folder).as_dict()
    low = {field: report[field]["f1"] for field, floor in floors.items()
           if report[field]["f1"] < floor}
    low |= {field: report[field]["acc"] for field, floor in ACCURACY_FLOORS.items()
            if report[field]["acc"] < floor}
    assert not low, f"below the floor: {low}"


@pytest.mark.slow
def test_corpus_quality(corpus_dir: Path) -> None:
    check(corpus_dir, CORPUS_FLOORS)


@pytest.mark.slow
def test_dev_quality(dev_dir: Path) -> None:
    check(dev_dir, DEV_FLOORS)
