"""Stage 5, commitments: the undertakings the issuing parties make.

Two sources, as SPEC.md defines them:

- list items introduced by an undertaking ('Ministers further committed to:'), one commitment
  per item, the lead-in giving the actor and the cue;
- sentences with a commitment cue ('we agreed to', 'nous nous sommes engagés à').

Cues, issuing and third-party actors, and the findings that turn 'agreed that ...' into a
statement of need all live in ``models/commitments.yaml``; matching is spaCy's ``Matcher`` on
token norms (lemmas). Quotations, and sections that are not the parties' own text (quotes,
quick facts, contacts, page chrome), are not searched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from communique_nlp.assets import load_yaml
from communique_nlp.model import Commitment, Document, Paragraph, Section
from communique_nlp.nlp import norms, pipeline, sentences, tokens
from communique_nlp.stages.entities import countries_in
from communique_nlp.text import UsedIds, fold, stable_id

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span

SEARCHED_KINDS = ("lead", "body")
FUTURE = "future tense"  # the label of a subject followed by a verb in the future
MAX_ACTOR_CHARS = 160
MAX_CUES_PER_SENTENCE = 20  # cues tried in one sentence: a run-on sentence stays linear
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", '"': '"'}


@dataclass(frozen=True)
class _CueInfo:
    clause: bool
    needs_actor: bool


@dataclass(frozen=True)
class _Cues:
    matcher: Matcher
    anchors: Any  # numpy array of the norm hashes one of which every cue needs
    future: re.Pattern[str] | None  # 'nous continuerons', 'le gouvernement collaborera'
    info: dict[str, _CueInfo]
    issuers: frozenset[str]
    third_parties: frozenset[str]
    findings: tuple[str, ...]
    trailing: frozenset[str]  # adverbs and auxiliaries that end the actor's text but are not it
    meeting_verbs: frozenset[str]
    introducers: frozenset[str]
    statement_objects: tuple[str, ...]  # norms of what follows a cue in a statement


@dataclass(frozen=True)
class _Found:
    actor: str | None
    cue: str


@cache
def _cues(language: str) -> _Cues:
    from spacy.matcher import Matcher

    data = load_yaml("commitments.yaml")
    nlp = pipeline(language)
    adverbs = sorted({n for word in data["adverbs"][language] for n in norms(nlp, word)})
    gap = {"NORM": {"IN": adverbs}, "OP": "{0,2}"}
    matcher = Matcher(nlp.vocab)
    info: dict[str, _CueInfo] = {}
    anchors: set[int] = set()
    for entry in data["cues"][language]:
        pattern: list[dict[str, Any]] = []
        for word in entry["cue"].split():
            if pattern:
                pattern.append(gap)
            if word == "_":
                pattern.append({})
            elif word == "_?":
                pattern.append({"OP": "?"})
            else:
                pattern.extend({"NORM": norm} for norm in norms(nlp, word))
        # the longest word of a cue must be there for the cue to match
        longest = max((p["NORM"] for p in pattern if isinstance(p.get("NORM"), str)), key=len)
        anchors.add(nlp.vocab.strings.add(longest))
        label = entry["cue"]
        matcher.add(label, [pattern])
        info[label] = _CueInfo(bool(entry.get("clause")), bool(entry.get("needs_actor")))
    issuers = frozenset(fold(w) for w in data["issuers"][language])
    info[FUTURE] = _CueInfo(False, True)
    return _Cues(
        matcher=matcher,
        anchors=np.array(sorted(anchors), dtype="uint64"),
        future=_future_pattern(data.get("future", {}).get(language), issuers),
        info=info,
        issuers=issuers,
        third_parties=frozenset(fold(w) for w in data["third_parties"][language]),
        findings=tuple(fold(f) for f in data["findings"][language]),
        trailing=frozenset(fold(w) for w in [*data["adverbs"][language],
                                             *data["auxiliaries"][language]]),
        meeting_verbs=frozenset(fold(w) for w in data["meeting_verbs"][language]),
        introducers=frozenset(fold(w) for w in data["introducers"][language]),
        statement_objects=tuple(" ".join(norms(nlp, o)) for o in
                                data["statement_objects"][language]),
    )


def _future_pattern(future: dict[str, Any] | None,
                    issuers: frozenset[str]) -> re.Pattern[str] | None:
    """A subject and a verb in the future tense, found in the text itself: a regular
    expression is far cheaper here than a token pattern testing every word's ending."""
    if not future:
        return None
    subjects = sorted(set(future.get("subjects") or []) | issuers, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, subjects))
    return re.compile(rf"(?i)(?<![\w'’-])(?:{alternatives})\s+[^\W\d_]+?(?:{future['endings']})"
                      r"(?![\w-])")


