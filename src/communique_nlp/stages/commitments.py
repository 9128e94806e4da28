"""Stage 5, commitments: the undertakings the issuing parties make.

Two sources, as SPEC.md defines them:

- list items introduced by an undertaking ('Ministers further committed to:'), one commitment
  per item, the lead-in giving the actor and the cue;
- sentences with a commitment cue ('we agreed to', 'nous nous sommes engagés à').

Cues, issuing and third-party actors, and the findings that turn 'agreed that ...' into a
statement of need all live in ``models/commitments.yaml``; matching is spaCy's ``Matcher`` on
token norms (lemmas). Sections that are not the parties' own text (quick facts, contacts,
page chrome) are not searched; quote sections are (a report quoting the parties' joint
statement), their kind a feature of the learned model, and the rules turn quotations down.

The rules' verdict is not the last word: every candidate (each list item, and each sentence
with a cue, a future or a word of commitment) goes with what the rules saw to the learned model
of ``learn/commitment.py``, which decides; without its file, the rules decide.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique_nlp.assets import load_yaml
from communique_nlp.learn import commitment as learned
from communique_nlp.learn.commitment import Candidate
from communique_nlp.learn.store import load_model
from communique_nlp.model import Commitment, Document, Paragraph, Section
from communique_nlp.nlp import norms, pipeline, sentences, tokens
from communique_nlp.stages.entities import countries_in, organizations_in
from communique_nlp.text import UsedIds, fold, phrase_tree, stable_id

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span

SEARCHED_KINDS = ("lead", "body", "quote")
FUTURE = "future tense"  # the label of a subject followed by a verb in the future
PASSIVE = "passive future"  # 'will be reviewed', 'sera renforcée': the agent left unsaid
MAX_ACTOR_CHARS = 160
SUBJECT_WORDS = 8  # words before a future's subject searched for a clause opener
NEAR_SUBJECT_WORDS = 6  # a modal's subject: its last words name the party ('criminal groups')
# an organisation's name, its head first ('le Bureau de la prévention de la violence du Québec')
ORGANISATION_WORDS = 12
# a passive future's subject is what is acted on, however long ('all communications of
# investigative value will be encrypted'): its whole clause is searched
PASSIVE_SUBJECT_WORDS = 30
MAX_CUES_PER_SENTENCE = 20  # cues tried in one sentence: a run-on sentence stays linear
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", '"': '"'}


@dataclass(frozen=True)
class _CueInfo:
    clause: bool
    needs_actor: bool
    restates: bool
    needs_verb: bool


@dataclass(frozen=True)
class _Cues:
    matcher: Matcher
    anchors: frozenset[int]  # the norm hashes one of which every cue needs
    longest_cue: int  # the most tokens a cue's match can span
    future: re.Pattern[str] | None  # 'nous continuerons', 'le gouvernement collaborera'
    passive: re.Pattern[str] | None  # 'will be reviewed', 'seront renforcées'
    info: dict[str, _CueInfo]
    issuers: frozenset[str]
    third_parties: frozenset[str]
    findings: tuple[str, ...]
    trailing: frozenset[str]  # adverbs and auxiliaries that end the actor's text but are not it
    meeting_verbs: frozenset[str]
    introducers: frozenset[str]
    statement_objects: tuple[str, ...]  # norms of what follows a cue in a statement
    determiners: frozenset[str]  # norms that start a noun phrase ('agreed on the catch')
    obligation: re.Pattern[str]  # 'need to', 'devaient': in a clause, as good as a future
    past_marker: re.Pattern[str]  # 'last year', 'l'an dernier': a past event recounted
    proposal: re.Pattern[str]  # 'proposed', 'proposition': the futures after it describe it
    clause_openers: frozenset[str]  # 'that', 'how': a future after one is reported
    negations: frozenset[str]  # 'no', 'aucun': 'No further details will be provided'
    calls_on: re.Pattern[str]  # 'calls upon governments to': what follows is asked of others
    attributed: re.Pattern[str]  # ', the spokesperson said': someone's words reported
    agent_markers: frozenset[str]  # 'by', 'par': the doer of a passive named after it
    accompaniments: frozenset[str]  # 'joined', 'accompagné': a passive of an event's logistics
    announced: frozenset[str]  # 'details': 'More details will be released' is logistics too
    organisation_pronouns: frozenset[str]  # 'it', 'il': an organisation named just before
    language: str


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
    longest_cue = 1
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
        longest_cue = max(longest_cue, sum(2 if part is gap else 1 for part in pattern))
        label = entry["cue"]
        matcher.add(label, [pattern])
        info[label] = _CueInfo(bool(entry.get("clause")), bool(entry.get("needs_actor")),
                               bool(entry.get("restates")), bool(entry.get("needs_verb")))
    issuers = frozenset(fold(w) for w in data["issuers"][language])
    info[FUTURE] = _CueInfo(False, True, False, False)
    info[PASSIVE] = _CueInfo(False, False, False, False)
    passive = data.get("passive_future", {}).get(language)
    return _Cues(
        matcher=matcher,
        anchors=frozenset(anchors),
        longest_cue=longest_cue,
        future=_future_pattern(data.get("future", {}).get(language), issuers),
        passive=re.compile(rf"(?i)(?<![\w'’-])(?:{passive})(?![\w-])") if passive else None,
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
        determiners=frozenset(n for word in data["determiners"][language]
                              for n in norms(nlp, word)),
        obligation=_any_of(data["obligations"][language]),
        past_marker=_any_of([fold(marker) for marker in data["past_markers"][language]]),
        proposal=_any_of(data["proposals"][language]),
        clause_openers=frozenset(fold(w) for w in data["clause_openers"][language]),
        negations=frozenset(fold(w) for w in data["negations"][language]),
        calls_on=_any_of([fold(call) for call in data["calls_on"][language]]),
        attributed=re.compile(r"(?i),\s*(?:[\w'’-]+\s+){0,3}(?:"
                              + "|".join(re.escape(fold(verb))
                                         for verb in data["attributions"][language])
                              + r")\b"),
        agent_markers=frozenset(fold(w) for w in data["agent_markers"][language]),
        accompaniments=frozenset(fold(w) for w in data["accompaniments"][language]),
        announced=frozenset(fold(w) for w in data["announced"][language]),
        organisation_pronouns=frozenset(
            fold(w) for w in data["organisation_subjects"]["pronouns"][language]),
        language=language,
    )


def _any_of(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?i)\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def _future_pattern(future: dict[str, Any] | None,
                    issuers: frozenset[str]) -> re.Pattern[str] | None:
    """A subject and a verb in the future tense, found in the text itself: a regular
    expression is far cheaper here than a token pattern testing every word's ending."""
    if not future:
        return None
    # the subjects share their beginnings ('gouvernement', 'gouvernements'): tried as a tree,
    # the longest first, since most positions of a text start none of them
    subjects = sorted(set(future.get("subjects") or []) | issuers)
    alternatives = "|".join([*([phrase_tree(subjects)] if subjects else []),
                             *([future["name"]] if future.get("name") else [])])
    impersonal = "|".join(map(re.escape, future.get("impersonal") or [])) or "(?!)"
    # the verb in lower case: a first name and a surname ('Anne Dumira') are no subject and verb
    return re.compile(rf"(?i)(?<![\w'’-])(?:{alternatives})\s+(?!(?:{impersonal})\b)"
                      rf"(?-i:(?=[a-zà-ÿ]))[^\W\d_]+?(?:{future['endings']})(?![\w-])")


