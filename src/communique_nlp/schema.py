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


def output_schema() -> dict[str, Any]:
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
                "organizations": {"type": "array", "items": _STRING},
                "people": {"type": "array", "items": _object(
                    {"name": _STRING, "role": _NULLABLE_STRING}, ["name"])},
            }),
            "sections": {"type": "array", "items": _object({
                "id": _STRING,
                "heading": _NULLABLE_STRING,
                "kind": {"enum": list(SECTION_KINDS)},
                "language": _LANGUAGE,
                "text": _STRING,
                "bullets": {"type": "array", "items": _object(
                    {"id": _STRING, "text": _STRING, "themes": _THEMES})},
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
