"""Document kind (communique, press_release, statement, other) as a learned decision.

Features: the rule verdict of ``stages.entities.rule_kind``, the cue phrases of
``models/kinds.yaml`` found in the title and opening, the words of the title, and the shape
of the document (quotes, contacts, a dateline, 'we', sections, bullets, length).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from communique_nlp.model import Document
from communique_nlp.text import fold

MODEL = "kind"
_WORD = re.compile(r"[^\W\d_]{3,}")


def features(document: Document, rule_verdict: str) -> dict[str, float]:
    title = fold(document.title or "")
    own = [s for s in document.sections if s.kind not in ("boilerplate", "links", "contacts")]
    body = " ".join(p.text for s in own for p in s.paragraphs)
    opening = fold(body[:400])
    kinds = {s.kind for s in document.sections}
    found: dict[str, float] = {"bias_doc": 1.0, f"rule={rule_verdict}": 1.0}
    for word in set(_WORD.findall(title)):
        found[f"title:{word}"] = 1.0
    for word in set(_WORD.findall(opening)[:40]):
        found[f"open:{word}"] = 0.5
    for kind in kinds:
        found[f"section:{kind}"] = 1.0
    found["no_title"] = float(not document.title)
    found["log_length"] = min(len(body), 20000) / 20000
    found["bullets"] = min(sum(len(s.bullets) for s in own), 20) / 20
    found["headings"] = min(sum(1 for s in own if s.heading), 10) / 10
    found["quotes"] = min(body.count("«") + body.count("“") + body.count('"'), 20) / 20
    found["first_person"] = float(bool(re.search(r"\b(we|our|nous|notre|nos)\b", fold(body))))
    found["said"] = float(bool(re.search(r"\b(said|a déclaré|a dit|a affirmé)\b", fold(body))))
    found["dated"] = float(document.entities.date is not None)
    return found


def examples(document: Document, gold: Mapping[str, Any],
             rule_verdict: str) -> list[tuple[dict[str, float], str]]:
    kind = gold.get("kind")
    return [(features(document, rule_verdict), str(kind))] if kind else []