def _future_matches(doc: Doc, text: str, cues: _Cues) -> list[Span]:
    """The futures of ``text``, as spans of ``doc`` (its tokens; ``doc.text`` would rebuild
    the string from them at each call)."""
    found = [(m, FUTURE) for m in cues.future.finditer(text)] if cues.future else []
    if cues.passive:
        found += [(m, PASSIVE) for m in cues.passive.finditer(text)]
    spans = (doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
             for m, label in found)
    return [span for span in spans if span is not None]


def find_commitments(document: Document, model_dir: Path | None = None) -> Document:
    """Each candidate the learned model keeps (or, without a model file, the rules' verdict)."""
    model = load_model(learned.MODEL, model_dir)
    commitments: list[Commitment] = []
    used: set[str] = UsedIds()
    for candidate in candidates(document):
        if model is None:
            if candidate.rule_cue is None:
                continue
        elif not learned.is_commitment(candidate, model):
            continue
        commitments.append(Commitment(
            id=stable_id("c", candidate.text, used), section=candidate.section_id,
            text=candidate.text, source=candidate.source, actor=candidate.rule_actor,
            cue=candidate.rule_cue or candidate.cue_text or "",
        ))
    return replace(document, commitments=tuple(commitments))


def candidates(document: Document) -> list[Candidate]:
    """Every sentence and list item of the sections searched, with what the rules saw."""
    default = document.language.language if document.language else "en"
    found: list[Candidate] = []
    for section in document.sections:
        if section.kind not in SEARCHED_KINDS:
            continue
        language = section.language if section.language in ("en", "fr") else default
        language = language if language in ("en", "fr") else "en"
        found.extend(_section_candidates(section, language))
    return found


