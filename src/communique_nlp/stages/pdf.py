"""PDF input: the text layer, read with its layout, turned into the light Markdown of normalise.

A PDF's text layer is a bag of positioned words. Analysts expect the same extraction as from a
clean copy of the text, so the layout is used for what it tells: font size and weight mark
headings, glyphs and hanging indents mark list items, line spacing and ragged line ends mark
paragraph breaks, a vertical gutter marks two columns, ruled grids are tables, and text
printed at the same place on most pages is running chrome. The result is one block per
paragraph, separated by blank lines: ``# heading``, ``• item`` (or ``1.``/``a)`` kept),
``cell | cell`` table rows, plain paragraphs.

Pages are read one at a time and their caches dropped, so memory follows the size of the text,
not the number of pages. pdfminer's exceptions never escape: every failure becomes an
``InputError`` naming the file and the problem in one line.
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from communique_nlp.assets import load_yaml
from communique_nlp.errors import InputError

ENCRYPTED = "is encrypted (password-protected); decrypt it first"
NO_TEXT = "has no text layer (a scanned image?)"
DAMAGED = "is damaged or truncated and cannot be read as a PDF"
NOT_PDF = "is not a PDF (no %PDF header; another kind of file named .pdf?)"
NO_PAGES = "has no pages (an empty or damaged PDF)"

TERMINAL = ".!?:;»”\"…)"
# glyphs that only ever mark list items; dashes, '*' and numbers may also start a wrapped line
_SURE_GLYPHS = "•◦▪▫●○■□‣⁃∙➢➤►▶✓✔❖➔→"
_SURE_BULLET = re.compile(r"^(?:[" + _SURE_GLYPHS + r"]|[\uf000-\uf0ff])\s*(?P<rest>.*)$")
_DASH_BULLET = re.compile(r"^(?P<mark>[-–—−*·])\s+(?P<rest>\S.*)$")
_NUMBERED = re.compile(r"^(?P<mark>\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\))"
                       r"\s+(?P<rest>\S.*)$")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|de|sur|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_MARKING = re.compile(
    r"^(?:UNCLASSIFIED|NON CLASSIFIÉ|NON-CLASSIFIÉ|PROTECTED [ABC]|PROTÉGÉ [ABC]|CONFIDENTIAL|"
    r"RESTRICTED|OFFICIAL(?:[- ]SENSITIVE)?|FOR OFFICIAL USE ONLY|TLP:\s?\w+)"
    r"(?:\s*(?:/|//|-|–)\s*[A-ZÉ ]+)?$"
)
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|[-,]bd\b", re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

MARGIN_ZONE = 0.1  # share of the page height, top and bottom, where page chrome lives
GUTTER_BAND = (0.3, 0.7)  # where a column gutter can sit, as a share of the page width


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class _Line:
    """One printed line (or one table row) with what the layout says about it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_width: float  # width of the first word: would it have fit on the line above?
    space: float  # width of a word space in this line's font (0: not measured, one word)
    text_x: float  # where the text starts after a list glyph (the hanging indent)
    page: int
    column: int  # reading-order index of the column block on its page
    left: float  # edges of the column the line sits in
    right: float
    page_width: float
    page_height: float
    wide: bool = True  # spans the page (not in a column of a two-column page)
    table: bool = False
    row: str = ""  # the whole printed row, both columns: what running chrome repeats


@dataclass(slots=True)
class _Block:
    kind: str  # p | item | heading | row
    parts: list[str]
    marker: str = ""
    indent: float = 0.0  # item text start, relative to the column's left edge
    size: float = 0.0
    bold: bool = False
    large: bool = False  # a heading set larger than the body (not only in bold)
    lines: int = 1
    page: int = 1  # where the block starts


