"""A linear (logistic regression) model over named features, stored as plain JSON.

Training uses scikit-learn (a development dependency, imported only by :func:`fit`); the
pipeline scores with the stored weights in pure Python, so loading a model costs a JSON read
and no heavy import. Weights are rounded so that the same data gives the same file, byte for
byte.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Features = Mapping[str, float]
WEIGHT_DECIMALS = 5


@dataclass(frozen=True)
class LinearModel:
    """``labels[k]`` scores ``bias[k] + sum(weights[f][k] * x[f])``; with two labels only the
    second (positive) label has weights and the probability is a sigmoid."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def probabilities(self, features: Features) -> dict[str, float]:
        # the rows of the features present, summed column by column: one pass in C per
        # label instead of a new list of scores per feature
        weights = self.weights
        rows: list[Sequence[float]] = [self.bias]
        for name, value in features.items():
            row = weights.get(name)
            if row is not None and value:
                rows.append(row if value == 1.0 else [weight * value for weight in row])
        scores = [sum(column) for column in zip(*rows, strict=True)]
        if len(self.labels) == 2:
            positive = _sigmoid(scores[0])
            return {self.labels[0]: 1.0 - positive, self.labels[1]: positive}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}

    def probability(self, features: Features, label: str) -> float:
        return self.probabilities(features)[label]

    def predict(self, features: Features) -> str:
        probabilities = self.probabilities(features)
        return max(self.labels, key=lambda label: probabilities[label])

    def as_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "bias": list(self.bias),
                "weights": {name: list(row) for name, row in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(labels=tuple(data["labels"]), bias=tuple(data["bias"]),
                   weights={name: tuple(row) for name, row in data["weights"].items()})

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=False,
                                   separators=(",", ":")) + "\n", encoding="utf-8")


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def fit(rows: Sequence[Features], labels: Sequence[str], *, c: float = 1.0,
        class_weight: str | None = None) -> LinearModel:
    """Fit an L2-regularised logistic regression (deterministic: lbfgs from zero weights)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError(f"need two labels or more to fit, got {sorted(set(labels))}")
    vectoriser = DictVectorizer(sort=True)
    matrix = vectoriser.fit_transform([dict(row) for row in rows])
    learner = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight)
    learner.fit(matrix, list(labels))
    names = vectoriser.get_feature_names_out()
    classes = tuple(str(label) for label in learner.classes_)
    coefficients = learner.coef_  # (1, n) for two classes, (k, n) otherwise
    weights: dict[str, tuple[float, ...]] = {}
    for j, name in enumerate(names):
        row = tuple(_round(coefficients[k, j]) for k in range(coefficients.shape[0]))
        if any(row):
            weights[str(name)] = row
    bias = tuple(_round(b) for b in learner.intercept_)
    return LinearModel(labels=classes, bias=bias, weights=weights)


def _round(value: float) -> float:
    rounded = round(float(value), WEIGHT_DECIMALS)
    return 0.0 if rounded == 0 else rounded  # no '-0.0' in the file
