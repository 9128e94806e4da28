"""Stage 4, segment: title, lead, headed sections with their kind, paragraphs and list items.

The blocks from ``normalise`` are read in order. Page chrome (navigation, page tools, site
notices) is recognised from ``models/headings.yaml`` and kept apart as ``boilerplate``; the
title is the last heading-like line before the text starts; a heading is a short line without
final punctuation that is followed by text, or a line the layout marks as a heading; known
headings ('Quick facts', 'Citation', ...) give their section its kind. List items are glyph,
number and letter items, and 'implied' lists: one paragraph per item after a lead-in that ends
with ':'.

When a learned block-role model is present (``models/learned/block_role.json``, see
``learn/roles.py``), these rules run once to give their verdicts as features, and the model
then decides which block is the title, which are headings and which are list items; the
state machine still builds the sections around those decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from communique_nlp.assets import load_yaml
from communique_nlp.dates import find_dates
from communique_nlp.learn.store import load_model
from communique_nlp.model import Block, Bullet, Document, Paragraph, Section
from communique_nlp.stages.language import detect
from communique_nlp.text import UsedIds, fold, stable_id, words_pattern

MAX_HEADING_CHARS = 140
MAX_HEADING_WORDS = 18
MAX_NUMBERED_HEADING_WORDS = 12  # a numbered line this short over running text heads it
MAX_TITLE_CHARS = 260
STANDFIRST_RATIO = 0.6  # a headline above the date can be this much shorter than a standfirst
MAX_MASTHEAD_WORDS = 7  # 'Ministry of Emergency Management and Wildfire Services'
SIGNATURE_TAIL = 12  # blocks looked at after a date line to tell a signature from a dateline
MAX_ITEM_CHARS = 450
LONG_TEXT_CHARS = 200  # a paragraph this long is running text
MIN_OPEN_ITEM = 60  # an item without final punctuation shorter than this is a cut-off fragment
_QUOTE_OPENERS = "«“\"„‘'"
_QUOTE_CLOSERS = "»”\"’'"
# 'Ottawa, Ontario', 'Ottawa (Ontario)': a place line, not a heading
_PLACE_LINE = re.compile(r"^[A-ZÀ-Ý][\w'’-]+(?:,\s*| \()[A-ZÀ-Ý][\w'’ -]{1,30}\)?$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[«“\"(]?[A-ZÀ-Ý]")
# 'By Jane Doe', 'Par Jean Dupont', 'By: the Chief Executive': who wrote it
_BYLINE = re.compile(r"^(?:By|BY|Par|PAR)(?::\s*\S|\s+[A-ZÀ-Ý])")
MAX_BYLINE_WORDS = 8
# 'SC/12446', 'SG/SM/16876', 'PS-2025-QP-00014': capitals, digits and separators only
_REFERENCE_CODE = re.compile(r"^(?=[^ ]*\d)[A-Z0-9][A-Z0-9/._-]{3,}$")


def _label(text: str) -> str:
    return fold(text).rstrip(" :.")


@dataclass(frozen=True)
class _Lexicon:
    heading_kinds: dict[str, str]
    generic_headings: frozenset[str]
    chrome_exact: frozenset[str]
    chrome_prefixes: tuple[str, ...]
    chrome_paragraphs: tuple[str, ...]
    lead_in_words: frozenset[str]
    connectives: tuple[str, ...]
    speech_verbs: tuple[str, ...]
    role_heads: frozenset[str]
    role_pattern: re.Pattern[str]  # any role head, as whole words
    chrome_words: tuple[str, ...]
    masthead_starts: frozenset[str]
    function_words: frozenset[str]
    cut_endings: frozenset[str]
    language_links: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_yaml("headings.yaml")
    heads = {fold(w) for ws in load_yaml("people.yaml")["role_heads"].values() for w in ws}
    kinds = {fold(h): kind for kind, headings in data["kinds"].items() for h in headings}
    chrome = data["chrome"]
    return _Lexicon(
        heading_kinds=kinds,
        generic_headings=frozenset(fold(h) for h in data["generic"]),
        chrome_exact=frozenset(fold(x) for x in chrome["exact"]),
        chrome_prefixes=tuple(fold(x) for x in chrome["prefixes"]),
        chrome_paragraphs=tuple(fold(x) for x in chrome["paragraphs"]),
        chrome_words=tuple(fold(x) for x in chrome["words"]),
        masthead_starts=frozenset(fold(x) for x in data["masthead_starts"]),
        function_words=frozenset(fold(w) for ws in load_yaml("glossary.yaml")["stopwords"].values()
                                 for w in ws),
        cut_endings=frozenset(fold(w) for ws in data["cut_endings"].values() for w in ws),
        lead_in_words=frozenset(w for ws in data["lead_in_words"].values() for w in ws),
        connectives=tuple(fold(x) for xs in data["connectives"].values() for x in xs),
        speech_verbs=tuple(fold(x) for xs in data["speech_verbs"].values() for x in xs),
        role_heads=frozenset(heads),
        role_pattern=words_pattern(heads),
        language_links=frozenset(fold(x) for x in data["language_links"]),
    )


@lru_cache(maxsize=4096)  # asked of each block by the rules and again by the role features
def is_chrome(text: str) -> bool:
    lexicon = _lexicon()
    label = fold(text)
    return (
        label.rstrip(" :") in lexicon.chrome_exact
        or label.startswith(lexicon.chrome_prefixes)
        or label.startswith(lexicon.chrome_paragraphs)
        or (len(label) <= 300 and any(word in label for word in lexicon.chrome_words))
        or _is_breadcrumb(label)
    )


def _is_breadcrumb(label: str) -> bool:
    """'Home > News > Statements', 'Accueil › Presse › Communiqués', 'FR | EN' ('»' closes a
    quotation when '«' opens one)."""
    parts = re.split(r"\s[>›/|]\s" if "«" in label else r"\s[>›»/|]\s", label)
    return len(parts) >= 2 and all(len(part) <= 40 for part in parts) and len(label) <= 160


def heading_kind(text: str) -> str | None:
    return _lexicon().heading_kinds.get(_label(text))


def is_generic_heading(text: str) -> bool:
    """'Summary', 'Main results', 'Next steps': a common heading of a body section."""
    return _label(text) in _lexicon().generic_headings


def _ends_with_punctuation(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ";", ",", "»", "”", '"', "…"))


@lru_cache(maxsize=4096)  # asked by the rules, then by the role features
def is_date_line(text: str) -> bool:
    """A line that is little more than a date ('4 janvier 2019', 'Published 20 July 2021',
    'Publié le 02 avril 2026 | Temps de lecture : 4 minutes')."""
    text = next((part for part in text.split(" | ") if find_dates(part)), "")
    dates = find_dates(text)
    if not dates:
        return False
    leading = dates[0].start <= 2 and len(text) <= 100  # 'June 26, 2017 – Ottawa, Ontario'
    return leading or len(text) - (dates[0].end - dates[0].start) <= 40


@lru_cache(maxsize=4096)  # asked by the rules, then by the role features
def _heading_candidate(block: Block) -> bool:
    text = block.text
    if block.heading:
        return True
    if block.glyph or not text or is_date_line(text) or _PLACE_LINE.match(text):
        return False
    if _ends_with_punctuation(text) and not (text.endswith("?") and len(text.split()) <= 8):
        return False  # a short question is a heading ('Comment se protéger ?')
    if " | " in text:
        return False  # a table row
    if is_reference_code(text):
        return False  # a document symbol ('SC/12446') printed over the headline
    if ends_cut(text):
        return False  # 'Le président de la': a sentence the layout cut
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if _is_byline(text) or any(f" {verb}" in f" {fold(text)}" for verb in
                               _lexicon().speech_verbs):
        return False  # 'The Home Secretary said:' introduces a quotation
    if text.endswith(":"):
        return _label_heading(text)
    return True


def _label_heading(text: str) -> bool:
    """'General information:' is a heading, 'Key implications include:' a list lead-in."""
    if heading_kind(text):
        return True
    if "," in text:
        return False  # 'Aujourd'hui, nous convenons de :' opens a list
    words = fold(text).rstrip(" :").split()
    return len(words) <= 5 and not set(words) & _lexicon().lead_in_words


def _is_reference(text: str) -> bool:
    """A release number or similar code line ('2026EMWS0041-000388')."""
    return len(text.split()) <= 2 and any(c.isdigit() for c in text)


def ends_cut(text: str) -> bool:
    """Does the line end on a word no heading ends on ('... de la', '... amounts to')?"""
    words = fold(text).split()
    return bool(words) and words[-1] in _lexicon().cut_endings


def is_reference_code(text: str) -> bool:
    """A document symbol or release code alone on its line ('SG/SM/16876')."""
    return bool(_REFERENCE_CODE.match(text))


def is_acronym(text: str) -> bool:
    """One short word in capitals ('NCA', 'EUROPOL', 'JPEG'): a logo, a credit, a file type,
    or a known heading in capitals ('CONTEXTE')."""
    return len(text.split()) == 1 and len(text) <= 10 and text.isupper()


def _is_label(block: Block) -> bool:
    """A one-word line such as a site's category ('STATEMENTS') or a menu entry."""
    return not block.glyph and len(block.text.split()) == 1 and not _ends_with_punctuation(
        block.text)