@dataclass
class _Layout:
    """Document-wide facts, learnt from all lines before paragraphs are rebuilt."""

    body_size: float
    body_bold: bool
    pitch: float  # usual distance between the tops of two lines of body text
    space: float  # usual word space, as a share of the font size
    compounds: frozenset[str]
    hyphenated: frozenset[str] = field(default_factory=frozenset)
    words: frozenset[str] = field(default_factory=frozenset)


class PdfText(NamedTuple):
    """A PDF's text as light Markdown, its number of pages, the pages read by OCR, and the
    scanned pages left unread (no OCR engine) with what to install to read them."""

    text: str
    pages: int
    ocr_pages: tuple[int, ...] = ()
    unread_pages: tuple[int, ...] = ()
    unread_because: str = ""


def read_pdf(file: Path, shown: str) -> PdfText:
    """The text of a PDF; pages turned a quarter are read upright, scanned pages by OCR
    (where Tesseract is installed)."""
    _check_bytes(file, shown)
    lines: list[_Line] = []
    scans: list[int] = []
    pages = 0
    with _quiet():
        for number, page_lines in enumerate(_read_pages(file, shown), start=1):
            if page_lines is None:
                scans.append(number)
            else:
                lines.extend(page_lines)
            pages += 1
    if pages == 0:
        raise InputError(shown, NO_PAGES)
    ocr_pages: tuple[int, ...] = ()
    unread: tuple[int, ...] = ()
    because = ""
    if scans:
        from communique_nlp.stages.ocr import OcrFailed, OcrMissing, ocr_rows

        try:
            scanned = ocr_rows(file, scans)
        except OcrMissing as missing:
            if any(line.text.strip() for line in lines):
                scanned = {}  # the text layer of the other pages is read; the scans are not
                unread, because = tuple(scans), str(missing)
            else:
                raise InputError(shown, f"{NO_TEXT}; {missing}") from missing
        except OcrFailed as failed:
            raise InputError(shown, f"OCR failed ({failed})") from failed
        for number, (rows, width, height) in sorted(scanned.items()):
            page_lines = _lines_of(rows, [], _Page(number, width, height))
            lines = [*[li for li in lines if li.page < number], *page_lines,
                     *[li for li in lines if li.page > number]]
        ocr_pages = tuple(sorted(scanned))
    lines = _without_chrome(lines, pages)
    if not any(line.text.strip() for line in lines):
        raise InputError(shown, NO_TEXT)
    blocks = _blocks(lines, _layout(lines))
    return PdfText(_text(blocks), pages, ocr_pages, unread, because)


def _check_bytes(file: Path, shown: str) -> None:
    """Refuse what is not a whole PDF before pdfminer tries to make sense of it."""
    try:
        with file.open("rb") as handle:
            head = handle.read(1024)
            size = handle.seek(0, 2)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as error:
        raise InputError(shown, f"cannot be read ({error.strerror or error})") from error
    if not head:
        raise InputError(shown, "empty file")
    if b"%PDF-" not in head:
        raise InputError(shown, NOT_PDF)
    if b"%%EOF" not in tail:
        raise InputError(shown, "is truncated (the end of the PDF is missing); "
                                "it cannot be read as a PDF")


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pdfminer's logging and warnings: their noise is not the user's business."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _problem(error: BaseException) -> str:
    """The one-line problem for a pdfminer/pdfplumber failure."""
    cause: BaseException = error
    if error.args and isinstance(error.args[0], BaseException):  # pdfplumber wraps the cause
        cause = error.args[0]
    names = {cls.__name__ for cls in type(cause).__mro__}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFTextExtractionNotAllowed"}:
        return ENCRYPTED
    return DAMAGED


