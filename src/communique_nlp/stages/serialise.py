"""Stage 8, serialise: the extraction as SPEC.md's schema, in its key order, as YAML or JSON.

Output is deterministic: keys in schema order, lists in document or sorted order, Unicode kept
as is, no anchors or aliases, no timestamps. Strings that YAML would read back as another
type ('yes', '2017-06-27', '1.0', 'null') are quoted, so the file round-trips. YAML is never
folded: each scalar is on one line (multi-line text in a literal '|' block), so ``grep`` finds
any sentence of the output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from communique_nlp.model import SCHEMA_ID, Document


@dataclass(frozen=True)
class Extraction:
    """The public result of ``communique_nlp.parse``: SPEC.md's output, as a typed object."""

    document: Document

    def as_dict(self) -> dict[str, Any]:
        """The extraction in the schema's shape and key order (what YAML/JSON output prints)."""
        return extraction_dict(self.document)


def extraction_dict(document: Document) -> dict[str, Any]:
    source = document.source
    language = document.language
    entities = document.entities
    source_dict: dict[str, Any] = {"path": source.path, "sha256": source.sha256,
                                   "format": source.format}
    if source.format == "pdf":
        source_dict["pages"] = source.pages
        if source.ocr:
            source_dict["ocr"] = True
    else:
        source_dict["encoding"] = source.encoding
    return {
        "schema": SCHEMA_ID,
        "source": source_dict,
        "document": {
            "language": language.language if language else "und",
            "language_confidence": language.confidence if language else 0.0,
            "languages": dict(language.shares) if language else {},
            "kind": document.kind,
            "title": document.title,
            "date": entities.date,
            "place": entities.place,
            "countries": list(entities.countries),
            "parties": list(entities.parties),
            "organizations": list(entities.organizations),
            "people": [{"name": p.name, "role": p.role} for p in entities.people],
        },
        "sections": [
            {
                "id": s.id,
                "heading": s.heading,
                "kind": s.kind,
                "language": s.language,
                "text": s.text,
                "bullets": [{"id": b.id, "text": b.text, "list": b.list_id,
                             "themes": list(b.themes)} for b in s.bullets],
                "themes": list(s.themes),
            }
            for s in document.sections
        ],
        "commitments": [
            {"id": c.id, "section": c.section, "text": c.text, "source": c.source,
             "actor": c.actor, "cue": c.cue, "themes": list(c.themes)}
            for c in document.commitments
        ],
        "themes": [
            {"id": t.id, "label": t.label, "score": t.score, "mentions": t.mentions,
             "evidence": [{"text": e.text, "section": e.section} for e in t.evidence]}
            for t in document.themes
        ],
        "warnings": list(document.warnings),
    }


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Safe YAML: no aliases, block style, literal blocks for multi-line text. The C emitter
    when PyYAML has it (a third of a parse's time otherwise), the same output either way."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) and "\r" not in value \
        and all(line == line.rstrip() for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


NO_FOLDING = 2**31 - 1  # the emitter's line width: the largest the C emitter accepts


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=NO_FOLDING)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def render(data: dict[str, Any], fmt: str) -> str:
    """The extraction in ``fmt``: 'yaml', 'json' (indented) or 'jsonl' (one line)."""
    if fmt == "json":
        return to_json(data)
    if fmt == "jsonl":
        return to_json_line(data)
    return to_yaml(data)


def render_many(items: list[dict[str, Any]], fmt: str) -> str:
    """Several extractions as one stream a parser reads whole: YAML documents separated by
    '---', one JSON array, or one JSON object per line."""
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(to_json_line(item) for item in items)
    return "---\n".join(to_yaml(item) for item in items)
