"""The spaCy pipelines: one blank, rule-based pipeline per language, built once per process.

No statistical model is needed. Each pipeline is a tokenizer (spaCy's rules, plus French
elisions and the abbreviations listed in ``models/abbreviations.yaml``) and spaCy's
``sentencizer``. Inflection is handled at the lexeme level: the lemma tables under
``models/lemmas/`` (built from spacy-lookups-data by ``models/build_lemmas.py``) are installed
as the vocabulary's ``lexeme_norm`` table, so ``token.norm_`` is the lowercased lemma and every
matcher built here matches on ``NORM``: 'engagées', 'engagés' and 'engager' all meet.

Neither pipeline uses ``spacy.blank``: importing ``spacy.lang.fr`` compiles a very large
tokenizer-exception pattern (about 3.5 s, longer than the whole parse of a release), and
``spacy.lang.en`` adds some 2,700 contraction exceptions. Hyphenated compounds are split by the
generic infix rules in both languages, so lexicon phrases and documents are tokenised the same
way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Any

from communique_nlp.assets import load_yaml, model_path

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span

LANGUAGES = ("en", "fr")
ELISION_PREFIXES = "c d j l m n qu s t jusqu lorsqu puisqu quoiqu presqu"


@cache
def pipeline(language: str) -> Language:
    """The shared pipeline for ``language`` ('en' or 'fr'; anything else gets English rules)."""
    language = language if language in LANGUAGES else "en"
    nlp = _rule_based(language)
    _add_abbreviations(nlp, language)
    _keep_read_attributes(nlp)
    _install_lemma_norms(nlp, language)
    nlp.add_pipe("sentencizer")
    # spaCy's 1,000,000-character limit guards the memory of parsers and NER, which these
    # pipelines do not have; a long paragraph is refused by --max-bytes, not here
    nlp.max_length = 2**62
    return nlp


def _rule_based(language: str) -> Language:
    """A blank pipeline with spaCy's generic tokenizer rules, plus elisions ('l'Australie')
    split in both languages, since French names turn up in English text too. spaCy's own
    language data is left out: its exception tables (contractions, 'aujourd'hui'-style
    compounds) cost more start-up time than they are worth for communiqués."""
    from spacy.lang.char_classes import ALPHA
    from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS
    from spacy.language import BaseDefaults, Language

    elisions = "|".join(ELISION_PREFIXES.split())
    elision = rf"(?<=[{ALPHA}]['’])(?=[{ALPHA}])"

    class RuleDefaults(BaseDefaults):
        tokenizer_exceptions = BASE_EXCEPTIONS
        prefixes = (*TOKENIZER_PREFIXES, rf"(?i:(?:{elisions})['’])(?=[{ALPHA}])")
        suffixes = TOKENIZER_SUFFIXES
        infixes = (*TOKENIZER_INFIXES, elision) if language == "fr" else TOKENIZER_INFIXES

    class RuleBased(Language):  # type: ignore[no-untyped-call]  # spaCy's __init_subclass__
        lang = language
        Defaults = RuleDefaults

    return RuleBased()


def _keep_read_attributes(nlp: Language) -> None:
    """Each word the vocabulary has not met gets every lexical attribute spaCy knows (shape,
    prefix, URL- or number-likeness, ...): over a stream of new releases that was a tenth of
    the parse time. Only the attributes the stages, the matchers and the sentencizer read are
    kept."""
    from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LOWER, NORM

    vocab: Any = nlp.vocab  # spaCy's stub of Vocab lacks its lex_attr_getters
    getters = vocab.lex_attr_getters
    for attribute in set(getters) - {IS_ALPHA, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LOWER, NORM}:
        del getters[attribute]


def _add_abbreviations(nlp: Language, language: str) -> None:
    """Keep 'M.', 'nov.', 'Dec.' and the like as one token so no sentence ends there."""
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    tokenizer: Tokenizer = nlp.tokenizer
    for abbreviation in load_yaml("abbreviations.yaml").get(language, []):
        for form in sorted({abbreviation, abbreviation[:1].upper() + abbreviation[1:]}):
            tokenizer.add_special_case(form, [{ORTH: form}])


def _install_lemma_norms(nlp: Language, language: str) -> None:
    """Each word's NORM is its lemma (models/lemmas/LANG.json), else its lower case. The table
    is handed to the vocabulary's NORM getter as a plain dict, as spaCy's own lookups wrapper
    would do, without building a lookups Table (23,000 French forms cost 50 ms at start-up
    that way)."""
    from spacy import util
    from spacy.attrs import NORM

    path = model_path("lemmas", f"{language}.json")
    table: dict[str, str] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    vocab: Any = nlp.vocab  # spaCy's stub of Vocab lacks its lex_attr_getters
    getters = vocab.lex_attr_getters
    getters[NORM] = util.add_lookups(getters.get(NORM, str.lower), table)
    for lexeme in nlp.vocab:  # words the tokenizer's exceptions already created
        if lexeme.orth_ in table:
            lexeme.norm_ = table[lexeme.orth_]


@lru_cache(maxsize=2048)  # a document's paragraphs, several times over; bounded memory
def tokens(language: str, text: str) -> Doc:
    """``text`` tokenised, once: commitments and themes read the same paragraphs. Callers
    must not modify the returned ``Doc``."""
    return make_doc(pipeline(language), text)


LONG_RUN = 100  # characters without a space: longer than any word or web address in a release
RUN_PIECE = 50
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN},}}")


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, in time linear in the length of ``text``.

    spaCy's tokenizer strips a run's prefixes and suffixes one at a time, copying the rest of
    the run each time: quadratic in the length of a run without spaces made of punctuation
    or elisions (a line of quotation marks, "l'l'l'..."). A run longer than ``LONG_RUN``
    characters is tokenised in pieces of ``RUN_PIECE`` and the pieces joined back: the same
    text, character for character."""
    if len(text) < LONG_RUN or not _LONG_RUN.search(text):
        return nlp.make_doc(text)
    from spacy.tokens import Doc

    parts: list[str] = []
    position = 0
    for match in _LONG_RUN.finditer(text):
        if match.start() > position:
            parts.append(text[position:match.start()])
        parts.extend(text[start:min(start + RUN_PIECE, match.end())]
                     for start in range(match.start(), match.end(), RUN_PIECE))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    pieces = [token for part in parts for token in nlp.make_doc(part)]
    return Doc(nlp.vocab, words=[token.text for token in pieces],
               spaces=[bool(token.whitespace_) for token in pieces])


