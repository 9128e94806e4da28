"""The spaCy pipelines: one blank, rule-based pipeline per language, built once per process.

No statistical model is needed. Each pipeline is a tokenizer (spaCy's rules, plus French
elisions and the abbreviations listed in ``models/abbreviations.yaml``) and spaCy's
``sentencizer``. Inflection is handled at the lexeme level: the lemma tables under
``models/lemmas/`` (built from spacy-lookups-data by ``models/build_lemmas.py``) are installed
as the vocabulary's ``lexeme_norm`` table, so ``token.norm_`` is the lowercased lemma and every
matcher built here matches on ``NORM``: 'engagées', 'engagés' and 'engager' all meet.

The French pipeline deliberately does not use ``spacy.blank("fr")``: importing
``spacy.lang.fr`` compiles a very large tokenizer-exception pattern (about 3.5 s), longer than
the whole parse of a release. Hyphenated compounds are split by the generic infix rules in
both languages, so lexicon phrases and documents are tokenised the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from communique_nlp.assets import load_yaml, model_path

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

LANGUAGES = ("en", "fr")
ELISION_PREFIXES = "c d j l m n qu s t jusqu lorsqu puisqu quoiqu presqu"


@cache
def pipeline(language: str) -> Language:
    """The shared pipeline for ``language`` ('en' or 'fr'; anything else gets English rules)."""
    language = language if language in LANGUAGES else "en"
    nlp = _french() if language == "fr" else _english()
    _add_abbreviations(nlp, language)
    _install_lemma_norms(nlp, language)
    nlp.add_pipe("sentencizer")
    return nlp


def _english() -> Language:
    import spacy
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("en")
    tokenizer: Tokenizer = nlp.tokenizer
    # French names in English text ('talks with l'Australie') split as they do in French
    prefixes = [*(nlp.Defaults.prefixes or ()), _elision_prefix()]
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    return nlp


def _elision_prefix() -> str:
    from spacy.lang.char_classes import ALPHA

    elisions = "|".join(ELISION_PREFIXES.split())
    return rf"(?i:(?:{elisions})['’])(?=[{ALPHA}])"


def _french() -> Language:
    from spacy.lang.char_classes import ALPHA
    from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS
    from spacy.language import BaseDefaults, Language

    elision_prefix = _elision_prefix()

    class FrenchLiteDefaults(BaseDefaults):
        tokenizer_exceptions = BASE_EXCEPTIONS
        prefixes = (*TOKENIZER_PREFIXES, elision_prefix)
        suffixes = TOKENIZER_SUFFIXES
        infixes = (*TOKENIZER_INFIXES, rf"(?<=[{ALPHA}]['’])(?=[{ALPHA}])")

    class FrenchLite(Language):  # type: ignore[no-untyped-call]  # spaCy's __init_subclass__
        lang = "fr"
        Defaults = FrenchLiteDefaults

    return FrenchLite()


def _add_abbreviations(nlp: Language, language: str) -> None:
    """Keep 'M.', 'nov.', 'Dec.' and the like as one token so no sentence ends there."""
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    tokenizer: Tokenizer = nlp.tokenizer
    for abbreviation in load_yaml("abbreviations.yaml").get(language, []):
        for form in sorted({abbreviation, abbreviation[:1].upper() + abbreviation[1:]}):
            tokenizer.add_special_case(form, [{ORTH: form}])


def _install_lemma_norms(nlp: Language, language: str) -> None:
    from spacy.lookups import Lookups

    path = model_path("lemmas", f"{language}.json")
    table: dict[str, str] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    lookups = Lookups()
    lookups.add_table("lexeme_norm", table)
    nlp.vocab.lookups = lookups
    for lexeme in nlp.vocab:  # words the tokenizer's exceptions already created
        if lexeme.orth_ in table:
            lexeme.norm_ = table[lexeme.orth_]


@lru_cache(maxsize=8192)
def tokens(language: str, text: str) -> Doc:
    """``text`` tokenised and split into sentences, once: commitments, themes and entities all
    read the same paragraphs. Callers must not modify the returned ``Doc``."""
    return pipeline(language)(text)


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
