"""Stage 3, language: English or French, per block and for the whole document.

langdetect's profiles for just English and French are loaded (the product reads only these
two; loading all 55 profiles is slower and lets short French text drift to Catalan or
Romanian). The detector is seeded, so the same text always gets the same answer. Text with
too few letters to judge is ``und``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from communique_nlp.model import Block, Document, LanguageProfile

LANGUAGES = ("en", "fr")
MIN_LETTERS = 20  # below this a block is 'und': too short to judge
SAMPLE_CHARS = 600  # langdetect is as accurate on the first few hundred characters
SEED = 0


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


def detect(text: str) -> tuple[str, float]:
    """The language of ``text`` and the detector's probability for it."""
    if sum(c.isalpha() for c in text[:SAMPLE_CHARS * 2]) < MIN_LETTERS:
        return "und", 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text[:SAMPLE_CHARS])
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return str(best.lang), round(float(best.prob), 2)


def detect_language(document: Document) -> Document:
    """Tag every block with its language and summarise the shares of the document."""
    blocks = tuple(replace(b, language=detect(b.text)[0]) for b in document.blocks)
    return replace(document, blocks=blocks, language=profile(blocks))


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
