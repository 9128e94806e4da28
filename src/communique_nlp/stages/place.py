"""Where a document was issued: the dateline city, else the place its meeting was held.

Kept apart from the choice of the date (``entities.rule_date`` and the learned ranker) on
purpose: the place is read from its own evidence, in this order of trust:

1. a dateline opening a paragraph: 'OTTAWA, ON, le 23 nov. 2025', 'Brussels, 28 March 2012 –',
   'WASHINGTON - Today ...', 'LYON (France) – Un coup ...' (a place in capitals before a dash);
2. a line holding only a place ('Kingston, Ontario', 'Ottawa (Ontario)') beside a date line,
   or a place after a date ('Le 24 décembre 2024 - Ottawa (Ontario) - Affaires mondiales');
3. the meeting place of the opening sentences ('ministers met in Brussels', 'réunis à Paris').

Never a function word ('On December 15'), a document label or a weekday
(``models/places.yaml``, ``models/months.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from communique_nlp.assets import load_yaml
from communique_nlp.dates import find_dates
from communique_nlp.model import Section
from communique_nlp.text import fold

TOP_PARAGRAPHS = 40  # how far into the chrome and the opening a dateline is looked for
OPENING_PARAGRAPHS = 4  # where a meeting place is looked for
SENTENCE_CHARS = 100  # a paragraph this long is text even without a final stop
MEETING_WINDOW = 150  # characters after a meeting word in which 'in X' is looked for
_UPPER = "A-ZÀ-ÖØ-ÞŠŽČĆĐŁŒ"
_WORD = rf"[{_UPPER}][\w'’.\-]*"
_PARTICLE = r"(?:de|du|des|la|le|of|the|sur|upon)"
_NAME = rf"{_WORD}(?:[ \-](?:{_PARTICLE}[ \-])?{_WORD}){{0,3}}"
_REGION = rf"(?:,\s*{_WORD}(?:\s+{_WORD})?|\s*\([^)]{{2,30}}\))?"
# a paragraph opening with a place: 'OTTAWA, ON, le 23 nov.', 'Kingston (Ontario)'
_OPENING = re.compile(rf"^\s*(?P<place>{_NAME}){_REGION}(?P<rest>.*)$", re.S)
_CAPS_DASH = re.compile(r"^\s*(?:[-–—|]|--)\s*\S")  # 'WASHINGTON - Today', 'OTTAWA | (QMI)'
_LEADING_BRACKETS = re.compile(r"^\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)+")  # '(MENAFN- ...) '
# between a dateline's place and its date: ', ', ', ON, le ', ' (Ontario), ', ', the '
_DATE_LEAD = re.compile(rf"^(?:\s*\([^)]{{2,30}}\)\s*,?"
                        rf"|\s*,(?:\s*{_WORD}(?:\s+{_WORD}){{0,2}}\.?\s*,)?)"
                        r"\s*(?:le|les|the|on)?\s*$", re.I)
_PREPOSITION = re.compile(rf"(?<![\w'’])(?:in|at|à|au)\s+"
                          rf"(?:the\s+city\s+of\s+|la\s+ville\s+de\s+)?(?P<place>{_NAME})(?P<then>,\s*(?P<next>{_NAME}))?")
# '(Bruxelles, 14/05/2020)': a release's place and date in brackets
_BRACKETED = re.compile(rf"\((?P<place>{_NAME}),\s*\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\)")
_AFTER_DATE = re.compile(rf"^\s*(?:[-–—|]|--)\s*(?P<place>{_NAME}){_REGION}\s*(?:[-–—|]|--|$)")


@dataclass(frozen=True)
class _Cues:
    not_places: frozenset[str]
    not_place_words: frozenset[str]
    meeting: re.Pattern[str]
    day_month: re.Pattern[str]  # ', July 31', ', les 27 et 28 octobre': a date without a year
    month_day_start: re.Pattern[str]  # 'Le 9 janvier –', 'March 3 -' opening a line
    city_states: frozenset[str]


@cache
def _cues() -> _Cues:
    data = load_yaml("places.yaml")
    weekdays = load_yaml("months.yaml")["weekdays"]
    cues = {fold(str(w)) for ws in data["meeting_cues"].values() for w in ws}
    names = "|".join(rf"{re.escape(c)}" for c in sorted(cues, key=len, reverse=True))
    # to the end of the sentence: a full stop is one not followed by a letter ('D.C.' is not)
    meeting = re.compile(rf"(?i)(?<!\w)(?:{names})\b(?:[^.;:]|\.(?=\w)|(?<=\b[A-Z])\.)"
                         rf"{{0,{MEETING_WINDOW}}}")
    months = sorted({re.escape(str(m)) for ms in load_yaml("months.yaml")["months"].values()
                     for m in ms if len(str(m)) >= 3}, key=len, reverse=True)
    month = "(?:" + "|".join(months) + r")\w*\.?"  # 'juill.' as well as 'juil' and 'juillet'
    day = r"\d{1,2}(?:er)?(?:\s*(?:et|and|-|–|au|to)\s*\d{1,2})?"
    day_month = re.compile(rf"(?i)^\s*,\s*(?:le\s+|les\s+|the\s+|on\s+)?(?:{day}\s+{month}|"
                           rf"{month}\s+{day}\b)")
    month_day_start = re.compile(rf"(?i)^\s*(?:le\s+|les\s+|on\s+)?(?:{day}\s+{month}|"
                                 rf"{month}\s+{day}\b)")
    return _Cues(day_month=day_month, month_day_start=month_day_start,
                 not_places=frozenset(fold(str(w)) for w in [*data["not_places"], *weekdays]),
                 not_place_words=frozenset(fold(str(w)) for w in data["not_place_words"]),
                 meeting=meeting, city_states=frozenset(fold(str(n)) for n in
                                                        data["city_states"]))


def _usable(place: str) -> str | None:
    """The place as printed, or None for a function word, a label, a weekday or a code."""
    # 'Hesse. On the agenda', 'Washington D.C. The United States': a sentence starts
    place = re.split(r"(?<![A-Z]\.[A-Z])\.\s|(?<=\.)\s+(?=(?:The|Le|La|Les|On|In|This|It|We)\b)",
                     place)[0].strip(" ,-–—")
    if place.endswith(".") and not re.search(r"\b[A-Z]\.$", place):
        place = place[:-1]  # a full stop, not the end of an abbreviation ('D.C.')
    words = place.split()
    if not words or len(place) > 40 or any(ch.isdigit() for ch in place) or "/" in place:
        return None
    if fold(place) in _cues().not_places or fold(words[0]) in _cues().not_places - {
            "the", "le", "la", "l'"}:
        return None
    if any(fold(word) in _cues().not_place_words for word in words):
        return None  # 'Stanford University', 'Foreign Ministers Session': a body, not a place
    return place


def _is_country(name: str) -> bool:
    from communique_nlp.stages.entities import countries_in

    return bool(countries_in(name, "en")) and fold(name) not in _cues().city_states


def _dateline(text: str) -> str | None:
    """A place opening the paragraph, then a comma and a date ('Ottawa, February 28, 2017',
    'OTTAWA, ON, le 23 nov. 2025') or, for a place in capitals, a dash ('WASHINGTON - ')."""
    text = _LEADING_BRACKETS.sub("", text)
    match = _OPENING.match(text)
    if not match:
        return None
    place = match["place"]
    after_place = text[match.end("place"):]
    dates = find_dates(after_place[:60])
    dated = ((bool(dates) and _DATE_LEAD.match(after_place[:dates[0].start]) is not None)
             or _cues().day_month.match(after_place) is not None)
    caps = place.isupper() and len(place) >= 3 and _CAPS_DASH.match(match["rest"]) is not None
    if not (dated or caps) or _is_country(place):
        return None
    return _usable(place)


def _standalone(text: str) -> str | None:
    """A paragraph that is a place and nothing more: 'Kingston, Ontario', 'New York'."""
    match = _OPENING.match(text)
    if not match or match["rest"].strip() or len(text) > 50 or _is_country(match["place"]):
        return None
    if match.end("place") == len(text.rstrip()) and len(match["place"].split()) < 2:
        return None  # one word alone ('Time', 'Location') is a label more often than a place
    return _usable(match["place"])


def _has_region(line: str) -> bool:
    match = _OPENING.match(line)
    return bool(match and match["place"] != line.strip())


def _after_date(text: str) -> str | None:
    """'Le 24 décembre 2024 - Ottawa (Ontario) - Affaires mondiales Canada'."""
    dates = find_dates(text)
    if dates and dates[0].start <= 12:
        end = dates[0].end
    else:
        yearless = _cues().month_day_start.match(text)
        if yearless is None:
            return None
        end = yearless.end()
    match = _AFTER_DATE.match(text[end:])
    if not match or _is_country(match["place"]):
        return None
    return _usable(match["place"])


def _meeting_place(text: str) -> str | None:
    """'ministers met in Brussels', 'réunis jusqu'à vendredi à Ischia', 'held at NATO
    Headquarters, Brussels': the first usable place after a meeting word."""
    for cue in _cues().meeting.finditer(text):
        for match in _PREPOSITION.finditer(cue.group()):
            for place in (match["place"], match["next"]):
                if place and not _is_country(place):
                    usable = _usable(place)
                    if usable:
                        return usable
    return None


