"""Parties (the countries that issue, sign or adopt a document) as a learned decision.

Each candidate country (named in the text, or cued by an issuing body of ``models/parties.yaml``)
is scored by a yes/no classifier. Features: the rule verdict of :func:`rule_parties`, where the
issuing body is named (page top, end, anywhere), whether an international organisation speaks,
where the country itself is named (title, opening, first), its share of the country mentions,
membership of a list of countries introduced as the speakers ('Ministers of Australia, Canada,
...'), and how many countries the text names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from communique_nlp.assets import load_yaml
from communique_nlp.model import Document
from communique_nlp.nlp import Gazetteer
from communique_nlp.text import fold, words_pattern

MODEL = "parties"
YES, NO = "yes", "no"
TOP_CHARS = 1500  # the page top: chrome, title, dateline and opening, where the issuer signs
END_CHARS = 1200  # the page end: signature, contacts and footer
OPENING_PARAGRAPHS = 2
OWN_KINDS = ("lead", "body", "quote", "quick_facts", "background", "attendees", "signature")
_NATIONAL_OFFICE = re.compile(r"\b(?:minister|ministre|ministère|ministry|prime minister|"
                              r"premier ministre|président de la république|president|"
                              r"government|gouvernement|police|gendarmerie)\b")
_LIST_GAP = re.compile(r"(?i)^(?:\s|,|;|:|&|\band\b|\bet\b|\bthe\b|\bla\b|\ble\b|\bles\b|l'|l’"
                       r"|\bdu\b|\bdes\b|\bde\b|\bd'|\bd’)*$")


@dataclass(frozen=True)
class _Cues:
    issuers_exact: Gazetteer  # acronyms and short names, compared exactly
    issuers: Gazetteer  # other names, casefolded
    international: Gazetteer
    intros: re.Pattern[str]


@cache
def cues() -> _Cues:
    data = load_yaml("parties.yaml")
    names = [(str(code), str(name)) for code, names in sorted(data["issuers"].items())
             for name in names]
    exact = [(code, name) for code, name in names if name.isupper() or len(name) <= 4]
    international = [("intl", str(name)) for name in data["international"]]
    return _Cues(
        issuers_exact=Gazetteer(exact),
        issuers=Gazetteer([n for n in names if n not in set(exact)], str.casefold),
        international=Gazetteer(international, str.casefold),
        intros=words_pattern({fold(str(w)) for ws in data["group_intros"].values() for w in ws}),
    )


@dataclass(frozen=True)
class _View:
    """The parts of a document the features look at."""

    title: str
    whole: str  # every section, chrome included, in reading order
    own: str  # the document's own text
    opening: str  # the title and the first paragraphs of the own text


def _view(document: Document) -> _View:
    title = document.title or ""
    whole = "\n".join([title, *(p.text for s in document.sections for p in s.paragraphs)])
    own_paragraphs = [p.text for s in document.sections if s.kind in OWN_KINDS
                      for p in s.paragraphs]
    return _View(title=title, whole=whole, own="\n".join(own_paragraphs),
                 opening="\n".join([title, *own_paragraphs[:OPENING_PARAGRAPHS]]))


def _issuers(text: str) -> list[tuple[str, int]]:
    found = cues()
    spans = [*found.issuers_exact.spans(text), *found.issuers.spans(text)]
    return [(code, start) for code, start, _ in spans]


def _country_spans(text: str) -> list[tuple[str, int, int]]:
    from communique_nlp.stages.entities import gazetteers

    return [s for s in gazetteers().countries.spans(text) if s[0] != "-"]


def defined_group(text: str) -> set[str]:
    """Countries listed as the speakers in ``text``: a run of three countries or more joined
    by commas and 'and', or of two or more after an introducing phrase ('Ministers of')."""
    spans = _country_spans(text)
    members: set[str] = set()
    run: list[tuple[str, int, int]] = []
    for span in [*spans, ("", len(text) + 10, len(text) + 10)]:
        if run and _LIST_GAP.match(text[run[-1][2]:span[1]]) and span[0]:
            run.append(span)
            continue
        if len(run) >= 3 or (len(run) >= 2 and cues().intros.search(
                fold(text[max(0, run[0][1] - 60):run[0][1]]))):
            members.update(code for code, _, _ in run)
        run = [span] if span[0] else []
    return members


def _introduced(text: str) -> bool:
    return bool(cues().intros.search(fold(text)))


def rule_parties(document: Document) -> list[str]:
    """Parties by rule: a defined group of speakers; else the countries whose issuing body
    signs the page top (or, failing that, the page end); else none when an international
    organisation speaks; else the one country the title or the opening names."""
    view = _view(document)
    group = defined_group(view.opening)
    if group and (defined_group(view.title) or _introduced(view.opening)):
        return sorted(group)
    top = {code for code, _ in _issuers(view.whole[:TOP_CHARS])}
    if top:
        return sorted(top)
    end = {code for code, _ in _issuers(view.whole[-END_CHARS:])}
    if end:
        return sorted(end)
    if cues().international.spans(view.whole[:TOP_CHARS]):
        return []
    opening = {code for code, _, _ in _country_spans(view.opening)}
    return sorted(opening) if len(opening) == 1 else []


def candidates(document: Document) -> dict[str, dict[str, float]]:
    """Each candidate country with its features."""
    view = _view(document)
    rule = set(rule_parties(document))
    mentions = Counter(code for code, _, _ in _country_spans(view.own))
    issuers = _issuers(view.whole)
    top_limit, end_start = min(TOP_CHARS, len(view.whole)), max(0, len(view.whole) - END_CHARS)
    top_cues = {code for code, at in issuers if at < top_limit}
    end_cues = {code for code, at in issuers if at >= end_start}
    cue_counts = Counter(code for code, _ in issuers)
    international_top = bool(cues().international.spans(view.whole[:TOP_CHARS]))
    international_any = bool(cues().international.spans(view.whole))
    title_codes = {code for code, _, _ in _country_spans(view.title)}
    opening_codes = {code for code, _, _ in _country_spans(view.opening)}
    first = next(iter(mentions), None)
    group = defined_group(view.opening)
    total = sum(mentions.values()) or 1
    most = mentions.most_common(1)[0][0] if mentions else None
    office_top = bool(_NATIONAL_OFFICE.search(fold(view.whole[:TOP_CHARS])))
    named = len(mentions)
    size = "1" if named <= 1 else "2-3" if named <= 3 else "4-9" if named <= 9 else "10+"
    found: dict[str, dict[str, float]] = {}
    for code in sorted(set(mentions) | set(cue_counts)):
        features: dict[str, float] = {
            "bias_party": 1.0,
            "rule": float(code in rule),
            "rule_empty": float(not rule),
            "cue_top": float(code in top_cues),
            "cue_end": float(code in end_cues),
            "cue_count": min(cue_counts[code], 5) / 5,
            "other_cue_top": float(bool(top_cues - {code})),
            "no_cue": float(not cue_counts),
            "intl_top": float(international_top),
            "intl_any": float(international_any),
            "title": float(code in title_codes),
            "opening": float(code in opening_codes),
            "first": float(code == first),
            "share": mentions[code] / total,
            "mentions": min(mentions[code], 10) / 10,
            "group": float(code in group),
            "most": float(code == most),
            "most_no_cue": float(code == most and not cue_counts),
            "most_office_top": float(code == most and office_top),
            "office_top": float(office_top),
            "in_group_doc": float(bool(group)),
            f"named={size}": 1.0,
        }
        found[code] = features
    return found


def examples(document: Document, gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    parties = gold.get("parties")
    if parties is None:
        return []
    wanted = {str(code).upper() for code in parties}
    return [(features, YES if code in wanted else NO)
            for code, features in candidates(document).items()]


def choose(scored: Sequence[tuple[str, float]], threshold: float = 0.5) -> list[str]:
    """The candidates whose probability of being a party reaches ``threshold``, sorted."""
    return sorted(code for code, probability in scored if probability >= threshold)