def _is_byline(text: str) -> bool:
    """'The Honourable X, Minister of Y', 'Statement by Hon. X, Minister of Y' or 'By Jane
    Doe': a signature or byline line, not a heading."""
    if _BYLINE.match(text) and len(text.split()) <= MAX_BYLINE_WORDS:
        return True
    if ", " not in text:
        return False
    return _lexicon().role_pattern.search(fold(text.split(", ", 1)[1])) is not None


def _is_masthead(text: str) -> bool:
    """'Ministry of Emergency Management', 'Minister for Cyber Security', 'The Hon Daniel
    Mercer MP': who publishes or signs, printed around a headline, not the headline."""
    words = fold(text).split()
    if not words or len(words) > MAX_MASTHEAD_WORDS:
        return False
    starts = _lexicon().masthead_starts
    return " ".join(words[:2]) in starts or words[0] in starts


@lru_cache(maxsize=4096)  # asked by the rules, then by the role features
def _is_title_candidate(block: Block) -> bool:
    text = block.text
    return (not block.glyph and bool(text) and len(text) <= MAX_TITLE_CHARS
            and len(text.split()) >= 2 and not _is_reference(text) and not _is_byline(text)
            and not _is_masthead(text) and not is_generic_heading(text)
            and not text.endswith((".", ";", ",", ":")) and not is_date_line(text)
            and (text[0].isupper() or text[0].isdigit() or text[0] in _QUOTE_OPENERS))


