"""Addresses: a page fetched over http(s), then read as HTML, PDF, Word or text by its type.

The standard library's urllib does the work (redirects followed, a timeout, the body read up
to the size cap): one page at a time needs nothing more, and no dependency is added. Every
failure (a 404, a timeout, an unknown host, a refused connection, a body over the cap) is an
``InputError`` naming the address and the problem in one line.

``read_url_list`` and ``ingest_url`` are the library's entry points for a list of addresses
(``batch --urls``, and the archive's ``index``).
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

from communique_nlp import __version__
from communique_nlp.errors import InputError, MissingInputError
from communique_nlp.model import Document

TIMEOUT = 30.0  # seconds without an answer before the fetch is given up
USER_AGENT = f"communique-nlp/{__version__} (+https://example.invalid/communique-nlp)"
_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf",
          "text/plain": "txt", "text/markdown": "md", "text/x-markdown": "md",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".md": "md", ".html": "html",
             ".htm": "html"}


def ingest_url(url: str, *, max_bytes: int, timeout: float = TIMEOUT) -> Document:
    """Fetch ``url`` and read the body by its content type; ``source.path`` is the address."""
    from communique_nlp.stages.ingest import ingest_bytes, ingest_pdf

    data, fmt = fetch(url, max_bytes=max_bytes, timeout=timeout)
    if fmt == "pdf" or data.startswith(b"%PDF"):
        handle, name = tempfile.mkstemp(suffix=".pdf", prefix=".communique-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            return ingest_pdf(Path(name), url, data)
        finally:
            Path(name).unlink(missing_ok=True)
    return ingest_bytes(data, path=url, fmt=fmt, max_bytes=max_bytes)


def fetch(url: str, *, max_bytes: int, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """The body at ``url`` and its format (html, pdf, docx, md or txt)."""
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(url, "only http:// and https:// addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html,application/pdf,*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            headers: Message = response.headers
            final = response.geturl()
    except urllib.error.HTTPError as error:
        raise InputError(url, f"HTTP {error.code} {error.reason}".rstrip()) from error
    except urllib.error.URLError as error:
        raise InputError(url, _network_problem(error.reason, timeout)) from error
    except TimeoutError as error:
        raise InputError(url, f"no answer within {timeout:g} s (timed out)") from error
    except (OSError, ValueError) as error:  # a reset connection, a malformed address
        raise InputError(url, f"cannot be fetched ({error})") from error
    if len(data) > max_bytes:
        raise InputError(url, f"the page is over the {max_bytes:,}-byte limit (--max-bytes)")
    if not data:
        raise InputError(url, "empty page")
    return data, _format(headers, final)


def _network_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, socket.gaierror):
        return "unknown host (the name does not resolve)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot be fetched ({reason.strerror})"
    return f"cannot be fetched ({reason})"


def _format(headers: Message, url: str) -> str:
    """The format by the Content-Type, else by the address's suffix, else HTML."""
    kind = headers.get_content_type().lower() if headers.get("Content-Type") else ""
    if kind in _TYPES:
        return _TYPES[kind]
    suffix = Path(url.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    return _SUFFIXES.get(suffix, "html")


def read_url_list(path: str | Path) -> list[str]:
    """The addresses of a list file: one a line; blank lines and '#' comments skipped."""
    shown = str(path)
    try:
        text = Path(path).read_text("utf-8-sig")
    except FileNotFoundError as error:
        raise MissingInputError(shown, "no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(shown, f"cannot be read as a list of addresses ({error})") from error
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.lower().startswith(("http://", "https://")):
            raise InputError(shown, f"line {number} is not an http(s) address: {line[:80]!r}")
        urls.append(line)
    return urls


def url_file_name(url: str) -> str:
    """A file name for the extraction of ``url``: host and path, safe anywhere, and unique
    (a short hash of the whole address)."""
    rest = url.split("://", 1)[-1]
    safe = "".join(c if c.isalnum() or c in "-._" else "_" for c in rest).strip("._")[:120]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"{safe or 'page'}.{digest}"
