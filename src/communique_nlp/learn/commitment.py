"""Commitments as a learned decision: is this sentence or list item an undertaking?

The candidates are every sentence and every list item of the sections searched
(``stages.commitments.candidates``); the rules' verdict stays among the features, with what the
rules saw on the way: the cues found (and why each was turned down), the subject, a committing
lead-in, the section's kind and heading, the position, and signal words read off
``models/commitments.yaml`` (future, past, reported speech, calls on others, negation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from communique_nlp.assets import load_yaml
from communique_nlp.learn.linear import LinearModel
from communique_nlp.model import Document
from communique_nlp.text import fold

MODEL = "commitment"
POSITIVE = "yes"
NEGATIVE = "no"
# probabilities from which a candidate is kept, chosen by cross-validation: lower for one the
# rules already take as an undertaking, higher for one they do not
RULE_THRESHOLD = 0.3
THRESHOLD = 0.5
_VERB_SIGNALS = ("commitment_words", "passive_future", "future")  # what an undertaking does
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_HEADING_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Candidate:
    """A sentence or list item, and what the rules saw in it."""

    text: str
    source: str  # bullet | sentence
    language: str
    section_id: str
    section_kind: str
    heading: str
    paragraph_index: int
    sentence_index: int
    rule_actor: str | None  # the rules' verdict: an undertaking when ``rule_cue`` is set
    rule_cue: str | None
    cues: tuple[str, ...]  # labels of the cues matched in the candidate
    cue_text: str | None  # the first cue as written, rejected or not
    rejections: tuple[str, ...]  # why the rules turned cues down
    subject: frozenset[str]  # 'issuer', 'third_party', 'country' for the subject of a cue
    before_cue: tuple[str, ...]  # the norms just before and after the first cue
    after_cue: tuple[str, ...]
    lead_in: str | None = None  # for a list item: the sentence introducing its list
    lead_in_cues: tuple[str, ...] = ()
    lead_in_rule: bool = False


@cache
def _signals(language: str) -> dict[str, re.Pattern[str]]:
    data: Mapping[str, Any] = load_yaml("commitments.yaml")["signals"]
    return {name: _words_pattern(patterns[language])
            for name, patterns in data.items() if patterns.get(language)}


@cache
def _any_signal(language: str) -> re.Pattern[str]:
    """Where any signal starts (a lookahead, so overlapping ones are all found)."""
    data: Mapping[str, Any] = load_yaml("commitments.yaml")["signals"]
    every = [p for patterns in data.values() for p in patterns.get(language) or []]
    return re.compile(f"(?={_words_source(every)})", re.IGNORECASE)


@cache
def _verb_signals(language: str) -> re.Pattern[str]:
    """Any of the verb signals: one pass over a paragraph instead of one per signal."""
    data: Mapping[str, Any] = load_yaml("commitments.yaml")["signals"]
    return _words_pattern([p for name in _VERB_SIGNALS for p in data[name].get(language) or []])


def _words_pattern(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(_words_source(patterns), re.IGNORECASE)


def _words_source(patterns: list[str]) -> str:
    """Whole words; a French elision may precede one ('s'engagent', 'il s'agira'). Inside a
    word the first test fails and the apostrophe test after it, each on one character: the
    elisions are read only after an apostrophe."""
    return (rf"(?:(?<![\w'’-])|(?<=['’])(?:(?<=\b[^\W\d_]['’])|(?<=\bqu['’])))"
            rf"(?:{'|'.join(patterns)})(?![\w-])")


@lru_cache(maxsize=4096)  # the lead-in of a list, once for all its items
def _signal_hits(folded: str, language: str) -> tuple[tuple[str, int], ...]:
    """Each signal found in ``folded`` text, with where it first starts: one scan finds where
    any may start, and each signal is tried only there (a search per signal was 4 % of the
    parse time)."""
    starts = [match.start() for match in _any_signal(language).finditer(folded)]
    hits = ((name, next((start for start in starts if pattern.match(folded, start)), None))
            for name, pattern in _signals(language).items())
    return tuple((name, start) for name, start in hits if start is not None)


@lru_cache(maxsize=1024)  # one heading for all the candidates of its section
def _heading_words(heading: str) -> frozenset[str]:
    return frozenset(_HEADING_WORD.findall(fold(heading)))


def may_commit(text: str, language: str) -> bool:
    """A future or a word of commitment somewhere in ``text``: a sentence without one, and
    without a cue, is no candidate, nor is any sentence of such a paragraph (list items
    always are)."""
    # a case-blind pattern: the text need not be folded first
    return _verb_signals(language).search(text) is not None


def has_future(text: str, language: str) -> bool:
    """A future ('will', 'sera mis en place') in ``text``: what an 'agreed that' clause needs
    to be an undertaking rather than a finding."""
    return any(name in ("future", "passive_future")
               for name, _ in _signal_hits(fold(text), language))


def features(candidate: Candidate) -> dict[str, float]:
    text = candidate.text
    folded = fold(text)
    words = _WORD.findall(folded)
    found: dict[str, float] = {"bias": 1.0, f"source={candidate.source}": 1.0,
                               f"section={candidate.section_kind}": 1.0}
    if candidate.rule_cue is not None:
        found["rule"] = 1.0
        found[f"rule_{candidate.source}"] = 1.0
    for cue in candidate.cues:
        found[f"cue:{cue}"] = 1.0
    if candidate.cues:
        found["cue_any"] = 1.0
    for reason in candidate.rejections:
        found[f"rejected:{reason}"] = 1.0
    for subject in candidate.subject:
        found[f"subject:{subject}"] = 1.0
    for word in candidate.before_cue:
        found[f"before:{word}"] = 1.0
    for word in candidate.after_cue:
        found[f"after:{word}"] = 1.0
    hits = _signal_hits(folded, candidate.language)
    for name, start in hits:
        found[f"signal:{name}"] = 1.0
        if start < 60:
            found[f"early:{name}"] = 1.0
    if words:
        found[f"first:{words[0]}"] = 1.0
        found[f"first2:{' '.join(words[:2])}"] = 1.0
    for word in _heading_words(candidate.heading):
        found[f"heading:{word}"] = 1.0
    if not candidate.heading:
        found["no_heading"] = 1.0
    if candidate.lead_in is not None:
        found["lead_in"] = 1.0
        for cue in candidate.lead_in_cues:
            found[f"lead_in_cue:{cue}"] = 1.0
        if candidate.lead_in_rule:
            found["lead_in_rule"] = 1.0
        for name, _ in _signal_hits(fold(candidate.lead_in), candidate.language):
            found[f"lead_in_signal:{name}"] = 1.0
    for name in _subject_and_verb(candidate.text, folded, candidate.language, hits):
        found[name] = 1.0
    _add_pairs(found)
    found["first_sentence"] = float(candidate.sentence_index == 0)
    found["first_paragraph"] = float(candidate.paragraph_index == 0)
    found["short"] = float(len(text) < 40)
    found["long"] = float(len(text) > 400)
    found["question"] = float(text.rstrip().endswith("?"))
    found["ends_colon"] = float(text.rstrip().endswith(":"))
    found["quote_marks"] = float(any(mark in text for mark in "«»“”\""))
    return found


_ACRONYM = re.compile(r"[A-Z][A-Z0-9&'’-]+")


@cache
def _clause_openers(language: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in load_yaml("commitments.yaml")["clause_openers"][language])


@cache
def _parties(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Issuing parties, third parties, and pronouns ('it will launch'), as folded words."""
    data = load_yaml("commitments.yaml")
    return tuple(frozenset(fold(w) for w in data[key][language])  # type: ignore[return-value]
                 for key in ("issuers", "third_parties", "pronouns"))