@dataclass
class _Builder:
    """Accumulates sections while the blocks are read."""

    sections: list[Section] = field(default_factory=list)
    heading: str | None = None
    kind: str = "lead"
    opens_list: bool = False  # the heading ended with ':' ('Renseignements généraux :')
    paragraphs: list[Paragraph] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # kept as blocks are added, so that no question about the section rescans it
    all_chrome: bool = True  # every paragraph so far is page chrome
    last_long_language: str | None = None  # language of the last block over 80 characters

    def start(self, heading: str | None, kind: str) -> None:
        self.close()
        self.heading, self.kind = heading, kind
        self.opens_list = heading is not None and heading.endswith(":")

    def only_chrome(self) -> bool:
        """A chrome notice ('Archived content' and its text), not a section the author wrote."""
        return (self.heading is None or is_chrome(self.heading)) and self.all_chrome

    def add(self, block: Block, paragraph: Paragraph) -> None:
        self.blocks.append(block)
        self.paragraphs.append(paragraph)
        self.all_chrome = self.all_chrome and is_chrome(paragraph.text)
        if len(block.text) > 80:
            self.last_long_language = block.language

    def close(self) -> None:
        if self.heading is not None or self.paragraphs:
            language = _section_language(self.heading, self.blocks)
            self.sections.append(Section(
                id="", heading=self.heading.rstrip(" :") if self.heading else None,
                kind=self.kind, language=language, paragraphs=tuple(self.paragraphs),
                opens_list=self.opens_list))
        self.heading, self.paragraphs, self.blocks = None, [], []
        self.all_chrome, self.last_long_language = True, None


def _section_language(heading: str | None, blocks: list[Block]) -> str:
    sizes: dict[str, int] = {}
    for block in blocks:
        if block.language != "und":
            sizes[block.language] = sizes.get(block.language, 0) + len(block.text)
    if sizes:
        return max(sorted(sizes), key=lambda lang: sizes[lang])
    return detect(" ".join([heading or "", *(b.text for b in blocks)]))


@dataclass(frozen=True)
class Roles:
    """The learned decisions the state machine follows: block indices (into the blocks that
    ``segment`` reads) of the title, the headings and the list items."""

    title: int | None
    headings: frozenset[int]
    items: frozenset[int]


def segment(document: Document, model_dir: Path | None = None) -> Document:
    blocks = segment_blocks(document)
    roles = None
    from communique_nlp.learn import roles as learned_roles

    model = load_model(learned_roles.MODEL, model_dir)
    if model is not None and blocks:
        roles = learned_roles.decide(model, blocks, rule_roles(blocks),
                                     load_model(learned_roles.TITLE_MODEL, model_dir))
    title, sections = _segment(blocks, roles, document.title_hint)
    return replace(document, title=title, sections=tuple(_with_ids(sections)))


