"""Formats that carry their structure: a saved web page (HTML) and a Word file (.docx).

Both are turned into the light Markdown the PDF reader also writes (``# heading``,
``• item``, ``1. item``, ``cell | cell`` rows, paragraphs separated by blank lines), which
normalise reads into blocks with ``heading`` and ``glyph`` set: the structure comes from the
markup, not from a guess. The headline and the date the markup names come back as hints.

HTML is read with lxml (a well-kept, fast C parser that copes with broken markup, and already
python-docx's own dependency): our walk of the tree keeps every heading and list item, which
a main-content extractor such as trafilatura would merge or drop, and lets site chrome be
removed by what it is (``<nav>``, ``<header>``, ``<footer>``, ``<aside>``, cookie banners,
share bars) rather than by a text-density guess. lxml and python-docx are imported only here,
when such a file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from communique_nlp.errors import InputError

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "blockquote", "table", "ul",
                     "ol", "li", "tr", "dl", "dt", "dd", "figure", "figcaption", "address",
                     "pre", "header", "footer", "details", "summary", "center", *HEADINGS})
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav", "aside",
                           "form", "button", "iframe", "select", "input", "textarea", "canvas",
                           "object", "embed", "dialog", "menu"})
# page-level landmarks: chrome when they are not inside the article itself
_PAGE_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"html", "body", "main", "article"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                           "dialog", "alertdialog", "menu", "menubar"})
# class or id words of chrome blocks: cookie and consent banners, share bars, breadcrumbs,
# 'related' boxes, menus and footers of pages without HTML5 landmarks, skip links, sign-ups
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|share|sharing|social|breadcrumbs?|related|"
    r"nav|navbar|navigation|menu|footer|"
    r"skip(?:-?link)?s?|newsletter|subscribe|signup|sign-up|pagination|"
    r"sidebar|site-?(?:header|footer|nav)|toolbar|feedback|sr-only|visually-?hidden|"
    r"page-?details|date-?modified)"
    r"(?:$|[\s_-])", re.IGNORECASE)
# ' | Canada.ca', ' - GOV.UK': the site's name after the page's own title
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
MAX_SUFFIX_WORDS = 5
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DATE_META = ("article:published_time", "og:published_time", "dcterms.issued", "dc.date.issued",
              "dcterms.date", "dc.date", "date", "publication_date", "datepublished")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Marked:
    """A structured source as light Markdown, with the title and date its markup names."""

    text: str
    title: str | None = None
    date: str | None = None


# --- HTML ------------------------------------------------------------------------------------


def read_html(markup: str, path: str) -> Marked:
    """The page's own text (chrome dropped) as light Markdown, its headline and its date."""
    import lxml.etree
    import lxml.html

    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)  # lxml refuses a str that declares bytes
    if not markup.strip():
        raise InputError(path, "empty file (no text)")
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as error:
        raise InputError(path, f"cannot be read as HTML ({error})") from error
    metadata = _metadata(root)
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction,
                              with_tail=False)
    _drop_chrome(root)
    content = _main_content(root)
    lines: list[str] = []
    _walk(content, lines)
    text = "\n\n".join(line for line in lines if line.strip())
    title = _first_heading(content, "h1") or metadata.title
    date = _time_date(content) or metadata.date
    return Marked(text=text + "\n" if text else "", title=title, date=date)


@dataclass(frozen=True)
class _Metadata:
    title: str | None
    date: str | None


def _metadata(root: Any) -> _Metadata:
    """og:title (or <title>) without the site's suffix, and the published date of <meta>."""
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or "").strip().lower()
        if key and key not in meta and element.get("content"):
            meta[key] = element.get("content").strip()
    site = meta.get("og:site_name")
    title = meta.get("og:title") or meta.get("twitter:title")
    if not title:
        found = root.find(".//title")
        title = _clean(found.text_content()) if found is not None else None
    date = next((iso for key in _DATE_META if (iso := _iso(meta.get(key)))), None)
    return _Metadata(title=strip_site_suffix(title, site) if title else None, date=date)


def strip_site_suffix(title: str, site: str | None = None) -> str:
    """'Joint statement | Canada.ca' -> 'Joint statement': a short last part is the site."""
    title = _clean(title)
    for _ in range(2):  # 'Title - Ministry - GOV.UK'
        for separator in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(separator)
            if not found or not head.strip():
                continue
            is_site = (site is not None and tail.strip().casefold() == site.strip().casefold())
            if is_site or (len(tail.split()) <= MAX_SUFFIX_WORDS
                           and len(head.strip()) >= len(tail.strip())):
                title = head.strip()
                break
        else:
            break
    return title


