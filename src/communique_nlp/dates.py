"""Calendar dates written in English or French running text, turned into ISO 8601."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from communique_nlp.assets import load_yaml


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    iso: str


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1)
def _patterns() -> tuple[dict[str, int], re.Pattern[str]]:
    months = {name: int(number) for number, names in load_yaml("months.yaml")["months"].items()
              for name in names}
    month = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day = r"(?P<{}>[0-3]?\d)(?:er|st|nd|rd|th)?"
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + day.format("d1") + r"\s+(?P<m1>" + month + r")\.?,?\s+(?P<y1>(?:19|20)\d\d)"
        + r"|(?P<m2>" + month + r")\.?\s+" + day.format("d2") + r",?\s+(?P<y2>(?:19|20)\d\d)"
        + r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)"
        + r"|(?P<d4>[0-3]?\d)(?P<sep>[/.])(?P<m4>[01]?\d)(?P=sep)(?P<y4>(?:19|20)\d\d)"
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    return months, pattern


@lru_cache(maxsize=4096)
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every full date (day, month and year) in ``text``, in order (cached: the segmenter
    asks about the same lines several times)."""
    if not _DIGIT.search(text):
        return ()  # no number, no date
    months, pattern = _patterns()
    found: list[DateMention] = []
    for match in pattern.finditer(text):
        groups = match.groupdict()
        if groups["y1"]:
            parts = (groups["y1"], str(months[groups["m1"].lower()]), groups["d1"])
        elif groups["y2"]:
            parts = (groups["y2"], str(months[groups["m2"].lower()]), groups["d2"])
        elif groups["y3"]:
            parts = (groups["y3"], groups["m3"], groups["d3"])
        else:
            parts = (groups["y4"], groups["m4"], groups["d4"])
        try:
            iso = date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
        except ValueError:
            continue
        found.append(DateMention(match.start(), match.end(), iso))
    return tuple(found)