def _subject_and_verb(text: str, folded: str, language: str,
                      hits: tuple[tuple[str, int], ...]) -> list[str]:
    """Who does what: the class of the words before the first future or commitment verb
    ('we', an issuing party, a country or known body, a third party, a pronoun, a name,
    nothing) crossed with the
    verb's class. The pair, not either part, tells 'Europol will continue' from 'criminals
    will exploit'."""
    # at one start the most specific verb wins: 'will be used' is a passive future
    found = [(start, _VERB_SIGNALS.index(name), name) for name, start in hits
             if name in _VERB_SIGNALS]
    if not found:
        return ["verb:none"]
    start, _, verb = min(found)
    head = folded[:start].split()
    original = text.split()[:len(head)]  # fold keeps the words, only their case and marks
    cut = max((i + 1 for i, word in enumerate(head) if word[-1:] in ",;:("), default=0)
    before, original = head[cut:][-8:], original[cut:][-8:]
    words = set(before)
    issuers, third_parties, pronouns = _parties(language)
    if any(name == "first_person" for name, _ in _signal_hits(" ".join(before), language)):
        subject = "we"
    elif words & issuers:
        subject = "issuer"
    elif _names_a_body(" ".join(original), language):
        subject = "body"
    elif words & third_parties:
        subject = "third_party"
    elif names_an_organisation(" ".join(original), language):
        subject = "organisation"
    elif before and before[-1] in pronouns:
        subject = "pronoun"
    elif not before:
        subject = "none"
    elif any(_ACRONYM.fullmatch(w) or (i + cut > 0 and w[:1].isupper())
             for i, w in enumerate(original)):
        subject = "named"
    else:
        subject = "other"
    openers = _clause_openers(language)
    in_clause = any(w.startswith(openers) if w.endswith("'") else w in openers
                    for w in before[:-1] + [o for o in before[-1:] if o not in pronouns])
    clause = ["clause:subordinate"] if in_clause else []
    return [*clause, f"verb:{verb}", f"subject_is:{subject}", f"subject_verb:{subject}+{verb}",
            f"subject_verb_at:{subject}+{verb}+{start < 80}"]


