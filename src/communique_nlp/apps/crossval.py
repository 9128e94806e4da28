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
                   workers: int = 1) -> CrossValidation:
    """Hold out each collection of ``train_dir`` in turn (see the module docstring); folds
    run in ``workers`` processes (each fold is independent)."""
    held = labelled_docs([train_dir])
    extra = labelled_docs(extra_dirs) if extra_dirs else []
    groups = sorted({doc.group for doc in held})
    jobs = [(group, held, extra) for group in groups]
    result = CrossValidation()
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            reports = list(pool.map(_fold, jobs))
    else:
        reports = [_fold(job) for job in jobs]
    result.folds = dict(zip(groups, reports, strict=True))
    return result


def _fold(job: tuple[str, list[LabelledDoc], list[LabelledDoc]]) -> EvalReport:
    """Fit on every collection but ``group`` (and the extra documents), score ``group``."""
    from communique_nlp.learn.train import train_all
    from communique_nlp.pipeline import Options, parse

    group, held, extra = job
    with tempfile.TemporaryDirectory(prefix=f"communique-cv-{group}-") as folder:
        train_all([doc for doc in held if doc.group != group] + extra, Path(folder))
        options = Options(model_dir=Path(folder))

        def predict(path: Path) -> dict[str, Any]:
            return parse(path, options).as_dict()

        return _score([doc for doc in held if doc.group == group], predict)


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