def _read_pages(file: Path, shown: str) -> Iterator[list[_Line] | None]:
    """The lines of each page in reading order, one page in memory at a time; ``None`` for a
    page that is only an image (a scan)."""
    try:
        import pdfplumber
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise InputError(shown, "cannot read PDFs: pdfplumber is not installed") from error
    try:
        pdf = pdfplumber.open(file)
    except MemoryError:
        raise
    except Exception as error:
        raise InputError(shown, _problem(error)) from error
    try:
        try:
            pages = pdf.pages
        except MemoryError:
            raise
        except Exception as error:
            raise InputError(shown, _problem(error)) from error
        for number, page in enumerate(pages, start=1):
            try:
                lines = _page_lines(page, number)
                if isinstance(lines, _Sideways):  # read it again turned upright
                    _close_page(page)
                    page = _turned(page, lines.quarter)
                    lines = _page_lines(page, number)
                if isinstance(lines, _Sideways):
                    lines = []
            except MemoryError:
                raise
            except Exception as error:
                raise InputError(shown, f"{_problem(error)} (page {number})") from error
            finally:
                _close_page(page)
            yield lines
    finally:
        with suppress(Exception):  # closing a broken file must not hide the real error
            pdf.close()


def _close_page(page: Any) -> None:
    """Drop the page's parsed objects and layout: memory stays bounded on long documents."""
    with suppress(Exception):  # best effort
        page.flush_cache()
        page.close()


# --- one page: words -> rows -> columns -> lines ---------------------------------------------


def _turned(page: Any, quarter: int) -> Any:
    """The page as pdfplumber would read it with ``quarter`` more degrees of /Rotate: pdfminer
    then lays out sideways text upright."""
    from pdfplumber.page import Page

    page_obj = page.page_obj
    page_obj.rotate = (int(page.rotation) + quarter) % 360
    page_obj.attrs["Rotate"] = page_obj.rotate
    return Page(page.pdf, page_obj, page_number=page.page_number,
                initial_doctop=page.initial_doctop)


@dataclass(frozen=True, slots=True)
class _Sideways:
    """Most of the page's text runs up or down the page: turn it by ``quarter`` degrees."""

    quarter: int


SIDEWAYS_SHARE = 0.5  # more of the page's characters than this run sideways: a turned page


def _chars(page: Any) -> tuple[list[dict[str, Any]], int, int]:
    """The page's characters as pdfplumber's word extractor wants them, and its counts of
    rules and images.

    Read from the pdfminer layout directly: pdfplumber's own ``page.chars`` resolves a dozen
    attributes per character that are not needed here, and costs two thirds of the time.
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    x_shift, y_shift = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[dict[str, Any]] = []
    rules = images = 0
    stack: list[Any] = [iter(page.layout)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTChar):
            top = height - float(obj.y1) + y_shift
            fontname = obj.fontname
            if isinstance(fontname, bytes):
                fontname = fontname.decode("latin-1")
            chars.append({"text": obj.get_text(), "x0": float(obj.x0) + x_shift,
                          "x1": float(obj.x1) + x_shift, "top": top, "doctop": top,
                          "bottom": height - float(obj.y0) + y_shift, "upright": obj.upright,
                          "fontname": str(fontname), "size": float(obj.size),
                          "climbs": float(obj.matrix[1]) > 0})
        elif isinstance(obj, LTCurve):
            rules += 1
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj))
    return chars, rules, images


@dataclass(frozen=True, slots=True)
class _Table:
    """A ruled table: where it stands, and each row's cells joined by ' | '."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    width: float
    height: float


_Element = list[_Word] | _Table  # a printed row of words, or a table


def _page_lines(page: Any, number: int) -> list[_Line] | _Sideways | None:
    """The page's lines in reading order; ``_Sideways`` when its text runs up or down the
    page, ``None`` when it holds images and no text (a scan)."""
    from pdfplumber.utils.text import extract_words

    where = _Page(number, float(page.width), float(page.height))
    chars, rules, images = _chars(page)
    if not any(c["text"].strip() for c in chars):
        return None if images else []
    sideways = [c for c in chars if not c["upright"] and c["text"].strip()]
    if len(sideways) > SIDEWAYS_SHARE * len(chars):
        climbing = sum(1 for c in sideways if c["climbs"])
        return _Sideways(90 if climbing * 2 >= len(sideways) else 270)
    raw = extract_words(chars, extra_attrs=["fontname", "size"], keep_blank_chars=False)
    words = [w for w in (_word(item) for item in raw if item.get("upright", True)) if w]
    tables = _tables(page) if rules >= 3 else []  # a grid needs a few rules
    if tables:
        words = [w for w in words if not any(_inside(w, table) for table in tables)]
    return _lines_of(_rows(words), tables, where)


