"""Scanned PDF pages: rendered with pypdfium2, turned upright, read by Tesseract.

The ``tesseract`` program is called directly (subprocess) rather than through pytesseract,
which is only a wrapper around the same call: one dependency fewer, and the two calls needed
(orientation with ``--psm 0``, then words with their boxes as TSV) are a few lines. The words
come back as the PDF reader's own words, grouped into the lines Tesseract found, so that
paragraphs, headings and list glyphs are rebuilt exactly as for a PDF with a text layer.

The first scanned page is read in English and French together; its language then chooses the
model for the others (one language reads faster, and its accents better).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from communique_nlp.stages.pdf import _Word

DPI = 300  # Tesseract's own advice for body text; a scan of 10-point type needs no more
PAGE_SECONDS = 120.0  # a call to tesseract taking longer than this is given up
MIN_ROTATION_CONFIDENCE = 1.5  # OSD's own confidence below this: leave the page as it is
LOW_CONFIDENCE = 30.0  # a word recognised worse than this, with no letter or digit: a speck
INSTALL = ("install Tesseract OCR to read scanned pages (Debian/Ubuntu: apt-get install "
           "tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra)")
_LANGUAGES = {"en": "eng", "fr": "fra"}
_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)

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
                image = Path(folder) / f"page-{number}.png"
                width, height = _render(document, number, image)
                if _rotation(image) in (90, 270):
                    width, height = height, width
                rows = _words(image, language)
                found[number] = (rows, width, height)
                if language == "eng+fra":
                    text = " ".join(w.text for row in rows for w in row)
                    if len(text) > 200:
                        language = _LANGUAGES.get(detect(text)[0], language)
    finally:
        document.close()
    return found


def _render(document: Any, number: int, target: Path) -> tuple[float, float]:
    """Write the page as a grey PNG at ``DPI``; return its size in points."""
    page = document[number - 1]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        bitmap.to_pil().save(target)
    finally:
        page.close()
    return float(width), float(height)


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


def _words(image: Path, language: str) -> list[list[_Word]]:
    """The words of the page in Tesseract's reading order, one list per printed line, with
    boxes in points."""
    result = _tesseract(str(image), "stdout", "-l", language, "--psm", "3", "tsv")
    if result.returncode != 0:
        raise OcrFailed(result.stderr.strip().splitlines()[-1] if result.stderr.strip()
                        else f"tesseract exited with code {result.returncode}")
    scale = 72 / DPI
    lines: dict[tuple[int, int, int], list[_Word]] = {}
    heights: dict[tuple[int, int, int], float] = {}
    for row in result.stdout.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        level, block, paragraph, line = (int(cells[i]) for i in (0, 2, 3, 4))
        left, top, width, height = (float(cells[i]) * scale for i in (6, 7, 8, 9))
        key = (block, paragraph, line)
        if level == 4:
            heights[key] = height
            continue
        text, confidence = cells[11].strip(), float(cells[10])
        if level != 5 or not text:
            continue
        if confidence < LOW_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        lines.setdefault(key, []).append(_Word(
            text=text, x0=left, x1=left + width, top=top, bottom=top + height, size=0.0,
            bold=False))
    rows = []
    for key, words in lines.items():
        size = round(heights.get(key, 12.0) / 1.2 * 2) / 2  # a line box is about 1.2 em
        for word in words:
            word.size = size
        rows.append(sorted(words, key=lambda w: w.x0))
    return rows