def segment_blocks(document: Document) -> list[Block]:
    """The blocks the segmenter reads (empty lines and lone dots dropped)."""
    return [b for b in document.blocks if b.text.strip(" .") or b.glyph]


def rule_roles(blocks: list[Block]) -> list[str]:
    """What the rules alone make of each block: 'title', 'heading', 'item', 'chrome' (in a
    boilerplate, links or contacts section) or 'text'."""
    title, sections = _segment(blocks, None)
    headings = {_label(s.heading) for s in sections if s.heading}
    items = {p.text for s in sections for p in s.paragraphs if p.is_bullet}
    chrome = {p.text for s in sections if s.kind in ("boilerplate", "links", "contacts")
              for p in s.paragraphs}
    roles = []
    for index, block in enumerate(blocks):
        if title is not None and _without_language_link(block.text) == title:
            roles.append("title")
        elif _numbered_heading(blocks, index):
            roles.append("heading")
        elif block.text in items:
            roles.append("item")
        elif _label(block.text) in headings and not block.glyph:
            roles.append("heading")
        elif block.text in chrome:
            roles.append("chrome")
        else:
            roles.append("text")
    return roles


def _numbered_heading(blocks: list[Block], index: int) -> bool:
    """'1. Summary points' standing apart from any sibling ('2. ...' next to it), short and
    unpunctuated: a numbered heading over its section, not an item of a list."""
    block = blocks[index]
    glyph_class = _glyph_class(block.glyph)
    if not block.glyph or glyph_class.startswith("symbol"):
        return False
    text = block.text
    if not text[:1].isupper() or _ends_with_punctuation(text) or text.endswith(":") or len(
            text.split()) > MAX_NUMBERED_HEADING_WORDS:
        return False
    neighbours = [blocks[i] for i in (index - 1, index + 1) if 0 <= i < len(blocks)]
    return index + 1 < len(blocks) and not any(
        n.glyph and _glyph_class(n.glyph) == glyph_class for n in neighbours)


def _segment(blocks: list[Block], roles: Roles | None,
             title_hint: str | None = None) -> tuple[str | None, list[Section]]:
    """The title and the sections (without their ids: the rules' pass needs none)."""
    hinted = _hinted_title(blocks, title_hint)  # the markup's title (HTML <h1>, Word Title)
    if hinted is not None:
        title, start, preamble = hinted
    elif roles is None:
        title, start, preamble = _title(blocks)
    else:
        title, start, preamble = _chosen_title(blocks, roles.title)
    title = _without_language_link(title)
    builder = _Builder()
    if preamble:
        last = preamble[-1]
        single = len(preamble) == 1 and _heading_candidate(last)
        category = (last.text.isupper() and len(last.text.split()) <= 3  # 'STATEMENTS'
                    and not is_reference_code(last.text))  # not 'SG/SM/16876'
        label = last.text if (single or category) and not is_chrome(last.text) else None
        if roles is not None:  # the model decides, but for a category label ('STATEMENTS')
            learned = any(blocks[i] is last for i in roles.headings)
            label = last.text if learned or (category and not is_chrome(last.text)) else None
        builder.start(label, "boilerplate")
        for block in preamble[:-1] if label else preamble:
            builder.add(block, Paragraph(block.text))
        builder.start(None, "lead")
    _read_body(blocks[start:], builder, roles, start)
    builder.close()
    return title, _mark_lists(builder.sections, implied=roles is None)


def _without_language_link(title: str | None) -> str | None:
    """'New Centre supports local efforts Français': the headline without the link to the
    other language version that the copy glued to it."""
    if title is None or " " not in title:
        return title
    rest, last = title.rsplit(" ", 1)
    if fold(last) in _lexicon().language_links and len(rest.split()) >= 2:
        return rest.rstrip(" |-–")
    return title


def _chosen_title(blocks: list[Block], chosen: int | None) -> tuple[str | None, int, list[Block]]:
    """:func:`_title`'s result for the block the model chose as the title."""
    if chosen is None:
        first = next((i for i, b in enumerate(blocks) if not is_chrome(b.text)), 0)
        return None, first, blocks[:first]
    first, start = _title_lines(blocks, chosen)
    title = " ".join(b.text for b in blocks[first:start])
    text = fold(title)
    preamble = [b for b in blocks[:first] if fold(b.text) != text]
    while start < len(blocks) and fold(blocks[start].text) == text:
        start += 1
    return title, start, preamble


