"""Whether a document discusses a core theme, as a learned decision over its mentions.

The rule (one strong mention, or two weak terms, in the document's own text) does not transfer
well on its own: a weak term repeated through a text ('illegal immigration' twice, 'attentats'
three times) shows its theme, a headline naming it does too, while 'cyberspace' three times
does not. The features are the rule's verdict and the counts it is made of, where they occur
(headline, headings, share of the passages) and the theme. Page chrome is never evidence
(SPEC): a theme only chrome mentions is no candidate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from communique_nlp.model import Document
    from communique_nlp.stages.themes import Found, Mention

MODEL = "themes"
POSITIVE = "yes"
THRESHOLD = 0.5


def _capped(count: int, cap: int) -> float:
    return min(count, cap) / cap


def features(found: Found, theme_id: str, rule_verdict: bool) -> dict[str, float]:
    own: list[Mention] = [m for m, _ in found.own.get(theme_id, [])]
    strong = [m for m in own if m.weight >= 1.0]
    weak = [m for m in own if m.weight < 1.0]
    return {
        "bias_theme": 1.0,
        f"theme={theme_id}": 1.0,
        "rule": float(rule_verdict),
        "strong": _capped(len(strong), 5),
        "strong_terms": _capped(len({m.term for m in strong}), 3),
        "any_strong": float(bool(strong)),
        "weak": _capped(len(weak), 5),
        "weak_terms": _capped(len({m.term for m in weak}), 3),
        "title": _capped(len(found.title.get(theme_id, [])), 2),
        "heading": float(theme_id in found.in_headings),
        "coverage": min(1.0, len(found.passages.get(theme_id, ())) / max(found.total, 1)),
    }


def examples(document: Document, gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    """One example per core theme its own text or headline mentions, labelled by the gold."""
    from communique_nlp.stages.themes import collect, load_taxonomy, rule_verdict

    if "themes" not in gold:
        return []
    taxonomy = load_taxonomy()
    found = collect(document, taxonomy)
    labelled = {str(t) for t in gold.get("themes") or ()}
    rows = []
    for theme in taxonomy.themes:
        if not theme.core or not (found.own.get(theme.id) or found.title.get(theme.id)):
            continue
        rows.append((features(found, theme.id, rule_verdict(found, theme.id)),
                     POSITIVE if theme.id in labelled else "no"))
    return rows
