"""Scanned PDF pages: rendered with pypdfium2, cleaned of specks, turned upright and
straightened, read by Tesseract.

The ``tesseract`` program is called directly (subprocess) rather than through pytesseract,
which is only a wrapper around the same call: one dependency fewer, and the two calls needed
(orientation with ``--psm 0``, then the words and lines as hOCR) are a few lines. The words
come back as the PDF reader's own words, grouped into the lines Tesseract found and set on
each line's baseline, so that paragraphs, headings and list glyphs are rebuilt exactly as for
a PDF with a text layer.

The first scanned page is read in English and French together; its language then chooses the
model for the others (one language reads faster, and its accents better).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from communique_nlp.stages.pdf import _Word

DPI = 300  # Tesseract's own advice for body text; a scan of 10-point type needs no more
PAGE_SECONDS = 120.0  # a call to tesseract taking longer than this is given up
MIN_ROTATION_CONFIDENCE = 1.5  # OSD's own confidence below this: leave the page as it is
LOW_CONFIDENCE = 30.0  # a word recognised worse than this, with no letter or digit: a speck
SIZE_STEP = 0.15  # measured line sizes this close (a share) are one type size
MAX_SKEW = 3.0  # degrees a scan may be skewed and still be straightened
SKEW_STEP = 0.25  # degrees between the angles tried
SKEW_REDUCTION = 4  # the skew is measured on a copy this many times smaller
INK = 128  # grey levels below this are ink
DOT = 0.75  # points: a square this size holds less ink than the full stop of any body type
FLECK = 1.25  # points: a square this size holds a full stop, a dot or a speck...
FLECK_REACH = 4.0  # points: ...a speck when no more ink is this close (a stop has its letter,
#                    a colon's dot the other dot)
MIN_SKEW_WORDS = 5  # words of a line needed to measure its slope
MIN_SKEW = 0.002  # a slope under this (0.1°) is a straight page
BULLET_SIZE = (0.2, 0.65)  # a bullet's height, as a share of the line's words' height
SPECK = 0.35  # a mark without letters or digits shorter than this share of its line: a speck
INSTALL = ("install Tesseract OCR to read scanned pages (Debian/Ubuntu: apt-get install "
           "tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra)")
_LANGUAGES = {"en": "eng", "fr": "fra"}
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)
_XHTML = "{http://www.w3.org/1999/xhtml}"  # the namespace of Tesseract's hOCR

# rows of words of one page, and the page's width and height in points
PageRows = tuple[list[list[_Word]], float, float]


class OcrMissing(Exception):
    """Tesseract (or one of its language models) is not installed."""


class OcrFailed(Exception):
    """Tesseract ran and failed on a page."""


def available_languages() -> set[str]:
    """The language models Tesseract has (empty when it is not installed)."""
    program = shutil.which("tesseract")
    if program is None:
        return set()
    result = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                            timeout=PAGE_SECONDS, check=False)
    return {line.strip() for line in result.stdout.splitlines()[1:] if line.strip()}


def ocr_rows(file: Path, pages: list[int]) -> dict[int, PageRows]:
    """Rows of recognised words for each of ``pages`` (1-based) of the PDF ``file``."""
    languages = available_languages()
    if not {"eng", "fra"} <= languages:
        raise OcrMissing(INSTALL)
    import pypdfium2

    from communique_nlp.stages.language import detect

    found: dict[int, PageRows] = {}
    language = "eng+fra"
    document = pypdfium2.PdfDocument(str(file))
    try:
        with tempfile.TemporaryDirectory(prefix="communique-ocr-") as folder:
            for number in pages:
                image = Path(folder) / f"page-{number}.pgm"  # uncompressed: quick to write
                width, height = _render(document, number, image)
                _despeckle(image)
                if _rotation(image) in (90, 270):
                    width, height = height, width
                _straighten(image)
                rows = _words(image, language)
                found[number] = (rows, width, height)
                if language == "eng+fra":
                    text = " ".join(w.text for row in rows for w in row)
                    if len(text) > 200:
                        language = _LANGUAGES.get(detect(text), language)
    finally:
        document.close()
    return found


def _render(document: Any, number: int, target: Path) -> tuple[float, float]:
    """Write the page as a grey image at ``DPI``; return its size in points."""
    page = document[number - 1]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        bitmap.to_pil().save(target)
    finally:
        page.close()
    return float(width), float(height)


def _despeckle(image: Path) -> None:
    """Wipe the specks of dirt of a scan before Tesseract reads them as stops, commas and
    quotes (or glues them to words): ink that is less than a full stop of any body type
    around it, and ink the size of a stop with no more ink within ``FLECK_REACH`` (a stop, a
    dot or an accent sits next to its letter). Counts of ink in a square around each pixel
    (summed-area tables) stand in for tracing each spot's outline: numpy alone, and fast."""
    import numpy
    from PIL import Image

    with Image.open(image) as picture:
        grey = numpy.asarray(picture.convert("L"))
    ink = grey < INK
    pixels = DPI / 72
    tiny = _ink_around(ink, round(DOT * pixels)) <= (DOT * pixels) ** 2
    alone = _ink_around(ink, round(FLECK_REACH * pixels)) <= (FLECK * pixels) ** 2
    kept = ink & ~(tiny | alone)
    for _ in range(round(FLECK * pixels)):
        # a spot with any pixel kept is kept whole: the squares are a pixel's view, and the
        # far edge of a colon's dot, say, does not see the other dot
        kept = _grown(kept) & ink
    specks = ink & ~kept
    if specks.any():
        # with the grey halo around each speck
        clean = numpy.where(specks | (_grown(specks) & ~ink), 255, grey).astype(numpy.uint8)
        Image.fromarray(clean).save(image)


