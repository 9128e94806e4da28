"""Build PDF fixtures from corpus documents with fpdf2, so no binary PDF is ever committed.

A corpus ``.txt`` (one paragraph per line: a title line, headings = short lines without final
punctuation followed by text, '•'/'-' bullets, paragraphs) is typeset the way ministries print
their releases: title and headings bold and larger, '•' bullets with a hanging indent, ragged
right with words hyphenated at line ends, a running header (with a classification mark) and a
'Page N of M' footer on every page. On request the layout also puts one section on a
two-column page, a heading at the foot of a page and a sentence across a page break, the
places where naive text extraction goes wrong.

fpdf2 needs a Unicode TTF font for French: DejaVu Sans (Debian package ``fonts-dejavu-core``).
When it is missing, ``dejavu_fonts()`` returns ``None`` and the tests skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FONT_PACKAGE = "fonts-dejavu-core"
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
              Path("/usr/share/fonts/TTF"), Path("/usr/local/share/fonts"),
              Path("/Library/Fonts"), Path.home() / ".fonts")
_TERMINAL = ".,;:!?»\"”)…"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# page geometry, in points (A4)
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X, TOP, BOTTOM = 56.7, 72.0, PAGE_H - 70.0
GUTTER = 24.0
STYLES = {  # name: (bold, size, line height, space before)
    "title": (True, 17.0, 22.0, 0.0),
    "heading": (True, 13.0, 17.0, 12.0),
    "body": (False, 11.0, 15.0, 7.0),
    "bullet": (False, 11.0, 15.0, 3.0),
}
BULLET_INDENT = 16.0


def dejavu_fonts() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, from fontconfig or the usual folders; None if absent."""
    found: dict[str, Path] = {}
    if shutil.which("fc-list"):
        try:
            listing = subprocess.run(["fc-list", ":", "file"], capture_output=True, text=True,
                                     timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        for line in listing.splitlines():
            path = Path(line.split(":")[0].strip())
            if path.name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
                found.setdefault(path.name, path)
    for folder in _FONT_DIRS:
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            if (folder / name).is_file():
                found.setdefault(name, folder / name)
    if "DejaVuSans.ttf" in found and "DejaVuSans-Bold.ttf" in found:
        return found["DejaVuSans.ttf"], found["DejaVuSans-Bold.ttf"]
    return None


@dataclass(frozen=True)
class Item:
    """One block of the source text: title | heading | bullet | para."""

    kind: str
    text: str


def read_items(text: str) -> list[Item]:
    """Classify the lines of a one-paragraph-per-line corpus text."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    items: list[Item] = []
    for index, line in enumerate(lines):
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        prev = items[-1] if items else None
        if index == 0 and len(line) <= 200 and not line.endswith(tuple(_TERMINAL)):
            items.append(Item("title", line))
        elif line.startswith("•") or (line.startswith(("- ", "* ")) and prev is not None and (
                prev.kind == "bullet" or prev.text.endswith(":"))):
            items.append(Item("bullet", line[1:].strip()))
        elif _is_heading(line, nxt):
            items.append(Item("heading", line))
        else:
            items.append(Item("para", line))
    return items


def _is_heading(line: str, nxt: str | None) -> bool:
    if nxt is None or len(line) > 120 or len(line.split()) > 16 or _YEAR.search(line):
        return False
    if line.endswith(tuple(_TERMINAL)) or not (line[0].isupper() or line[0].isdigit()):
        return False
    # followed by text: a list, or a paragraph that ends like a sentence
    return nxt.startswith(("•", "- ")) or (len(nxt) > 60 and nxt.endswith(tuple(_TERMINAL)))


@dataclass
class Options:
    header: str | None = None  # running header; default: the title
    mark: str = "UNCLASSIFIED"  # classification printed at the top right of every page
    footer: str = "Page {page} of {pages}"  # or '- {page} -'
    hyphenate: bool = True
    split_sentence: bool = True  # the first long paragraph runs across a page break
    heading_at_foot: bool = True  # the next heading is printed at the foot of a page
    two_column: bool = True  # the section after that is set in two columns on its own page
    table: Sequence[Sequence[str]] | None = None  # a ruled table, after the first heading's text
    repeat: int = 1  # print the document this many times (for the benchmark)
    max_pages: int | None = None  # stop typesetting when this page is full
    user_password: str | None = None
    compounds: frozenset[str] = field(default_factory=frozenset)


class _Full(Exception):
    """The document has reached ``Options.max_pages``."""


@dataclass
class _Line:
    text: str
    style: str
    indent: float = 0.0
    glyph: str | None = None
    space_before: float = 0.0
    tag: str = ""  # 'split' on a paragraph's first line; 'foot' on a heading


def compound_prefixes() -> frozenset[str]:
    data = yaml.safe_load((ROOT / "models" / "layout.yaml").read_text(encoding="utf-8"))
    return frozenset(str(p).lower() for p in data["compound_prefixes"])


class Typesetter:
    """A small layout engine: wrapped lines placed in columns and pages, chrome on each page."""

    def __init__(self, options: Options, fonts: tuple[Path, Path]) -> None:
        from fpdf import FPDF

        self.options = options
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN_X, TOP, MARGIN_X)
        self.pdf.add_font("DejaVu", "", str(fonts[0]))
        self.pdf.add_font("DejaVu", "B", str(fonts[1]))
        self.pdf.alias_nb_pages()
        self.header = options.header or ""
        self.columns = 1
        self.column = 0
        self.y = TOP
        self.at_top = True

    # text measuring and wrapping
    def use(self, style: str) -> float:
        bold, size, height, _ = STYLES[style]
        self.pdf.set_font("DejaVu", "B" if bold else "", size)
        return height

    def wrap(self, text: str, width: float, style: str) -> list[str]:
        self.use(style)
        measure = self.pdf.get_string_width
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}" if current else word
            if measure(trial) <= width:
                current = trial
                continue
            room = width - measure(current + " ") if current else width
            head, tail = self.split_word(word, room) if style in ("body", "bullet") else ("", word)
            if head:
                lines.append(f"{current} {head}" if current else head)
                current = tail
            else:
                if current:
                    lines.append(current)
                current = word
        if current:
            lines.append(current)
        return lines

    def split_word(self, word: str, room: float) -> tuple[str, str]:
        """Hyphenate a long word at the line end, as typesetters do (never after a prefix
        that would make the break look like a real compound)."""
        if not self.options.hyphenate or room <= 0:
            return "", word
        if "-" in word:  # break after the hyphen of a compound whose prefix is well known
            left, _, right = word.partition("-")
            core = re.sub(r"^\W+", "", left).lower()
            if core in self.options.compounds and right[:1].islower() and \
                    self.pdf.get_string_width(left + "-") <= room:
                return left + "-", right
            return "", word
        match = re.fullmatch(r"(\W*)([^\W\d_]{9,})(\W*)", word)
        if not match:
            return "", word
        lead, core, trail = match.groups()
        for cut in range(len(core) - 4, 3, -1):
            left = core[:cut]
            if left.lower() in self.options.compounds or (cut > 1 and core[cut - 1] in "’'"):
                continue
            if self.pdf.get_string_width(lead + left + "-") <= room:
                return lead + left + "-", core[cut:] + trail
        return "", word

    # layout
    def lines_for(self, items: list[Item], width: float) -> list[_Line]:
        out: list[_Line] = []
        for item in items:
            style = item.kind if item.kind in STYLES else "body"
            if item.kind == "bullet":
                wrapped = self.wrap(item.text, width - BULLET_INDENT, "bullet")
                for index, text in enumerate(wrapped):
                    out.append(_Line(text, "bullet", BULLET_INDENT, "•" if index == 0 else None,
                                     STYLES["bullet"][3] if index == 0 else 0.0))
                continue
            if item.kind == "para":
                style = "body"
            for index, text in enumerate(self.wrap(item.text, width, style)):
                out.append(_Line(text, style, 0.0, None, STYLES[style][3] if index == 0 else 0.0))
        return out

    def page(self) -> None:
        if self.options.max_pages and self.pdf.page_no() >= self.options.max_pages:
            raise _Full
        self.pdf.add_page()
        self.column, self.y, self.at_top = 0, TOP, True
        self.pdf.set_font("DejaVu", "", 8.5)
        if self.header:
            self.pdf.set_xy(MARGIN_X, 34)
            self.pdf.cell(PAGE_W - 2 * MARGIN_X - 90, 10, self.header)
        if self.options.mark:
            self.pdf.set_xy(PAGE_W - MARGIN_X - 90, 34)
            self.pdf.cell(90, 10, self.options.mark, align="R")
        self.pdf.set_xy(MARGIN_X, PAGE_H - 40)
        footer = self.options.footer.format(page=self.pdf.page_no(), pages="{nb}")
        self.pdf.cell(PAGE_W - 2 * MARGIN_X, 10, footer, align="C")

    def column_box(self) -> tuple[float, float]:
        if self.columns == 1:
            return MARGIN_X, PAGE_W - 2 * MARGIN_X
        width = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2
        return MARGIN_X + self.column * (width + GUTTER), width

    def next_column(self) -> None:
        if self.column + 1 < self.columns:
            self.column += 1
            self.y, self.at_top = TOP, True
        else:
            self.page()

    def place(self, line: _Line, break_before: float | None = None) -> None:
        height = STYLES[line.style][2]
        gap = 0.0 if self.at_top else line.space_before
        if self.y + gap + height > BOTTOM or (break_before is not None and self.y >= break_before):
            self.next_column()
            gap = 0.0
        self.y += gap
        x, _ = self.column_box()
        self.use(line.style)
        if line.glyph:
            self.pdf.set_xy(x + 2, self.y)
            self.pdf.cell(BULLET_INDENT - 2, height, line.glyph)
        self.pdf.set_xy(x + line.indent, self.y)
        self.pdf.cell(0, height, line.text)
        self.y += height
        self.at_top = False

    def jump_to_foot(self, room_lines: int, style: str) -> None:
        """Move down so that only ``room_lines`` lines of ``style`` fit on this page."""
        height = STYLES[style][2]
        target = BOTTOM - room_lines * height - STYLES[style][3] - 1.0
        if self.y < target:
            self.y = target
            self.at_top = False

    def flow(self, lines: list[_Line]) -> None:
        for line in lines:
            if line.tag == "split":
                self.jump_to_foot(2, line.style)
            elif line.tag == "foot":
                self.jump_to_foot(1, "heading")
            self.place(line)

    def two_columns(self, lines: list[_Line]) -> None:
        """A section balanced over two columns on a page of its own."""
        self.page()
        self.columns = 2
        total = sum(STYLES[line.style][2] + line.space_before for line in lines)
        limit = TOP + total / 2
        for line in lines:
            if self.column == 0 and self.y >= limit and line.glyph is None and \
                    line.space_before == 0 and line.style != "heading":
                self.next_column()  # break inside a paragraph: the text runs on
            self.place(line)
        self.columns = 1
        self.page()

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        self.use("body")
        height = 18.0
        if self.y + height * (len(rows) + 1) > BOTTOM:
            self.page()
        self.y += 8
        width = (PAGE_W - 2 * MARGIN_X) / max(len(row) for row in rows)
        self.pdf.set_y(self.y)
        with self.pdf.table(col_widths=tuple(width for _ in rows[0]), width=self.pdf.epw,
                            line_height=height - 4, first_row_as_headings=False) as table:
            for row in rows:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)
        self.y = self.pdf.get_y() + 4
        self.at_top = False


def default_header(items: list[Item]) -> str:
    """The running header: the title, as many ministries print it, or a press-office line."""
    title = next((item.text for item in items if item.kind == "title"), None)
    return (title or "Bureau de presse – Press Office")[:80]


def render_items(items: list[Item], target: Path, options: Options | None = None,
                 fonts: tuple[Path, Path] | None = None) -> Path:
    """Typeset classified items into ``target`` (a .pdf path) and return it."""
    options = options or Options()
    if not options.compounds:
        options.compounds = compound_prefixes()
    fonts = fonts or dejavu_fonts()
    if fonts is None:
        raise RuntimeError(f"DejaVu Sans is not installed (Debian: {FONT_PACKAGE})")
    if options.header is None:
        options.header = default_header(items)
    setter = Typesetter(options, fonts)
    if options.user_password:
        setter.pdf.set_encryption(owner_password="owner-" + options.user_password,
                                  user_password=options.user_password)
    try:
        setter.page()
        for _ in range(options.repeat):
            _typeset(setter, items, options)
            if options.repeat > 1:
                setter.page()
    except _Full:
        pass
    setter.pdf.output(str(target))
    return target


def _typeset(setter: Typesetter, items: list[Item], options: Options) -> None:
    full = PAGE_W - 2 * MARGIN_X
    headings = [i for i, item in enumerate(items) if item.kind == "heading"]
    split_at = foot_at = None
    if options.split_sentence:
        for index, item in enumerate(items):
            if item.kind == "para" and len(setter.wrap(item.text, full, "body")) >= 3:
                split_at = index
                break
    if options.heading_at_foot:
        foot_at = next((h for h in headings if split_at is None or h > split_at), None)
    two_from = two_to = None
    if options.two_column and headings:
        later = [h for h in headings if foot_at is None or h > foot_at]
        two_from = later[0] if later else headings[-1]
        two_to = next((h for h in headings if h > two_from), len(items))
    table_at = headings[0] + 2 if options.table and headings else None
    index = 0
    while index < len(items):
        if two_from is not None and two_to is not None and index == two_from:
            width = (full - GUTTER) / 2
            setter.two_columns(setter.lines_for(items[two_from:two_to], width))
            index = two_to
            continue
        lines = setter.lines_for([items[index]], full)
        if index == split_at:
            lines[0].tag = "split"
        if index == foot_at:
            lines[0].tag = "foot"
        setter.flow(lines)
        if table_at is not None and index + 1 == table_at and options.table:
            setter.table(options.table)
        index += 1


def render_text(text: str, target: Path, options: Options | None = None) -> Path:
    return render_items(read_items(text), target, options)


def render_corpus(name: str, target: Path, options: Options | None = None) -> Path:
    """Typeset ``corpus/NAME`` into the PDF ``target``."""
    text = (ROOT / "corpus" / name).read_text(encoding="utf-8")
    return render_text(text, target, options)
