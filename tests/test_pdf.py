"""PDF input: a PDF must give the extraction an analyst gets from a clean copy of its text.

Fixtures are typeset from corpus documents by ``pdf_fixtures`` (fpdf2, into ``tmp_path``):
bold headings, '•' bullets with hanging indents, hyphenated line ends, a running header with a
classification mark, page numbers, a two-column page, a heading at the foot of a page and a
sentence across a page break. Bad PDFs are built in the tests too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import pdf_fixtures
from communique_nlp import parse
from communique_nlp.apps.evaluate import match_items, normalise_heading, normalise_text
from communique_nlp.cli import app
from communique_nlp.errors import InputError
from communique_nlp.stages.pdf import read_pdf

fpdf = pytest.importorskip("fpdf")

CORPUS = pdf_fixtures.ROOT / "corpus"
DOCUMENTS = [
    "fcm-2026-communique-en.txt",
    "fcm-2026-communique-fr.txt",
    "news-release-en.txt",
    "cnw-fr-communique-de-presse.txt",
    "fcm-2027-communique-en.txt",
    "g7-chair-summary-fr.txt",
    "statement-fr-repression.txt",
    "bilingual-statement.txt",
    "offtopic-wildfire-en.txt",
]
CHROME = re.compile(r"UNCLASSIFIED|Page \d+ of \d+|^- \d+ -$", re.MULTILINE)


@pytest.fixture(scope="session")
def fonts() -> tuple[Path, Path]:
    found = pdf_fixtures.dejavu_fonts()
    if found is None:
        pytest.skip("DejaVu Sans is not installed: fpdf2 needs a Unicode TTF font for the PDF "
                    f"fixtures (Debian/Ubuntu: apt-get install {pdf_fixtures.FONT_PACKAGE})")
    return found


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory,
          fonts: tuple[Path, Path]) -> dict[str, Path]:
    """Every comparison document typeset once per session; one uses '- N -' page numbers."""
    folder = tmp_path_factory.mktemp("pdf")
    result = {}
    for name in DOCUMENTS:
        items = pdf_fixtures.read_items((CORPUS / name).read_text(encoding="utf-8"))
        options = pdf_fixtures.Options(
            footer="- {page} -" if "fr" in name.split("-") else "Page {page} of {pages}")
        result[name] = pdf_fixtures.render_items(items, folder / name.replace(".txt", ".pdf"),
                                                 options, fonts)
    return result


@pytest.fixture(scope="session")
def extractions(built: dict[str, Path]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    return {name: (parse(CORPUS / name).as_dict(), parse(pdf).as_dict())
            for name, pdf in built.items()}


def _bullets(extraction: dict[str, Any]) -> list[str]:
    return [b["text"] for s in extraction["sections"] for b in s["bullets"]]


def _assert_items_match(expected: list[str], found: list[str], what: str) -> None:
    pairs = match_items(expected, found)
    assert len(pairs) == len(expected) == len(found), (
        f"{what} differ:\n  text: {expected}\n  pdf:  {found}")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_extraction_equals_text_extraction(
        name: str, extractions: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    text, pdf = extractions[name]
    assert normalise_text(pdf["document"]["title"] or "") == normalise_text(
        text["document"]["title"] or "")
    assert [(normalise_heading(s["heading"] or ""), s["kind"]) for s in pdf["sections"]] == [
        (normalise_heading(s["heading"] or ""), s["kind"]) for s in text["sections"]]
    _assert_items_match(_bullets(text), _bullets(pdf), "bullets")
    _assert_items_match([c["text"] for c in text["commitments"]],
                        [c["text"] for c in pdf["commitments"]], "commitments")
    assert sorted(t["id"] for t in pdf["themes"]) == sorted(t["id"] for t in text["themes"])
    assert pdf["document"]["language"] == text["document"]["language"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_source_and_no_page_chrome_in_sections(
        name: str, built: dict[str, Path],
        extractions: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    text, pdf = extractions[name]
    import pdfplumber

    with pdfplumber.open(built[name]) as document:
        pages = len(document.pages)
    assert pages >= 2
    assert pdf["source"]["format"] == "pdf"
    assert pdf["source"]["pages"] == pages
    header = pdf_fixtures.default_header(
        pdf_fixtures.read_items((CORPUS / name).read_text(encoding="utf-8")))

    def texts(extraction: dict[str, Any]) -> list[str]:
        return [t for s in extraction["sections"]
                for t in [s["text"], *(b["text"] for b in s["bullets"])]]

    for found in texts(pdf):
        assert not CHROME.search(found), found
    # the running header (the title) is gone; the title itself may stay where the text has it
    assert sum(t.count(header) for t in texts(pdf)) == sum(t.count(header) for t in texts(text))


def _expected_markdown(items: list[pdf_fixtures.Item]) -> list[str]:
    """What read_pdf must give for typeset items: one block per item, in order."""
    lines = []
    for item in items:
        if item.kind in ("title", "heading"):
            lines.append("# " + item.text)
        elif item.kind == "bullet":
            lines.append("• " + item.text)
        elif re.match(r"[-–—] ", item.text):
            lines.append("• " + item.text[2:])
        else:
            lines.append(item.text)
    return lines


@pytest.mark.parametrize("name", DOCUMENTS[:4])
def test_read_pdf_rebuilds_every_block(name: str, built: dict[str, Path]) -> None:
    """Headings (one wrapped over two lines in a column), hanging-indent bullets, the sentence
    across a page break, the two-column page and the hyphenated words all come back whole."""
    items = pdf_fixtures.read_items((CORPUS / name).read_text(encoding="utf-8"))
    text, pages = read_pdf(built[name], name)[:2]
    assert pages >= 3
    assert "\f" in text  # pages are marked for normalise
    assert [line.strip("\f") for line in text.split("\n") if line] == _expected_markdown(items)


def test_read_pdf_tables_as_rows(tmp_path: Path, fonts: tuple[Path, Path]) -> None:
    table = [["Pays", "Ministre"], ["Canada", "Ministre de la Sécurité publique"],
             ["Australie", "Ministre de l’Intérieur"]]
    items = pdf_fixtures.read_items((CORPUS / DOCUMENTS[1]).read_text(encoding="utf-8"))
    pdf = pdf_fixtures.render_items(items, tmp_path / "table.pdf",
                                    pdf_fixtures.Options(table=table), fonts)
    lines = [line.strip("\f") for line in read_pdf(pdf, "table.pdf")[0].split("\n") if line]
    rows = [" | ".join(row) for row in table]
    start = lines.index(rows[0])
    assert lines[start:start + 3] == rows
    assert [line for line in lines if line not in rows] == _expected_markdown(items)


def _hand_set(path: Path, fonts: tuple[Path, Path], lines: list[str]) -> Path:
    """One page, lines placed one under the other exactly as given (hand-made line ends)."""
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(fonts[0]))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    for index, line in enumerate(lines):
        pdf.set_xy(56, 80 + 15 * index)
        pdf.cell(0, 15, line)
    pdf.output(str(path))
    return path


def test_hyphenation_undone_but_real_compounds_kept(tmp_path: Path,
                                                    fonts: tuple[Path, Path]) -> None:
    pdf = _hand_set(tmp_path / "hyphens.pdf", fonts, [
        "Les ministres ont renforcé leur coopé-",
        "ration contre les cyber-",
        "attaques et ont salué les garde-",
        "côtes. Les garde-côtes et les anti-",
        "terroristes du Royaume-",
        "Uni se sont engagés à lutter contre la cybercrimi-",
        "nalité.",
    ])
    text = read_pdf(pdf, "hyphens.pdf")[0]
    assert text == (
        "Les ministres ont renforcé leur coopération contre les cyber-attaques et ont salué "
        "les garde-côtes. Les garde-côtes et les anti-terroristes du Royaume-Uni se sont "
        "engagés à lutter contre la cybercriminalité.\n")


def test_indents_numbers_glyphs_and_justified_text(tmp_path: Path,
                                                   fonts: tuple[Path, Path]) -> None:
    """First-line indents without paragraph spacing, justified lines, tab-set numbers,
    indented '◦' sub-items and a dash item, as word processors print them."""
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(fonts[0]))
    pdf.add_font("DejaVu", "B", str(fonts[1]))
    pdf.set_margins(60, 60, 60)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 14, "Priorities for the coming year", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    paragraph = ("The terrorist threat to our countries has become more diffuse. Lone actors, "
                 "many of them teenagers, now move from online grievance communities to attack "
                 "planning within weeks.")
    for _ in range(2):
        pdf.multi_cell(0, 14, "        " + paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
    items = ["share data on the age and online pathways of minors investigated for terrorism "
             "offences, within the limits of national law;", "develop common indicators;"]
    for number, item in enumerate(items, start=1):
        pdf.set_x(72)
        pdf.cell(20, 14, f"{number}.")
        pdf.multi_cell(0, 14, item, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(92)
    pdf.cell(14, 14, "◦")
    pdf.multi_cell(0, 14, "a sub-item long enough to wrap onto a second line of the page, for "
                          "sure, as long as it needs to be", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(14, 14, "–")
    pdf.multi_cell(0, 14, "a dash item", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "word.pdf"))
    assert read_pdf(tmp_path / "word.pdf", "word.pdf")[0].split("\n\n") == [
        "# Priorities for the coming year", paragraph, paragraph, f"1. {items[0]}",
        f"2. {items[1]}", "• a sub-item long enough to wrap onto a second line of the page, "
        "for sure, as long as it needs to be", "• a dash item\n"]


def test_pages_are_read_one_at_a_time(monkeypatch: pytest.MonkeyPatch,
                                      built: dict[str, Path]) -> None:
    """Each page's parsed layout is dropped before the next page is read."""
    import communique_nlp.stages.pdf as pdf_module

    read = pdf_module._page_lines
    seen: list[Any] = []

    def spy(page: Any, number: int) -> Any:
        assert not any(hasattr(p, "_layout") or hasattr(p, "_objects") for p in seen)
        seen.append(page)
        return read(page, number)

    monkeypatch.setattr(pdf_module, "_page_lines", spy)
    pages = read_pdf(built[DOCUMENTS[0]], "x.pdf").pages
    assert len(seen) == pages >= 3
    assert not any(hasattr(p, "_layout") for p in seen)


