"""Pages per second for PDF input: ``read_pdf`` alone, and the whole ``parse``.

Builds a 50-page PDF from corpus text with fpdf2 (the test fixtures' typesetter) in a temporary
folder, then times both. Run: ``python bench/pdf_bench.py [--pages N] [--repeat R]``.
Needs fpdf2 and the DejaVu Sans font (Debian: fonts-dejavu-core).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pdf_fixtures  # noqa: E402 - the tests' typesetter, found through the path set above

SOURCES = ("fcm-2026-communique-en.txt", "fcm-2026-communique-fr.txt", "news-release-en.txt",
           "cnw-fr-communique-de-presse.txt", "fcm-2027-communique-en.txt",
           "g7-chair-summary-fr.txt")


def build(target: Path, pages: int) -> int:
    """Typeset corpus documents one after the other until the PDF has ``pages`` pages."""
    items: list[pdf_fixtures.Item] = []
    for name in SOURCES:
        items += pdf_fixtures.read_items((ROOT / "corpus" / name).read_text(encoding="utf-8"))
    fonts = pdf_fixtures.dejavu_fonts()
    if fonts is None:
        raise SystemExit(f"DejaVu Sans is not installed (Debian: {pdf_fixtures.FONT_PACKAGE})")
    repeat = -(-pages // 4)  # a source document takes a few pages: print enough of them
    options = pdf_fixtures.Options(repeat=repeat, split_sentence=False, max_pages=pages)
    pdf_fixtures.render_items(items, target, options, fonts)
    return _count_pages(target)


def _count_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def best_of(runs: int, action: object) -> float:
    assert callable(action)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    from communique_nlp import parse
    from communique_nlp.stages.pdf import read_pdf

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bench.pdf"
        pages = build(target, args.pages)
        size = target.stat().st_size
        parse(target)  # warm up: model assets, spaCy
        read = best_of(args.repeat, lambda: read_pdf(target, str(target)))
        full = best_of(args.repeat, lambda: parse(target))
    print(f"pdf: {pages} pages of corpus text, {size:,} bytes")
    print(f"read_pdf: {pages / read:8.1f} pages/s ({read:.2f} s)")
    print(f"parse:    {pages / full:8.1f} pages/s ({full:.2f} s)")


if __name__ == "__main__":
    main()
