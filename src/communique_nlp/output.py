"""Writing results to disk: whole files or nothing (a temporary file, then a rename)."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import tempfile
from pathlib import Path

from communique_nlp.errors import CommuniqueError

_PROBLEMS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "file name too long",
}


@functools.cache
def current_umask() -> int:
    """The process's file-creation mask: from /proc on Linux, else by setting it and putting
    it back (once per process, so no other thread sees a changed mask later)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers only ever see the old or the new file.

    The file gets the permissions a plain ``open()`` would give it (0666 less the umask), not
    the private 0600 of a temporary file. A full disk, a read-only or forbidden folder raise
    ``CommuniqueError`` with one clear line, and no temporary file is left behind.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
    except OSError as error:
        raise _error(path, error) from error
    try:
        try:
            os.fchmod(handle, 0o666 & ~current_umask())
            view = memoryview(data)
            while view:
                written = os.write(handle, view)
                view = view[written:]
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _error(path, error) from error
        raise


def _error(path: Path, error: OSError) -> CommuniqueError:
    problem = _PROBLEMS.get(error.errno or 0) or error.strerror or str(error)
    if isinstance(error, FileExistsError) or (error.errno == errno.EEXIST):
        problem = "a part of the path is a file, not a folder"
    return CommuniqueError(f"{path}: cannot write ({problem})")