def _section_candidates(section: Section, language: str) -> list[Candidate]:
    found: list[Candidate] = []
    lead_ins: dict[str, _Seen | None] = {}
    paragraphs = section.paragraphs
    for index, paragraph in enumerate(paragraphs):
        introduces_list = (paragraph.text.rstrip().endswith(":") and index + 1 < len(paragraphs)
                           and paragraphs[index + 1].is_bullet)
        if paragraph.is_bullet and introduces_list:
            continue  # a lead-in, counted through its items
        if paragraph.language in ("en", "fr"):
            language = paragraph.language
        common = {"language": language, "section_id": section.id, "section_kind": section.kind,
                  "heading": section.heading or "", "paragraph_index": index}
        if paragraph.is_bullet:
            lead_in = _lead_in(paragraph, lead_ins, language)
            # an item of a committing list is not read on its own: the lead-in decides
            committed = lead_in is not None and lead_in.found is not None
            seen = [] if committed else _sentences_seen(paragraph.text, language)
            if lead_in is None and len(seen) > 1 and not _one_item(seen):
                # numbered paragraphs of several sentences: each sentence on its own
                found.extend(_candidate(sentence.text, "bullet", number, sentence,
                                        sentence.found, common)
                             for number, sentence in enumerate(seen))
                continue
            own = seen[0] if seen else _Seen(paragraph.text, None, (), None, (), frozenset(),
                                             (), ())
            rule = (lead_in.found if lead_in is not None and committed
                    else next((s.found for s in seen if s.found is not None), None))
            found.append(_candidate(strip_dateline(paragraph.text), "bullet", 0, own, rule,
                                    common, lead_in=lead_in))
            continue
        seen = _sentences_seen(paragraph.text, language, skip_last=introduces_list)
        for number, sentence in enumerate(seen):
            if not sentence.cues and not learned.may_commit(sentence.text, language):
                continue  # neither a cue nor a future nor a word of commitment
            text = strip_dateline(sentence.text) if index == 0 and number == 0 else sentence.text
            text = _LETTER_SPACED.sub("", text)
            found.append(_candidate(text, "sentence", number, sentence, sentence.found, common))
    return found


def _one_item(seen: list[_Seen]) -> bool:
    """A list item of two sentences whose first commits nothing of itself ('Reinforce the joint
    operations. We will also extend their area'): the second explains the first, and the item
    is one candidate; one whose sentences each carry a cue gives one candidate per sentence."""
    return len(seen) == 2 and not seen[0].cues


def _candidate(text: str, source: str, number: int, seen: _Seen, rule: _Found | None,
               common: dict[str, Any], lead_in: _Seen | None = None) -> Candidate:
    return Candidate(
        text=text, source=source, sentence_index=number,
        rule_actor=rule.actor if rule else None, rule_cue=rule.cue if rule else None,
        cues=seen.cues, cue_text=seen.cue_text, rejections=seen.rejections,
        subject=seen.subject, before_cue=seen.before_cue, after_cue=seen.after_cue,
        lead_in=lead_in.text if lead_in else None,
        lead_in_cues=lead_in.cues if lead_in else (),
        lead_in_rule=bool(lead_in and lead_in.found), **common,
    )


def strip_dateline(text: str) -> str:
    """'KANANASKIS, AB, June 17, 2025 /CNW/ - We, the Leaders' -> 'We, the Leaders'."""
    match = _DATELINE.match(text)
    return text[match.end():] if match and match.end() < len(text) else text


