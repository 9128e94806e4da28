"""Stage 2, normalise: clean Unicode and rebuild paragraphs and list items as blocks.

Three shapes of text arrive and are told apart from the lines themselves:

- web copy: one paragraph per line, blank lines optional;
- plain text wrapped at a fixed width, paragraphs separated by blank lines;
- text extracted from a PDF: hard wraps *and* blank lines inside sentences (at page breaks),
  page numbers, running headers, words hyphenated across lines.

Every regular expression here is anchored and free of nested quantifiers, so the stage is
linear in the size of its input.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, replace

from communique_nlp.assets import load_yaml
from communique_nlp.model import Block, Document

TERMINAL = ".!?:;»”\"…)"
_SPACES = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
           "\t": " ", "\u2028": "\n", "\u2029": "\n\n", "\x0b": "\n", "\x85": "\n"}
# zero-width characters and soft hyphens, deleted (a compiled class: str.translate would read
# every character of the text through a table, twenty times slower)
_DROPPED = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# a word hyphenated across a line break whose break became a space when the text was copied
# ('ré\u2010 pression'): the typographic hyphen U+2010, a space, a lowercase letter
_FLATTENED_HYPHEN = re.compile(r"(?<=[^\W\d_])\u2010 (?=[a-zà-öø-ÿœæ])")
_BULLET_GLYPHS = "•◦▪▫●○■□‣⁃∙·➢➤►▶✓✔❖–—*-"
_BULLET = re.compile(
    r"^(?P<glyph>[" + re.escape(_BULLET_GLYPHS) + r"]|\(?\d{1,3}[.)]|\d{1,2}/|\(?[a-z][.)]"
    r"|\([ivx]{1,4}\)|[ivx]{1,4}\))(?:\s+|$)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}|\d{1,4}\s*/\s*\d{1,4}|"
    r"(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|de|sur|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_SPLIT_WORD = re.compile(r"([^\W\d_]+)-$")
MAX_WORD = 100  # letters of a word split over two lines that are looked at
MAX_GLUED = 5000  # a line glued from split words takes no more once this long
_OTHER_SPACE = re.compile(r"[^\S\n\f]")  # em spaces, ideographic spaces...: one kind of space
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f]")  # category Cc but \n and \f
_METADATA_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}(?:-\d{2})?\s+(?=\S)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_MARKDOWN_EMPHASIS = re.compile(r"^(\*\*|__)(?P<text>[^*_]+)\1$")


@dataclass(frozen=True)
class _Line:
    text: str
    blank_before: bool
    page: int


def normalise(document: Document) -> Document:
    """Split the document's text into blocks: paragraphs and list items, reflowed."""
    lines = _lines(clean_text(document.text))
    if document.source.format != "pdf":  # the PDF reader drops running lines by position
        repeated = _running_lines(lines)
        lines = [line for line in lines if line.text not in repeated]
    markdown = document.source.format in ("md", "html", "pdf", "docx")
    return replace(document, blocks=tuple(_blocks(lines, markdown=markdown)))


