"""Access to the model assets under ``models/``: taxonomy, lexicons, cue lists, gazetteers.

Everything the pipeline knows about the domain is data, loaded once per process and cached.
In a source checkout the assets are read from the top-level ``models/`` folder; an installed
wheel carries the same folder inside the package.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def models_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "models", _PACKAGE_DIR.parents[1] / "models"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the model assets folder 'models/' is missing from this install")


def model_path(*parts: str) -> Path:
    return models_dir().joinpath(*parts)


@cache
def load_yaml(name: str) -> Any:
    """A YAML asset by file name, parsed once (safe loader, C implementation when present)."""
    return read_yaml_file(model_path(name))


def read_yaml_file(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)