def names_an_organisation(subject: str, language: str) -> bool:
    """A subject headed by an acronym or an organisation's name, known or not ('the NCPV',
    'le Bureau de la prévention du Québec'; not 'a focus of the Centre').

    The subject's noun phrase opens at its last determiner not governed by a preposition (or at
    its first word); its head is the last word before the next preposition."""
    links, heads, determiners = _organisation_words(language)
    words = [word.strip(",;:()") for word in _SUBJECT_WORD.findall(subject)]
    folded = [fold(word) for word in words]
    start = next((i + 1 for i in range(len(words) - 1, -1, -1)
                  if folded[i] in determiners and folded[i] not in links
                  and (i == 0 or folded[i - 1] not in links)), 0)
    end = next((i for i in range(start, len(words)) if folded[i] in links), len(words))
    if end <= start:
        return False
    # the head, or an organisation whose it is ('the Board's review')
    named = [_POSSESSIVE.sub("", word) for word in words[start:end - 1]
             if _POSSESSIVE.search(word)] + [_POSSESSIVE.sub("", words[end - 1])]
    return any(_ACRONYM.fullmatch(word) or (word[:1].isupper() and fold(word) in heads)
               or (word is named[-1] and fold(word) in heads) for word in named)


def mentions_an_organisation(text: str, language: str) -> bool:
    """An organisation's name in ``text``: a capitalised head word ('the Centre's Fund', 'du
    Comité'), what a pronoun in the next sentence may stand for."""
    _, heads, _ = _organisation_words(language)
    return any(word[:1].isupper() and fold(word) in heads
               for word in _CAPITALISED.findall(text))


_POSSESSIVE = re.compile(r"['’]s$")
_CAPITALISED = re.compile(r"(?<![\w'’-])[^\W\d_a-zà-ÿ][^\W\d_]*")
_SUBJECT_WORD = re.compile(r"\b[^\W\d_]{1,2}['’](?=[^\W\d_])|[^\s'’]\S*")


@cache
def _organisation_words(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Prepositions that end an organisation's head, its head words, and the determiners that
    open its noun phrase, folded."""
    data = load_yaml("commitments.yaml")["organisation_subjects"]
    return tuple(frozenset(fold(w) for w in data[key][language])  # type: ignore[return-value]
                 for key in ("links", "heads", "determiners"))


def _names_a_body(text: str, language: str) -> bool:
    """A country or a known organisation ('Europol', 'the RCMP') among the subject's words."""
    from communique_nlp.stages.entities import countries_in, organizations_in

    return bool(organizations_in(text, language) or countries_in(text, language))


_PAIRED = ("early:", "subject:", "rejected:", "rule", "lead_in_rule", "source=", "clause:")


def _add_pairs(found: dict[str, float]) -> None:
    """Conjunctions of the main signals ('we' early and a commitment word early; a future
    with an issuer as subject): a linear model cannot build them from the parts."""
    keys = sorted(k for k in found if k.startswith(_PAIRED))
    for i, first in enumerate(keys):
        for second in keys[i + 1:]:
            found[f"{first}&{second}"] = 1.0


def examples(document: Document, gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    """Every candidate of ``document``, labelled by whether it matches a gold commitment (one
    gold item to one candidate, as the evaluation matches them)."""
    from communique_nlp.apps.evaluate import match_items
    from communique_nlp.stages.commitments import candidates

    found = candidates(document)
    gold_texts = [_gold_text(item) for item in gold.get("commitments") or []]
    matched = {j for _, j in match_items([t for t in gold_texts if t],
                                         [c.text for c in found])}
    return [(features(candidate), POSITIVE if index in matched else NEGATIVE)
            for index, candidate in enumerate(found)]


def is_commitment(candidate: Candidate, model: LinearModel) -> bool:
    threshold = THRESHOLD if candidate.rule_cue is None else RULE_THRESHOLD
    return model.probability(features(candidate), POSITIVE) >= threshold


def _gold_text(item: Any) -> str:
    if isinstance(item, Mapping):
        return str(item.get("text") or "")
    return str(item or "")