def _title_lines(blocks: list[Block], chosen: int) -> tuple[int, int]:
    """The blocks a headline wrapped over: the chosen one, the next while a line ends on a
    function word ('... Lawful Access to' / 'Encrypted Communications'), and the capitalised
    lines around a capitalised one. Returns the first block and the one after the last."""
    def upper_line(block: Block) -> bool:
        letters = [c for c in block.text if c.isalpha()]
        return (bool(letters) and all(c.isupper() for c in letters) and not block.glyph
                and not _ends_with_punctuation(block.text) and not is_chrome(block.text)
                and not is_date_line(block.text) and not _is_reference(block.text))

    def open_end(block: Block) -> bool:
        words = fold(block.text).split()
        return bool(words) and words[-1] in _lexicon().function_words

    def fits(start: int, stop: int) -> bool:
        return len(" ".join(b.text for b in blocks[start:stop])) <= MAX_TITLE_CHARS

    capitals = upper_line(blocks[chosen])
    first, end = chosen, chosen + 1
    while end < len(blocks) and not blocks[end].glyph and fits(first, end + 1) and (
            (open_end(blocks[end - 1]) and _heading_candidate(blocks[end]))
            or (capitals and upper_line(blocks[end]))):
        end += 1
    while first > 0 and capitals and upper_line(blocks[first - 1]) and fits(first - 1, end):
        first -= 1
    return first, end


def _hinted_title(blocks: list[Block],
                  hint: str | None) -> tuple[str | None, int, list[Block]] | None:
    """The title the source's markup gives (HTML <h1>, Word's Title style), where it stands."""
    if not hint:
        return None
    index = next((i for i, b in enumerate(blocks) if fold(b.text) == fold(hint)), None)
    if index is None:
        return hint, 0, []
    return hint, index + 1, blocks[:index]


def _title(blocks: list[Block]) -> tuple[str | None, int, list[Block]]:
    """The title, the index of the first block after it, and the chrome before it."""
    candidates: list[int] = []
    for index, block in enumerate(blocks):
        if is_chrome(block.text) or (candidates and fold(block.text) == fold(
                blocks[candidates[-1]].text)):
            continue
        if _is_title_candidate(block) and not heading_kind(block.text):
            candidates.append(index)
            continue
        if (is_date_line(block.text) or _is_reference(block.text) or _is_label(block)
                or _is_masthead(block.text)):
            continue  # a date, reference, label or masthead line around the headline
        break
    if not candidates:
        first = next((i for i, b in enumerate(blocks) if not is_chrome(b.text)), 0)
        return None, first, blocks[:first]
    # the headline is the longest of the heading-like lines before the text: a kicker
    # ('Press release'), a site or ministry name, a standfirst under the date are shorter
    # ...unless a date line stands between two long ones: then the headline is the one above
    # the date, the one below a standfirst
    last = max(candidates, key=lambda i: (len(blocks[i].text), i))
    dates = [i for i in range(candidates[0], last) if is_date_line(blocks[i].text)]
    above = [i for i in candidates if dates and i < dates[0]]
    if above:
        best_above = max(above, key=lambda i: (len(blocks[i].text), i))
        if len(blocks[best_above].text) >= STANDFIRST_RATIO * len(blocks[last].text):
            last = best_above
    preamble = [b for b in blocks[:last] if fold(b.text) != fold(blocks[last].text)]
    start = last + 1
    while start < len(blocks) and fold(blocks[start].text) == fold(blocks[last].text):
        start += 1
    return blocks[last].text, start, preamble


