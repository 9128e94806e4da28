"""Every format an analyst receives: saved web pages, Word files, addresses, turned and
scanned PDFs, standard input of a stated format.

Synthetic fixtures are our own words; held-out documents (../shared/eval/dev) are turned into
pages and Word files at test time, and those tests skip when ../shared is absent.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import format_fixtures as ff
from communique_nlp.apps.evaluate import Counts, score_document
from communique_nlp.cli import app
from communique_nlp.errors import InputError
from communique_nlp.pipeline import parse
from communique_nlp.stages.fetch import fetch, read_url_list
from communique_nlp.stages.ingest import ingest_bytes
from communique_nlp.stages.markup import read_html, strip_site_suffix

runner = CliRunner()

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ministers agree to act on online harms | Ministry of Examples</title>
<meta property="og:title" content="Ministers agree to act on online harms - Ministry of Examples">
<meta property="article:published_time" content="2024-03-02T10:00:00+01:00">
</head><body>
<div class="cookie-consent">We use cookies for terrorism statistics. Accept cookies.</div>
<header><a href="/">Ministry of Examples</a><nav><ul><li>Home</li><li>Cybercrime</li></ul></nav>
</header>
<main><article>
<header><h1>Ministers agree to act on online harms</h1>
<p>Published <time datetime="2024-03-01">1 March 2024</time></p></header>
<p>LISBON, 1 March 2024 - Ministers met today to discuss the fight against terrorism online and
the encryption of communications.</p>
<h2>What ministers agreed</h2>
<p>Ministers committed to:</p>
<ol><li>share evidence across borders <a href="#">faster</a>;</li>
<li>support victims of online harms.</li></ol>
<h3>Figures</h3>
<table><tr><th>Year</th><th>Cases</th></tr><tr><td>2023</td><td>120</td></tr></table>
<div class="social-share">Share on X</div>
</article>
<aside><h2>Related</h2><ul><li>Migrant smuggling: new rules</li></ul></aside>
</main>
<footer><p>Terms and conditions</p></footer>
</body></html>
"""
CHROME_WORDS = ("cookies", "Home", "Cybercrime", "Share on X", "Related", "Migrant smuggling",
                "Terms and conditions")


def test_html_structure_comes_from_the_markup() -> None:
    page = read_html(PAGE, "page.html")
    assert page.title == "Ministers agree to act on online harms"
    assert page.date == "2024-03-01"  # the article's <time> before the page's metadata
    lines = page.text.strip().split("\n\n")
    assert "## What ministers agreed" in lines and "### Figures" in lines
    assert "1. share evidence across borders faster;" in lines
    assert "2. support victims of online harms." in lines
    assert "Year | Cases" in lines and "2023 | 120" in lines
    for word in CHROME_WORDS:
        assert word not in page.text, word


def test_html_extraction_keeps_chrome_out_of_sections_and_themes(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, "utf-8")
    data = parse(path).as_dict()
    assert data["document"]["title"] == "Ministers agree to act on online harms"
    assert data["document"]["date"] == "2024-03-01"
    headings = [s["heading"] for s in data["sections"]]
    assert "What ministers agreed" in headings and "Related" not in headings
    bullets = [b["text"] for s in data["sections"] for b in s["bullets"]]
    assert bullets == ["share evidence across borders faster;",
                       "support victims of online harms."]
    themes = {t["id"] for t in data["themes"]}
    assert "cybercrime" not in themes and "migrant_smuggling" not in themes
    assert {"terrorism", "encryption"} <= themes


def test_metadata_gives_title_and_date_when_the_article_does_not() -> None:
    page = read_html("<html><head><title>Statement on cyber resilience – GOV.EX</title>"
                     "<meta name='dcterms.issued' content='2019-11-05'></head><body>"
                     "<p>The statement text, long enough to be a paragraph.</p></body></html>",
                     "x.html")
    assert page.title == "Statement on cyber resilience"
    assert page.date == "2019-11-05"