def _iso(value: str | None) -> str | None:
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _is_chrome(element: Any, inside_article: bool) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROPPED_TAGS:
        return True
    if tag in _PAGE_CHROME_TAGS and not inside_article:
        return True
    if (element.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if tag in _CONTENT_TAGS:
        return False  # '<main class="with-sidebar">' is still the content
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(names.strip()) and bool(_CHROME_NAME.search(names))


def _drop_chrome(root: Any) -> None:
    """Remove site chrome; an article's own <header> (its headline, its date) stays."""
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        inside_article = any(parent.tag in ("article", "main") or (parent.get("role") == "main")
                             for parent in element.iterancestors())
        if _is_chrome(element, inside_article) and element.tag not in ("html", "body"):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the element's tail text


def _main_content(root: Any) -> Any:
    """<main> (or role=main), else the only <article>, else the body."""
    for path in (".//main", ".//*[@role='main']"):
        found = root.find(path)
        if found is not None:
            return found
    articles = root.findall(".//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find(".//body")
    return body if body is not None else root


def _first_heading(content: Any, tag: str) -> str | None:
    for element in content.iter(tag):
        text = _clean(element.text_content())
        if text:
            return text
    return None


def _time_date(content: Any) -> str | None:
    for element in content.iter("time"):
        role = f"{element.get('property') or ''} {element.get('itemprop') or ''}".lower()
        if "modified" in role:
            continue  # 'Date modified': when the page changed, not when the text was issued
        iso = _iso(element.get("datetime")) or _iso(element.text_content())
        if iso:
            return iso
    return None


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _walk(element: Any, lines: list[str]) -> None:
    """Append the element's blocks to ``lines``: inline text is gathered into paragraphs,
    headings and list items keep their marks, table rows their cells."""
    inline: list[str] = []

    def flush() -> None:
        text = _clean("".join(inline))
        inline.clear()
        if text:
            lines.append(text)

    if element.text:
        inline.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in HEADINGS:
            flush()
            text = _clean(child.text_content())
            if text:
                lines.append("#" * int(tag[1]) + " " + text)
        elif tag == "li":
            flush()
            _list_item(child, lines)
        elif tag == "tr":
            flush()
            cells = [_clean(cell.text_content()) for cell in child if cell.tag in ("td", "th")]
            if any(cells):
                lines.append(" | ".join(cells))
        elif tag == "br":
            inline.append("\n")
        elif tag in _BLOCKS:
            flush()
            _walk(child, lines)
        elif tag:
            inline.append(_inline_text(child))
        if child.tail:
            inline.append(child.tail)
    flush()


def _inline_text(element: Any) -> str:
    """An inline element's text (a <br> inside a link or span still breaks the line)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag == "br" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _list_item(item: Any, lines: list[str]) -> None:
    """'• text' (or '3. text' in a numbered list); a nested list follows as its own items."""
    parent = item.getparent()
    glyph = "•"
    if parent is not None and parent.tag == "ol":
        start = int(parent.get("start") or 1) if (parent.get("start") or "1").isdigit() else 1
        glyph = f"{start + [c for c in parent if c.tag == 'li'].index(item)}."
    nested: list[str] = []
    own = [item.text or ""]
    for child in item:
        if isinstance(child.tag, str) and child.tag in ("ul", "ol", "p", "div", "table"):
            if child.tag in ("p", "div") and not nested and not child.findall(".//li"):
                own.append(" " + child.text_content() + " ")  # an item's own paragraph
            else:
                _walk(child, nested)
        elif isinstance(child.tag, str):
            own.append("\n" if child.tag == "br" else _inline_text(child))
        own.append(child.tail or "")
    text = _clean("".join(own))
    if text:
        lines.append(f"{glyph} {text}")
    lines.extend(nested)


# --- Word ------------------------------------------------------------------------------------

_WORD_HEADING = re.compile(r"^(?:heading|titre|überschrift|título)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes, path: str) -> Marked:
    """A Word file as light Markdown: heading styles, list paragraphs, tables, Title style."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise InputError(path, "cannot read Word files: python-docx is not installed") \
            from error
    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise InputError(path, "is not a readable Word (.docx) file (damaged, or another "
                               "format named .docx?)") from error
    except Exception as error:  # zipfile.BadZipFile, lxml errors: a damaged file
        raise InputError(path, f"is a damaged Word file ({type(error).__name__})") from error
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    title: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = _unique_cells(_clean(cell.text) for cell in row.cells)
                if any(cells):
                    lines.append(" | ".join(cells))
        elif isinstance(item, Paragraph):
            text = _clean(item.text)
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            level = _heading_level(item, style)
            if style.casefold() in ("title", "titre"):
                title = title or text
                lines.append("# " + text)
            elif level:
                lines.append("#" * level + " " + text)
            elif _is_list_paragraph(item, style):
                lines.append("• " + text)
            else:
                lines.append(text)
    text = "\n\n".join(lines)
    return Marked(text=text + "\n" if text else "", title=title)


def _unique_cells(cells: Any) -> list[str]:
    """Merged cells come back once per grid column: keep each run once."""
    kept: list[str] = []
    for cell in cells:
        if not kept or cell != kept[-1]:
            kept.append(cell)
    return kept


def _heading_level(paragraph: Any, style: str) -> int:
    match = _WORD_HEADING.match(style.strip())
    if match:
        return max(1, min(6, int(match[1])))
    level = _outline_level(paragraph)
    return level + 1 if level is not None and level < 6 else 0


def _outline_level(paragraph: Any) -> int | None:
    """The outline level set on the paragraph or its style (a heading in any language)."""
    from docx.oxml.ns import qn

    for properties in (paragraph._p.pPr, _style_ppr(paragraph)):
        if properties is None:
            continue
        found = properties.find(qn("w:outlineLvl"))
        if found is not None:
            value = found.get(qn("w:val"))
            if value is not None and value.isdigit():
                return int(value)
    return None


def _style_ppr(paragraph: Any) -> Any:
    style = paragraph.style
    element = getattr(style, "element", None) if style is not None else None
    return element.pPr if element is not None else None


def _is_list_paragraph(paragraph: Any, style: str) -> bool:
    """Numbering on the paragraph or its style, or a list style ('List Bullet', 'Liste')."""
    from docx.oxml.ns import qn

    for properties in (paragraph._p.pPr, _style_ppr(paragraph)):
        if properties is not None and properties.find(qn("w:numPr")) is not None:
            return True
    return style.casefold().startswith(("list", "liste"))
