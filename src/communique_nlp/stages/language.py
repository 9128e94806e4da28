"""Stage 3, language: English or French, per block and for the whole document.

langdetect's profiles for just English and French are loaded (the product reads only these
two; loading all 55 profiles is slower and lets short French text drift to Catalan or
Romanian). The detector is seeded, so the same text always gets the same answer. Text with
too few letters to judge is ``und``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from communique_nlp.assets import load_yaml
from communique_nlp.model import Block, Document, LanguageProfile

LANGUAGES = ("en", "fr")
MIN_LETTERS = 20  # below this a block is 'und': too short to judge
SAMPLE_CHARS = 160  # between two languages, a few sentences decide as well as a page
TRIALS = 2  # langdetect's default 7 random trials are for choosing among 55 languages
RUN_CHARS = 1500  # short blocks are judged together, by runs of about this many characters
SEED = 0
CLEAR_FUNCTION_WORDS = 4  # this many of one language's function words, none of the other's
# MIN_LETTERS letters, anything between them: one match tells whether a text has enough
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{MIN_LETTERS}}}")
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _factory() -> Any:
    from pathlib import Path

    import langdetect
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    profiles = Path(langdetect.__file__).parent / "profiles"
    factory.load_json_profile([
        (profiles / code).read_text("utf-8") for code in LANGUAGES
    ])
    factory.set_seed(SEED)
    return factory


@lru_cache(maxsize=1024)  # the segmenter asks again about the sections of its two passes
def detect(text: str) -> str:
    """The language of ``text``: the one whose function words it uses, when it uses at least
    ``CLEAR_FUNCTION_WORDS`` of them and none of the other's (two thirds of the texts, and
    on every train, dev and corpus document the detector's answer); else the detector's (seeded
    afresh for each text, so an answer remembered is the answer it would give again)."""
    if not _ENOUGH_LETTERS.match(text, 0, SAMPLE_CHARS * 2):
        return "und"
    counts = _function_word_counts(text)
    clear = [lang for lang, count in counts.items() if count >= CLEAR_FUNCTION_WORDS
             and not any(counts[other] for other in LANGUAGES if other != lang)]
    if clear:
        return clear[0]
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.n_trial = TRIALS
    detector.append(text[:SAMPLE_CHARS])
    try:
        return str(detector.get_probabilities()[0].lang)
    except (LangDetectException, IndexError):
        return "und"


def detect_language(document: Document) -> Document:
    """Tag every block with its language and summarise the shares of the document.

    Consecutive short blocks are judged together, as one run of about ``RUN_CHARS``
    characters sampled evenly; where two neighbouring runs disagree, or a run's first or last
    block does not agree with it (the switch in a file holding both versions), each of its
    blocks is judged alone: the same answers in a fraction of the calls.
    """
    runs = _runs(document.blocks)
    verdicts = [detect(" ".join(b.text[: SAMPLE_CHARS // len(run)] for b in run))
                for run in runs]
    languages: list[str] = []
    for index, run in enumerate(runs):
        neighbours = {verdicts[i] for i in (index - 1, index + 1) if 0 <= i < len(runs)}
        if len(run) > 1 and (neighbours - {verdicts[index], "und"}
                             or _ends_differ(run, verdicts[index])):
            languages.extend(detect(block.text) for block in run)
        else:
            languages.extend(verdicts[index] if _judged(b) else "und" for b in run)
    blocks = tuple(replace(b, language=lang) for b, lang in zip(document.blocks, languages,
                                                                  strict=True))
    return replace(document, blocks=blocks, language=profile(blocks))


def _ends_differ(run: list[Block], verdict: str) -> bool:
    """Does the run start or end in another language (both versions in one short file)?

    Only an end whose function words lean the other way is put to the detector.
    """
    ends = [b for b in (run[0], run[-1]) if _judged(b) and _leans_away(b.text, verdict)]
    return any(detect(b.text) not in (verdict, "und") for b in ends)


def _leans_away(text: str, verdict: str) -> bool:
    """More function words of the other language than of ``verdict`` ('the', 'of' / 'le')."""
    counts = _function_word_counts(text)
    return any(counts[lang] > counts.get(verdict, 0) for lang in LANGUAGES if lang != verdict)


def _function_word_counts(text: str) -> dict[str, int]:
    """How many of each language's own function words the start of ``text`` uses."""
    words = _function_words()
    counts = dict.fromkeys(LANGUAGES, 0)
    for word in _WORDS.findall(text[:SAMPLE_CHARS].casefold()):
        for lang in LANGUAGES:
            counts[lang] += word in words[lang]
    return counts


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """Each language's function words that the other does not have (from the glossary)."""
    lists = {lang: {w.casefold() for w in load_yaml("glossary.yaml")["stopwords"][lang]}
             for lang in LANGUAGES}
    return {lang: frozenset(lists[lang] - set().union(*(lists[o] for o in LANGUAGES if o != lang)))
            for lang in LANGUAGES}


def _judged(block: Block) -> bool:
    return _ENOUGH_LETTERS.match(block.text, 0, SAMPLE_CHARS) is not None


def _runs(blocks: tuple[Block, ...]) -> list[list[Block]]:
    """Consecutive blocks grouped until a group holds about ``RUN_CHARS`` characters."""
    runs: list[list[Block]] = []
    size = RUN_CHARS
    for block in blocks:
        if size >= RUN_CHARS:
            runs.append([])
            size = 0
        runs[-1].append(block)
        size += len(block.text)
    return runs


def profile(blocks: tuple[Block, ...]) -> LanguageProfile:
    """Shares of the text per language, by characters, ignoring blocks too short to judge.

    A block's language is decided on its own, so a file that holds an English and a French
    version shows both shares; the document's language is the larger share.
    """
    sizes: dict[str, int] = {}
    for block in blocks:
        if block.language != "und":
            sizes[block.language] = sizes.get(block.language, 0) + len(block.text)
    total = sum(sizes.values())
    if not total:
        return LanguageProfile("und", 0.0, ())
    shares = tuple(sorted(((lang, round(size / total, 2)) for lang, size in sizes.items()),
                          key=lambda item: (-item[1], item[0])))
    return LanguageProfile(shares[0][0], shares[0][1], shares)