def sentences(language: str, text: str) -> list[Span]:
    """The sentences of ``text`` (spaCy's sentencizer, run on the shared tokens)."""
    doc = tokens(language, text)
    if not doc.has_annotation("SENT_START"):
        pipeline(language).get_pipe("sentencizer")(doc)
    return list(doc.sents)


class Gazetteer:
    """Names found by the exact text between word boundaries: longest match first, no overlaps.

    A dictionary lookup, instead of a ``PhraseMatcher`` whose thousands of patterns would each
    have to be tokenised at start-up. Words are runs of letters and digits, and single
    punctuation marks, so 'l’Australie', 'États-Unis' and 'U.S.' are found as written.
    ``casefold`` says how names compare (exactly for country names, casefolded for
    organisations).
    """

    MAX_WORDS = 12

    def __init__(self, entries: Iterable[tuple[str, str]],
                 casefold: bool = False) -> None:
        self.casefold = casefold
        fold = str.casefold if casefold else str
        self.labels: dict[str, str] = {}
        # the first word of each name, and the most words a name that starts so has: the
        # lookups tried at a word are only those lengths ('the' starts no name of 12 words)
        self.first_words: dict[str, int] = {}
        # the words that follow a first word in a name, or None when the first word is a
        # name by itself: 'the', 'un', 'en' start names, and a name is looked for there only
        # when the next word is 'Taliban', 'security', 'français'
        self.followers: dict[str, set[str] | None] = {}
        for label, name in entries:
            for spelling in {name, name.replace("'", "’")}:
                self.labels.setdefault(fold(spelling), label)
                words = WORD.findall(fold(spelling))
                self.first_words[words[0]] = max(len(words), self.first_words.get(words[0], 0))
                followers = self.followers.setdefault(words[0], set())
                if len(words) == 1:
                    self.followers[words[0]] = None
                elif followers is not None:
                    followers.add(words[1])

    def find(self, text: str) -> list[str]:
        """The labels of the names in ``text``, in order."""
        return [label for label, _, _ in self.spans(text)]

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """``(label, start, end)`` character offsets of each name in ``text``, in order."""
        found: list[tuple[str, int, int]] = []
        first_words, labels = self.first_words, self.labels
        fold = str.casefold if self.casefold else str
        folded = casefolded_words(text) if self.casefold else words_of(text)
        if first_words.keys().isdisjoint(folded):
            return found  # most texts name nothing: one set test, not a loop over the words
        followers, count = self.followers, len(folded)
        starts = [i for i in compress(range(count), map(first_words.__contains__, folded))
                  if (after := followers[folded[i]]) is None
                  or (i + 1 < count and folded[i + 1] in after)]
        if not starts:
            return found  # 'the', 'en' and no name they start: the offsets are not needed
        words = word_spans(text)
        covered = 0  # words before this index belong to a name already found
        for index in starts:
            if index < covered:
                continue
            start = words[index][0]
            longest = min(first_words[folded[index]], self.MAX_WORDS)
            for end in range(min(len(words), index + longest), index, -1):
                label = labels.get(fold(text[start:words[end - 1][1]]))
                if label is not None:
                    found.append((label, start, words[end - 1][1]))
                    covered = end
                    break
        return found


