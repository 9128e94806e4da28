"""communique-nlp: structured extraction from public-safety communiqués, English and French.

The library API is ``parse``; heavy modules (spaCy, the pipeline stages) are imported on
first use, so that importing the package, and ``communique --help``, stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Extraction", "Options", "__version__", "parse"]

if TYPE_CHECKING:
    from communique_nlp.pipeline import Options, parse
    from communique_nlp.stages.serialise import Extraction


def __getattr__(name: str) -> Any:
    if name in ("parse", "Options"):
        from communique_nlp import pipeline

        return getattr(pipeline, name)
    if name == "Extraction":
        from communique_nlp.stages.serialise import Extraction

        return Extraction
    raise AttributeError(name)