def _grown(mask: Any) -> Any:
    """The pixels of ``mask`` and their eight neighbours."""
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    across = grown.copy()
    grown[:, 1:] |= across[:, :-1]
    grown[:, :-1] |= across[:, 1:]
    return grown


def _ink_around(ink: Any, reach: int) -> Any:
    """For each pixel, the ink pixels in the square of ``reach`` pixels around it."""
    import numpy

    side = 2 * reach + 1
    table = numpy.zeros((ink.shape[0] + side, ink.shape[1] + side), dtype=numpy.int32)
    table[reach + 1:reach + 1 + ink.shape[0], reach + 1:reach + 1 + ink.shape[1]] = ink
    table = table.cumsum(axis=0, dtype=numpy.int32).cumsum(axis=1, dtype=numpy.int32)
    return (table[side:, side:] - table[:-side, side:] - table[side:, :-side]
            + table[:-side, :-side])


def _tesseract(*arguments: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("tesseract")
    if program is None:
        raise OcrMissing(INSTALL)
    try:
        return subprocess.run([program, *arguments], capture_output=True, text=True,
                              timeout=PAGE_SECONDS, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"OCR took longer than {PAGE_SECONDS:g} s on a page") from error


def _rotation(image: Path) -> int:
    """Detect the page's orientation (OSD) and turn the image upright in place; the degrees
    turned clockwise."""
    result = _tesseract(str(image), "stdout", "--psm", "0")
    rotate = _ROTATE.search(result.stdout)
    confidence = _CONFIDENCE.search(result.stdout)
    if rotate is None or confidence is None or float(confidence[1]) < MIN_ROTATION_CONFIDENCE:
        return 0  # too little text to tell, or an upright page
    degrees = int(rotate[1]) % 360
    if degrees:
        from PIL import Image

        with Image.open(image) as picture:
            turned = picture.rotate(-degrees, expand=True)
        turned.save(image)
    return degrees


def _straighten(image: Path) -> None:
    """Undo a slightly skewed scan: the angle (within ``MAX_SKEW`` degrees) at which the rows
    of ink are sharpest (the classic projection profile), found on a small copy."""
    import numpy
    from PIL import Image

    with Image.open(image) as picture:
        small = picture.convert("L").reduce(SKEW_REDUCTION)
        best, sharpest = 0.0, -1.0
        steps = int(MAX_SKEW / SKEW_STEP)
        for step in range(-steps, steps + 1):
            angle = step * SKEW_STEP
            turned = small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
            rows = (numpy.asarray(turned) < INK).sum(axis=1).astype(float)
            sharpness = float(numpy.square(numpy.diff(rows)).sum())
            if sharpness > sharpest:
                best, sharpest = angle, sharpness
        if best:
            straight = picture.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255)
            straight.save(image)


