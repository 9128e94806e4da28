"""The pipeline: ingest -> normalise -> language -> segment -> commitments -> themes -> entities.

``parse`` is the library's entry point; the CLI, batch and diff all call it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from communique_nlp.model import Document
from communique_nlp.stages.commitments import find_commitments
from communique_nlp.stages.entities import find_entities
from communique_nlp.stages.ingest import DEFAULT_MAX_BYTES, ingest_bytes, ingest_path, ingest_text
from communique_nlp.stages.language import detect_language
from communique_nlp.stages.normalise import normalise
from communique_nlp.stages.segment import segment
from communique_nlp.stages.serialise import Extraction
from communique_nlp.stages.themes import load_taxonomy, tag_themes

MIXED_LANGUAGE_SHARE = 0.2  # a second language this large means both versions are in the file


@dataclass(frozen=True)
class Options:
    """Settings threaded through the pipeline, built once per run."""

    themes: Path | None = None  # a user taxonomy added to models/themes.yaml (ids override)
    themes_only: bool = False  # the user taxonomy replaces models/themes.yaml
    max_bytes: int = DEFAULT_MAX_BYTES
    model_dir: Path | None = None  # learned models; None: models/learned (cross-validation
    # points it at the models fitted without the held-out collection)
    stdin_format: str = "txt"  # what '-' holds: txt, md or html (--input-format)


def parse(source: str | Path | bytes, options: Options | None = None) -> Extraction:
    """Parse a document: a path (``Path``, or a ``str`` naming a file; '-' is stdin), an
    http(s) address (``str``), raw bytes, or the text itself.

    A ``str`` is text when it is not an existing file and reads as prose (it has a line break,
    or spaces and no path separator); otherwise it is a path.
    """
    options = options or Options()
    return Extraction(run(_ingest(source, options), options))


def run_path(path: Path, options: Options) -> Document:
    """The finished document model of a file (training reads its candidates off it)."""
    return run(ingest_path(path, max_bytes=options.max_bytes), options)


def _ingest(source: str | Path | bytes, options: Options) -> Document:
    if isinstance(source, bytes):
        return ingest_bytes(source, max_bytes=options.max_bytes)
    if isinstance(source, Path) or _names_a_file(source):
        return ingest_path(source, max_bytes=options.max_bytes,
                           stdin_format=options.stdin_format)
    return ingest_text(source)


def _names_a_file(source: str) -> bool:
    if "\x00" in source:
        return False  # no path holds a NUL character
    try:
        if source == "-" or ("\n" not in source and len(source) < 1024
                             and Path(source).exists()):
            return True
    except (OSError, ValueError):  # a name too long for the system, say
        pass
    return "\n" not in source and len(source.split()) < 4  # prose has words, a path few


def run(document: Document, options: Options) -> Document:
    """Every stage after ingest, in order."""
    taxonomy = load_taxonomy(options.themes, only=options.themes_only)
    document = normalise(document)
    document = detect_language(document)
    document = segment(document, options.model_dir)
    document = find_commitments(document, options.model_dir)
    document = tag_themes(document, taxonomy, options.model_dir)
    document = find_entities(document, options.model_dir)
    return replace(document, warnings=warnings(document))


def warnings(document: Document) -> tuple[str, ...]:
    """What the reader should know about this extraction."""
    found = list(document.warnings)
    shares = document.language.shares if document.language else ()
    if len(shares) > 1 and shares[1][1] >= MIXED_LANGUAGE_SHARE:
        found.append("mixed languages: " + ", ".join(f"{lang} {share:.0%}"
                                                     for lang, share in shares))
    last = document.blocks[-1].text if document.blocks else ""
    if last and last[-1].isalnum() and len(last) > 200:
        found.append("text ends mid-sentence: the document may be truncated")
    if not document.sections:
        found.append("no text found")
    return tuple(found)
