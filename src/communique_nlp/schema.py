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
                "format": {"enum": ["txt", "pdf", "html", "md"]},
                "encoding": _NULLABLE_STRING,
                "pages": {"type": ["integer", "null"], "minimum": 0},
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
