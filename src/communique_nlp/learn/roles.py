"""Block roles (title, heading, list item, other) as a learned decision.

Each block the segmenter reads is described by its own shape, the verdicts of the segment
rules about it (``rule_roles``: what the rule state machine made of it, and the single tests
such as ``_heading_candidate``, ``is_chrome``, ``heading_kind``, ``is_date_line``), a few
words of short lines (chrome such as 'Share' or 'Partager' is a closed vocabulary) and the
same shape features of its neighbours. Labels come from the gold: the block equal to the gold
title, blocks equal to a gold heading, blocks matched one-to-one to a gold bullet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from communique_nlp.dates import find_dates
from communique_nlp.learn.linear import LinearModel
from communique_nlp.model import Block, Document
from communique_nlp.stages import segment as rules
from communique_nlp.stages.people import cues as people_cues
from communique_nlp.text import fold

MODEL = "block_role"
TITLE_MODEL = "block_title"  # ranks the blocks before the text, trained on those blocks only
TITLE, HEADING, ITEM, OTHER = "title", "heading", "item", "other"
# classes are weighted 'balanced' in training (few titles and headings among many blocks),
# so the probabilities run high: thresholds chosen by grouped cross-validation
HEADING_THRESHOLD = 0.75
ITEM_THRESHOLD = 0.5
TITLE_THRESHOLD = 0.3  # the best title candidate below this: no title (role model)
TITLE_MODEL_THRESHOLD = 0.1  # the same for the title model (not class-weighted)
TITLE_WINDOW = 60  # the title is looked for among the first blocks only
SHORT_WORDS = 6  # the words of lines this short are features (chrome is a closed vocabulary)
_WORD = re.compile(r"[^\W\d_]+")
_ADDRESS = re.compile(r"https?://|www\.|@\w|\+\d{2}|\.(?:pdf|jpe?g|png)\b", re.IGNORECASE)
_TIME = re.compile(r"^\d{1,2}[:h.]\d{2}(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)
# a field and its value: 'Durée du projet : 2 ans', 'Phone: 613 555 0192', '10:00'
_FIELD_VALUE = re.compile(r"\w\s?:\s?[^:]*\d")
_LIST_CONTINUES = re.compile(r"(?:;|[;,]\s*(?:and|et|or|ou))$")
_NUMBERED = re.compile(r"^((?:\d{1,2}|[IVX]{1,4}|[A-Ha-h])[.)])\s")
_SURNAME = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’-]{2,}$")  # 'MILLER' after a given name
MAX_NAME_WORDS = 5  # 'President Mr Jerzy MILLER'
MAX_OFFICE_WORDS = 8  # 'Minister for the Interior of Poland'


def _bucket(value: int, edges: Sequence[int]) -> int:
    return next((i for i, edge in enumerate(edges) if value <= edge), len(edges))


def _shape(block: Block) -> dict[str, float]:
    """Features of a block's own form, shared with its neighbours' (under a prefix)."""
    text = block.text
    words = text.split()
    # both tests stop at the first letter that answers them: a paragraph is not read through
    has_letters = any(c.isalpha() for c in text)
    upper = has_letters and all(c.isupper() for c in text if c.isalpha())
    found = {
        f"chars={_bucket(len(text), (15, 40, 80, 140, 260, 500))}": 1.0,
        f"words={_bucket(len(words), (1, 2, 4, 8, 14, 20))}": 1.0,
        "glyph": float(block.glyph is not None),
        "layout_heading": float(block.heading),
        "ends_stop": float(text.endswith((".", "!", "?", "…"))),
        "ends_colon": float(text.endswith(":")),
        "ends_comma": float(text.endswith((",", ";"))),
        "upper": float(upper),
        "chrome": float(rules.is_chrome(text)),
        "date_line": float(rules.is_date_line(text)),
        "heading_candidate": float(rules._heading_candidate(block)),
        "title_candidate": float(rules._is_title_candidate(block)),
    }
    if has_letters:
        capitals = sum(map(str.isupper, map(itemgetter(0), words)))  # in C: a paragraph is long
        found["capitalised_share"] = capitals / len(words)
    found.update(_name_or_cut(text, words))
    return found


def _own(block: Block, index: int, blocks: Sequence[Block], rule_role: str,
         first_text: int, seen: Mapping[str, int]) -> dict[str, float]:
    """Features of the block itself beyond its shape."""
    text = block.text
    label = fold(text)
    kind = rules.heading_kind(text)
    found: dict[str, float] = {
        "bias_block": 1.0,
        f"rule={rule_role}": 1.0,
        f"kind={kind}" if kind else (
            "kind=generic" if rules.is_generic_heading(text) else "no_kind"): 1.0,
        f"position={_bucket(index, (0, 1, 2, 4, 8, 16, 32))}": 1.0,
        "before_text": float(index < first_text),
        "first_text": float(index == first_text),
        "repeated": float(seen.get(label, 0) > 1),
        "place_line": float(bool(rules._PLACE_LINE.match(text))),
        "byline": float(rules._is_byline(text)),
        "masthead": float(rules._is_masthead(text)),
        "reference": float(rules._is_reference(text) or rules.is_reference_code(text)),
        "time": float(bool(_TIME.match(text))),
        "numbered_text": float(bool(_NUMBERED.match(text))),
        "question": float(text.endswith("?")),
        "breadcrumb": float(rules._is_breadcrumb(label)),
        "lowercase_start": float(text[:1].islower()),
        "has_date": float(bool(find_dates(text))),
        "address": float(bool(_ADDRESS.search(text))),
    }
    if block.glyph:
        found[f"glyph_class={rules._glyph_class(block.glyph).split(':')[0]}"] = 1.0
    words = _WORD.findall(label)
    if words:
        found[f"first:{words[0]}"] = 1.0
    if len(words) <= SHORT_WORDS:
        for word in set(words):
            found[f"w:{word}"] = 1.0
    return found


def features(blocks: Sequence[Block], rule_verdicts: Sequence[str]) -> list[dict[str, float]]:
    """One feature dict per block: its own, its shape, its neighbours' shape."""
    shapes = [_shape(block) for block in blocks]
    first_text = next((i for i, b in enumerate(blocks)
                       if len(b.text) > 200 and not rules.is_chrome(b.text)), len(blocks))
    candidates = [i for i in range(min(first_text + 1, len(blocks)))
                  if rules._is_title_candidate(blocks[i]) and not rules.is_chrome(blocks[i].text)]
    longest = max(candidates, key=lambda i: (len(blocks[i].text), -i), default=-1)
    seen: dict[str, int] = {}
    for block in blocks:
        seen[fold(block.text)] = seen.get(fold(block.text), 0) + 1
    last_text = max((i for i, b in enumerate(blocks)
                     if len(b.text) > 200 and not rules.is_chrome(b.text)), default=-1)
    classes = [rules._glyph_class(b.glyph) if b.glyph else None for b in blocks]
    runs = _short_runs(blocks)
    rows = []
    for index, block in enumerate(blocks):
        row = _own(block, index, blocks, rule_verdicts[index], first_text, seen)
        row.update(_standing(index, blocks, classes, runs, last_text))
        row.update(shapes[index])
        row.update({f"{rule_verdicts[index]}&{name}": value
                    for name, value in shapes[index].items() if value == 1.0})
        if index == longest:
            row["longest_candidate"] = 1.0
        for offset, prefix in ((-1, "prev"), (1, "next"), (2, "next2")):
            other = index + offset
            if 0 <= other < len(blocks):
                row.update({f"{prefix}:{name}": value for name, value in shapes[other].items()})
                row[f"{prefix}:rule={rule_verdicts[other]}"] = 1.0
            else:
                row[f"{prefix}:none"] = 1.0
        row.update(_context(block, blocks[index + 1] if index + 1 < len(blocks) else None))
        rows.append(row)
    return rows