def _read_body(blocks: list[Block], builder: _Builder, roles: Roles | None = None,
               offset: int = 0) -> None:
    """Read the blocks after the title (``offset``: the index of the first in ``roles``)."""
    body_seen = False
    listing = False  # after a lead-in ending with ':', short lines are items, not headings
    for index, block in enumerate(blocks):
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        text = block.text
        was_listing, listing = listing, _opens_list(block) or (listing and _open_item(block))
        # 'Our cooperation covers these areas:' / 'Border security' / a paragraph: a list of
        # one item is no list, the line heads the paragraph
        lone = was_listing and index > 0 and _opens_list(blocks[index - 1]) and _long_text(nxt)
        if roles is not None and offset + index in roles.headings:
            builder.start(heading_text(block), _learned_heading_kind(text))
            continue
        kind = heading_kind(text) if not block.glyph and roles is None else None
        if kind == builder.kind and kind in ("links", "contacts") and not text.endswith(":"):
            kind = None  # 'Media Relations' under 'Contacts' is an entry of that section
        if kind == "boilerplate" and is_chrome(text):
            kind = None  # a chrome line ('Report a problem on this page'), handled below
        if kind and (len(text) <= MAX_HEADING_CHARS) and not _ends_with_punctuation(text):
            builder.start(text, kind)
            continue
        # a dateline opens the lead, and so does the first sentence under a kicker ('News
        # release', 'ORGANIZATIONS IN THIS STORY')
        starts_text = len(text) > 100 or is_date_line(text) or (not body_seen and _is_text(text))
        # chrome under the headline ('For Immediate Release', 'Office of Public Affairs')
        # ends where the text starts
        chrome_only = builder.only_chrome() or (builder.heading is None and not body_seen)
        if builder.kind == "boilerplate" and chrome_only and starts_text \
                and not block.glyph and not is_chrome(text):
            builder.start(None, "body" if body_seen else "lead")
        if is_chrome(text):
            # the rules keep naming a known chrome heading ('Page details') over its chrome
            ruled = roles is None or heading_kind(text) == "boilerplate"
            label = text.rstrip(" :") if ruled and _chrome_label(block, nxt) else None
            if builder.kind != "boilerplate" or label:
                builder.start(label, "boilerplate")
                if label:
                    continue
            builder.add(block, Paragraph(text))
            continue
        standfirst = builder.kind == "lead" and not body_seen and len(text) > 60
        # short lines under the headline (a kicker, a release number, a sitting) are not
        # headings: the lead has begun and no text has come yet
        standfirst = standfirst or (builder.kind == "lead" and not body_seen
                                    and bool(builder.paragraphs))
        second_version = _second_version_title(block, blocks[index + 1:index + 4], builder)
        # 'Main results', 'Date' (over '11 July 2023'): a common heading heads whatever follows
        generic = is_generic_heading(text) and not block.glyph and nxt is not None
        if (roles is None and builder.kind not in ("boilerplate", "links", "contacts")
                and (not was_listing or lone)
                and (not standfirst or second_version or generic)
                and (_heading_candidate(block) or second_version)
                and (_followed_by_text(nxt, cut=index + 2 == len(blocks)) or second_version
                     or text.endswith(":") or block.heading or generic
                     or _last_heading(block, nxt))
                and not (text.endswith(":") and nxt is not None and nxt.glyph
                         and heading_kind(text) is None and not block.heading)):
            builder.start(text, "body")
            continue
        is_bullet = block.glyph is not None if roles is None else offset + index in roles.items
        _read_paragraph(block, blocks[index + 1:index + 1 + SIGNATURE_TAIL], builder, body_seen,
                        is_bullet)
        body_seen = body_seen or _is_text(text)


def heading_text(block: Block) -> str:
    """A heading as printed: a numbered one keeps its number ('1. Coopération policière')."""
    if block.glyph and not _glyph_class(block.glyph).startswith("symbol"):
        return f"{block.glyph} {block.text}"
    return block.text


def _learned_heading_kind(text: str) -> str:
    """The kind of the section a learned heading opens: a known heading's, else chrome or body."""
    return heading_kind(text) or ("boilerplate" if is_chrome(text) else "body")


def _read_paragraph(block: Block, after: list[Block], builder: _Builder, body_seen: bool,
                    is_bullet: bool) -> None:
    """Add a block that opens no heading: a signature, attendees, a quotation or text
    (``after``: the blocks that follow, as many as a signature is looked for in)."""
    text = block.text
    if body_seen and _is_signature(block, after):
        builder.start(None, "signature")
        builder.add(block, Paragraph(text))
        return
    if body_seen and builder.kind not in ("attendees", "quote") and _is_attendees(text):
        builder.start(None, "attendees")
    elif body_seen and _opens_quote(text):
        builder.start(None, "quote")
    elif builder.kind == "signature":
        builder.start(None, "boilerplate")
    elif (builder.kind == "quote" and builder.heading is None and not block.glyph
          and not text.startswith(tuple(_QUOTE_OPENERS))):
        builder.start(None, "body")
    builder.add(block, Paragraph(text, is_bullet=is_bullet, glyph=block.glyph,
                                 language=block.language))


def _opens_list(block: Block) -> bool:
    """A sentence ending with ':' that introduces a list ('The following took part:')."""
    return block.text.endswith(":") and not block.heading and not _heading_candidate(block)