def clean_text(text: str) -> str:
    """Unicode NFC, one kind of space and line end, no invisible or control characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _FLATTENED_HYPHEN.sub("", _DROPPED.sub("", text))
    for char, replacement in _SPACES.items():
        text = text.replace(char, replacement)
    return _OTHER_SPACE.sub(" ", _CONTROL.sub("", text))


def _lines(text: str) -> list[_Line]:
    """Non-empty lines, page numbers removed."""
    raw: list[_Line] = []
    blank = False
    for page, page_text in enumerate(text.split("\f"), start=1):
        for line in page_text.split("\n"):
            stripped = _METADATA_PREFIX.sub("", line).strip()
            if not stripped or _PAGE_NUMBER.match(stripped):
                blank = True
                continue
            raw.append(_Line(re.sub(r" {2,}", " ", stripped), blank, page))
            blank = False
    return raw


def _running_lines(lines: list[_Line]) -> set[str]:
    """Running headers and footers: short lines printed on three or more pages, or, in text
    hard-wrapped from a PDF without page breaks, three or more times. A compilation of web
    releases repeats its headings ('Quick facts'): those stay. List glyphs are not headers."""
    paged = len({line.page for line in lines}) >= 3
    if not paged and not _Shape(lines).wrapped:
        return set()
    seen: dict[str, set[int]] = {}
    for number, line in enumerate(lines):
        if len(line.text) <= 100 and not _BULLET.match(line.text):
            seen.setdefault(line.text, set()).add(line.page if paged else number)
    return {text for text, where in seen.items() if len(where) >= 3}


def _ends_terminal(text: str) -> bool:
    return text.endswith(tuple(TERMINAL))


def _starts_lower(text: str) -> bool:
    return text[:1].islower()


class _Shape:
    """What the line lengths say about how the text was wrapped."""

    def __init__(self, lines: list[_Line]) -> None:
        lengths = sorted(len(line.text) for line in lines)
        self.width = lengths[int(len(lengths) * 0.9)] if lengths else 0
        open_ended = sum(1 for line in lines[:-1] if not _ends_terminal(line.text))
        # hard-wrapped text breaks most lines inside a sentence; web copy ends them with one
        self.wrapped = (len(lines) >= 5 and 40 <= self.width <= 130
                        and open_ended >= 0.4 * (len(lines) - 1))
        breaks = sum(
            1
            for prev, nxt in itertools.pairwise(lines)
            if nxt.blank_before and not _ends_terminal(prev.text) and _starts_lower(nxt.text)
            and not _BULLET.match(nxt.text)
        )
        # blank lines fall inside sentences: text extracted from a PDF
        self.blank_breaks_sentences = self.wrapped and breaks >= 2

    def is_full(self, text: str) -> bool:
        return self.wrapped and len(text) >= 0.7 * self.width


def _blocks(lines: list[_Line], *, markdown: bool) -> list[Block]:
    shape = _Shape(lines)
    compounds = set(load_yaml("layout.yaml")["compound_prefixes"])
    # the words a hyphen split over two lines is checked against: read only when a line ends
    # with a hyphen (a text without one has nothing to rejoin)
    vocabulary = _vocabulary(lines) if any(line.text.endswith("-") for line in lines) else set()
    blocks: list[Block] = []
    current: list[str] = []
    glyph: str | None = None
    heading = False
    page = 1

    def flush() -> None:
        nonlocal current, glyph, heading
        if current or glyph:
            text = " ".join(current).strip()
            if text or glyph:
                blocks.append(Block(text=text, glyph=glyph, heading=heading, page=page))
        current, glyph, heading = [], None, False

    for index, line in enumerate(lines):
        text = line.text
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if markdown and _MARKDOWN_HEADING.match(text):
            flush()
            blocks.append(Block(text=_MARKDOWN_HEADING.sub("", text).strip(" #"), heading=True,
                                page=line.page))
            continue
        if markdown and (emphasis := _MARKDOWN_EMPHASIS.match(text)):
            flush()
            blocks.append(Block(text=emphasis["text"].strip(), heading=True, page=line.page))
            continue
        bullet = _BULLET.match(text)
        if bullet and not _is_sentence_start_number(text, bullet["glyph"]):
            flush()
            glyph, page = bullet["glyph"], line.page
            rest = text[bullet.end():].strip()
            current = [rest] if rest else []
            continue
        if current and _joins(current[-1], line, nxt, shape):
            current[-1], text = _dehyphenate(current[-1], text, compounds, vocabulary)
            if text:
                current.append(text)
            continue
        if glyph is not None and not current:
            current = [text]  # a glyph alone on its line: the item text follows
            continue
        flush()
        current, page = [text], line.page
    flush()
    return blocks


def _is_sentence_start_number(text: str, glyph: str) -> bool:
    """'2017. Ministers met' is not a list item; '-3 degrees' is not a bullet."""
    if glyph in "-–—*" and len(text) > 1 and not text[1].isspace():
        return True
    return glyph[:1].isdigit() and len(glyph.strip("().")) >= 4


def _joins(prev: str, line: _Line, nxt: _Line | None, shape: _Shape) -> bool:
    """Does ``line`` continue the paragraph whose last line is ``prev``?"""
    text = line.text
    if line.blank_before and not shape.blank_breaks_sentences:
        return False
    if _ends_terminal(prev):
        # a sentence that happens to end at a hard wrap, inside a blank-separated paragraph
        return (shape.wrapped and not line.blank_before and not prev.endswith(":")
                and shape.is_full(prev) and not _heading_like(text, nxt, shape))
    if _starts_lower(text):
        return True
    if _heading_like(prev, line, shape) or _heading_like(text, nxt, shape):
        return False
    return shape.is_full(prev) or (not line.blank_before and shape.wrapped)


def _heading_like(text: str, nxt: _Line | None, shape: _Shape) -> bool:
    """A short line, no final punctuation, followed by a line that starts a sentence."""
    if _ends_terminal(text) or (not text[:1].isupper() and not text[:1].isdigit()):
        return False
    if shape.wrapped and shape.is_full(text):
        return False
    return nxt is None or not _starts_lower(nxt.text)


def _vocabulary(lines: list[_Line]) -> set[str]:
    return {word.lower() for line in lines for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*",
                                                                    line.text)}


def _dehyphenate(prev: str, text: str, compounds: set[str],
                 vocabulary: set[str]) -> tuple[str, str]:
    """Undo a word split over two lines ('coopé-' + 'ration'), keeping real compounds.

    Only the end of ``prev`` is searched, and a line already glued from more than
    ``MAX_GLUED`` characters takes no more: hostile input (a megabyte of letters, a hyphen
    ending every line) stays linear."""
    if not prev.endswith("-") or len(prev) > MAX_GLUED:
        return prev, text
    match = _SPLIT_WORD.search(prev[-MAX_WORD:])
    first = re.match(r"[^\W\d_]+", text)
    if not match or not first or not _starts_lower(text):
        return prev, text
    left, right = match[1], first[0]
    hyphenated, joined = f"{left}-{right}".lower(), f"{left}{right}".lower()
    keep = hyphenated in vocabulary or (left.lower() in compounds and joined not in vocabulary)
    if keep:
        return prev + text, ""
    return prev[:-1] + text, ""
