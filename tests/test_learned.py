"""Learned components: the learner's arithmetic, the rule fallback, the date candidates, and
the two promises of the recipe: `make models` rebuilds the committed files byte for byte, and
the grouped cross-validated figures stay above their floors."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from communique_nlp.learn import dating
from communique_nlp.learn.linear import LinearModel, fit
from communique_nlp.learn.store import default_dir, load_model
from communique_nlp.pipeline import Options, parse

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "train"


def test_binary_model_is_a_sigmoid_of_the_weighted_sum() -> None:
    model = LinearModel(labels=("no", "yes"), bias=(-1.0,), weights={"a": (2.0,), "b": (0.5,)})
    # -1 + 2*1 + 0.5*2 = 2; sigmoid(2) = 1 / (1 + e^-2)
    assert model.probability({"a": 1.0, "b": 2.0, "unknown": 5.0}, "yes") == pytest.approx(
        1 / (1 + math.exp(-2)))
    assert model.predict({"a": 1.0, "b": 2.0}) == "yes"
    assert model.predict({}) == "no"  # sigmoid(-1) < 0.5


def test_multiclass_model_is_a_softmax() -> None:
    model = LinearModel(labels=("x", "y", "z"), bias=(0.0, 0.0, 0.0),
                        weights={"f": (1.0, 0.0, -1.0)})
    probabilities = model.probabilities({"f": 1.0})
    total = math.e + 1 + 1 / math.e
    assert probabilities == pytest.approx({"x": math.e / total, "y": 1 / total,
                                           "z": (1 / math.e) / total})


def test_saved_model_loads_back_identically(tmp_path: Path) -> None:
    model = LinearModel(labels=("no", "yes"), bias=(0.25,), weights={"é": (-1.5,)})
    model.save(tmp_path / "m.json")
    assert load_model("m", tmp_path) == model


def test_fit_separates_a_separable_feature() -> None:
    rows = [{"signal": 1.0}] * 20 + [{"noise": 1.0}] * 20
    labels = ["yes"] * 20 + ["no"] * 20
    model = fit(rows, labels, c=10.0)
    assert model.predict({"signal": 1.0}) == "yes"
    assert model.predict({"noise": 1.0}) == "no"


def test_absent_model_files_leave_the_rules_in_charge(tmp_path: Path) -> None:
    text = ("Joint Statement of the Ministers\n\nOTTAWA, June 3, 2025 - The ministers agreed "
            "to meet again next year to review progress on the plan they adopted today.\n")
    result = parse(text, Options(model_dir=tmp_path)).as_dict()
    assert result["document"]["date"] == "2025-06-03"
    assert result["document"]["kind"] in ("communique", "press_release", "statement")


def _candidates(text: str) -> set[str]:
    document = parse(text, Options(model_dir=Path("/nonexistent")))
    return {c.iso for c in dating.candidates(document.document, None)}


def test_date_candidates_cover_what_the_rules_missed() -> None:
    # an abbreviated French month with a dot, in a newswire dateline
    assert "2024-07-12" in _candidates(
        "Titre du communiqué\n\nWASHINGTON, le 12 juill. 2024 /CNW/ - Les deux pays ont "
        "convenu de renforcer leur coopération en matière de sécurité publique.\n")
    # a day and month whose year only the copy's stamp gives
    assert "2024-05-30" in _candidates(
        " date 2024-05 « Une affaire qui a demandé une coopération exemplaire », a déclaré "
        "jeudi 30 mai la commissaire chargée de l'enquête, devant la presse.\n")
    # a meeting over two days, as its last day (the gold dates meetings so)
    assert "2022-09-13" in _candidates(
        "Ministers met in Washington on September 12-13, 2022 to discuss the threat posed by "
        "ransomware to critical infrastructure and agreed on next steps.\n")
    assert "2023-10-27" in _candidates(
        "The Ministers met on 26-27 October 2023 in Skopje with their counterparts at the "
        "annual forum on justice and home affairs.\n")
    # a date in the address printed with a copied page
    assert "2018-11-05" in _candidates(
        "https://example.org/2018/11/05/media-blog/\n\nToday's stories include reports on "
        "police cooperation across the region and a new plan for border security.\n")


@pytest.mark.slow
def test_make_models_rebuilds_the_committed_files(tmp_path: Path) -> None:
    if not TRAIN.is_dir():
        pytest.skip("../shared/eval/train is not present")
    pytest.importorskip("sklearn")
    subprocess.run([sys.executable, str(ROOT / "models" / "train.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    committed = sorted(p.name for p in default_dir().glob("*.json"))
    assert sorted(p.name for p in tmp_path.glob("*.json")) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (default_dir() / name).read_bytes(), name


def test_output_is_byte_identical_across_processes() -> None:
    """Learned decisions included: two processes with different hash seeds print the same
    bytes (no set or dict order leaks into the output)."""
    sample = ROOT / "corpus" / "cnw-fr-communique-de-presse.txt"
    outputs = {subprocess.run([sys.executable, "-m", "communique_nlp", "parse", str(sample)],
                              capture_output=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and outputs.pop().startswith(b"schema: communique-nlp/1")


# Grouped cross-validated figures on ../shared/eval/train (each collection scored by models
# fitted without it), pinned just under what this version measures (pooled: headings 0.814,
# bullets 0.888, commitments 0.866, countries 0.970, themes 0.967, people 0.876, parties 0.865;
# kind 0.806, date 0.912, title 0.856, role 0.866, place 0.872, language 1.00); headings and
# kind at the targets, 0.80. These are the project's quality floors: never lower one
# to make a change pass.
CV_F1_FLOORS = {"headings": 0.80, "bullets": 0.88, "commitments": 0.85, "countries": 0.96,
                "themes": 0.96, "people": 0.87, "parties": 0.85}
CV_ACCURACY_FLOORS = {"kind": 0.80, "date": 0.90, "title": 0.85, "role": 0.86, "place": 0.86,
                      "language": 0.99}


@pytest.mark.slow
def test_grouped_cross_validated_figures_hold_their_floors() -> None:
    if not TRAIN.is_dir():
        pytest.skip("../shared/eval/train is not present")
    pytest.importorskip("sklearn")
    from communique_nlp.apps.crossval import cross_validate

    pooled = cross_validate(TRAIN, [ROOT / "corpus"], workers=2).pooled
    assert pooled.docs == 196
    low = {name: pooled.counts(name).f1 for name, floor in CV_F1_FLOORS.items()
           if pooled.counts(name).f1 < floor}
    low |= {name: pooled.accuracy(name).acc for name, floor in CV_ACCURACY_FLOORS.items()
            if pooled.accuracy(name).acc < floor}
    assert not low, f"below the cross-validated floor: {low}"