def _short_line(block: Block) -> bool:
    return block.glyph is None and len(block.text.split()) <= 8 and not block.text.endswith(
        (".", ";", ",", "!", "?"))


def _short_runs(blocks: Sequence[Block]) -> list[int]:
    """For each block, the length of the run of short unpunctuated lines it stands in (0 for
    other blocks): menus and implied lists come in runs, headings alone."""
    runs = [0] * len(blocks)
    start = 0
    for index in range(len(blocks) + 1):
        if index < len(blocks) and _short_line(blocks[index]):
            continue
        for inside in range(start, index):
            runs[inside] = index - start
        start = index + 1
    return runs


def _standing(index: int, blocks: Sequence[Block], classes: Sequence[str | None],
              runs: Sequence[int], last_text: int) -> dict[str, float]:
    """Where a block stands in the document: after the last paragraph of text (trailing
    chrome), inside a run of short lines, a numbered line apart from its siblings (a
    numbered heading, where list items stand together); and the form of names (outlets,
    people, acronyms) that are no headings."""
    text = blocks[index].text
    words = text.split()
    glyph_class = classes[index]
    neighbours = {classes[i] for i in (index - 1, index + 1) if 0 <= i < len(blocks)}
    function_words = rules._lexicon().function_words
    previous = blocks[index - 1].text if index else ""
    found = {
        # the last item of a list whose items end with ';' ends with '.'
        "after_semicolon": float(bool(_LIST_CONTINUES.search(previous))),
        "after_last_text": float(last_text >= 0 and index > last_text),
        f"short_run={_bucket(runs[index], (0, 1, 2, 4))}": 1.0,
        "generic_heading": float(rules.is_generic_heading(text)),
        "acronym": float(rules.is_acronym(text)),
        "name_like": float(2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
                           and not any(c.isdigit() for c in text)
                           and not {fold(w) for w in words} & function_words),
    }
    found["outline_apart"] = float(_outline_apart(index, blocks))
    # 'I. Preamble' over '1.', '2.': a numbered heading over a list of the level below
    found["outline_apart&next_glyph"] = float(found["outline_apart"] == 1.0
                                              and blocks[index + 1].glyph is not None)
    if glyph_class is not None and not glyph_class.startswith("symbol"):
        found["numbered_apart"] = float(glyph_class not in neighbours)
        found["numbered_apart&short"] = float(glyph_class not in neighbours
                                              and _short_line(replace(blocks[index], glyph=None)))
    return found


