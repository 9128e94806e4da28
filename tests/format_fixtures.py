"""Build the other formats of a document at test time: a saved web page with site chrome, a
Word file, a PDF turned a quarter, and scans (upright, turned, skewed with noise).

The structure comes from the document's gold annotation: its title, headings and list items
are found among the text's blocks (reflowed by the project's own normalise stage) and marked
up as ``<h1>``/``<h2>``/``<li>``, Word Title/Heading/List styles; everything else is a
paragraph. So a reader that honours the markup gets the gold structure back, and what it
loses is the reader's fault. Nothing here is committed as a file: third-party texts are read
from ../shared at test time.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique_nlp.apps.evaluate import items_match, load_data, normalise_heading
from communique_nlp.model import Document, Source
from communique_nlp.stages.ingest import ingest_path
from communique_nlp.stages.normalise import normalise

# site chrome, worded to tempt the theme tagger: none of it may reach a section or a theme
CHROME = {
    "skip": "Skip to main content",
    "cookie": "This website uses cookies to fight cybercrime and terrorism analytics. "
              "Accept all cookies or manage your preferences.",
    "brand": "Government of Exampleland",
    "nav": ("Home", "News", "Counter-terrorism", "Cybercrime and encryption",
            "Migrant smuggling"),
    "breadcrumb": ("Home", "Newsroom", "Releases"),
    "share": "Share this page: Facebook, X, LinkedIn, Email",
    "related": ("Minister announces new measures against migrant smuggling networks",
                "Consultation on encryption and lawful access to evidence"),
    "footer": "© Exampleland. Terms and conditions. Privacy. Report a problem on this page.",
}
SITE_SUFFIX = " | Government of Exampleland"


@dataclass(frozen=True)
class Item:
    kind: str  # title | heading | bullet | para
    text: str


def gold_items(document: Path, gold: dict[str, Any]) -> list[Item]:
    """The document's blocks, each marked title, heading, bullet or paragraph by its gold."""
    read = ingest_path(document)
    text_doc = Document(source=Source(path=str(document), sha256="", format="txt"),
                        text=read.text)
    blocks = normalise(text_doc).blocks
    title = gold.get("title")
    headings = [normalise_heading(str(s["heading"])) for s in gold.get("sections") or ()
                if isinstance(s, dict) and s.get("heading")]
    bullets = [str(b["text"] if isinstance(b, dict) else b) for b in gold.get("bullets") or ()]
    items: list[Item] = []
    title_seen = False
    for block in blocks:
        text = block.text
        if not text:
            continue
        key = normalise_heading(text)
        if title and not title_seen and key == normalise_heading(str(title)):
            items.append(Item("title", text))
            title_seen = True
        elif key in headings and not block.glyph:
            headings.remove(key)
            items.append(Item("heading", text))
        elif any(items_match(bullet, text) for bullet in bullets):
            bullets = [b for b in bullets if not items_match(b, text)]
            items.append(Item("bullet", text))
        else:
            items.append(Item("para", (block.glyph + " " if block.glyph else "") + text))
    if title and not title_seen:
        items.insert(0, Item("title", str(title)))
    return items


def load_gold(document: Path) -> dict[str, Any]:
    return load_data(document.with_name(document.name + ".gold.yaml"))


# --- HTML ------------------------------------------------------------------------------------


