"""Document kind (communique, press_release, statement, other) as a learned decision.

Features: the rule verdict of ``stages.entities.rule_kind``; the signal phrases of
``models/kinds.yaml`` (joint text, undertakings, a party's statement, release furniture,
hearsay, immediacy, reporting, speech, reference material) found in the title, the opening
and the body; who wrote it (a news outlet named on the page, the share of 'the minister
said' against 'we'); and the shape of the document (sections, lists, quotes, length). The
model decides unless the rule found a communiqué or the title names the kind (grouped CV
0.735 -> 0.786 with the writer cues and C 10). Of the issuing parties found only 'several'
is a feature (a joint text has several issuers; none or one told a release, a statement and
a news story apart no better than chance), and the commitments found are none (a news story
retelling a meeting reports them too): grouped CV 0.776 -> 0.801. The regularisation is
re-chosen by the grouped CV when the stages it reads change (see learn/train.py): the
figure moves by a document or two with it, the model's noise floor."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from communique_nlp.assets import load_yaml
from communique_nlp.model import Document
from communique_nlp.stages import parties
from communique_nlp.text import fold, phrase_tree

MODEL = "kind"
OPENING_CHARS = 600
BODY_CHARS = 8000
_FIRST_PLURAL = re.compile(r"\b(we|our|nous|notre|nos)\b")  # a body speaking for itself


@dataclass(frozen=True)
class _Signals:
    """One pattern per signal group of models/kinds.yaml, and one lookahead finding where any
    signal phrase starts: a group is tried only there."""

    groups: dict[str, re.Pattern[str]]
    anywhere: re.Pattern[str]

    def counts(self, text: str) -> dict[str, int]:
        """How often each group is found in ``text``, without overlaps, as ``findall`` counts:
        one scan of the text, not one per group (those scans were 6 % of the parse time)."""
        starts = [match.start() for match in self.anywhere.finditer(text)]
        counts = {}
        for group, pattern in self.groups.items():
            hits = end = 0
            for start in starts:
                if start >= end and (match := pattern.match(text, start)):
                    hits, end = hits + 1, match.end()
            counts[group] = hits
        return counts


@lru_cache(maxsize=1)
def _signals() -> _Signals:
    """A phrase matches at the start of a word, so a stem ('condemn') finds its forms and 'loi'
    is not found in 'emploi'."""
    groups = {group: [fold(p) for p in phrases]
              for group, phrases in load_yaml("kinds.yaml")["signals"].items()}
    every = sorted({p for phrases in groups.values() for p in phrases})
    return _Signals(groups={group: _phrases_pattern(phrases) for group, phrases in groups.items()},
                    anywhere=re.compile("(?=" + _phrases_pattern(every).pattern + ")"))


@lru_cache(maxsize=1)
def _speech_verbs() -> re.Pattern[str]:
    """The verbs that attribute words to a speaker (models/headings.yaml): a journalist tells
    what 'the minister said'; a body's own text says 'we'."""
    verbs = load_yaml("headings.yaml")["speech_verbs"]
    return _phrases_pattern([fold(v) for vs in verbs.values() for v in vs])


def _phrases_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Longest phrase first; the word-start test stands once before all the phrases that
    begin with a letter, so a position inside a word fails at once (one test per phrase made
    the kind features a third of the parse time), and the phrases share their beginnings."""
    words = [p for p in phrases if p[:1].isalnum()]
    marks = [p for p in phrases if not p[:1].isalnum()]
    parts = ([r"(?<!\w)" + phrase_tree(words)] if words else []) + (
        [phrase_tree(marks)] if marks else [])
    return re.compile("|".join(parts))


def features(document: Document, rule_verdict: str) -> dict[str, float]:
    title = fold(document.title or "")
    own = [s for s in document.sections if s.kind not in ("boilerplate", "links")]
    body = fold(" ".join(p.text for s in own for p in s.paragraphs)[:BODY_CHARS])
    everything = fold(" ".join(p.text for s in document.sections for p in s.paragraphs))
    regions = {"title": f" {title} ", "open": f" {body[:OPENING_CHARS]} ", "body": f" {body} ",
               "all": f" {everything} "}
    found: dict[str, float] = {f"rule={rule_verdict}": 1.0}
    signals = _signals()
    # a short release's body is all of it: each distinct text is read once
    counted = {text: signals.counts(text) for text in regions.values()}
    for group in signals.groups:
        for region, text in regions.items():
            hits = counted[text][group]
            if hits:
                found[f"{region}:{group}"] = min(hits, 5) / 5
    for kind in {s.kind for s in document.sections}:
        found[f"section:{kind}"] = 1.0
    found["chrome_sections"] = min(sum(1 for s in document.sections
                                       if s.kind == "boilerplate"), 5) / 5
    found["no_title"] = float(not document.title)
    found["length"] = min(len(body), BODY_CHARS) / BODY_CHARS
    found["bullets"] = min(sum(len(s.bullets) for s in own), 20) / 20
    found["headings"] = min(sum(1 for s in own if s.heading), 10) / 10
    found["questions"] = min(sum(1 for s in own if s.heading and s.heading.endswith("?")), 5) / 5
    found["quotes"] = min(body.count("«") + body.count("“") + body.count('"'), 20) / 20
    we = len(_FIRST_PLURAL.findall(body))
    found["first_plural"] = min(we, 10) / 10
    outlet = parties.news_outlet(document)
    if outlet:
        found[f"outlet:{outlet}"] = 1.0
    reported = len(_speech_verbs().findall(body))
    found["reported"] = min(reported, 10) / 10
    found["reported_share"] = reported / (reported + we) if reported + we else 0.0
    found["dated"] = float(document.entities.date is not None)
    found["placed"] = float(document.entities.place is not None)
    # a joint text has several issuers
    found["several_parties"] = float(len(document.entities.parties) >= 2)
    return found


def examples(document: Document, gold: Mapping[str, Any],
             rule_verdict: str) -> list[tuple[dict[str, float], str]]:
    kind = gold.get("kind")
    return [(features(document, rule_verdict), str(kind))] if kind else []
