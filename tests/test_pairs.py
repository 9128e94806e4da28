"""English and French alike: the EN/FR pairs of the shared training set (issue 12, point 4).

The floors are the levels measured with ``bench/pairs.py`` when they were set; they may rise,
never fall. Skipped when ../shared/eval/train is not present.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "train"

# pairs whose two gold annotations list the same core themes, and whose two parsed versions
# then give the same core themes (measured: 21 of 21)
MIN_SAME_CORE_THEMES = 21
# gold commitments of the smaller side matched across the versions by the diff's matcher
# (measured: 14 of 15 = 0.933; the miss pairs two sentences cut at different places)
MIN_GOLD_MATCHED_SHARE = 0.93
# the smaller side's parsed commitments that `diff` matches in the other version, the issue's
# target (measured: 14 of 14)
MIN_PARSED_MATCHED_SHARE = 0.93


@pytest.fixture(scope="module")
def pair_summary() -> dict[str, Any]:
    if not TRAIN.is_dir():
        pytest.skip("../shared/eval/train is not present")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import pairs
    finally:
        sys.path.remove(str(ROOT / "bench"))
    results = pairs.measure(TRAIN)
    assert len(results) == 24  # every pair of the training set is found, each once
    summary: dict[str, Any] = pairs.summary(results)
    return summary


def test_the_versions_of_one_text_give_the_same_core_themes(
        pair_summary: dict[str, Any]) -> None:
    assert pair_summary["gold_agree_same_core"] >= MIN_SAME_CORE_THEMES


def test_the_diff_matches_commitments_across_languages(pair_summary: dict[str, Any]) -> None:
    assert pair_summary["gold_matched"] / pair_summary["gold_smaller_side"] \
        >= MIN_GOLD_MATCHED_SHARE


def test_the_diff_matches_the_parsed_commitments_across_languages(
        pair_summary: dict[str, Any]) -> None:
    assert pair_summary["smaller_side"] >= 10  # enough pairs with commitments on both sides
    assert pair_summary["matched"] / pair_summary["smaller_side"] >= MIN_PARSED_MATCHED_SHARE


def test_every_unmatched_parsed_commitment_is_a_detection_difference(
        pair_summary: dict[str, Any]) -> None:
    """On the parsed documents, what the diff leaves unmatched on the smaller side is down to
    which sentences the commitment stage found in each version, not to the matching."""
    missed = pair_summary["smaller_side"] - pair_summary["matched"]
    assert missed == pair_summary["detection_misses"]