def _lines_of(rows: list[list[_Word]], tables: list[_Table], where: _Page) -> list[_Line]:
    """A page's rows (and tables) as lines in reading order: full-width rows as they come,
    two-column stretches (between rows that cross the gutter) left column first."""
    elements: list[_Element] = [*rows, *tables]
    elements.sort(key=lambda e: e.top if isinstance(e, _Table) else min(w.top for w in e))
    gutter = _gutter(rows, tables, where.width)
    if gutter is None:
        return [line for element in elements
                for line in _element_lines(element, where, column=0, edges=None)]

    def crosses(element: _Element) -> bool:
        if isinstance(element, _Table):
            return element.x0 < gutter < element.x1
        return any(a < gutter < b for a, b in _runs(element))

    def on_left(x0: float, x1: float) -> bool:
        return (x0 + x1) / 2 < gutter

    in_columns = [w for row in rows if not crosses(row) for w in row]
    sides = {True: [w for w in in_columns if on_left(w.x0, w.x1)],
             False: [w for w in in_columns if not on_left(w.x0, w.x1)]}
    edges = {left: (min((w.x0 for w in side), default=gutter),
                    max((w.x1 for w in side), default=gutter)) for left, side in sides.items()}
    lines: list[_Line] = []
    column = 0
    stretch: list[_Element] = []
    for element in [*elements, None]:
        if element is not None and not crosses(element):
            stretch.append(element)
            continue
        for left in (True, False):  # a two-column stretch: left column, then right column
            for part in stretch:
                if isinstance(part, _Table):
                    if on_left(part.x0, part.x1) == left:
                        lines += _element_lines(part, where, column, edges[left])
                    continue
                mine = [w for w in part if on_left(w.x0, w.x1) == left]
                for line in _element_lines(mine, where, column, edges[left]) if mine else []:
                    line.row = " ".join(w.text for w in part)
                    lines.append(line)
            column += 1 if stretch else 0
        stretch = []
        if element is not None:
            lines += _element_lines(element, where, column, edges=None)
            column += 1
    return lines


def _element_lines(element: _Element, where: _Page, column: int,
                   edges: tuple[float, float] | None) -> list[_Line]:
    """Lines of a row or table; ``edges`` of the column, ``None`` when it spans the page (the
    page's text box is learnt later, from all pages)."""
    left, right = edges or (0.0, 0.0)
    if isinstance(element, list):
        return [_line(element, where, column, left, right, wide=edges is None)]
    step = (element.bottom - element.top) / max(1, len(element.rows))
    return [_Line(text=row, x0=element.x0, x1=element.x1, top=element.top + index * step,
                  bottom=element.top + (index + 1) * step, size=0.0, bold=False,
                  first_width=0.0, space=0.0, text_x=element.x0, page=where.number,
                  column=column, left=left, right=right, page_width=where.width,
                  page_height=where.height, wide=edges is None, table=True, row=row)
            for index, row in enumerate(element.rows)]


def _word(item: dict[str, Any]) -> _Word | None:
    text = _CID.sub("", str(item["text"])).translate(_LIGATURES)
    if not text.strip():
        return None
    fontname = str(item.get("fontname") or "")
    return _Word(text=text, x0=float(item["x0"]), x1=float(item["x1"]), top=float(item["top"]),
                 bottom=float(item["bottom"]), size=round(float(item.get("size") or 0.0), 1),
                 bold=bool(_BOLD_FONT.search(fontname.split("+")[-1])))


