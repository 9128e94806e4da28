"""How well each input format keeps a document's structure, on held-out documents.

Every document of ../shared/eval/dev (never trained on) is rebuilt, at run time, as:

1. a saved web page with site chrome (nav, header, footer, cookie banner, share bar, a
   'Related' aside, a <title> with the site's name): headings and bullets F1, title and date
   accuracy against the gold, and the chrome strings found in non-boilerplate sections or in
   theme evidence (must be 0);
2. the same page served on 127.0.0.1 and parsed by address: is the extraction the file's?
3. a Word file: headings and bullets F1, title accuracy;
4. a typeset PDF whose pages are turned a quarter (/Rotate 90): is the text the upright one's?
5. scans of the typeset PDF (upright, turned 90°, skewed 1.5° with noise), read by OCR:
   language, countries and themes as the text layer gives them, commitments and bullets F1
   against the text layer, and seconds per page.

Run: ``python bench/formats_bench.py [--dev DIR] [--scans N]`` (N documents scanned; 0 skips
OCR). Needs ../shared, fpdf2 with DejaVu Sans, python-docx, and Tesseract for the scans.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import format_fixtures as ff  # noqa: E402 - the tests' fixture builders
import pdf_fixtures  # noqa: E402
from communique_nlp.apps.evaluate import Counts, match_items, score_document  # noqa: E402
from communique_nlp.pipeline import parse  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev"


def chrome_leaks(data: dict[str, Any], own_text: str) -> list[str]:
    """Chrome strings found in a non-boilerplate section or in a theme's evidence (but not
    those the document's own text also holds: 'Home' in 'Home Affairs')."""
    places = [(s.get("heading") or "") + "\n" + s["text"] + "\n" + "\n".join(
        b["text"] for b in s["bullets"]) for s in data["sections"] if s["kind"] != "boilerplate"]
    places += [e["text"] for t in data["themes"] for e in t["evidence"]]
    return [c for c in ff.chrome_texts() for place in places
            if c in place and c.casefold() not in own_text.casefold()]


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A web server on 127.0.0.1 for ``folder``; yields its base address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _without_path(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "source": {k: v for k, v in data["source"].items() if k != "path"}}


def _add(total: dict[str, Any], score: Any, prf: tuple[str, ...], acc: tuple[str, ...]) -> None:
    for key in prf:
        total[key].add(score.counts[key])
    for key in acc:
        total[key][0] += score.accuracy[key].correct
        total[key][1] += score.accuracy[key].n


def markup_formats(documents: list[Path], folder: Path) -> None:
    html_total: dict[str, Any] = {"headings": Counts(), "bullets": Counts(), "title": [0, 0],
                                  "date": [0, 0]}
    word_total: dict[str, Any] = {"headings": Counts(), "bullets": Counts(), "title": [0, 0]}
    leaks: list[str] = []
    pages: list[tuple[Path, dict[str, Any]]] = []
    for document in documents:
        gold = ff.load_gold(document)
        items = ff.gold_items(document, gold)
        date = str(gold["date"]) if gold.get("date") else None
        page = folder / (document.stem + ".html")
        page.write_text(ff.html_page(items, date, str(gold.get("language") or "en")), "utf-8")
        data = parse(page).as_dict()
        pages.append((page, data))
        _add(html_total, score_document(gold, data), ("headings", "bullets"), ("title", "date"))
        leaks += [f"{document.name}: {c}" for c in chrome_leaks(data, document.read_text())]
        word = ff.docx_file(items, folder / (document.stem + ".docx"))
        _add(word_total, score_document(gold, parse(word).as_dict()), ("headings", "bullets"),
             ("title",))
    print(f"HTML with site chrome ({len(documents)} dev documents):")
    _print(html_total)
    print(f"  chrome in non-boilerplate sections or theme evidence: {len(leaks)}")
    for leak in leaks[:10]:
        print(f"    {leak}")
    same = 0
    with served(folder) as base:
        for page, data in pages:
            by_address = parse(f"{base}/{page.name}").as_dict()
            same += _without_path(by_address) == _without_path(data)
    print(f"  by address on 127.0.0.1, same extraction as the file: {same}/{len(pages)}")
    print(f"Word (.docx) ({len(documents)} dev documents):")
    _print(word_total)


