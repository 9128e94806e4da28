"""The JSON Schema of the output (``communique-nlp/1``); tests validate every output with it."""

from __future__ import annotations

from typing import Any

from communique_nlp.model import DOCUMENT_KINDS, SCHEMA_ID, SECTION_KINDS

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_THEMES = {"type": "array", "items": _STRING}
_LANGUAGE = {"type": "string", "enum": ["en", "fr", "und"]}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties)}


# What each property means (docs/output.md says more). Keyed by the property's path in the
# schema, '[]' standing for the items of an array; ``output_schema`` attaches them, and a test
# checks that no property goes without one.
DESCRIPTIONS: dict[str, str] = {
    "schema": "The schema id of this output, communique-nlp/1.",
    "source": "The input as read.",
    "source/path": "The input's path as given on the command line ('-' for standard input).",
    "source/sha256": "SHA-256 of the input's bytes, in hex: identifies the input exactly.",
    "source/format": "How the input was read: txt, pdf, html, md or docx.",
    "source/encoding": "The text encoding detected (text formats only).",
    "source/pages": "The number of pages (PDF only).",
    "source/ocr": "True when pages without a text layer were read by OCR (scanned PDF); "
                  "absent otherwise.",
    "document": "Facts about the whole document.",
    "document/language": "The main language: en, fr, or und when the text is too short to "
                         "tell.",
    "document/language_confidence": "The language detector's probability for that language "
                                    "(0 to 1).",
    "document/languages": "Share of the text (0 to 1) in each language detected, largest "
                          "first.",
    "document/kind": "communique (a joint communiqué or declaration), press_release, "
                     "statement, or other.",
    "document/title": "The title, or null when none is found. It is not repeated as a "
                      "section.",
    "document/date": "The document's date (ISO 8601, YYYY-MM-DD) from its dateline or "
                     "signature, or null.",
    "document/place": "The place of the dateline or meeting, or null.",
    "document/countries": "Countries named in the text, as ISO 3166-1 alpha-2 codes (the "
                          "European Union as EU), sorted.",
    "document/parties": "The countries (the European Union as EU) that issue, sign or adopt "
                        "the document, sorted; countries merely mentioned are only in "
                        "countries; [] for an international organisation's own text.",
    "document/organizations": "Organisations named in the text, by their canonical names.",
    "document/people": "People named with a role (ministers, officials, spokespeople).",
    "document/people/[]/name": "The person's name as written.",
    "document/people/[]/role": "The person's role or title as written, or null.",
    "sections": "The document's sections in reading order; text before the first heading is "
                "the lead.",
    "sections/[]/id": "Stable id ('s-' and 8 hex digits) derived from the section's heading "
                      "and text.",
    "sections/[]/heading": "The heading, or null for an untitled section.",
    "sections/[]/kind": "lead, body, quote, quick_facts, background, links, contacts, "
                        "attendees, signature or boilerplate (see docs/output.md).",
    "sections/[]/language": "The section's language: en, fr or und.",
    "sections/[]/text": "The section's paragraphs other than list items, reflowed, separated "
                        "by blank lines.",
    "sections/[]/bullets": "The section's list items (glyph bullets, numbered or lettered "
                           "items, implied lists), in order.",
    "sections/[]/bullets/[]/id": "Stable id ('b-' and 8 hex digits) derived from the item's "
                                 "text.",
    "sections/[]/bullets/[]/text": "The list item's text, without its glyph or number.",
    "sections/[]/bullets/[]/list": "The id of what introduces the item's list: the section "
                                   "id when its heading does, the id of the item it is a "
                                   "sub-item of ('b-'), or 'p-' and 8 hex digits derived "
                                   "from the text of the paragraph before it. Items of one "
                                   "list share it; two lists of one section differ.",
    "sections/[]/bullets/[]/themes": "Themes the item shows: its strong terms, or its weak "
                                     "terms of a theme the document is tagged with.",
    "sections/[]/themes": "Themes shown in the section's heading and text (strong terms, or "
                          "weak terms of a theme the document is tagged with).",
    "commitments": "Undertakings of the issuing parties to act in the future, in document "
                   "order (see docs/output.md for the definition).",
    "commitments/[]/id": "Stable id ('c-' and 8 hex digits) derived from the commitment's "
                         "text.",
    "commitments/[]/section": "The id of the section it is in.",
    "commitments/[]/text": "The sentence, or the list item, that makes the commitment.",
    "commitments/[]/source": "bullet (a list item under a committing lead-in) or sentence.",
    "commitments/[]/actor": "Who commits, as written ('Ministers', 'We'), or null.",
    "commitments/[]/cue": "The words that make it a commitment ('agreed to', 'se sont "
                          "engagés à').",
    "commitments/[]/themes": "Themes of the commitment, judged with its section heading and "
                             "lead-in.",
    "themes": "Threat themes the document discusses, highest score first.",
    "themes/[]/id": "The theme's id in the taxonomy (models/themes.yaml, or --themes).",
    "themes/[]/label": "The theme's label in the taxonomy.",
    "themes/[]/score": "0 to 1: the mean of 1 - 0.5^weight (weight: 1 per strong mention, "
                       "0.5 per weak one) and the share of the text's passages mentioning "
                       "the theme (see docs/output.md).",
    "themes/[]/mentions": "Number of theme terms found in the document's own text.",
    "themes/[]/evidence": "Up to 5 distinct terms found, with their sections, in order.",
    "themes/[]/evidence/[]/text": "The words found, as written.",
    "themes/[]/evidence/[]/section": "The id of the section they are in.",
    "warnings": "What the reader should know: mixed languages, truncated text, no text "
                "found.",
}