def _long_text(block: Block | None) -> bool:
    """A paragraph of running text, no list item."""
    return block is not None and not block.glyph and len(block.text) > LONG_TEXT_CHARS


def _open_item(block: Block) -> bool:
    """A short line without final punctuation: an item of a list being read."""
    return not block.heading and not block.text.endswith((".", "!", "?")) and len(
        block.text) <= MAX_ITEM_CHARS


def _last_heading(block: Block, nxt: Block | None) -> bool:
    """A heading where the copy was cut: the last line, one to three words ('Prévention'),
    not the first word of a cut sentence ('Nous')."""
    words = fold(block.text).split()
    return nxt is None and len(words) <= 3 and not set(words) & _lexicon().function_words


def _second_version_title(block: Block, following: list[Block], builder: _Builder) -> bool:
    """In a file holding both language versions, the second version's headline."""
    before = builder.last_long_language
    after = next((b.language for b in following if len(b.text) > 80), None)
    return (_is_title_candidate(block) and before not in (None, "und", after)
            and after not in (None, "und"))


def _is_text(text: str) -> bool:
    """A paragraph of the document's own text: long, or a sentence of six words or more."""
    return len(text) > 80 or (text.endswith((".", "!", "?", "»", "”")) and len(text.split()) >= 6)


def _chrome_label(block: Block, nxt: Block | None) -> bool:
    """A chrome line heading what follows: 'Share this page' over its buttons, a label over
    other chrome; not a label over another label ('Navigation path', 'Left navigation')."""
    if nxt is None:
        return False
    if heading_kind(block.text) == "boilerplate":  # 'Page details' over 'Date modified:'
        return heading_kind(nxt.text) is None and (not nxt.text.endswith(":")
                                                   or is_chrome(nxt.text))
    return _heading_candidate(block) and is_chrome(nxt.text) and not _heading_candidate(nxt)


def _followed_by_text(nxt: Block | None, cut: bool = False) -> bool:
    """Is the next block text? The last block of a cut copy is text cut mid-sentence; a
    date line is not text."""
    if nxt is None or is_date_line(nxt.text):
        return False
    return bool(nxt.glyph) or not _heading_candidate(nxt) or (cut and len(nxt.text) > 40)


def _is_signature(block: Block, after: list[Block]) -> bool:
    """A place-and-date line closing the text ('Ottawa, le 27 juin 2017'): no more text of the
    document's own follows (a dated second language version does)."""
    return (not block.glyph and is_date_line(block.text)
            and all(len(b.text) < 200 or is_chrome(b.text) for b in after))


def _is_attendees(text: str) -> bool:
    """A paragraph that lists who took part: many people with their offices."""
    if text.count(";") < 3:
        return False  # the entries are separated by semicolons: most paragraphs have none
    heads = _lexicon().role_heads
    words = fold(text).replace(",", " ").replace(";", " ").split()
    return sum(map(heads.__contains__, words)) >= 5


def _opens_quote(text: str) -> bool:
    """'X, Commissioner for Y, said: "...' opens an untitled quotation."""
    head = fold(text[:300])
    opener = min((head.find(q) for q in "«“\"" if q in head), default=-1)
    if opener < 10:
        return False
    before = head[:opener]
    return any(verb in before for verb in _lexicon().speech_verbs)


def _mark_lists(sections: list[Section], implied: bool = True) -> list[Section]:
    tail = sections[-1].paragraphs[-1].text if sections and sections[-1].paragraphs else ""
    return [replace(s, paragraphs=tuple(_list_items(
        list(s.paragraphs), f"{s.heading}:" if s.opens_list else None, tail, implied)))
        for s in sections]


def _list_items(paragraphs: list[Paragraph], lead_in: str | None,
                tail: str, find_implied: bool = True) -> list[Paragraph]:
    """Attach each list item to its lead-in, and find the items of implied lists.

    ``lead_in`` is the section's heading when it ended with ':' (it opens a list).
    ``find_implied`` is off when a learned model has already said which blocks are items.
    """
    result: list[Paragraph] = []
    items: list[Paragraph] = []
    implied = lead_in is not None  # paragraphs after a lead-in may be the items
    parent: tuple[str, str | None] | None = None  # (glyph class, lead-in) of an item with sub-items
    for paragraph in paragraphs:
        text = paragraph.text
        if paragraph.is_bullet and not _is_attribution(paragraph, result):
            glyph_class = _glyph_class(paragraph.glyph)
            if parent and glyph_class == parent[0]:  # back to the outer list
                lead_in, parent = parent[1], None
            items.append(paragraph if paragraph.lead_in == lead_in
                         else replace(paragraph, lead_in=lead_in))
            result.append(items[-1])
            implied = False
            if text.endswith(":"):  # '2. Les ministres se sont engagés à :' opens sub-items
                parent, lead_in, items = (glyph_class, lead_in), text, []
            continue
        parent = None
        if (find_implied and implied and lead_in and _item_like(text, tail)
                and _continues_list(items, text)):
            items.append(Paragraph(text, is_bullet=True, lead_in=lead_in))
            result.append(items[-1])
            continue
        result.append(replace(paragraph, is_bullet=False) if paragraph.is_bullet else paragraph)
        items = []
        lead_in = text if text.endswith(":") else None
        implied = lead_in is not None
    return result