# a letter-spaced heading a PDF glued to the sentence ('E x t r e m i s m , ... We are')
_LETTER_SPACED = re.compile(r"^(?:\S ){8,}(?=\S{2})")
_DATELINE = re.compile(r"[A-ZÀ-Ý]{2}[A-ZÀ-Ý .'’-]*(?:,|\s\()[^–—\n]{0,80}?\s[–—-]{1,2}\s+")


@dataclass(frozen=True)
class _Seen:
    """A sentence and what the rules saw in it."""

    text: str
    found: _Found | None
    cues: tuple[str, ...]
    cue_text: str | None
    rejections: tuple[str, ...]
    subject: frozenset[str]
    before_cue: tuple[str, ...]
    after_cue: tuple[str, ...]


def _lead_in(item: Paragraph, cache: dict[str, _Seen | None], language: str) -> _Seen | None:
    """The sentence that introduces ``item``'s list, and what the rules saw in it."""
    if not item.lead_in:
        return None
    if item.lead_in not in cache:
        found = _sentences_seen(item.lead_in, language, only_last=True)
        cache[item.lead_in] = found[0] if found else None
    return cache[item.lead_in]


def _sentences_seen(text: str, language: str, skip_last: bool = False,
                    only_last: bool = False) -> list[_Seen]:
    """Each sentence of ``text``, its cues and the rules' verdict on them."""
    cues = _cues(language)
    doc = tokens(language, text)
    matches = _future_matches(doc, text, cues)
    norms = doc.to_array("NORM").tolist()
    if not cues.anchors.isdisjoint(norms):  # cheap, before the matcher
        matches += _cue_matches(doc, norms, cues)
    if not matches and not learned.may_commit(text, language):
        return []  # no sentence here can be an undertaking: not even split
    quoted = _Quoted(_quoted_spans(text) if matches else [])
    found = sentences(language, text)
    previous = {sentence.start: text[before.start_char:before.end_char]
                for before, sentence in pairwise(found)}
    proposal = cues.proposal.search(text) if matches else None
    proposed_by = proposal.end() if proposal else len(text) + 1  # where a proposal was made
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
        rejections: list[str] = []
        undertaking = _undertaking(sentence, inside, cues, quoted, rejections,
                                   previous.get(sentence.start, ""),
                                   proposed_by <= sentence.start_char)
        first = min(inside, key=lambda s: (s.start, -len(s))) if inside else None
        subject: frozenset[str] = frozenset()
        before: tuple[str, ...] = ()
        after: tuple[str, ...] = ()
        if first is not None:
            words, _ = _subject(sentence, first.start, cues)
            subject = frozenset(name for name, group in (("issuer", cues.issuers),
                                                         ("third_party", cues.third_parties))
                                if words & group)
            before = tuple(t.norm_ for t in sentence.doc[max(sentence.start, first.start - 2):
                                                          first.start] if t.is_alpha)
            after = tuple(t.norm_ for t in sentence.doc[first.end:min(sentence.end,
                                                                      first.end + 2)]
                          if t.is_alpha)
        result.append(_Seen(
            # the characters of the sentence: Span.text would walk its tokens again
            text=text[sentence.start_char:sentence.end_char].strip(), found=undertaking,
            cues=tuple(sorted({m.label_ for m in inside})),
            cue_text=first.text if first is not None else None,
            rejections=tuple(sorted(set(rejections))), subject=subject,
            before_cue=before, after_cue=after,
        ))
    return [seen for seen in result if seen.text]


def _cue_matches(doc: Doc, norms: list[int], cues: _Cues) -> list[Span]:
    """The cue matcher, run only around the words one of which every cue needs: a cue spans
    at most ``cues.longest_cue`` tokens, so none can be found elsewhere in the paragraph (the
    matcher over whole paragraphs was 5 % of the parse time)."""
    reach = cues.longest_cue
    stretches: list[list[int]] = []  # [start, end) token ranges, in order, not overlapping
    for index in (i for i, norm in enumerate(norms) if norm in cues.anchors):
        start, end = max(0, index - reach + 1), min(len(norms), index + reach)
        if stretches and start <= stretches[-1][1]:
            stretches[-1][1] = end
        else:
            stretches.append([start, end])
    return [match for start, end in stretches
            for match in cues.matcher(doc[start:end], as_spans=True)]