def find_place(title: str | None, sections: tuple[Section, ...],
               people: Collection[str] = ()) -> str | None:
    """The dateline city, else the meeting place (see the module docstring); never one of
    the ``people`` named in the document (a speaker's name alone on a line)."""
    return _find_place(title, sections, frozenset(people))


def _find_place(title: str | None, sections: tuple[Section, ...],
                people: frozenset[str]) -> str | None:
    paragraphs = [p.text for s in sections for p in s.paragraphs if s.kind not in ("links",)]
    top = paragraphs[:TOP_PARAGRAPHS]
    signature = [p.text for s in sections if s.kind == "signature" for p in s.paragraphs]
    for text in [title or "", *top, *signature]:  # a date line may have been taken as title
        bracketed = _BRACKETED.search(text)
        place = _dateline(text) or _after_date(text) or (
            _usable(bracketed["place"]) if bracketed else None)
        if place:
            return _printed(place)
    beside_dates = [text for index, text in enumerate(top)
                    if any(find_dates(other) for other in top[max(0, index - 2):index + 3]
                           if other is not text)]
    # a line with a region ('Ottawa (Ontario)') before a bare one, which may be a name
    for text in sorted(beside_dates, key=lambda line: not _has_region(line)):
        # 'Service des informations et des accréditations • New York'
        place = _standalone(text) or _standalone(re.split(r"\s[•|]\s", text)[-1].strip())
        if place and place not in people:
            return _printed(place)
    # the opening sentences: not the lines of a table of contents ('Sommaire') before them
    own = [p.text for s in sections if s.kind in ("lead", "body") for p in s.paragraphs
           if len(p.text) > SENTENCE_CHARS or p.text.rstrip().endswith((".", "!", "?", ":"))]
    for text in [title or "", *own[:OPENING_PARAGRAPHS]]:
        place = _meeting_place(text)
        if place:
            return _printed(place)
    for text in top:  # 'Ottawa, Ontario' alone on a line, or ending one: '... • New York'
        parts = re.split(r"\s[•|]\s", text)
        line = parts[-1].strip()
        match = _OPENING.match(line)
        if match and (len(parts) > 1 or match["place"] != line) and not match["rest"].strip():
            place = _standalone(line)
            if place:
                return _printed(place)
    return None


def _printed(place: str) -> str:
    return place.title() if place.isupper() else place

