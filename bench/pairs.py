"""`make pairs`: do the English and French versions of one text give the same extraction?

For every EN/FR pair of a gold folder (``NAME.meta.yaml`` names the other version in
``pair``), both versions are parsed and compared the way a user would with ``communique diff
EN FR``: the themes gained or lost between them (there should be none), and how many of the
smaller side's commitments the diff matches across the languages.

Commitment detection is a separate stage, so matching is also measured on its own: the gold
commitments of the two versions are matched by the same function (``match_commitments``), and
the share of the smaller gold side matched is reported. Among the misses on the parsed
documents, one is counted as a detection difference when its counterpart was not found in the
other version: the unmatched commitment is not a gold commitment of its version, or its gold
commitment has no counterpart among the other version's (by that same matching), or that
counterpart is not among the other version's parsed commitments; the rest are matching misses.

Usage: python bench/pairs.py [GOLD_DIR] [--errors]   (default ../shared/eval/train)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from communique_nlp.apps.diff import Item, diff, match_commitments
from communique_nlp.apps.evaluate import items_match
from communique_nlp.pipeline import Options, parse

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "eval" / "train"
CORE = ("terrorism", "cybercrime", "migrant_smuggling", "encryption", "transnational_repression")


@dataclass(frozen=True)
class PairResult:
    english: str
    french: str
    themes_gained: tuple[str, ...]  # in the French version only
    themes_lost: tuple[str, ...]  # in the English version only
    commitments_en: int
    commitments_fr: int
    matched: int
    detection_misses: int  # unmatched on the smaller side, its counterpart not found
    unmatched_smaller: tuple[str, ...]  # texts of the smaller side's unmatched commitments
    gold_en: int  # gold commitments of each version
    gold_fr: int
    gold_matched: int  # gold commitments matched across the versions by the diff's matcher
    gold_themes_agree: bool  # the two gold annotations list the same core themes

    @property
    def smaller(self) -> int:
        return min(self.commitments_en, self.commitments_fr)

    @property
    def gold_smaller(self) -> int:
        return min(self.gold_en, self.gold_fr)

    @property
    def same_themes(self) -> bool:
        return not self.themes_gained and not self.themes_lost

    @property
    def same_core_themes(self) -> bool:
        return not {*self.themes_gained, *self.themes_lost} & set(CORE)


def _gold(document: Path) -> dict[str, Any]:
    gold_path = document.with_name(document.name + ".gold.yaml")
    data = yaml.safe_load(gold_path.read_text(encoding="utf-8")) if gold_path.is_file() else {}
    return data if isinstance(data, dict) else {}


def _gold_items(gold: dict[str, Any], language: str) -> list[Item]:
    commitments = gold.get("commitments") or []
    last = max(len(commitments) - 1, 1)
    return [Item(id=str(index), text=str(c.get("text", "")), themes=tuple(c.get("themes") or ()),
                 section=None, language=language,
                 position=index / last if len(commitments) > 1 else 0.5)
            for index, c in enumerate(commitments)]


def pairs_in(gold_dir: Path) -> list[tuple[Path, Path]]:
    """(English, French) document paths of the folder's pairs, each pair once, sorted."""
    found: set[tuple[Path, Path]] = set()
    for meta_path in sorted(gold_dir.glob("*.meta.yaml")):
        meta: dict[str, Any] = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        other = meta.get("pair")
        if not other:
            continue
        name = meta_path.name[: -len(".meta.yaml")]
        document = next(gold_dir.glob(f"{name}.*[!l]"), None)  # NAME.txt, not NAME.meta.yaml
        if document is None or not (gold_dir / str(other)).is_file():
            continue
        here, there = document, gold_dir / str(other)
        found.add((here, there) if meta.get("language") == "en" else (there, here))
    return sorted(found)


