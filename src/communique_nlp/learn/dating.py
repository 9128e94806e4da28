"""The document's date as a learned choice among the dates it prints.

Candidates are every full date of the title and the sections (page chrome included: a
'Published' stamp often stands there), day-and-month dates whose year the document gives
elsewhere ('jeudi 30 mai' beside a '2024-05' stamp), ranges ('September 12-13, 2022', as their
last day) and dates in a printed address ('/2018/11/05/'). Each is described by where it stands
(section kind, paragraph and order, at the start of a line, a date line, after a place: a
dateline), the words before it ('Published', 'Updated', 'meeting of', 'since') and how it
compares with the other dates (earliest, how often it recurs), with the rule's own choice among
the features.
The candidate the model scores highest is the date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from communique_nlp.assets import load_yaml
from communique_nlp.dates import find_dates
from communique_nlp.model import Document
from communique_nlp.text import fold

MODEL = "date"
MAX_PARAGRAPHS = 80  # dates are looked for this far into the document
_DIGIT = re.compile(r"\d")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]\d)/([0-3]\d)/")
_YEAR_MONTH = re.compile(r"(?<![\w-])((?:19|20)\d\d)-([01]\d)(?![\w-])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# a 'date 2024-07[-12]' stamp some copying tools put before the text (normalise drops it)
_STAMP = re.compile(r"^\s*date ((?:19|20)\d\d)-([01]\d)(?:-([0-3]\d))?\s", re.MULTILINE)
STAMP_CHARS = 400  # the stamp stands at the very start of the copy


@dataclass(frozen=True)
class Candidate:
    iso: str
    features: dict[str, float]


@lru_cache(maxsize=1)
def _calendar() -> tuple[dict[str, int], re.Pattern[str], re.Pattern[str],
                         dict[str, tuple[str, ...]]]:
    data = load_yaml("months.yaml")
    months = {name: int(number) for number, names in data["months"].items() for name in names}
    month = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day_month = re.compile(rf"(?<![\w-])(?P<d>[0-3]?\d)(?:er|st|nd|rd|th)?\s+(?P<m>{month})\b"
                           rf"(?!\.?,?\s+(?:19|20)\d\d)|(?<![\w-])(?P<m2>{month})\s+(?P<d2>[0-3]?\d)"
                           rf"(?:st|nd|rd|th)?\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE)
    # a meeting over several days ('July 23-24, 2018', '26-27 October 2023', 'du 13 au 14
    # octobre 2021'): the candidate is its last day, when its statement is issued
    to = r"(?:\s*[-–]\s*|\s+(?:and|et|au|to)\s+)"
    span = re.compile(rf"(?<![\w-])(?:(?P<m>{month})\.?\s+[0-3]?\d{to}(?P<d>[0-3]?\d),?"
                      rf"\s+(?P<y>(?:19|20)\d\d)|[0-3]?\d{to}(?P<d2>[0-3]?\d)\s+(?P<m2>{month})"
                      rf"\.?\s+(?P<y2>(?:19|20)\d\d))", re.IGNORECASE)
    contexts = {group: tuple(fold(w) for w in words)
                for group, words in data["date_contexts"].items()}
    return months, day_month, span, contexts


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_PLACE_BEFORE = re.compile(r"[A-ZÀ-Ý][\w'’.-]+,?\s*(?:\([^)]*\)\s*)?(?:le|on)?\s*$")


@dataclass(frozen=True)
class _Mention:
    iso: str
    start: int
    end: int
    how: str  # full | range | day_month | url


def _mentions(text: str, year: int | None) -> list[_Mention]:
    if not _DIGIT.search(text):
        return []  # every date written here has a number: most paragraphs have none
    months, day_month, span, _ = _calendar()
    found = [_Mention(m.iso, m.start, m.end, "full") for m in find_dates(text)]
    for match in span.finditer(text):
        month, day, yr = ((match["m"], match["d"], match["y"]) if match["m"]
                          else (match["m2"], match["d2"], match["y2"]))
        iso = _iso(int(yr), months[month.lower()], int(day))
        if iso:
            found.append(_Mention(iso, match.start(), match.end(), "range"))
    for match in _URL_DATE.finditer(text):
        iso = _iso(int(match[1]), int(match[2]), int(match[3]))
        if iso:
            found.append(_Mention(iso, match.start(), match.end(), "url"))
    if year is not None:
        for match in day_month.finditer(text):
            month, day = (match["m"], match["d"]) if match["m"] else (match["m2"], match["d2"])
            iso = _iso(year, months[month.lower()], int(day))
            if iso:
                found.append(_Mention(iso, match.start(), match.end(), "day_month"))
    return found


def _paragraphs(document: Document) -> list[tuple[str, str, int]]:
    """(text, section kind, section index) in reading order, the title first."""
    found = [(document.title or "", "title", -1)] if document.title else []
    for index, section in enumerate(document.sections):
        if section.heading:
            found.append((section.heading, "heading", index))
        found.extend((p.text, section.kind, index) for p in section.paragraphs)
    return found[:MAX_PARAGRAPHS]


def _stamp(document: Document) -> tuple[str | None, str | None]:
    """The copy's date stamp: (full ISO date or None, 'YYYY-MM' or None)."""
    match = _STAMP.search(document.text[:STAMP_CHARS])
    if not match:
        return None, None
    full = _iso(int(match[1]), int(match[2]), int(match[3])) if match[3] else None
    return full, f"{match[1]}-{match[2]}"