def html_page(items: list[Item], date: str | None, language: str = "en") -> str:
    """A saved web page: the items as the article, wrapped in every kind of site chrome."""
    escape = html.escape
    title = next((i.text for i in items if i.kind == "title"), "Release")
    article: list[str] = []
    in_list = False
    for item in items:
        if item.kind != "bullet" and in_list:
            article.append("</ul>")
            in_list = False
        if item.kind == "title":
            article.append(f"<h1 class=\"page-title\">{escape(item.text)}</h1>")
            if date:
                article.append(f"<p class=\"byline\">Published: <time datetime=\"{date}\">"
                               f"{date}</time></p>")
        elif item.kind == "heading":
            article.append(f"<h2>{escape(item.text)}</h2>")
        elif item.kind == "bullet":
            if not in_list:
                article.append("<ul>")
                in_list = True
            article.append(f"<li>{_inline(item.text)}</li>")
        else:
            article.append(f"<p>{_inline(item.text)}</p>")
    if in_list:
        article.append("</ul>")
    nav = "".join(f"<li><a href=\"#\">{escape(n)}</a></li>" for n in CHROME["nav"])
    crumbs = "".join(f"<li><a href=\"#\">{escape(n)}</a></li>" for n in CHROME["breadcrumb"])
    related = "".join(f"<li><a href=\"#\">{escape(n)}</a></li>" for n in CHROME["related"])
    meta_date = (f"<meta property=\"article:published_time\" content=\"{date}T09:00:00Z\">"
                 if date else "")
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8">
<title>{escape(title)}{SITE_SUFFIX}</title>
<meta property="og:site_name" content="Government of Exampleland">
<meta property="og:title" content="{escape(title, quote=True)}{SITE_SUFFIX}">
{meta_date}
<style>body {{ font-family: sans-serif; }}</style>
<script>window.analytics = "terrorism cybercrime";</script>
</head><body>
<a class="skip-link" href="#main">{CHROME['skip']}</a>
<div id="cookie-consent" class="cookie-banner"><p>{CHROME['cookie']}</p>
<button>Accept</button></div>
<header class="site-header"><div class="brand">{CHROME['brand']}</div>
<nav aria-label="Main"><ul>{nav}</ul></nav>
<form role="search"><input type="search" placeholder="Search"></form></header>
<nav class="breadcrumb"><ol>{crumbs}</ol></nav>
<main id="main"><article>
{chr(10).join(article)}
<div class="share-bar">{CHROME['share']}</div>
</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
</main>
<footer class="site-footer"><p>{CHROME['footer']}</p></footer>
</body></html>
"""


def _inline(text: str) -> str:
    """Some inline markup, as real pages have: the first word in <strong>, a link."""
    escaped = html.escape(text)
    first, _, rest = escaped.partition(" ")
    return f"<strong>{first}</strong> {rest}" if rest else escaped


def chrome_texts() -> list[str]:
    """Every chrome string, to look for in an extraction."""
    found: list[str] = []
    for value in CHROME.values():
        found.extend(value if isinstance(value, tuple) else [value])
    return [*found, "Related"]


# --- Word ------------------------------------------------------------------------------------


def docx_file(items: list[Item], target: Path) -> Path:
    """A Word file: Title style, Heading 2, List Bullet, Normal; a table of contacts."""
    import docx

    document = docx.Document()
    for item in items:
        if item.kind == "title":
            document.add_paragraph(item.text, style="Title")
        elif item.kind == "heading":
            document.add_heading(item.text, level=2)
        elif item.kind == "bullet":
            document.add_paragraph(item.text, style="List Bullet")
        else:
            document.add_paragraph(item.text)
    document.save(str(target))
    return target


# --- PDF: turned a quarter, and scanned ------------------------------------------------------


def turned(pdf: Path, target: Path, degrees: int = 90) -> Path:
    """The PDF with every page's /Rotate set: a viewer (and a careful reader) turns it."""
    data = pdf.read_bytes()
    data = re.sub(rb"/Type /Page(?=[\s/>])", b"/Type /Page /Rotate %d" % degrees, data)
    target.write_bytes(data)
    return target


def scanned(pdf: Path, target: Path, *, turn: int = 0, skew: float = 0.0, noise: int = 0,
            dpi: int = 200, seed: int = 7) -> Path:
    """An image-only PDF of ``pdf``'s pages: rendered, turned ``turn`` degrees clockwise,
    skewed by ``skew`` degrees, sprinkled with ``noise`` specks; no text layer."""
    import pypdfium2
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    images = []
    source = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in source:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            if skew:
                image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True,
                                     fillcolor=255)
            if turn:
                image = image.rotate(-turn, expand=True)
            draw = ImageDraw.Draw(image)
            for _ in range(noise):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                radius = rng.choice((1, 1, 2))
                draw.ellipse((x, y, x + radius, y + radius), fill=rng.randrange(0, 120))
            images.append(image)
    finally:
        source.close()
    images[0].save(target, "PDF", resolution=float(dpi), save_all=True,
                   append_images=images[1:])
    return target


def plain_text(items: list[Item]) -> str:
    """The items as one-paragraph-per-line text (for the PDF typesetter): bullets with '•'."""
    lines = []
    for item in items:
        lines.append(f"• {item.text}" if item.kind == "bullet" else item.text)
    return "\n".join(lines) + "\n"