def _inside(word: _Word, table: _Table) -> bool:
    x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return table.x0 <= x <= table.x1 and table.top <= y <= table.bottom


def _tables(page: Any) -> list[_Table]:
    """Ruled tables, rows cleaned; one-column boxes (a framed paragraph) stay in the text."""
    found = []
    for table in page.find_tables():
        rows = [[" ".join((cell or "").translate(_LIGATURES).split()) for cell in row]
                for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows and max(sum(1 for cell in row if cell) for row in rows) >= 2:
            x0, top, x1, bottom = (float(v) for v in table.bbox)
            found.append(_Table(x0, top, x1, bottom, tuple(" | ".join(row) for row in rows)))
    return found


def _rows(words: list[_Word]) -> list[list[_Word]]:
    """Words grouped into printed rows: vertical overlap with the row's largest word."""
    rows: list[list[_Word]] = []
    anchor: _Word | None = None
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        if anchor is not None:
            overlap = min(anchor.bottom, word.bottom) - max(anchor.top, word.top)
            height = min(anchor.bottom - anchor.top, word.bottom - word.top)
            if overlap >= 0.5 * max(height, 0.1):
                rows[-1].append(word)
                if word.size > anchor.size:
                    anchor = word
                continue
        rows.append([word])
        anchor = word
    for row in rows:
        row.sort(key=lambda w: w.x0)
    return rows


def _runs(row: list[_Word]) -> list[tuple[float, float]]:
    """Stretches of a row where words follow at word-space distance (less than an em)."""
    runs: list[tuple[float, float]] = []
    for word in row:
        if runs and word.x0 - runs[-1][1] < max(word.size, 1.0):
            runs[-1] = (runs[-1][0], max(runs[-1][1], word.x1))
        else:
            runs.append((word.x0, word.x1))
    return runs


def _gutter(rows: list[list[_Word]], tables: list[_Table], width: float) -> float | None:
    """The x of a column gutter: a vertical strip with text on both sides that few rows cross.

    Single-column text crosses the middle of the page on most rows; two columns leave it empty
    but for running headers, footers and full-width titles.
    """
    if len(rows) < 6:
        return None
    row_runs = [_runs(row) for row in rows]
    scores: list[tuple[int, float]] = []
    x = width * GUTTER_BAND[0]
    while x <= width * GUTTER_BAND[1]:
        cover = sum(1 for t in tables if t.x0 < x < t.x1)
        left = right = 0
        for runs in row_runs:
            if any(a < x < b for a, b in runs):
                cover += 1
                continue
            left += runs[0][0] < x
            right += runs[-1][1] > x
        if min(left, right) >= 3 and min(left, right) >= 0.5 * cover:
            scores.append((cover, x))
        x += 2.0
    if not scores:
        return None
    fewest = min(cover for cover, _ in scores)  # the fewest rows crossing...
    xs = [x for cover, x in scores if cover == fewest]
    stretches: list[list[float]] = [[xs[0]]]
    for value in xs[1:]:
        if value - stretches[-1][-1] <= 2.5:
            stretches[-1].append(value)
        else:
            stretches.append([value])
    longest = max(stretches, key=len)  # ...over the widest strip
    return (longest[0] + longest[-1]) / 2


def _line(words: list[_Word], where: _Page, column: int, left: float, right: float, *,
          wide: bool) -> _Line:
    parts: list[str] = []
    spaces: list[float] = []
    for index, word in enumerate(words):
        gap = word.x0 - words[index - 1].x1 if index else 0.0
        if index and gap > 0.12 * max(word.size, 1.0):
            parts.append(" ")
            spaces.append(gap)
        parts.append(word.text)
    text = "".join(parts)
    chars = sum(len(w.text) for w in words) or 1
    sizes: Counter[float] = Counter()
    for w in words:
        sizes[w.size] += len(w.text)
    size = sizes.most_common(1)[0][0]
    bold = sum(len(w.text) for w in words if w.bold) >= 0.8 * chars
    first = words[0]
    text_x = first.x0
    marker = (len(first.text) == 1 and _SURE_BULLET.match(first.text)) or _DASH_BULLET.match(
        first.text + " x") or _NUMBERED.match(first.text + " x")
    if marker and len(words) > 1 and words[1].x0 - first.x1 > 1.5 * min(spaces or [first.size]):
        text_x = words[1].x0  # the marker is set apart (a tab): a hanging indent
    return _Line(text=text, x0=first.x0, x1=max(w.x1 for w in words),
                 top=min(w.top for w in words), bottom=max(w.bottom for w in words),
                 size=size, bold=bold, first_width=first.x1 - first.x0,
                 space=min(spaces) if spaces else 0.0, text_x=text_x,
                 page=where.number, column=column, left=left, right=right,
                 page_width=where.width, page_height=where.height, wide=wide, row=text)


# --- the whole document: chrome, layout facts, blocks ----------------------------------------


def _chrome_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.casefold()).split())


