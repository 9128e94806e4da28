"""Text helpers the stages share: how labels compare, phrase patterns, content-derived ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Casefolded, apostrophes and dashes unified, spaces collapsed: how labels are compared."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DASHES.sub("-", _APOSTROPHES.sub("'", text))
    return " ".join(text.split())


# scanned by a compiled class, replaced where found: str.translate reads every character
# through its table and takes three times as long on a paragraph
_APOSTROPHES = re.compile(r"[’‘`´]")
_DASHES = re.compile(r"[‐‑‒–—―]")


def words_pattern(phrases: set[str]) -> re.Pattern[str]:
    """One regular expression finding any of ``phrases`` as whole words, the longest first."""
    return re.compile(r"(?<![\w-])" + phrase_tree(phrases) + r"(?![\w-])")


def phrase_tree(phrases: set[str] | list[str]) -> str:
    """An alternation of ``phrases`` sharing their common beginnings ('minister', 'ministre'
    -> 'minist(?:er|re)'): at each position the engine follows the one branch the next
    character allows, instead of trying hundreds of phrases one after the other (five times
    faster on a list of office titles). A longer phrase is tried before a shorter one that
    begins it, so the longest that fits is found, as with the phrases sorted longest first."""
    tree: dict[str, Any] = {}
    for phrase in phrases:
        node = tree
        for character in phrase:
            node = node.setdefault(character, {})
        node[""] = {}  # a phrase may end here

    def branches(node: dict[str, Any]) -> str:
        longer = [re.escape(c) + branches(node[c]) for c in sorted(node) if c]
        if not longer:
            return ""
        either = longer[0] if len(longer) == 1 else "(?:" + "|".join(longer) + ")"
        return f"(?:{either})?" if "" in node else either

    return branches(tree)


class UsedIds(set[str]):
    """The ids given so far, remembering the next free number per base id, so a text repeated
    many times (100,000 identical bullets) costs no more than distinct ones."""

    def __init__(self) -> None:
        super().__init__()
        self.next_number: dict[str, int] = {}


def stable_id(prefix: str, text: str, used: set[str]) -> str:
    """An id derived from the normalised text, so it survives edits of other items.

    A repeated text gets '-2', '-3', ... in order; pass a ``UsedIds`` to keep that linear."""
    digest = hashlib.sha1(fold(text).encode("utf-8")).hexdigest()
    base = f"{prefix}-{digest[:8]}"
    candidate = base
    numbers = used.next_number if isinstance(used, UsedIds) else {}
    number = numbers.get(base, 2)
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    numbers[base] = number
    used.add(candidate)
    return candidate


def one_to_one(candidates: list[tuple[Any, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing: candidate pairs ``(rank, i, j)`` taken best (lowest rank)
    first, each ``i`` and each ``j`` used at most once. Deterministic for equal ranks when
    the ranks end with ``i`` and ``j``."""
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in sorted(candidates, key=lambda candidate: candidate[0]):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j))
    return pairs
