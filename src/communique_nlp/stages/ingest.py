"""Stage 1, ingest: bytes in, decoded text out, with the facts about the source.

Text files arrive in whatever encoding the analyst's browser or editor chose: UTF-8 with or
without a BOM, UTF-16 with (or, from some Windows tools, without) a BOM, Windows-1252.
Anything that is not text (a binary, an empty file) is refused here with one clear line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

from communique_nlp.errors import InputError, MissingInputError
from communique_nlp.model import Document, Source

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".docx": "docx", "": "txt"}
STDIN_FORMATS = ("txt", "md", "html")  # what '-' may hold (--input-format)
SUPPORTED_SUFFIXES = tuple(sorted(s for s in FORMATS if s))
DEFAULT_MAX_BYTES = 50_000_000

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls other than tab, newline, carriage return and form feed.
BINARY_SHARE = 0.05  # a text with more control bytes than this share is a binary file
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def ingest_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                stdin_format: str = "txt") -> Document:
    """Read a file from disk ('-' reads standard input, holding ``stdin_format``), or the page
    at an http(s) address."""
    shown = printable(str(path))
    if shown == "-":
        import sys

        if stdin_format not in STDIN_FORMATS:
            raise InputError("-", f"standard input can hold {', '.join(STDIN_FORMATS)}, "
                                  f"not {stdin_format!r}")
        return ingest_bytes(_read_limited(sys.stdin.buffer, max_bytes, "-"), path="-",
                            fmt=stdin_format, max_bytes=max_bytes)
    if isinstance(path, str) and is_address(path):
        from communique_nlp.stages.fetch import ingest_url

        return ingest_url(path, max_bytes=max_bytes)
    file = Path(path)
    try:
        if not file.exists():
            if file.is_symlink():
                raise InputError(shown, "broken symbolic link, or a loop of links")
            raise MissingInputError(shown, "no such file")
        if file.is_dir():
            raise MissingInputError(shown, "is a directory, not a file")
        if not file.is_file():
            raise InputError(shown, "not a regular file (a device, socket or pipe)")
        size = file.stat().st_size
        if size > max_bytes:
            raise InputError(shown, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit "
                                    "(--max-bytes)")
        with file.open("rb") as handle:  # the file may grow after it was measured
            data = _read_limited(handle, max_bytes, shown)
    except OSError as error:
        raise InputError(shown, f"cannot be read ({error.strerror or error})") from error
    fmt = FORMATS.get(file.suffix.lower(), "txt")
    if data.startswith(b"%PDF") or fmt == "pdf":
        return ingest_pdf(file, shown, data)
    return ingest_bytes(data, path=shown, fmt=fmt, max_bytes=max_bytes)


def is_address(name: str) -> bool:
    """An http:// or https:// address (fetched), not a file name."""
    return name[:8].lower().startswith(("http://", "https://"))


def ingest_bytes(data: bytes, *, path: str = "-", fmt: str = "txt",
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise InputError(path, f"input is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if data.startswith(b"%PDF"):
        raise InputError(path, "PDF data can only be read from a file path")
    if fmt == "docx" or data.startswith(b"PK\x03\x04"):
        return _ingest_docx(data, path, fmt)
    text, encoding = decode(data, path)
    title = date = None
    if fmt == "html":
        from communique_nlp.stages.markup import read_html

        page = read_html(text, path)
        text, title, date = page.text, page.title, page.date
    if not text.strip():
        raise InputError(path, "empty file (no text)" if data.strip() else "empty file")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                    encoding=encoding)
    nuls = text.count("\x00")
    warnings = (f"{nuls} NUL character{'s' if nuls > 1 else ''} in the text, dropped",) \
        if nuls else ()
    return Document(source=source, text=text, warnings=warnings, title_hint=title,
                    date_hint=date)


def _ingest_docx(data: bytes, path: str, fmt: str) -> Document:
    if fmt != "docx":
        raise InputError(path, "binary file (a ZIP archive: a Word file should be named .docx)")
    from communique_nlp.stages.markup import read_docx

    word = read_docx(data, path)
    if not word.text.strip():
        raise InputError(path, "empty Word file (no text)")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="docx")
    return Document(source=source, text=word.text, title_hint=word.title)


def printable(name: str) -> str:
    """A path as text that can be written anywhere (undecodable bytes shown as \\xNN)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_limited(handle: BinaryIO, max_bytes: int, shown: str) -> bytes:
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(shown, f"input is over the {max_bytes:,}-byte limit (--max-bytes)")
    return data


def ingest_text(text: str, *, path: str = "<text>") -> Document:
    """Wrap text already in memory (the library's ``parse`` given a string)."""
    if not text.strip():
        raise InputError(path, "empty text")
    data = text.encode("utf-8")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="txt",
                    encoding="utf-8")
    return Document(source=source, text=text)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode ``data``, returning the text and the name of the encoding found."""
    if not data:
        raise InputError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "") + (
                    "-bom" if encoding == "utf-8-sig" else "")
            except UnicodeDecodeError as error:
                raise InputError(path, f"invalid {encoding} text after its byte-order mark "
                                       f"(byte {error.start})") from error
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16), utf16
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(data) // 100) or controls > BINARY_SHARE * len(data):
        problem = "contains NUL bytes" if b"\x00" in data else "too many control bytes"
        raise InputError(path, f"binary file ({problem}), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows as NUL in every other byte of mostly-ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    for encoding, nuls, other in (("utf-16-le", odd_nuls, even_nuls),
                                  ("utf-16-be", even_nuls, odd_nuls)):
        if nuls > 0.6 and other < 0.05:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def ingest_pdf(file: Path, shown: str, data: bytes) -> Document:
    """A PDF file (``data``: its bytes, for the hash); scanned pages are read by OCR."""
    from communique_nlp.stages.pdf import read_pdf

    read = read_pdf(file, shown)
    source = Source(path=shown, sha256=hashlib.sha256(data).hexdigest(), format="pdf",
                    pages=read.pages, ocr=bool(read.ocr_pages))
    warnings: list[str] = []
    if read.ocr_pages:
        warnings.append(f"{_pages(read.ocr_pages)} read by OCR (scanned, no text layer): the "
                        "text may contain recognition errors")
    if read.unread_pages:
        warnings.append(f"{_pages(read.unread_pages)} scanned (no text layer) and not read: "
                        f"{read.unread_because}")
    return Document(source=source, text=read.text, warnings=tuple(warnings))


def _pages(numbers: tuple[int, ...]) -> str:
    return f"page{'s' if len(numbers) > 1 else ''} " + ", ".join(map(str, numbers))
