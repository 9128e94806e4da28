"""Labelled documents for training and cross-validation: a document, its gold, its collection.

A gold folder holds ``NAME.gold.yaml`` beside the document ``NAME``; ``NAME.meta.yaml``, when
present (as in ``../shared/eval/train``), names the collection (``group``) the document came
from. Documents without one belong to a group named after their folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique_nlp.apps.evaluate import GOLD_SUFFIX, document_for, gold_files, load_data

META_SUFFIX = ".meta.yaml"


@dataclass(frozen=True)
class LabelledDoc:
    name: str  # the gold file's name without '.gold.yaml', relative to its folder
    path: Path  # the document
    group: str  # the collection: held out together in cross-validation
    gold: Mapping[str, Any]


def labelled_docs(folders: Iterable[Path]) -> list[LabelledDoc]:
    """Every gold-annotated document under ``folders``, in a stable order."""
    found: list[LabelledDoc] = []
    for folder in folders:
        for gold_path in gold_files(folder):
            document = document_for(gold_path)
            if document is None:
                continue
            name = gold_path.relative_to(folder).as_posix()[: -len(GOLD_SUFFIX)]
            found.append(LabelledDoc(name=name, path=document, group=_group(document, folder),
                                     gold=load_data(gold_path)))
    return found


def _group(document: Path, folder: Path) -> str:
    stem = document.name.split(".")[0]
    meta = document.with_name(stem + META_SUFFIX)
    if meta.is_file():
        group = load_data(meta).get("group")
        if group:
            return str(group)
    return folder.name