def _future_matches(doc: Doc, cues: _Cues) -> list[Span]:
    if cues.future is None:
        return []
    spans = (doc.char_span(m.start(), m.end(), label=FUTURE, alignment_mode="expand")
             for m in cues.future.finditer(doc.text))
    return [span for span in spans if span is not None]


def find_commitments(document: Document) -> Document:
    default = document.language.language if document.language else "en"
    commitments: list[Commitment] = []
    used: set[str] = UsedIds()
    for section in document.sections:
        if section.kind not in SEARCHED_KINDS:
            continue
        language = section.language if section.language in ("en", "fr") else default
        language = language if language in ("en", "fr") else "en"
        for text, source, found in _section_commitments(section, language):
            commitments.append(Commitment(
                id=stable_id("c", text, used), section=section.id, text=text, source=source,
                actor=found.actor, cue=found.cue,
            ))
    return replace(document, commitments=tuple(commitments))


def _section_commitments(section: Section,
                         language: str) -> list[tuple[str, str, _Found]]:
    found: list[tuple[str, str, _Found]] = []
    lead_ins: dict[str, _Found | None] = {}
    paragraphs = section.paragraphs
    for index, paragraph in enumerate(paragraphs):
        introduces_list = (paragraph.text.rstrip().endswith(":") and index + 1 < len(paragraphs)
                           and paragraphs[index + 1].is_bullet)
        if paragraph.is_bullet and introduces_list:
            continue  # a lead-in, counted through its items
        if paragraph.language in ("en", "fr"):
            language = paragraph.language
        if paragraph.is_bullet:
            undertaking = _lead_in_undertaking(paragraph, lead_ins, language)
            if undertaking is None:
                own = _sentence_undertakings(paragraph.text, language)
                undertaking = own[0][1] if own else None
            if undertaking is not None:
                found.append((paragraph.text, "bullet", undertaking))
            continue
        sentences = _sentence_undertakings(paragraph.text, language,
                                           skip_last=introduces_list)
        found.extend((text, "sentence", undertaking) for text, undertaking in sentences)
    return found


def _lead_in_undertaking(item: Paragraph, cache: dict[str, _Found | None],
                         language: str) -> _Found | None:
    """The undertaking of the sentence that introduces ``item``'s list, if it is one."""
    if not item.lead_in:
        return None
    if item.lead_in not in cache:
        found = _sentence_undertakings(item.lead_in, language, only_last=True)
        cache[item.lead_in] = found[0][1] if found else None
    return cache[item.lead_in]


def _sentence_undertakings(text: str, language: str, skip_last: bool = False,
                           only_last: bool = False) -> list[tuple[str, _Found]]:
    """Each sentence of ``text`` with a valid cue, and its undertaking.

    The matcher runs once over the paragraph; most paragraphs hold no cue and are never
    split into sentences.
    """
    cues = _cues(language)
    doc = tokens(language, text)
    matches = _future_matches(doc, cues)
    if np.isin(doc.to_array("NORM"), cues.anchors).any():  # a cheap test before the matcher
        matches += cues.matcher(doc, as_spans=True)
    if not matches:
        return []
    quoted = _Quoted(_quoted_spans(text))
    found = sentences(language, text)
    if skip_last:
        found = found[:-1]
    if only_last:
        found = found[-1:]
    matches.sort(key=lambda m: m.start)  # stable: the order of equal starts is kept
    starts = [m.start for m in matches]
    result = []
    for sentence in found:
        inside = [m for m in matches[bisect_left(starts, sentence.start):
                                     bisect_left(starts, sentence.end)]
                  if m.end <= sentence.end]
        undertaking = _undertaking(sentence, inside, cues, quoted)
        if undertaking is not None:
            result.append((sentence.text.strip(), undertaking))
    return result