def _in_margin(line: _Line) -> bool:
    return (line.top < MARGIN_ZONE * line.page_height
            or line.bottom > (1 - MARGIN_ZONE) * line.page_height)


def _without_chrome(lines: list[_Line], pages: int) -> list[_Line]:
    """Drop page numbers, classification marks and text repeated in place on most pages."""
    need = max(2, math.ceil(0.5 * pages))
    placed: dict[str, list[tuple[int, float]]] = {}
    for line in lines:
        if not line.table and len(line.text) <= 200:
            placed.setdefault(_chrome_key(line.row), []).append((line.page, line.top))
    running: dict[str, list[float]] = {}
    if pages >= 2:
        for key, seen in placed.items():
            for _, top in seen:
                near = {page for page, other in seen if abs(other - top) <= 4.0}
                if len(near) >= need:
                    running.setdefault(key, []).append(top)
                    break
    kept = []
    for line in lines:
        text = line.text.strip()
        if not line.table and _in_margin(line) and (_PAGE_NUMBER.match(text)
                                                    or _MARKING.match(text)):
            continue
        tops = running.get(_chrome_key(line.row)) if not line.table else None
        if tops and any(abs(line.top - top) <= 4.0 for top in tops) and (
                pages >= 4 or _in_margin(line)):
            continue
        kept.append(line)
    return kept