def output_schema() -> dict[str, Any]:
    """The JSON Schema, every property with its description."""
    return _described(_output_schema(), "")


def _described(rule: dict[str, Any], path: str) -> dict[str, Any]:
    """A copy of ``rule`` with the descriptions of its properties, at any depth."""
    result = dict(rule)
    if path in DESCRIPTIONS:
        result["description"] = DESCRIPTIONS[path]
    if isinstance(rule.get("properties"), dict):
        result["properties"] = {
            key: _described(sub, f"{path}/{key}" if path else key)
            for key, sub in rule["properties"].items()}
    if isinstance(rule.get("items"), dict):
        result["items"] = _described(rule["items"], f"{path}/[]")
    return result


def _output_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "communique-nlp extraction",
        **_object({
            "schema": {"const": SCHEMA_ID},
            "source": _object({
                "path": _STRING,
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "format": {"enum": ["txt", "pdf", "html", "md", "docx"]},
                "encoding": _NULLABLE_STRING,
                "pages": {"type": ["integer", "null"], "minimum": 0},
                "ocr": {"type": "boolean"},
            }, ["path", "sha256", "format"]),
            "document": _object({
                "language": _LANGUAGE,
                "language_confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "languages": {"type": "object",
                              "additionalProperties": {"type": "number", "minimum": 0,
                                                       "maximum": 1}},
                "kind": {"enum": list(DOCUMENT_KINDS)},
                "title": _NULLABLE_STRING,
                "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "place": _NULLABLE_STRING,
                "countries": {"type": "array",
                              "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                "parties": {"type": "array",
                            "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                "organizations": {"type": "array", "items": _STRING},
                "people": {"type": "array", "items": _object(
                    {"name": _STRING, "role": _NULLABLE_STRING}, ["name"])},
            }, [
                # 'parties' came later: extractions written before it still load
                "language", "language_confidence", "languages", "kind", "title", "date",
                "place", "countries", "organizations", "people"]),
            "sections": {"type": "array", "items": _object({
                "id": _STRING,
                "heading": _NULLABLE_STRING,
                "kind": {"enum": list(SECTION_KINDS)},
                "language": _LANGUAGE,
                "text": _STRING,
                "bullets": {"type": "array", "items": _object(
                    {"id": _STRING, "text": _STRING, "list": _STRING, "themes": _THEMES},
                    ["id", "text", "themes"])},
                "themes": _THEMES,
            })},
            "commitments": {"type": "array", "items": _object({
                "id": _STRING,
                "section": _STRING,
                "text": _STRING,
                "source": {"enum": ["bullet", "sentence"]},
                "actor": _NULLABLE_STRING,
                "cue": _STRING,
                "themes": _THEMES,
            })},
            "themes": {"type": "array", "items": _object({
                "id": _STRING,
                "label": _STRING,
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "mentions": {"type": "integer", "minimum": 0},
                "evidence": {"type": "array", "items": _object(
                    {"text": _STRING, "section": _STRING})},
            })},
            "warnings": {"type": "array", "items": _STRING},
        }),
    }


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,),
    "number": (int, float), "boolean": (bool,), "null": (type(None),),
}


def validation_error(data: Any, schema: dict[str, Any] | None = None, *,
                     required: bool = True) -> str | None:
    """The first way ``data`` breaks ``schema`` (default: the output schema), as 'where: what',
    or ``None`` when it is valid.

    A small validator for the keywords the output schema uses (type, enum, const, pattern,
    minimum, maximum, properties, required, items, additionalProperties), so that extraction
    files are checked without depending on the jsonschema package at run time. With
    ``required=False`` missing keys are allowed (a partial prediction to score) but every key
    present must have the right shape. It walks the data iteratively: no depth limit applies.
    """
    import re

    stack: list[tuple[Any, dict[str, Any], str]] = [(data, schema or output_schema(), "")]
    while stack:
        value, rule, where = stack.pop()
        shown = where or "top level"
        if "const" in rule and value != rule["const"]:
            return f"{shown}: {rule['const']!r} expected"
        if "enum" in rule and value not in rule["enum"]:
            return f"{shown}: one of {', '.join(map(str, rule['enum']))} expected"
        kinds = rule.get("type")
        if kinds is not None:
            names = [kinds] if isinstance(kinds, str) else list(kinds)
            if not any(isinstance(value, _TYPES[n]) and not (
                    n in ("integer", "number") and isinstance(value, bool)) for n in names):
                return f"{shown}: {' or '.join(names)} expected, not {type(value).__name__}"
        if isinstance(value, str) and "pattern" in rule and not re.search(rule["pattern"], value):
            return f"{shown}: {value[:40]!r} does not match {rule['pattern']}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in rule and value < rule["minimum"]:
                return f"{shown}: at least {rule['minimum']} expected"
            if "maximum" in rule and value > rule["maximum"]:
                return f"{shown}: at most {rule['maximum']} expected"
        if isinstance(value, dict):
            if required:
                missing = [key for key in rule.get("required", ()) if key not in value]
                if missing:
                    return f"{shown}: {missing[0]!r} is missing"
            properties = rule.get("properties", {})
            extra = rule.get("additionalProperties")
            for key, item in reversed(list(value.items())):
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                if sub is not None:
                    stack.append((item, sub, f"{where}/{key}" if where else str(key)))
        if isinstance(value, list) and isinstance(rule.get("items"), dict):
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], rule["items"],
                              f"{where}/{index}" if where else str(index)))
    return None
