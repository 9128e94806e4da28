"""Grouped cross-validation: the project's quality figure on documents of unseen sources.

For each collection (``group``) of the training folder, every learned component is fitted on
the other collections plus the extra folders (``corpus/``), the held-out collection is parsed
with those models and scored by SPEC.md's rules. The pooled report sums the per-collection
counts, so each document is scored exactly once, by models that never saw its collection.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique_nlp.apps.evaluate import EvalReport, score_document
from communique_nlp.learn.data import LabelledDoc, labelled_docs


@dataclass
class CrossValidation:
    """One report per held-out collection, and the pooled report."""

    folds: dict[str, EvalReport] = field(default_factory=dict)

    @property
    def pooled(self) -> EvalReport:
        pooled = EvalReport()
        for report in self.folds.values():
            pooled.documents.extend(report.documents)
            pooled.errors.extend(report.errors)
        return pooled


def cross_validate(train_dir: Path, extra_dirs: Sequence[Path] = (),
                   progress: Callable[[str], None] | None = None) -> CrossValidation:
    """Hold out each collection of ``train_dir`` in turn (see the module docstring)."""
    from communique_nlp.learn.train import train_all
    from communique_nlp.pipeline import Options, parse

    held = labelled_docs([train_dir])
    extra = labelled_docs(extra_dirs) if extra_dirs else []
    result = CrossValidation()
    for group in sorted({doc.group for doc in held}):
        if progress:
            progress(group)
        fitted_on = [doc for doc in held if doc.group != group] + extra
        with tempfile.TemporaryDirectory(prefix=f"communique-cv-{group}-") as folder:
            train_all(fitted_on, Path(folder))
            options = Options(model_dir=Path(folder))

            def predict(path: Path, options: Options = options) -> dict[str, Any]:
                return parse(path, options).as_dict()

            result.folds[group] = _score([d for d in held if d.group == group], predict)
    return result


def _score(docs: list[LabelledDoc], predict: Callable[[Path], dict[str, Any]]) -> EvalReport:
    report = EvalReport()
    for doc in docs:
        try:
            predicted = predict(doc.path)
        except Exception as error:  # scored as empty, like `communique eval` does
            report.errors.append((doc.name, f"{doc.path}: {error}"))
            predicted = {}
        report.documents.append(score_document(doc.gold, predicted, doc.name))
    return report
