"""The typed data model every pipeline stage reads and returns.

Stages are plain functions ``Document -> Document``; each fills in its own fields with
``dataclasses.replace`` so that a stage can never silently change another stage's output.
The public result wraps the finished document: ``serialise.Extraction``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_ID = "communique-nlp/1"

SECTION_KINDS = (
    "lead",
    "body",
    "quote",
    "quick_facts",
    "background",
    "links",
    "contacts",
    "attendees",
    "signature",
    "boilerplate",
)
DOCUMENT_KINDS = ("communique", "press_release", "statement", "other")


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str
    format: str  # txt | pdf | html | md | docx
    encoding: str | None = None
    pages: int | None = None
    ocr: bool = False  # some pages were read by OCR (a scan)


@dataclass(frozen=True)
class Block:
    """One paragraph or list item of the reflowed text, in reading order.

    ``glyph`` is the bullet glyph, number or letter when the source printed one; ``heading``
    is set when the layout itself says 'heading' (PDF font, Markdown '#'), so the segmenter
    need not guess.
    """

    text: str
    glyph: str | None = None
    heading: bool = False
    page: int | None = None
    language: str = "und"


@dataclass(frozen=True)
class Bullet:
    id: str
    text: str
    themes: tuple[str, ...] = ()
    list_id: str | None = None  # the id of what introduces its list (output key 'list')


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a section; list items remember the lead-in sentence that opened them."""

    text: str
    is_bullet: bool = False
    lead_in: str | None = None
    glyph: str | None = None
    language: str = "und"


@dataclass(frozen=True)
class Section:
    id: str
    heading: str | None
    kind: str
    language: str
    paragraphs: tuple[Paragraph, ...]
    bullets: tuple[Bullet, ...] = ()
    themes: tuple[str, ...] = ()
    opens_list: bool = False  # the heading ended with ':', so its paragraphs may be list items

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs if not p.is_bullet)


@dataclass(frozen=True)
class Commitment:
    id: str
    section: str
    text: str
    source: str  # bullet | sentence
    actor: str | None
    cue: str
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    text: str
    section: str


@dataclass(frozen=True)
class ThemeTag:
    id: str
    label: str
    score: float
    mentions: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class LanguageProfile:
    language: str  # en | fr | und
    confidence: float
    shares: tuple[tuple[str, float], ...]  # (language, share of the text), largest first


@dataclass(frozen=True)
class Entities:
    date: str | None = None
    place: str | None = None
    countries: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()  # the countries that issue, sign or adopt the document
    organizations: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Document:
    """The document as it moves through the pipeline; each stage fills its part."""

    source: Source
    text: str = ""
    blocks: tuple[Block, ...] = ()
    language: LanguageProfile | None = None
    title: str | None = None
    kind: str = "other"
    sections: tuple[Section, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    themes: tuple[ThemeTag, ...] = ()
    entities: Entities = field(default_factory=Entities)
    warnings: tuple[str, ...] = ()
    # what the source's markup says, preferred to a guess: the headline (HTML <h1>/og:title,
    # Word's Title style) and the ISO publication date (<time datetime>, article metadata)
    title_hint: str | None = None
    date_hint: str | None = None