def _undertaking(sentence: Span, matches: list[Span], cues: _Cues, quoted: _Quoted,
                 rejections: list[str], antecedent: str = "",
                 after_proposal: bool = False) -> _Found | None:
    """The first valid commitment cue among ``matches`` in ``sentence``, with its actor; why
    the others were turned down goes to ``rejections``. ``antecedent`` is the sentence before,
    which a pronoun subject may stand for ('... opened the Prevention Centre. It will train');
    ``after_proposal`` says a proposal is made earlier in the paragraph."""
    if not matches:
        return None
    if sentence.start_char in quoted:
        rejections.append("quoted")
        return None
    ordered = sorted(matches, key=lambda s: (s.start, -len(s)))
    refused_until = -1  # the end of a passive future turned down: the 'will' in it goes too
    for match in ordered[:MAX_CUES_PER_SENTENCE]:
        if match.start < refused_until:
            continue
        if match.label_ == PASSIVE:
            refused_until = match.end  # until it is accepted, below
        if match.start_char in quoted:
            rejections.append("quoted")
            continue
        info = cues.info[match.label_]
        before = fold(sentence.doc[sentence.start:match.start].text)
        if cues.past_marker.search(before):
            rejections.append("past_event")
            continue  # 'When we met last year, we resolved to'
        if _participle(sentence, match):
            rejections.append("participle")
            continue  # 'hackers intending to do harm', 'thank you for agreeing to'
        if cues.calls_on.search(re.split(r"[;:]", before)[-1]):
            rejections.append("call_on")
            continue  # 'calls upon governments to acknowledge and commit to': theirs to make
        if after_proposal and (info.needs_actor or match.label_ == PASSIVE):
            rejections.append("proposal")
            continue  # 'The Commission proposed a new agency. The agency will be based in'
        searched = PASSIVE_SUBJECT_WORDS if match.label_ == PASSIVE else SUBJECT_WORDS
        if (info.needs_actor or match.label_ == PASSIVE) and _in_subordinate_clause(
                before, cues, searched):
            rejections.append("subordinate")
            continue  # 'The vision is that the UK will continue', 'set out how the UK will'
        if not info.restates and _purpose_of_meeting(sentence.doc[sentence.start:match.start].text,
                                                     cues):
            rejections.append("meeting_purpose")
            continue  # 'met in Halifax to review threats and agree on priorities'
        # a cue that starts with its subject ('nous continuerons', 'Le Royaume-Uni
        # accueillera') carries it: all but its verb for a future, else its first word
        if match.label_ == FUTURE:
            end = match.end - 1
        else:
            end = match.start + 1 if match[0].norm_ in cues.issuers else match.start
        subject, actor = _subject(sentence, end, cues)
        head = fold(actor.split()[-1]) if actor else ""
        if subject & cues.third_parties and (head in cues.third_parties
                                             or not subject & cues.issuers):
            rejections.append("third_party")
            continue  # a third party's undertaking ('the internet companies committed to', 'a
            # hosting service provider will')
        subject_words = _subject_words(sentence, end)  # split once, read three ways below
        if info.needs_actor and not (_subject_names_party(subject_words, cues)
                                     or _stands_for_organisation(subject_words, antecedent,
                                                                 cues)):
            rejections.append("no_party")
            continue
        rest = sentence.doc[match.end:sentence.end]
        if cues.attributed.search(fold(rest.text)):
            rejections.append("reported")
            continue  # '... seront déférés devant la justice, note le ministère'
        if _closes_quote(sentence.doc[match.start:sentence.end].text):
            rejections.append("quoted")
            continue  # '... will be announced on the website," Europol said'
        if match.label_ == PASSIVE:
            reason = _passive_rejection(" ".join(subject_words[-NEAR_SUBJECT_WORDS:]), match,
                                        rest, cues)
            if reason:
                rejections.append(reason)
                continue
        if " ".join(t.norm_ for t in rest[:3]).startswith(cues.statement_objects):
            rejections.append("statement")
            continue  # 'agreed on the importance of': a statement
        if (info.needs_verb and len(rest) and rest[0].norm_ in cues.determiners
                and not sentence.text.rstrip().endswith(":")):
            rejections.append("noun_object")
            continue  # 'agreed on the maximum catch': a decision recorded
        if info.clause and (any(finding in fold(rest.text) for finding in cues.findings)
                            or not (learned.has_future(rest.text, cues.language)
                                    or cues.obligation.search(rest.text))):
            rejections.append("finding")
            continue  # 'agreed that more must be done', 'agree that the priority is ...'
        return _Found(actor=actor, cue=match.text)
    return None