def _glyph_class(glyph: str | None) -> str:
    """'1.', 'a)', '•': numbers, letters and symbols mark different levels of a list."""
    core = (glyph or "").strip("()./")
    if core.isdigit():
        return "number"
    if core.isalpha():
        return "roman" if set(core) <= set("ivx") and len(core) > 1 else "letter"
    return "symbol:" + core


def _continues_list(items: list[Paragraph], candidate: str) -> bool:
    """Does the list go on? '...;' and '...; and' do; a '.' closes a ';' list."""
    if not items:
        return True
    last = items[-1].text.rstrip()
    if last.endswith((";", ",")) or re.search(r"[;,]\s*(?:and|et|or|ou),?$", last):
        return True
    if last.endswith(".") and all(item.text.rstrip().endswith(".") for item in items):
        return True
    # 'Austria: Federal Criminal Police Office' - items with no final punctuation at all,
    # up to a sentence that ends with one ('Investigations are ongoing.')
    return not any(item.text.rstrip().endswith(tuple(".!?;,:")) for item in [
        *items, Paragraph(candidate)])


def _item_like(text: str, tail: str) -> bool:
    """One sentence, not a quotation, not a new turn of the argument."""
    if not text or len(text) > MAX_ITEM_CHARS or text[0] in _QUOTE_OPENERS:
        return False
    if _SENTENCE_BREAK.search(text.rstrip(" .")):
        return False
    if text == tail and not _ends_with_punctuation(text) and len(text) < MIN_OPEN_ITEM:
        return False  # a fragment cut off by truncation, not an item
    head = fold(text)
    return not any(head.startswith(c + " ") or head.startswith(c + ",")
                   for c in _lexicon().connectives)


def _is_attribution(paragraph: Paragraph, before: list[Paragraph]) -> bool:
    """'- The Honourable X, Minister of Y' under a quotation is its attribution, not an item."""
    if not before or not before[-1].text.rstrip().endswith(tuple(_QUOTE_CLOSERS)):
        return False
    return "," in paragraph.text and len(paragraph.text) <= 200 and not paragraph.text.endswith(".")


def _with_ids(sections: list[Section]) -> list[Section]:
    """Give sections and their list items ids derived from their own text, and each item the
    id of what introduces its list (``_list_ids``)."""
    used: set[str] = UsedIds()
    paragraph_ids: set[str] = UsedIds()
    result = []
    for section in sections:
        basis = (section.heading or section.kind) + "\n" + section.text[:500]
        section_id = stable_id("s", basis, used)
        bullets = _list_ids(section, section_id, used, paragraph_ids)
        result.append(replace(section, id=section_id, bullets=bullets))
    return result


def _list_ids(section: Section, section_id: str, used: set[str],
              paragraph_ids: set[str]) -> tuple[Bullet, ...]:
    """The section's list items, each with the id of its list's introducer: the item it is a
    sub-item of (its 'b-' id), the paragraph before it ('p-' + the paragraph's text id), or
    the section (its 's-' id) when the heading opens the list. Two lists of one section so
    get two ids, and items of one list share one."""
    bullets: list[Bullet] = []
    introducer = section_id  # the heading, until a paragraph comes
    by_text: dict[str, str] = {f"{section.heading}:": section_id} if section.heading else {}
    for paragraph in section.paragraphs:
        if not paragraph.is_bullet:
            introducer = stable_id("p", paragraph.text, paragraph_ids)
            by_text[paragraph.text] = introducer
            continue
        bullet_id = stable_id("b", paragraph.text, used)
        list_id = by_text.get(paragraph.lead_in or "", introducer)
        bullets.append(Bullet(id=bullet_id, text=paragraph.text, list_id=list_id))
        by_text[paragraph.text] = bullet_id
    return tuple(bullets)
