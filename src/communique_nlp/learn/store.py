"""Where model files live and how they are loaded: lazily, once per (name, folder).

A stage asks for its model by name; when the file is absent (a fresh checkout before
``make models``, or a cross-validation fold that has not trained it yet) it gets ``None`` and
keeps its rule-based decision.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from communique_nlp.assets import model_path
from communique_nlp.learn.linear import LinearModel

LEARNED_DIR = "learned"


def default_dir() -> Path:
    return model_path(LEARNED_DIR)


def model_file(name: str, folder: Path | None = None) -> Path:
    return (folder or default_dir()) / f"{name}.json"


@lru_cache(maxsize=64)  # keyed by the arguments: a stage asks per document, no path is built
def load_model(name: str, folder: Path | None = None) -> LinearModel | None:
    """The model ``name`` from ``folder`` (default ``models/learned``), or None when absent."""
    try:
        text = model_file(name, folder).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return LinearModel.from_dict(json.loads(text))


def forget_loaded() -> None:
    """Drop loaded models (training writes new files under the same names)."""
    load_model.cache_clear()