def _undertaking(sentence: Span, matches: list[Span], cues: _Cues,
                 quoted: _Quoted) -> _Found | None:
    """The first valid commitment cue among ``matches`` in ``sentence``, with its actor."""
    if not matches or sentence.start_char in quoted:
        return None
    ordered = sorted(matches, key=lambda s: (s.start, -len(s)))
    for match in ordered[:MAX_CUES_PER_SENTENCE]:
        if match.start_char in quoted:
            continue
        info = cues.info[match.label_]
        if _purpose_of_meeting(sentence.doc[sentence.start:match.start].text, cues):
            continue  # 'met in Halifax to review threats and agree on priorities'
        # a cue that starts with its subject ('nous continuerons') carries it
        end = match.start + 1 if match[0].norm_ in cues.issuers else match.start
        subject, actor = _subject(sentence, end, cues)
        if subject & cues.third_parties and not subject & cues.issuers:
            continue  # a third party's undertaking ('the internet companies committed to')
        if info.needs_actor and not _names_party(_near_subject(sentence, end), cues):
            continue
        rest = sentence.doc[match.end:sentence.end]
        if " ".join(t.norm_ for t in rest[:3]).startswith(cues.statement_objects):
            continue  # 'agreed on the importance of': a statement
        if info.clause and any(finding in fold(rest.text) for finding in cues.findings):
            continue
        return _Found(actor=actor, cue=match.text)
    return None


def _subject(sentence: Span, cue_start: int, cues: _Cues) -> tuple[set[str], str | None]:
    """Who undertakes: the words of the subject, and the actor as written.

    The subject is the first comma-separated stretch before the cue that names a party, so an
    opening phrase ('Facing this alarming number of crossings, the Ministers agreed') is
    skipped and an apposition kept ('We, the G7 Ministers of Interior, reaffirm').
    """
    prefix = sentence.doc[sentence.start:cue_start].text
    segments = re.split(r"(?<=,)", prefix)
    parties = cues.issuers | cues.third_parties
    start = next((i for i, segment in enumerate(segments)
                  if _words(segment) & parties and not _opening_phrase(segment, cues)),
                 len(segments) - 1)
    subject = _words(segments[start]) if segments else set()
    words = "".join(segments[start:]).strip(" ,;:").split()
    while words and fold(words[-1]) in cues.trailing:
        words.pop()
    actor = " ".join(words)
    if not actor:
        return subject, None
    return subject, actor if len(actor) <= MAX_ACTOR_CHARS else "…" + actor[-MAX_ACTOR_CHARS:]


def _purpose_of_meeting(before: str, cues: _Cues) -> bool:
    words = fold(before).split()
    met = next((i for i, w in enumerate(words) if w in cues.meeting_verbs), None)
    return met is not None and bool(set(words[met:]) & {"to", "pour", "afin"})


def _opening_phrase(segment: str, cues: _Cues) -> bool:
    words = fold(segment).replace("'", "' ").split()
    return segment.rstrip().endswith(",") and bool(words) and words[0] in cues.introducers


def _near_subject(sentence: Span, end: int) -> str:
    """The words right before a modal ('... have shown that criminal groups will'): its
    subject, not a party named earlier in the sentence."""
    clause = re.split(r",|;|\b(?:that|which|who|que|qui|when|where|lorsque|quand)\b",
                      sentence.doc[sentence.start:end].text, flags=re.IGNORECASE)[-1]
    return " ".join(clause.split()[-6:])


def _names_party(subject: str, cues: _Cues) -> bool:
    """An issuing party: 'we', 'the Government', 'Ministers', or a country that heads the
    subject ('Ireland will'; not 'every force in England and Wales will')."""
    head = " ".join(subject.split()[:3])
    return bool(set(fold(subject).split()) & cues.issuers) or bool(countries_in(head, ""))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'’-]+", fold(text)))


class _Quoted:
    """Character ranges inside quotation marks (sorted, not overlapping), asked about by
    bisection: a paragraph of many quotes and sentences stays linear."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [start for start, _ in spans]

    def __contains__(self, position: int) -> bool:
        index = bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.spans[index][1]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks; an unclosed quote runs to the end."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        char = text[index]
        closer = _QUOTE_PAIRS.get(char)
        if closer is None:
            index += 1
            continue
        end = text.find(closer, index + 1)
        end = len(text) if end < 0 else end + 1
        spans.append((index, end))
        index = end
    return spans