def test_a_modified_date_is_not_the_release_date() -> None:
    page = read_html("<html><head><meta name='dcterms.issued' content='2023-06-29'></head>"
                     "<body><main class='container with-sidebar'><h1>Ministers meet in Ottawa"
                     "</h1><p>The release text.</p><section class='pagedetails'><dl><dt>Date "
                     "modified:</dt><dd><time property='dateModified'>2024-01-02</time></dd>"
                     "</dl></section></main></body></html>", "x.html")
    assert page.date == "2023-06-29"
    assert page.text == "# Ministers meet in Ottawa\n\nThe release text.\n"


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Joint statement | Canada.ca", None, "Joint statement"),
    ("G7 - Interior ministers meet - GOV.UK", None, "G7 - Interior ministers meet"),
    ("Council adopts - Consilium", "Consilium", "Council adopts"),
    ("Five Country Ministerial 2023", None, "Five Country Ministerial 2023"),
])
def test_site_suffix_is_stripped(title: str, site: str | None, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


def test_markdown_keeps_its_heading_and_list_structure(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Ministers meet on online safety\n\nMinisters met in Rome on 3 May 2022 "
                    "to discuss terrorism online.\n\n## Next steps\n\nMinisters will:\n\n"
                    "- publish a plan against terrorist content;\n- meet again in 2023.\n",
                    "utf-8")
    data = parse(path).as_dict()
    assert data["document"]["title"] == "Ministers meet on online safety"
    assert [s["heading"] for s in data["sections"]][-1] == "Next steps"
    assert [b["text"] for b in data["sections"][-1]["bullets"]] == [
        "publish a plan against terrorist content;", "meet again in 2023."]


def test_lxml_is_imported_only_for_html(tmp_path: Path) -> None:
    text = tmp_path / "x.txt"
    text.write_text("Ministers met in Paris.\n", "utf-8")
    code = ("import sys; from pathlib import Path; from communique_nlp.pipeline import parse\n"
            f"parse(Path({str(text)!r})); print('lxml' in sys.modules, 'docx' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False"]


def test_stdin_format_is_stated(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", "-", "--input-format", "html"], input=PAGE)
    assert result.exit_code == 0, result.stderr
    assert "title: Ministers agree to act on online harms" in result.stdout
    assert "Terms and conditions" not in result.stdout
    bad = runner.invoke(app, ["parse", "-", "--input-format", "pdf"], input="x")
    assert bad.exit_code == 2 and "--input-format must be one of" in bad.stderr


# --- Word ------------------------------------------------------------------------------------


def _word_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Joint statement on cyber resilience", style="Title")
    document.add_paragraph("OTTAWA, June 3, 2021 - Ministers met to discuss cybercrime and "
                           "ransomware attacks on hospitals.")
    document.add_heading("Commitments", level=1)
    document.add_paragraph("Ministers committed to:")
    document.add_paragraph("share threat information on ransomware;", style="List Bullet")
    document.add_paragraph("train investigators together.", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Country", "Lead"), ("Canada", "RCMP")), strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_word_styles_give_title_headings_items_and_rows(tmp_path: Path) -> None:
    data = parse(_word_file(tmp_path / "statement.docx")).as_dict()
    assert data["source"]["format"] == "docx"
    assert data["document"]["title"] == "Joint statement on cyber resilience"
    section = next(s for s in data["sections"] if s["heading"] == "Commitments")
    assert [b["text"] for b in section["bullets"]] == [
        "share threat information on ransomware;", "train investigators together."]
    paragraphs = [p for s in data["sections"] for p in s["text"].split("\n\n")]
    assert "Country | Lead" in paragraphs and "Canada | RCMP" in paragraphs


def test_damaged_word_file_is_one_clear_line(tmp_path: Path) -> None:
    whole = _word_file(tmp_path / "whole.docx").read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(whole[: len(whole) // 2])
    fake = tmp_path / "fake.docx"
    fake.write_text("not a word file", "utf-8")
    for path in (broken, fake):
        result = runner.invoke(app, ["parse", str(path)])
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and str(path) in result.stderr
        assert "Word" in result.stderr and "Traceback" not in result.stderr


# --- addresses -------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        routes = {"/page": ("text/html; charset=utf-8", PAGE.encode("utf-8")),
                  "/slow": ("text/html", b"<p>late</p>")}
        if self.path == "/release.pdf":
            routes[self.path] = ("application/pdf", self.server.pdf)  # type: ignore[attr-defined]
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        kind, body = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[str]:
    import fpdf

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Ministers met in Rome and agreed to fight cybercrime together.")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Handler, directory=str(tmp_path)))
    server.pdf = bytes(pdf.output())  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_address_gives_the_same_extraction_as_the_saved_page(site: str,
                                                                 tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(PAGE, "utf-8")
    by_file = parse(saved).as_dict()
    for address in (f"{site}/page", f"{site}/moved"):  # a redirect is followed
        fetched = parse(address).as_dict()
        assert fetched["source"]["path"] == address
        assert {**fetched, "source": None} == {**by_file, "source": None}


def test_an_address_is_read_by_its_content_type(site: str) -> None:
    data = parse(f"{site}/release.pdf").as_dict()
    assert data["source"]["format"] == "pdf"
    assert "cybercrime" in {t["id"] for t in data["themes"]}


def test_fetch_failures_are_one_line_and_exit_1(site: str) -> None:
    for address, problem in ((f"{site}/missing", "HTTP 404"),
                             ("http://no-such-host.invalid/x", "unknown host")):
        result = runner.invoke(app, ["parse", address])
        assert result.exit_code == 1, result.stderr
        assert result.stderr.count("\n") == 1 and address in result.stderr
        assert problem in result.stderr


def test_fetch_has_a_timeout_and_a_size_cap(site: str) -> None:
    with pytest.raises(InputError, match="timed out"):
        fetch(f"{site}/slow", max_bytes=10_000, timeout=0.5)
    with pytest.raises(InputError, match="over the 100-byte limit"):
        fetch(f"{site}/page", max_bytes=100)


def test_batch_reads_a_list_of_addresses(site: str, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# releases\n{site}/page\n\n{site}/missing\n", "utf-8")
    assert read_url_list(listing) == [f"{site}/page", f"{site}/missing"]
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", "--urls", str(listing), "-o", str(out), "-w", "1",
                                 "-q"])
    assert result.exit_code == 1
    assert f"{site}/missing: HTTP 404" in result.stderr
    outputs = sorted(p.name for p in out.glob("*.yaml") if p.name != "manifest.yaml")
    assert len(outputs) == 1 and outputs[0].startswith("127.0.0.1_")
    assert f"path: {site}/page" in (out / outputs[0]).read_text("utf-8")
    manifest = (out / "manifest.yaml").read_text("utf-8")
    assert "status: ok" in manifest and "status: failed" in manifest
    bad = tmp_path / "bad.txt"
    bad.write_text("ftp://example.invalid/x\n", "utf-8")
    refused = runner.invoke(app, ["batch", "--urls", str(bad), "-o", str(out)])
    assert refused.exit_code == 2 and "line 1 is not an http(s) address" in refused.stderr


# --- PDF pages turned a quarter, and scans -----------------------------------------------------


TEXT = ("Ministers agree to fight cybercrime\n\nMinisters of the interior met in Vienna on "
        "4 May 2022 and agreed to work together against ransomware and terrorism online.\n\n"
        "Next steps\n\nMinisters committed to:\n\n• share evidence on ransomware groups;\n\n"
        "• train investigators in Austria and Italy.\n")


def _typeset(path: Path) -> Path:
    import pdf_fixtures

    if pdf_fixtures.dejavu_fonts() is None:
        pytest.skip(f"DejaVu Sans is not installed ({pdf_fixtures.FONT_PACKAGE})")
    options = pdf_fixtures.Options(split_sentence=False, heading_at_foot=False,
                                   two_column=False)
    return pdf_fixtures.render_text(TEXT, path, options)


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_page_turned_a_quarter_is_read_upright(tmp_path: Path, degrees: int) -> None:
    upright = parse(_typeset(tmp_path / "upright.pdf")).as_dict()
    turned = parse(ff.turned(tmp_path / "upright.pdf", tmp_path / "turned.pdf",
                             degrees)).as_dict()
    assert turned["sections"] == upright["sections"]
    assert "agreed to work together against ransomware" in turned["sections"][0]["text"]


def test_text_printed_sideways_is_read(tmp_path: Path) -> None:
    import fpdf

    pdf = fpdf.FPDF(orientation="P")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    with pdf.rotation(90, x=105, y=148):  # a landscape table page printed on portrait paper
        pdf.set_xy(40, 140)
        pdf.multi_cell(130, 7, "Ministers agreed to counter terrorism and to meet again "
                               "in Vienna next year.")
    pdf.output(str(tmp_path / "sideways.pdf"))
    data = parse(tmp_path / "sideways.pdf").as_dict()
    assert "Ministers agreed to counter terrorism and to meet again in Vienna next year." in \
        data["sections"][0]["text"]


def test_scanned_pages_without_tesseract_are_named(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import fpdf
    from PIL import Image

    from communique_nlp.stages import ocr

    monkeypatch.setattr(ocr, "available_languages", set)  # a machine without Tesseract
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Ministers agreed to counter terrorism together.")
    pdf.add_page()
    pdf.image(Image.new("L", (400, 300), 255), x=20, y=20, w=170)
    pdf.output(str(tmp_path / "mixed.pdf"))
    data = parse(tmp_path / "mixed.pdf").as_dict()
    assert "counter terrorism" in data["sections"][0]["text"]
    assert "ocr" not in data["source"]
    assert any(w.startswith("page 2 scanned (no text layer) and not read: install Tesseract")
               for w in data["warnings"])


def _tesseract() -> None:
    from communique_nlp.stages.ocr import available_languages

    if not {"eng", "fra"} <= available_languages():
        pytest.skip("Tesseract with English and French is not installed")


@pytest.mark.parametrize("settings", [{}, {"turn": 90}, {"skew": 1.0, "noise": 150},
                                      {"skew": 1.5, "noise": 400}],
                         ids=["upright", "turned", "skewed", "skewed-dirty"])
def test_a_scan_is_read_by_ocr(tmp_path: Path, settings: dict[str, Any]) -> None:
    _tesseract()
    text = parse(_typeset(tmp_path / "text.pdf")).as_dict()
    scan = parse(ff.scanned(tmp_path / "text.pdf", tmp_path / "scan.pdf", **settings))
    data = scan.as_dict()
    assert data["source"]["ocr"] is True and "ocr" not in text["source"]
    assert any("read by OCR" in w for w in data["warnings"])
    assert data["document"]["language"] == "en"
    assert data["document"]["countries"] == text["document"]["countries"] == ["AT", "IT"]
    assert [t["id"] for t in data["themes"]] == [t["id"] for t in text["themes"]]
    bullets = [b["text"] for s in data["sections"] for b in s["bullets"]]
    assert bullets == ["share evidence on ransomware groups;",
                       "train investigators in Austria and Italy."]


def test_specks_are_wiped_and_stops_dots_and_colons_kept(tmp_path: Path) -> None:
    import numpy
    from PIL import Image

    from communique_nlp.stages.ocr import _despeckle

    page = numpy.full((200, 300), 255, dtype=numpy.uint8)
    page[40:80, 40:48] = 0  # a letter's stem...
    page[74:80, 54:60] = 0  # ...and the full stop after it
    page[30:35, 40:46] = 0  # the dot over an 'i'
    page[40:46, 150:156] = 0  # a colon's two dots, apart from any letter
    page[58:64, 150:156] = 0
    page[150:155, 100:105] = 0  # a speck of a stop's size, alone
    page[160:163, 200:203] = 0  # a smaller speck, alone
    page[86:88, 41:43] = 0  # a speck smaller than any stop, just under the stem
    image = tmp_path / "page.pgm"
    Image.fromarray(page).save(image)
    _despeckle(image)
    clean = numpy.asarray(Image.open(image))
    for rows, columns in (((40, 80), (40, 48)), ((74, 80), (54, 60)), ((30, 35), (40, 46)),
                          ((40, 46), (150, 156)), ((58, 64), (150, 156))):
        assert (clean[slice(*rows), slice(*columns)] == 0).all()
    for rows, columns in (((150, 155), (100, 105)), ((160, 163), (200, 203)),
                          ((81, 83), (41, 43))):
        assert (clean[slice(*rows), slice(*columns)] == 255).all()


# --- held-out documents as pages and Word files -------------------------------------------------


def _dev_documents(dev_dir: Path) -> list[Path]:
    return sorted(p for p in dev_dir.glob("*.txt") if p.with_name(p.name + ".gold.yaml").exists())


def _scores(dev_dir: Path, tmp_path: Path,
            kind: str) -> tuple[dict[str, Counts], dict[str, list[int]], list[str]]:
    counts = {"headings": Counts(), "bullets": Counts()}
    accuracy: dict[str, list[int]] = {"title": [0, 0], "date": [0, 0]}
    leaks: list[str] = []
    for document in _dev_documents(dev_dir):
        gold = ff.load_gold(document)
        items = ff.gold_items(document, gold)
        if kind == "html":
            path = tmp_path / (document.stem + ".html")
            date = str(gold["date"]) if gold.get("date") else None
            path.write_text(ff.html_page(items, date), "utf-8")
        else:
            path = ff.docx_file(items, tmp_path / (document.stem + ".docx"))
        data = parse(path).as_dict()
        score = score_document(gold, data)
        for key, value in counts.items():
            value.add(score.counts[key])
        for key, pair in accuracy.items():
            pair[0] += score.accuracy[key].correct
            pair[1] += score.accuracy[key].n
        own = document.read_text("utf-8").casefold()
        places = [f"{s['heading'] or ''} {s['text']} " + " ".join(b["text"] for b in s["bullets"])
                  for s in data["sections"] if s["kind"] != "boilerplate"]
        places += [e["text"] for t in data["themes"] for e in t["evidence"]]
        leaks += [f"{document.name}: {c}" for c in ff.chrome_texts() for place in places
                  if c in place and c.casefold() not in own]
    return counts, accuracy, leaks


@pytest.mark.slow
def test_held_out_pages_give_the_markup_structure(dev_dir: Path, tmp_path: Path) -> None:
    counts, accuracy, leaks = _scores(dev_dir, tmp_path, "html")
    for key, value in counts.items():
        assert value.f1 >= 0.95, (key, value.as_dict())
    for key, (correct, n) in accuracy.items():
        assert n and correct / n >= 0.95, (key, correct, n)
    assert leaks == []


@pytest.mark.slow
def test_held_out_word_files_give_the_style_structure(dev_dir: Path, tmp_path: Path) -> None:
    counts, accuracy, _ = _scores(dev_dir, tmp_path, "docx")
    for key, value in counts.items():
        assert value.f1 >= 0.95, (key, value.as_dict())
    correct, n = accuracy["title"]
    assert n and correct / n >= 0.95


def test_plain_html_bytes_still_read() -> None:
    assert ingest_bytes(b"<p>Ministers met.</p>", fmt="html").text == "Ministers met.\n"
