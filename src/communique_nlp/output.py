"""Writing results to disk: whole files or nothing (a temporary file, then a rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from communique_nlp.errors import CommuniqueError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers only ever see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CommuniqueError(f"{path}: cannot write ({error.strerror or error})") from error
        raise