# --- bad PDFs ------------------------------------------------------------------------------


def _simple_pdf(path: Path, *, user_password: str | None = None, pages: int = 1) -> Path:
    pdf = fpdf.FPDF()
    if user_password:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, f"Ministers agreed to act against ransomware. Page {number}.")
    pdf.output(str(path))
    return path


def _image_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((40, 140), "A scanned communique", fill="black")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(image, x=20, y=20, w=170)
    pdf.output(str(path))
    return path


def _bad_pdfs(folder: Path) -> dict[str, tuple[Path, str]]:
    whole = _simple_pdf(folder / "whole.pdf", pages=3).read_bytes()
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 2])
    damaged = folder / "damaged.pdf"
    damaged.write_bytes(whole[:400] + b"\x00garbage" * 300 + b"\n%%EOF\n")
    garbage = folder / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    zero = folder / "zero.pdf"
    zero.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                     b"trailer<</Root 1 0 R>>\n%%EOF\n")
    renamed = folder / "notes.pdf"
    renamed.write_text("Minutes of the meeting, plain text.\n", encoding="utf-8")
    empty = folder / "empty.pdf"
    empty.write_bytes(b"")
    return {
        "truncated": (truncated, "is truncated (the end of the PDF is missing)"),
        "damaged": (damaged, "is damaged or truncated and cannot be read as a PDF"),
        "garbage": (garbage, "is damaged or truncated and cannot be read as a PDF"),
        "zero pages": (zero, "has no pages"),
        "encrypted": (_simple_pdf(folder / "locked.pdf", user_password="secret"),
                      "is encrypted (password-protected); decrypt it first"),
        "image only": (_image_pdf(folder / "scan.pdf"),
                       "has no text layer (a scanned image?); install Tesseract OCR"),
        "text renamed": (renamed, "is not a PDF"),
        "empty": (empty, "empty file"),
    }