def _words(image: Path, language: str) -> list[list[_Word]]:
    """The words of the page in Tesseract's reading order, one list per printed line, with
    boxes in points.

    Word boxes from a scan wobble with the letters (an 'l' is taller than an 'a') and grow
    with the specks stuck to them, which made line pitches and type sizes noisy. Tesseract's
    hOCR also gives each line's fitted baseline and its type size (``x_size``), measured over
    the whole line: every word's top and bottom are set from those, as a text layer's are
    from the font."""
    result = _tesseract(str(image), "stdout", "-l", language, "--psm", "3", "hocr")
    if result.returncode != 0:
        raise OcrFailed(result.stderr.strip().splitlines()[-1] if result.stderr.strip()
                        else f"tesseract exited with code {result.returncode}")
    scale = 72 / DPI
    rows: list[list[_Word]] = []
    paragraphs: list[str] = []  # the Tesseract paragraph of each row
    for paragraph, line, found in _hocr_lines(result.stdout):
        found.sort(key=lambda item: item[0].x0)
        _restore_bullet(found)
        row = [word for word, confidence in found if not _speck(word, confidence, found)]
        if not row:
            continue
        for word in row:
            # the baseline under the word; a line's type spans about 0.8 em above it
            middle = (word.x0 + word.x1) / 2
            baseline = line.bottom + line.offset + line.slope * (middle - line.left)
            word.top, word.bottom = baseline - 0.8 * line.size, baseline + 0.2 * line.size
            word.size = line.size * scale
        for word in row:
            word.x0, word.x1, word.top, word.bottom = (word.x0 * scale, word.x1 * scale,
                                                       word.top * scale, word.bottom * scale)
        rows.append(row)
        paragraphs.append(paragraph)
    _deskew(rows)
    sizes = _sizes([round(row[0].size * 2) / 2 for row in rows])
    body = sorted(sizes)[len(sizes) // 2] if sizes else 0.0
    for key in set(paragraphs):
        # a headline's lines, all set larger than the body, are one size (one heading)
        mine = [i for i, owner in enumerate(paragraphs) if owner == key]
        if len(mine) > 1 and all(sizes[i] > body * (1 + SIZE_STEP) for i in mine):
            common = sorted(sizes[i] for i in mine)[len(mine) // 2]
            for i in mine:
                sizes[i] = common
    for row, size in zip(rows, sizes, strict=True):
        for word in row:
            word.size = size
    return rows


class _HocrLine(NamedTuple):
    """A line's geometry in pixels: ``bottom`` of its box, the baseline's ``offset`` from it
    at the box's ``left`` edge and its ``slope``, and the type ``size``."""

    left: float
    bottom: float
    slope: float
    offset: float
    size: float


def _hocr_lines(hocr: str) -> Iterator[tuple[str, _HocrLine, list[tuple[_Word, float]]]]:
    """Each line of an hOCR page: its paragraph's id, its geometry, and its words (boxes in
    pixels) with Tesseract's confidence."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(hocr)
    for paragraph in root.iter(f"{_XHTML}p"):
        for line in paragraph:
            properties = _properties(line.get("title", ""))
            if "bbox" not in properties:
                continue
            left, _, _, bottom = properties["bbox"]
            slope, offset = (properties.get("baseline") or [0.0, 0.0])[:2]
            size = (properties.get("x_size") or [bottom - properties["bbox"][1]])[0]
            found = []
            for word in line:
                text = "".join(word.itertext()).strip()
                box = _properties(word.get("title", "")).get("bbox")
                if text and box:
                    found.append((_Word(text=text, x0=box[0], x1=box[2], top=box[1],
                                        bottom=box[3], size=0.0, bold=False),
                                  (_properties(word.get("title", "")).get("x_wconf")
                                   or [0.0])[0]))
            if found:
                yield (paragraph.get("id", ""),
                       _HocrLine(left, bottom, slope, offset, size), found)


def _properties(title: str) -> dict[str, list[float]]:
    """An hOCR ``title``: 'bbox 1 2 3 4; x_size 45' -> {'bbox': [1, 2, 3, 4], 'x_size': [45]}."""
    found: dict[str, list[float]] = {}
    for part in title.split(";"):
        name, *values = part.split()
        try:
            found[name] = [float(v) for v in values]
        except ValueError:
            continue  # the page's image name
    return found


def _sizes(measured: list[float]) -> list[float]:
    """Measured sizes wobble with the letters of a line and the dirt on it: sizes within
    ``SIZE_STEP`` of the smallest of their group are one type size (the group's median), so
    body lines share one size and a headline's lines another."""
    if not measured:
        return []
    ordered = sorted(measured)
    groups: list[list[float]] = [[ordered[0]]]
    for size in ordered[1:]:
        if size <= groups[-1][0] * (1 + SIZE_STEP):
            groups[-1].append(size)
        else:
            groups.append([size])
    typical = {size: group[len(group) // 2] for group in groups for size in group}
    return [typical[size] for size in measured]


def _typical_height(found: list[tuple[_Word, float]]) -> float:
    heights = sorted(w.bottom - w.top for w, _ in found if any(c.isalnum() for c in w.text))
    return heights[len(heights) // 2] if heights else 0.0


def _restore_bullet(found: list[tuple[_Word, float]]) -> None:
    """A bullet is read as 'e«', '¢', '°', 'o'...: a small, squarish mark of a character or two
    opening a line, set apart from the text (a hanging indent, not a word space), is a '•'."""
    if len(found) < 2:
        return
    mark, first = found[0][0], found[1][0]
    height, typical = mark.bottom - mark.top, _typical_height(found[1:])
    words = [w for w, _ in found[1:]]
    gaps = sorted(b.x0 - a.x1 for a, b in itertools.pairwise(words))
    space = gaps[len(gaps) // 2] if gaps else 0.3 * typical
    if (len(mark.text) <= 2 and BULLET_SIZE[0] * typical <= height <= BULLET_SIZE[1] * typical
            and mark.x1 - mark.x0 <= 1.5 * height and first.text[:1].isalnum()
            and first.x0 - mark.x1 > 1.5 * max(space, 0.5)):
        mark.text = "•"


def _speck(word: _Word, confidence: float, found: list[tuple[_Word, float]]) -> bool:
    """A speck of dirt read as punctuation: not a word, not a '#' opening a heading."""
    if any(c.isalnum() for c in word.text) or word.text == "•":
        return False
    return (confidence < LOW_CONFIDENCE
            or word.bottom - word.top < SPECK * _typical_height(found))


def _deskew(rows: list[list[_Word]]) -> None:
    """Undo what skew is left on the word boxes: the lines' median slope, turned back
    (small-angle rotation), so margins and line ends line up as on a straight page."""
    slopes = []
    for row in rows:
        points = [((w.x0 + w.x1) / 2, w.bottom) for w in row if w.text[:1].isalnum()]
        if len(points) < MIN_SKEW_WORDS:
            continue
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if spread > 0:
            slopes.append(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread)
    if not slopes:
        return
    slope = sorted(slopes)[len(slopes) // 2]
    if abs(slope) < MIN_SKEW:
        return
    for row in rows:
        for word in row:
            x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            dx, dy = slope * y, -slope * x
            word.x0, word.x1 = word.x0 + dx, word.x1 + dx
            word.top, word.bottom = word.top + dy, word.bottom + dy