WORD = re.compile(r"\w+|[^\w\s]")


@lru_cache(maxsize=1024)
def words_of(text: str) -> tuple[str, ...]:
    """The words of ``text``, shared by the gazetteers that look at the same paragraph."""
    return tuple(WORD.findall(text))


@lru_cache(maxsize=1024)
def casefolded_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` casefolded, for the gazetteers that compare names so."""
    return tuple(map(str.casefold, words_of(text)))


@lru_cache(maxsize=1024)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where the words of ``text`` start and end: read only when a name may be there."""
    return tuple([match.span() for match in WORD.finditer(text)])


def norms(nlp: Language, text: str) -> tuple[str, ...]:
    """The norm (lowercased lemma) of each token of ``text``: how lexicon entries are keyed."""
    return tuple(token.norm_ for token in nlp.make_doc(text))


def pattern(nlp: Language, phrase: str) -> Doc:
    """``phrase`` tokenised as documents are. A plain word skips the tokenizer: building the
    gazetteers' thousands of patterns is then a small part of start-up."""
    from spacy.tokens import Doc

    if phrase.isalpha() and phrase.lower() not in _SPLIT_WORDS:
        return Doc(nlp.vocab, words=[phrase])
    return nlp.make_doc(phrase)


_SPLIT_WORDS = {"cannot", "gonna", "gotta", "wanna"}  # English words the tokenizer splits


def phrase_matcher(nlp: Language, phrases: Iterable[tuple[str, str]],
                   attr: str = "NORM") -> PhraseMatcher:
    """A matcher on token norms (or ``attr``) for ``(label, phrase)`` pairs."""
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    by_label: dict[str, list[Doc]] = {}
    for label, phrase in phrases:
        by_label.setdefault(label, []).append(pattern(nlp, phrase))
    for label, docs in sorted(by_label.items()):
        matcher.add(label, docs)
    return matcher