def _outline_class(block: Block) -> str | None:
    """The numbering level of a line, by its glyph or by a number printed in its text ('I.
    Preamble', 'A. Recommendation'); None for a line without a number or with a symbol."""
    if block.glyph:
        glyph_class = rules._glyph_class(block.glyph)
        return None if glyph_class.startswith("symbol") else glyph_class
    numbered = _NUMBERED.match(block.text)
    return rules._glyph_class(numbered.group(1)) if numbered else None


def _outline_apart(index: int, blocks: Sequence[Block]) -> bool:
    """A numbered line without final punctuation, no sibling of its level beside it: a
    numbered heading ('I. Preamble' over '1.', '2.'; '1. Summary points' over '1.1'), where
    the items of a numbered list stand together."""
    block = blocks[index]
    level = _outline_class(block)
    if level is None or index + 1 >= len(blocks):
        return False
    numbered = None if block.glyph else _NUMBERED.match(block.text)
    text = block.text[numbered.end():] if numbered else block.text
    if (not text[:1].isupper() or rules._ends_with_punctuation(text) or text.endswith(":")
            or len(text.split()) > rules.MAX_HEADING_WORDS):
        return False
    return not any(_outline_class(blocks[i]) == level for i in (index - 1, index + 1) if i >= 0)


def _name_or_cut(text: str, words: Sequence[str]) -> dict[str, float]:
    """Short lines that look like headings and are not: a person's name ('Mr Jerzy MILLER')
    and an office ('Minister for Justice of Poland', 'Europol Director') printed as a
    signature or a list of office holders, and a line that ends on a function word ('Le
    président de la'): a sentence cut by the layout."""
    found = {"person_line": 0.0, "office_line": 0.0, "open_end": float(rules.ends_cut(text))}
    if not 0 < len(words) <= MAX_OFFICE_WORDS:
        return found  # a paragraph is neither: its words are not read
    folded = [fold(w) for w in words]
    courtesy = people_cues().courtesy
    capitalised_name = any(
        w[:1].isupper() and nxt[:1].isupper()
        and (f in courtesy or (w[1:].islower() and bool(_SURNAME.match(nxt))))
        for w, f, nxt in zip(words, folded, words[1:], strict=False))
    role_pattern = rules._lexicon().role_pattern
    found["person_line"] = float(len(words) <= MAX_NAME_WORDS and capitalised_name)
    found["office_line"] = float(not rules._ends_with_punctuation(text)
                                 and role_pattern.search(" ".join(folded)) is not None)
    return found


def _context(block: Block, nxt: Block | None) -> dict[str, float]:
    """How a block stands to the next one: a short unpunctuated line or a numbered line
    over running text is a heading, one over more such lines an item of a list."""
    text = block.text
    next_text = nxt is not None and nxt.glyph is None and len(nxt.text) > 80
    short = len(text.split()) <= 10 and not text.endswith((".", ";", ","))
    return {
        "followed_by_text": float(rules._followed_by_text(nxt)),
        "candidate&next_text": float(rules._heading_candidate(block) and next_text),
        "short&next_text": float(short and next_text),
        "glyph&next_text": float(block.glyph is not None and next_text),
        "short_glyph&next_text": float(block.glyph is not None and short and next_text),
        "glyph&next_same_glyph": float(
            block.glyph is not None and nxt is not None and nxt.glyph is not None
            and rules._glyph_class(block.glyph) == rules._glyph_class(nxt.glyph)),
        "colon&next_glyph": float(text.endswith(":") and nxt is not None
                                  and nxt.glyph is not None),
        "label_heading": float(text.endswith(":") and rules._label_heading(text)),
        # 'Suggested response:' over bullets heads them; 'Key measures include:' leads them
        # in; a form's field ('- Date received:' over '- 18 June 2025') is an item itself
        "label_heading&next_glyph": float(text.endswith(":") and rules._label_heading(text)
                                          and block.glyph is None
                                          and nxt is not None and nxt.glyph is not None),
        # 'Enjeu ou question :' over a paragraph heads it; 'Date fournie :' over '26 nov.
        # 2019' is a form's field
        "colon&next_long": float(text.endswith(":") and nxt is not None and len(nxt.text) > 80),
        "colon&next_short": float(text.endswith(":") and nxt is not None and not nxt.glyph
                                  and len(nxt.text) <= 40),
    }