BAD = ["truncated", "damaged", "garbage", "zero pages", "encrypted", "image only",
       "text renamed", "empty"]


@pytest.mark.parametrize("case", BAD)
def test_bad_pdf_raises_input_error(case: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from communique_nlp.stages import ocr

    monkeypatch.setattr(ocr, "available_languages", set)  # a machine without Tesseract
    path, wording = _bad_pdfs(tmp_path)[case]
    with pytest.raises(InputError) as caught:
        parse(path)
    assert caught.value.path == str(path)
    assert caught.value.problem.startswith(wording)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("case", BAD)
def test_bad_pdf_on_the_command_line(case: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from communique_nlp.stages import ocr

    monkeypatch.setattr(ocr, "available_languages", set)  # a machine without Tesseract
    path, wording = _bad_pdfs(tmp_path)[case]
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and wording in lines[0]
    assert "Traceback" not in result.stderr


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    """Permissions without a user password do not stop reading: any viewer opens the file."""
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Ministers agreed to cooperate.")
    pdf.output(str(tmp_path / "perms.pdf"))
    assert read_pdf(tmp_path / "perms.pdf", "perms.pdf")[:2] == (
        "Ministers agreed to cooperate.\n", 1)


def test_a_pdf_without_pdf_suffix_is_read_as_pdf(tmp_path: Path) -> None:
    path = _simple_pdf(tmp_path / "release.txt")
    extraction = parse(path).as_dict()
    assert extraction["source"]["format"] == "pdf"
    assert extraction["source"]["pages"] == 1