def compare(english: Path, french: Path, options: Options | None = None) -> PairResult:
    a = parse(english, options).as_dict()
    b = parse(french, options).as_dict()
    result = diff(a, b)
    count_en = len(a.get("commitments", []))
    count_fr = len(b.get("commitments", []))
    smaller_is_en = count_en <= count_fr
    dropped = result.dropped if smaller_is_en else result.added
    gold_en, gold_fr = _gold(english), _gold(french)
    gold_matches = match_commitments(_gold_items(gold_en, "en"), _gold_items(gold_fr, "fr"))
    # each gold commitment of the smaller side and its gold counterpart in the other version
    counterparts = {(m.a if smaller_is_en else m.b).text: (m.b if smaller_is_en else m.a).text
                    for m in gold_matches}
    own_gold = [str(c.get("text", "")) for c in
                (gold_en if smaller_is_en else gold_fr).get("commitments") or []]
    found_other = [str(c["text"]) for c in (b if smaller_is_en else a).get("commitments", [])]

    def counterpart_found(text: str) -> bool:
        gold = next((g for g in own_gold if items_match(g, text)), None)
        counterpart = counterparts.get(gold) if gold is not None else None
        return counterpart is not None and any(items_match(counterpart, t) for t in found_other)

    detection = sum(1 for item in dropped if not counterpart_found(item.text))
    return PairResult(
        english=english.name,
        french=french.name,
        themes_gained=tuple(t.id for t in result.gained),
        themes_lost=tuple(t.id for t in result.lost),
        commitments_en=count_en,
        commitments_fr=count_fr,
        matched=len(result.kept),
        detection_misses=detection,
        unmatched_smaller=tuple(item.text for item in dropped),
        gold_en=len(gold_en.get("commitments") or []),
        gold_fr=len(gold_fr.get("commitments") or []),
        gold_matched=len(gold_matches),
        gold_themes_agree=set(gold_en.get("themes") or ()) & set(CORE)
        == set(gold_fr.get("themes") or ()) & set(CORE),
    )


def measure(gold_dir: Path, options: Options | None = None) -> list[PairResult]:
    return [compare(english, french, options) for english, french in pairs_in(gold_dir)]


def summary(results: list[PairResult]) -> dict[str, float]:
    smaller = sum(r.smaller for r in results)
    matched = sum(min(r.matched, r.smaller) for r in results)
    equal = [r for r in results if r.commitments_en == r.commitments_fr]
    equal_total = sum(r.smaller for r in equal)
    return {
        "pairs": len(results),
        "same_themes": sum(r.same_themes for r in results),
        "smaller_side": smaller,
        "matched": matched,
        "matched_share": matched / smaller if smaller else 1.0,
        "detection_misses": sum(r.detection_misses for r in results),
        "equal_pairs": len(equal),
        "equal_total": equal_total,
        "equal_matched": sum(min(r.matched, r.smaller) for r in equal),
        "gold_smaller_side": sum(r.gold_smaller for r in results),
        "gold_matched": sum(min(r.gold_matched, r.gold_smaller) for r in results),
        "gold_agree_pairs": sum(r.gold_themes_agree for r in results),
        "gold_agree_same_themes": sum(r.same_themes for r in results if r.gold_themes_agree),
        "gold_agree_same_core": sum(r.same_core_themes for r in results if r.gold_themes_agree),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold_dir", nargs="?", type=Path, default=TRAIN)
    parser.add_argument("--errors", action="store_true", help="list unmatched commitments")
    args = parser.parse_args()
    if not args.gold_dir.is_dir():
        print(f"{args.gold_dir}: no such folder", file=sys.stderr)
        return 2
    results = measure(args.gold_dir)
    print(f"{'english':<12} {'french':<12} {'themes':<40} {'EN':>3} {'FR':>3} {'match':>5} "
          f"{'det':>3} {'gold EN/FR/match':>16}")
    for r in results:
        themes = "same" if r.same_themes else (
            " ".join([f"+{t}" for t in r.themes_gained] + [f"-{t}" for t in r.themes_lost]))
        print(f"{r.english:<12} {r.french:<12} {themes:<40} {r.commitments_en:>3} "
              f"{r.commitments_fr:>3} {min(r.matched, r.smaller):>5} {r.detection_misses:>3} "
              f"{f'{r.gold_en}/{r.gold_fr}/{r.gold_matched}':>16}"
              f"{'' if r.gold_themes_agree else '  (gold themes differ)'}")
        if args.errors:
            for text in r.unmatched_smaller:
                print(f"    unmatched: {text[:110]}")
    s = summary(results)
    print(f"\npairs with the same themes: {s['same_themes']}/{s['pairs']}")
    print(f"smaller side's commitments matched: {s['matched']}/{s['smaller_side']} "
          f"({s['matched_share']:.1%}); of the misses, {s['detection_misses']} are detection "
          f"differences (the counterpart not found in the other version)")
    print(f"pairs where both sides found as many commitments: {s['equal_pairs']}, "
          f"matched {s['equal_matched']}/{s['equal_total']}")
    print(f"pairs whose gold themes agree: {s['gold_agree_pairs']}, of which same themes parsed: "
          f"{s['gold_agree_same_themes']} (same core themes: {s['gold_agree_same_core']})")
    print(f"gold commitments matched across the versions: {s['gold_matched']}/"
          f"{s['gold_smaller_side']} of the smaller gold side")
    return 0


if __name__ == "__main__":
    sys.exit(main())