def decide(model: LinearModel, blocks: list[Block], rule_verdicts: Sequence[str],
           title_model: LinearModel | None = None) -> rules.Roles:
    """The title (the likeliest early block), the headings and the list items."""
    rows = features(blocks, rule_verdicts)
    probabilities = [model.probabilities(row) for row in rows]
    if title_model is not None:
        window = _title_window(rows)
        chances = {i: title_model.probability(rows[i], TITLE) for i in window}
        threshold = TITLE_MODEL_THRESHOLD
    else:
        window = list(range(min(len(rows), TITLE_WINDOW)))
        chances = {i: probabilities[i].get(TITLE, 0.0) for i in window}
        threshold = TITLE_THRESHOLD
    best = max(window, key=lambda i: (chances[i], -i), default=None)
    title = best if best is not None and chances[best] >= threshold else None
    # a repeat of the title (the headline again over the text, in capitals) heads nothing
    title_label = fold(blocks[title].text) if title is not None else None
    headings = frozenset(i for i, p in enumerate(probabilities)
                         if fold(blocks[i].text) != title_label
                         and p.get(HEADING, 0.0) >= HEADING_THRESHOLD
                         and not _never_heading(blocks[i].text))
    items = frozenset(i for i, p in enumerate(probabilities)
                      if i != title and i not in headings and p.get(ITEM, 0.0) >= ITEM_THRESHOLD)
    return rules.Roles(title=title, headings=headings, items=items)


def _never_heading(text: str) -> bool:
    """Lines that head nothing, whatever their shape says: an acronym alone that is no known
    heading ('NCA', 'JPEG': a logo, a credit, a file type), a line with a comma inside (a
    sentence the layout cut, a name with its office, a dateline; headings are noun phrases
    and hardly ever hold one) and a field with its value ('Durée du projet : 2 ans')."""
    if rules.is_acronym(text):
        return not rules.heading_kind(text) and not rules.is_generic_heading(text)
    return "," in text or bool(_FIELD_VALUE.search(text))


def _title_window(rows: Sequence[Mapping[str, float]]) -> list[int]:
    """The blocks a title may be: the first ones, up to the first block of running text; not
    a line ending with ':', which introduces what follows (no gold title ends so), nor one
    starting in lower case (a fragment, a caption: no gold title starts so), nor page chrome
    or an address, nor the last block, which would head nothing."""
    return [i for i in range(min(len(rows) - 1, TITLE_WINDOW))
            if (rows[i].get("before_text") or rows[i].get("first_text"))
            and not rows[i].get("ends_colon") and not rows[i].get("lowercase_start")
            and not rows[i].get("chrome") and not rows[i].get("address")]


def labels(blocks: Sequence[Block], gold: Mapping[str, Any]) -> list[str]:
    """Each block's role by the gold (``other`` when the gold does not name it)."""
    from communique_nlp.apps.evaluate import match_items, normalise_heading, normalise_text

    title = normalise_text(str(gold.get("title") or ""))
    headings = {normalise_heading(str(s["heading"])) for s in gold.get("sections") or []
                if isinstance(s, Mapping) and s.get("heading")}
    bullets = [str(b["text"] if isinstance(b, Mapping) else b) for b in gold.get("bullets") or []]
    matched = {j for _, j in match_items(bullets, [b.text for b in blocks])}
    result = []
    for index, block in enumerate(blocks):
        if title and normalise_text(block.text) == title:
            result.append(TITLE)
        elif {normalise_heading(block.text),
              normalise_heading(rules.heading_text(block))} & (headings - {""}):
            result.append(HEADING)
        elif index in matched:
            result.append(ITEM)
        else:
            result.append(OTHER)
    return result


def examples(document: Document, gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    """The blocks of a parsed document with their gold roles (documents whose gold gives no
    sections, title or bullets teach nothing and are skipped)."""
    if not any(key in gold for key in ("sections", "title", "bullets")):
        return []
    blocks = rules.segment_blocks(document)
    return list(zip(features(blocks, rules.rule_roles(blocks)), labels(blocks, gold),
                    strict=True))


def title_examples(document: Document,
                   gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    """The blocks that may be the title, labelled 'title' or 'other' by the gold title."""
    if not gold.get("title"):
        return []
    blocks = rules.segment_blocks(document)
    rows = features(blocks, rules.rule_roles(blocks))
    gold_labels = labels(blocks, gold)
    return [(rows[i], TITLE if gold_labels[i] == TITLE else OTHER) for i in _title_window(rows)]