def _participle(sentence: Span, match: Span) -> bool:
    """An English cue that opens with a participle outside a progressive ('criminals intending
    to', 'for agreeing to'; not 'we are committing to'): no finite undertaking."""
    first = match[0]
    return first.lower_.endswith("ing") and not (first.i > sentence.start
                                                 and first.nbor(-1).norm_ == "be")


def _closes_quote(text: str) -> bool:
    """A closing quotation mark before any opening one: the sentence ends a quotation."""
    marks = [char for char in text if char in "«»“”"]
    return bool(marks) and marks[0] in "»”"


def _passive_rejection(subject: str, passive: Span, rest: Span, cues: _Cues) -> str | None:
    """Why a passive future is no undertaking of the parties: a negated subject ('No further
    details will be provided'), an event's logistics ('will be joined by his counterparts',
    'More details will be released'), or a doer named after it that is not a party ('will be
    assisted by volunteers')."""
    words = set(re.findall(r"[\w'’]+", fold(subject)))
    if words & cues.negations:
        return "negated"
    if fold(passive[-1].text) in cues.accompaniments or words & cues.announced:
        return "logistics"
    if len(rest) and rest[0].norm_ in cues.agent_markers:
        agent = re.split(r"[,;:]", rest[1:].text)[0]
        if not _names_party(agent, cues):
            return "third_party"
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


def _in_subordinate_clause(before: str, cues: _Cues, words_back: int = SUBJECT_WORDS) -> bool:
    """A clause opener among the last words before a modal's subject, after any comma."""
    clause = re.split(r"[,;:]", before.replace("’", "'"))[-1]
    words = re.findall(r"[\w-]+'?", clause)[-words_back:]
    return any(word in cues.clause_openers for word in words)


def _purpose_of_meeting(before: str, cues: _Cues) -> bool:
    words = fold(before).split()
    met = next((i for i, w in enumerate(words) if w in cues.meeting_verbs), None)
    return met is not None and bool(set(words[met:]) & {"to", "pour", "afin"})


def _opening_phrase(segment: str, cues: _Cues) -> bool:
    words = fold(segment).replace("'", "' ").split()
    return segment.rstrip().endswith(",") and bool(words) and words[0] in cues.introducers


def _subject_names_party(subject_words: list[str], cues: _Cues) -> bool:
    """The subject (``_subject_words``) names a party: a party among its last words, or an
    organisation, known or not, heading its clause ('the NCPV', 'le Bureau de la prévention du
    Québec'): in the parties' text, one of theirs."""
    return (_names_party(" ".join(subject_words[-NEAR_SUBJECT_WORDS:]), cues)
            or learned.names_an_organisation(" ".join(subject_words[-ORGANISATION_WORDS:]),
                                             cues.language))


def _stands_for_organisation(subject_words: list[str], antecedent: str, cues: _Cues) -> bool:
    """A pronoun subject ('it', 'il') after a sentence that names an organisation: the
    organisation acts ('... a inauguré le Centre de prévention. Il formera les intervenants')."""
    subject = fold(" ".join(subject_words[-1:]))
    return (subject in cues.organisation_pronouns
            and learned.mentions_an_organisation(antecedent, cues.language))


def _subject_words(sentence: Span, end: int) -> list[str]:
    """The words of the clause that runs up to ``end``, a modal's ('... have shown that
    criminal groups will'): its subject is among the last of them, not a party named earlier
    in the sentence."""
    clause = re.split(r",|;|\b(?:that|which|who|que|qui|when|where|lorsque|quand)\b",
                      sentence.doc[sentence.start:end].text, flags=re.IGNORECASE)[-1]
    return clause.split()


def _names_party(subject: str, cues: _Cues) -> bool:
    """An issuing party: 'we', 'the Government', 'Ministers', or a country or a known body that
    heads the subject ('Ireland will', 'Europol will'; not 'every force in England and Wales
    will')."""
    head = " ".join(subject.split()[:3])
    return (bool(set(fold(subject).split()) & cues.issuers) or bool(countries_in(head, ""))
            or bool(organizations_in(head, cues.language)))


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
