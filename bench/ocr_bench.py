"""Seconds per page to read a scanned PDF by OCR (render, orientation, recognition, rebuild).

Typesets corpus releases with the tests' typesetter, scans them at run time (image-only PDFs:
upright, and turned a quarter) and times ``parse`` on each. Run:
``python bench/ocr_bench.py [--documents N]``. Needs Tesseract (tesseract-ocr, -eng, -fra),
fpdf2 and DejaVu Sans; says so and stops when one is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import format_fixtures  # noqa: E402 - the tests' scanner, found through the path set above
import pdf_fixtures  # noqa: E402
from communique_nlp.pipeline import parse  # noqa: E402
from communique_nlp.stages.ocr import available_languages  # noqa: E402

SOURCES = ("news-release-en.txt", "cnw-fr-communique-de-presse.txt",
           "fcm-2026-communique-en.txt", "g7-chair-summary-fr.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2)
    args = parser.parse_args()
    if not {"eng", "fra"} <= available_languages():
        print("OCR: Tesseract with eng and fra is not installed (Debian: tesseract-ocr "
              "tesseract-ocr-eng tesseract-ocr-fra): skipped")
        return
    if pdf_fixtures.dejavu_fonts() is None:
        print(f"OCR: DejaVu Sans is not installed ({pdf_fixtures.FONT_PACKAGE}): skipped")
        return
    options = pdf_fixtures.Options(split_sentence=False, heading_at_foot=False,
                                   two_column=False)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for turn in (0, 90):
            pages = 0
            seconds = 0.0
            for name in SOURCES[: args.documents]:
                pdf = pdf_fixtures.render_corpus(name, folder / f"{name}.pdf", options)
                scan = format_fixtures.scanned(pdf, folder / f"{name}.scan.pdf", turn=turn)
                started = time.perf_counter()
                data = parse(scan).as_dict()
                seconds += time.perf_counter() - started
                pages += int(data["source"]["pages"])
            label = "upright" if not turn else f"turned {turn}°"
            print(f"OCR, {label}: {seconds / max(pages, 1):5.1f} s a page "
                  f"({pages} pages, {seconds:.1f} s)")


if __name__ == "__main__":
    main()
