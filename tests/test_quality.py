"""Quality gate: the scores on the project's corpus (and on the shared dev set when present)
must not fall below the floors pinned here. Raise a floor when quality improves; never lower
one to make a change pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique_nlp.evaluate import evaluate

CORPUS_FLOORS = {
    "headings": 0.90, "bullets": 0.95, "commitments": 0.90, "countries": 0.95, "themes": 0.95,
}
DEV_FLOORS = {
    "headings": 0.90, "bullets": 0.90, "commitments": 0.90, "countries": 0.95, "themes": 0.95,
}
ACCURACY_FLOORS = {"language": 0.95, "kind": 0.90, "date": 0.90}


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