def _layout(lines: list[_Line]) -> _Layout:
    sizes: Counter[float] = Counter()
    bold_chars = 0
    for line in lines:
        if not line.table:
            sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    body_chars = 0
    for line in lines:
        if not line.table and abs(line.size - body) <= 0.5:
            body_chars += len(line.text)
            bold_chars += len(line.text) if line.bold else 0
    pitches: Counter[float] = Counter()
    for prev, line in pairwise(lines):
        if (prev.page == line.page and prev.column == line.column and not prev.table
                and not line.table and abs(prev.size - body) <= 0.5
                and abs(line.size - body) <= 0.5 and line.top > prev.top):
            pitches[round((line.top - prev.top) * 2) / 2] += 1
    pitch = pitches.most_common(1)[0][0] if pitches else 1.2 * body
    spaces = sorted(line.space / line.size for line in lines if line.space and line.size)
    space = spaces[len(spaces) // 2] if spaces else 0.25
    _margins(lines)
    hyphenated: set[str] = set()
    vocabulary: set[str] = set()
    for line in lines:
        for word in _WORD.findall(line.text):
            (hyphenated if "-" in word else vocabulary).add(word.lower())
    compounds = frozenset(str(p).lower() for p in load_yaml("layout.yaml")["compound_prefixes"])
    return _Layout(body_size=body, body_bold=bold_chars > 0.5 * max(body_chars, 1), pitch=pitch,
                   space=space,
                   compounds=compounds, hyphenated=frozenset(hyphenated),
                   words=frozenset(vocabulary))


def _margins(lines: list[_Line]) -> None:
    """Give lines that span the page the text box of pages of their width."""
    by_width: dict[int, tuple[list[float], list[float]]] = {}
    for line in lines:
        if line.wide and not line.table:
            lefts, rights = by_width.setdefault(round(line.page_width), ([], []))
            lefts.append(round(line.x0))
            rights.append(line.x1)
    boxes: dict[int, tuple[float, float]] = {}
    for key, (lefts, rights) in by_width.items():
        rights.sort()
        left = float(Counter(lefts).most_common(1)[0][0])  # where most lines start
        boxes[key] = (left, rights[min(len(rights) - 1, int(len(rights) * 0.97))])
    for line in lines:
        if line.wide:
            line.left, line.right = boxes.get(round(line.page_width), (line.x0, line.x1))


def _bullet(text: str) -> tuple[str, str, bool] | None:
    """(marker to print, item text, sure) when the line opens a list item."""
    match = _SURE_BULLET.match(text)
    if match:
        return "•", match["rest"], True
    match = _DASH_BULLET.match(text)
    if match:
        return "•", match["rest"], False
    match = _NUMBERED.match(text)
    if match:
        return match["mark"], match["rest"], False
    return None


class _Reader:
    """Rebuilds paragraphs, headings, list items and table rows from lines in reading order."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.prev: _Line | None = None

    def heading_style(self, line: _Line) -> bool:
        larger = line.size >= self.layout.body_size * 1.12
        return larger or (line.bold and not self.layout.body_bold)

    def normal_gap(self, prev: _Line, line: _Line) -> bool:
        expected = self.layout.pitch * max(prev.size, line.size) / max(self.layout.body_size, 1)
        return 0 < line.top - prev.top <= 1.3 * expected + 0.5

    def fits(self, prev: _Line, line: _Line) -> bool:
        """Would the line's first word have fitted at the end of the line above?"""
        space = prev.space or self.layout.space * prev.size
        return prev.x1 + space + line.first_width <= prev.right + 0.5

    @staticmethod
    def continues_sentence(prev: _Line, line: _Line) -> bool:
        """A lowercase start after an open line, or a word broken after its hyphen."""
        end = prev.text.rstrip()
        if end.endswith(_HYPHENS) and len(end) > 1 and end[-2].isalpha():
            return True
        return line.text[:1].islower() and not end.endswith(tuple(TERMINAL))

    def flush(self) -> None:
        if self.block is not None:
            self.blocks.append(self.block)
        self.block = None

    def start(self, kind: str, text: str, line: _Line, marker: str = "") -> None:
        self.flush()
        self.block = _Block(kind=kind, parts=[text], marker=marker,
                            indent=line.text_x - line.left, size=line.size, bold=line.bold,
                            large=line.size >= self.layout.body_size * 1.12, page=line.page)

    def append(self, line: _Line, text: str) -> None:
        assert self.block is not None
        self.block.parts[-1], text = _join(self.block.parts[-1], text, self.layout)
        if text:
            self.block.parts.append(text)
        self.block.lines += 1

    def read(self, line: _Line) -> None:
        prev, block = self.prev, self.block
        self.prev = line
        if line.table:
            self.flush()
            self.blocks.append(_Block(kind="row", parts=[line.text], page=line.page))
            return
        boundary = prev is None or prev.page != line.page or prev.column != line.column
        gap_ok = prev is not None and (boundary or self.normal_gap(prev, line))
        bullet = _bullet(line.text)
        if (bullet and not bullet[2] and prev is not None and block is not None
                and block.kind == "p" and gap_ok and not self.fits(prev, line)
                and not prev.text.rstrip().endswith((":", ";", "."))):
            bullet = None  # a dash or number that happens to start a wrapped line
        if bullet:
            self.start("item", bullet[1], line, marker=bullet[0])
            return
        head = self.heading_style(line)
        if block is None or prev is None or block.kind == "row":
            self.start("heading" if head else "p", line.text, line)
        elif block.kind == "heading":
            same = abs(line.size - block.size) <= 0.5 and line.bold == block.bold
            if head and same and not boundary and gap_ok and not self.fits(prev, line):
                self.append(line, line.text)
            else:
                self.start("heading" if head else "p", line.text, line)
        elif head:
            self.start("heading", line.text, line)
        elif ((block.kind == "item" and self.continues_item(block, prev, line, gap_ok))
              or (block.kind == "p" and self.continues_paragraph(prev, line, gap_ok, boundary))):
            self.append(line, line.text)
        else:
            self.start("p", line.text, line)

    def continues_item(self, block: _Block, prev: _Line, line: _Line, gap_ok: bool) -> bool:
        if not gap_ok:
            return False
        if line.x0 - line.left >= block.indent - 2.5:  # hanging indent
            return self.continues_sentence(prev, line) or not self.fits(prev, line)
        return self.continues_sentence(prev, line) and not self.fits(prev, line)

    def continues_paragraph(self, prev: _Line, line: _Line, gap_ok: bool,
                            boundary: bool) -> bool:
        if not gap_ok:
            return False
        if self.continues_sentence(prev, line):
            return True
        indented = (line.x0 - line.left > 1.0 * line.size
                    and prev.x0 - prev.left < 0.5 * prev.size)
        if indented and not boundary:  # a first-line indent opens a paragraph
            return False
        return not self.fits(prev, line)


def _blocks(lines: list[_Line], layout: _Layout) -> list[_Block]:
    reader = _Reader(layout)
    for line in lines:
        reader.read(line)
    reader.flush()
    return [block for block in reader.blocks if "".join(block.parts).strip()]


def _join(prev: str, text: str, layout: _Layout) -> tuple[str, str]:
    """Join a line to the one before; undo a hyphenation, keeping real compounds."""
    prev = prev.rstrip()
    text = text.strip()
    if not prev.endswith(_HYPHENS) or len(prev) < 2 or not prev[-2].isalnum() or not text:
        return prev, text
    stem = prev[:-1]
    left = re.search(r"[^\W\d_]+$", stem)
    right = re.match(r"[^\W\d_]+", text)
    if left is None or right is None or not text[0].islower():
        return stem + "-" + text, ""  # 'Okafor-' + 'Reid', 'COVID-' + '19'
    hyphenated = f"{left[0]}-{right[0]}".lower()
    joined = f"{left[0]}{right[0]}".lower()
    keep = hyphenated in layout.hyphenated or (left[0].lower() in layout.compounds
                                               and joined not in layout.words)
    return (stem + "-" + text if keep else stem + text), ""


def _text(blocks: list[_Block]) -> str:
    """Blocks separated by blank lines, and a form feed where a new page starts (normalise
    numbers the pages of its blocks from them)."""
    parts: list[str] = []
    page = blocks[0].page if blocks else 1
    for block in blocks:
        if parts:
            parts.append("\n\n\f" if block.page > page else "\n\n")
        page = max(page, block.page)
        parts.append(_render(block))
    return "".join(parts) + "\n"


def _render(block: _Block) -> str:
    text = " ".join(part for part in block.parts if part)
    text = " ".join(text.replace("\u00ad", "").split())
    if block.kind == "heading":
        # a bold paragraph is not a heading; nor is a bold list lead-in ('Ministers agreed to:')
        lines, chars = (4, 300) if block.large else (2, 160)
        lead_in = not block.large and text.endswith(":") and len(text.split()) > 4
        if block.lines <= lines and len(text) <= chars and not lead_in:
            return "# " + text
        return text
    if block.kind == "item":
        return f"{block.marker} {text}"
    return text