def _print(total: dict[str, Any]) -> None:
    for key, value in total.items():
        if isinstance(value, Counts):
            print(f"  {key:<9} F1 {value.f1:.3f} (P {value.p:.3f}, R {value.r:.3f}; "
                  f"tp {value.tp}, fp {value.fp}, fn {value.fn})")
        else:
            print(f"  {key:<9} accuracy {value[0] / max(value[1], 1):.3f} ({value[0]}/{value[1]})")


def pdf_formats(documents: list[Path], folder: Path, scans: int) -> None:
    fonts = pdf_fixtures.dejavu_fonts()
    if fonts is None:
        print(f"(PDF: DejaVu Sans is not installed ({pdf_fixtures.FONT_PACKAGE}): skipped)")
        return
    options = dict(split_sentence=False, heading_at_foot=False, two_column=False)
    typeset: list[tuple[Path, Path]] = []
    same = 0
    for document in documents:
        pdf = pdf_fixtures.render_text(document.read_text("utf-8"),
                                       folder / (document.stem + ".pdf"),
                                       pdf_fixtures.Options(**options))  # type: ignore[arg-type]
        typeset.append((document, pdf))
        turned = ff.turned(pdf, folder / (document.stem + ".turned.pdf"))
        upright, sideways = parse(pdf).as_dict(), parse(turned).as_dict()
        same += upright["sections"] == sideways["sections"]
    print(f"PDF turned a quarter (/Rotate 90), same sections as upright: {same}/{len(documents)}")
    if scans <= 0:
        return
    from communique_nlp.stages.ocr import available_languages

    if not {"eng", "fra"} <= available_languages():
        print("(scans: Tesseract with eng and fra is not installed: skipped)")
        return
    variants = {"upright": {}, "turned 90": {"turn": 90},
                "skewed 1.5 + noise": {"skew": 1.5, "noise": 400}}
    for name, settings in variants.items():
        agree = {"language": 0, "countries": 0, "themes": 0}
        commitments, bullets = Counts(), Counts()
        seconds = 0.0
        page_count = 0
        for document, pdf in typeset[:scans]:
            text = parse(pdf).as_dict()
            scan = ff.scanned(pdf, folder / f"{document.stem}.scan.pdf", **settings)
            started = time.perf_counter()
            data = parse(scan).as_dict()
            seconds += time.perf_counter() - started
            page_count += data["source"]["pages"]
            agree["language"] += data["document"]["language"] == text["document"]["language"]
            agree["countries"] += data["document"]["countries"] == text["document"]["countries"]
            agree["themes"] += [t["id"] for t in data["themes"]] == [t["id"] for t in
                                                                    text["themes"]]
            for counts, key in ((commitments, "commitments"), (bullets, "bullets")):
                gold = _items(text, key)
                got = _items(data, key)
                pairs = match_items(gold, got)
                counts.add(Counts(len(pairs), len(got) - len(pairs), len(gold) - len(pairs)))
        n = min(scans, len(typeset))
        print(f"Scan, {name} ({n} documents, {page_count} pages, "
              f"{seconds / max(page_count, 1):.1f} s a page):")
        print("  same as the text layer: " + ", ".join(f"{k} {v}/{n}" for k, v in agree.items()))
        print(f"  commitments F1 against the text layer {commitments.f1:.3f}, bullets F1 "
              f"{bullets.f1:.3f}")


def _items(data: dict[str, Any], key: str) -> list[str]:
    if key == "bullets":
        return [b["text"] for s in data["sections"] for b in s["bullets"]]
    return [c["text"] for c in data[key]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--scans", type=int, default=6, help="documents scanned (0: no OCR)")
    args = parser.parse_args()
    if not args.dev.is_dir():
        raise SystemExit(f"{args.dev}: not present (the held-out documents live in ../shared)")
    documents = sorted(p for p in args.dev.glob("*.txt")
                       if p.with_name(p.name + ".gold.yaml").exists())
    with tempfile.TemporaryDirectory() as folder:
        markup_formats(documents, Path(folder))
        pdf_formats(documents, Path(folder), args.scans)


if __name__ == "__main__":
    main()
