"""spaCy's command line, imported when it is used rather than with spaCy.

``import spacy`` runs ``from .cli.info import info``, and ``spacy.cli`` pulls in its download
and project commands: click, jinja2, requests, httpx, weasel. That is about a third of spaCy's
import time, paid on every ``communique parse`` for commands the pipeline never runs. While
spaCy's own ``__init__`` runs, ``spacy.cli`` and ``spacy.cli.info`` are given as stand-ins
that import the real modules at their first use (``spacy.info()``, ``spacy.cli.download``,
``python -m spacy``), so nothing of spaCy is lost, only imported later.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

_DEFERRED = ("spacy.cli", "spacy.cli.info")


class _DeferredCli(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Stand-ins for ``spacy.cli`` and ``spacy.cli.info``, only while ``import spacy`` runs."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        spacy = sys.modules.get("spacy")
        if (fullname not in _DEFERRED or spacy is None
                or not getattr(spacy.__spec__, "_initializing", False)):
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "spacy.cli")
        if fullname == "spacy.cli" and spacy.__file__:
            # the real folder: ``import spacy.cli.download`` still finds the real module
            spec.submodule_search_locations = [str(Path(spacy.__file__).parent / "cli")]
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: ModuleType) -> None:
        name = module.__name__

        def real() -> ModuleType:
            for deferred in _DEFERRED:
                sys.modules.pop(deferred, None)
            return importlib.import_module(name)

        def first_use(attribute: str) -> Any:
            if attribute.startswith("__"):
                raise AttributeError(attribute)
            return getattr(real(), attribute)

        module.__getattr__ = first_use  # type: ignore[method-assign]
        if name == "spacy.cli.info":
            module.info = lambda *args, **kwargs: real().info(*args, **kwargs)  # type: ignore[attr-defined]


def install() -> None:
    """Defer spaCy's command line, unless spaCy is already imported (or this is done)."""
    if "spacy" not in sys.modules and not any(isinstance(f, _DeferredCli) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferredCli())