def _main_year(paragraphs: list[tuple[str, str, int]], stamp_month: str | None) -> int | None:
    """The year a day-and-month date belongs to: of the copy's stamp, of the first year-month
    stamp, else the first full date, else the first year printed."""
    if stamp_month:
        return int(stamp_month[:4])
    for text, _, _ in paragraphs:
        if match := _YEAR_MONTH.search(text):
            return int(match[1])
    for text, _, _ in paragraphs:
        if dates := find_dates(text):
            return int(dates[0].iso[:4])
    for text, _, _ in paragraphs:
        if match := _YEAR.search(text):
            return int(match[1])
    return None


def candidates(document: Document, rule_date: str | None) -> list[Candidate]:
    from communique_nlp.stages.segment import is_date_line

    paragraphs = _paragraphs(document)
    _, _, _, contexts = _calendar()
    stamp, stamp_month = _stamp(document)
    year = _main_year(paragraphs, stamp_month)
    first_heading = next((i for i, s in enumerate(document.sections) if s.heading), None)
    raw: list[tuple[_Mention, dict[str, float]]] = []
    for position, (text, kind, section) in enumerate(paragraphs):
        for order, mention in enumerate(sorted(_mentions(text, year), key=lambda m: m.start)):
            before = fold(text[max(0, mention.start - 40):mention.start])
            features = {
                f"how={mention.how}": 1.0,
                f"section={kind}": 1.0,
                "position": min(position, 40) / 40,
                "first_paragraphs": float(position < 4),
                "order_in_paragraph": min(order, 3) / 3,
                "at_start": float(mention.start <= 2),
                "near_start": float(mention.start <= 80),
                "date_line": float(is_date_line(text)),
                "short_line": float(len(text) <= 100),
                "before_heading": float(first_heading is None or section < first_heading),
                "newswire": float("/cnw/" in fold(text[mention.end:mention.end + 30])
                                  or "/prnewswire/" in fold(text)),
                "rule": float(mention.iso == rule_date),
                "dash_after": float(bool(re.match(r"\s*[–—-]", text[mention.end:]))),
                # a dateline: a place just before a date near the paragraph's start
                "place_before": float(mention.start < 60 and bool(_PLACE_BEFORE.search(
                    text[:mention.start]))),
            }
            for group, words in contexts.items():
                if any(word in before for word in words):
                    features[f"context={group}"] = 1.0
                    features["place_before"] = 0.0  # 'Publié le', 'Fait à': no dateline
            raw.append((mention, features))
    if stamp:
        raw.insert(0, (_Mention(stamp, 0, 0, "stamp"), {"how=stamp": 1.0, "rule": float(
            stamp == rule_date)}))
    if not raw:
        return []
    isos = [m.iso for m, _ in raw]
    earliest = min(isos)
    by_iso: dict[str, Candidate] = {}
    for rank, (mention, features) in enumerate(raw):
        features["rank"] = min(rank, 10) / 10
        features["first_candidate"] = float(rank == 0)
        features["earliest"] = float(mention.iso == earliest)
        features["recurs"] = min(isos.count(mention.iso) - 1, 3) / 3
        features["only"] = float(len(set(isos)) == 1)
        features["stamp_month"] = float(stamp_month is not None
                                        and mention.iso.startswith(stamp_month))
        known = by_iso.get(mention.iso)
        if known is None:  # a date printed twice is one candidate: its first, best-placed use
            by_iso[mention.iso] = Candidate(mention.iso, features)
        else:  # ...which keeps what the words around its other uses say of it
            known.features.update({k: v for k, v in features.items() if k.startswith("context=")})
    return list(by_iso.values())


def choose(found: list[Candidate], model: Any) -> str | None:
    """The date the text declares as its own ('Communiqué de presse du 20 juillet 2021', 'en
    date du ...') when there is one: too rare in the training documents for the model to
    weigh, and never wrong there; else the candidate the model scores highest."""
    if not found:
        return None
    declared = [c for c in found if c.features.get("context=own")]
    if declared:
        return declared[0].iso
    return max(found, key=lambda c: (model.probability(c.features, "yes"), c.iso)).iso


def examples(document: Document, gold: Mapping[str, Any],
             rule_date: str | None) -> list[tuple[dict[str, float], str]]:
    wanted = gold.get("date")
    if not wanted:
        return []
    wanted = str(wanted)
    return [(c.features, "yes" if c.iso == wanted else "no")
            for c in candidates(document, rule_date)]
