"""The training recipe: every learned component, fitted in pipeline order.

A component's examples are read off documents parsed with the models fitted before it (so the
commitment model learns from sections as the learned segmenter makes them), labelled by the
gold. ``models/train.py`` calls :func:`train_all` on ``../shared/eval/train`` and ``corpus/``;
cross-validation calls it once per held-out collection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique_nlp.learn.data import LabelledDoc
from communique_nlp.learn.linear import Features, fit
from communique_nlp.learn.store import forget_loaded, model_file
from communique_nlp.model import Document

Examples = Sequence[tuple[Features, str]]


@dataclass(frozen=True)
class Component:
    name: str
    examples: Callable[[Document, Mapping[str, Any]], Examples]
    c: float = 1.0  # inverse regularisation strength, chosen by cross-validation
    class_weight: str | None = None


def _role_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import roles

    return roles.examples(document, gold)


def _title_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import roles

    return roles.title_examples(document, gold)


def _kind_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import kind
    from communique_nlp.stages.entities import rule_kind

    return kind.examples(document, gold, rule_kind(document))


def _commitment_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import commitment

    return commitment.examples(document, gold)


def _theme_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import themes

    return themes.examples(document, gold)


def _date_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import dating
    from communique_nlp.stages.entities import rule_date

    return dating.examples(document, gold, rule_date(document.sections))


def _people_examples(document: Document, gold: Mapping[str, Any]) -> Examples:
    from communique_nlp.learn import people
    from communique_nlp.stages.entities import people_candidates

    return people.examples(people_candidates(document), gold)


COMPONENTS: tuple[Component, ...] = (
    Component("block_role", _role_examples, c=1.0, class_weight="balanced"),
    Component("block_title", _title_examples, c=1.0),
    Component("commitment", _commitment_examples, c=0.3),
    Component("themes", _theme_examples, c=3.0),
    Component("people", _people_examples, c=1.0),
    # grouped CV, date accuracy by C: .912 at 0.5, 1 and 2; at 2 the trained-on corpus keeps
    # its dateline over a 'Publié le' stamp, a coin flip at 1
    Component("date", _date_examples, c=2.0),
    # grouped CV, kind accuracy by C (re-chosen after the headings and commitments of round
    # three): 3 .781, 5 .806, 7-10 .796, 15 .786, 20 .791, 30 .796, 50 .806, 100 .786; an
    # average of the models over C 2-100 .801: a noise floor of about two documents either way
    Component("kind", _kind_examples, c=5.0),
)


def train_all(docs: Sequence[LabelledDoc], out_dir: Path,
              components: Sequence[Component] = COMPONENTS) -> dict[str, int]:
    """Fit every component on ``docs`` into ``out_dir``; the number of examples of each."""
    from communique_nlp.pipeline import Options, run_path

    out_dir.mkdir(parents=True, exist_ok=True)
    for component in components:  # a stale file from an earlier run must not be used
        model_file(component.name, out_dir).unlink(missing_ok=True)
    forget_loaded()
    counts: dict[str, int] = {}
    options = Options(model_dir=out_dir)
    for component in components:
        rows: list[Features] = []
        labels: list[str] = []
        for doc in docs:
            document = run_path(doc.path, options)
            for row, label in component.examples(document, doc.gold):
                rows.append(row)
                labels.append(label)
        model = fit(rows, labels, c=component.c, class_weight=component.class_weight)
        model.save(model_file(component.name, out_dir))
        forget_loaded()
        counts[component.name] = len(rows)
    return counts
