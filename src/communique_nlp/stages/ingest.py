"""Stage 1, ingest: bytes in, decoded text out, with the facts about the source.

Text files arrive in whatever encoding the analyst's browser or editor chose: UTF-8 with or
without a BOM, UTF-16 with (or, from some Windows tools, without) a BOM, Windows-1252.
Anything that is not text (a binary, an empty file) is refused here with one clear line.
"""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from communique_nlp.errors import InputError, MissingInputError
from communique_nlp.model import Document, Source

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".pdf": "pdf", "": "txt"}
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


def ingest_path(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a file from disk ('-' reads standard input)."""
    shown = printable(str(path))
    if shown == "-":
        import sys

        return ingest_bytes(_read_limited(sys.stdin.buffer, max_bytes, "-"), path="-",
                            max_bytes=max_bytes)
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
        return _ingest_pdf(file, shown, data)
    return ingest_bytes(data, path=shown, fmt=fmt, max_bytes=max_bytes)


def ingest_bytes(data: bytes, *, path: str = "-", fmt: str = "txt",
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise InputError(path, f"input is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if data.startswith(b"%PDF"):
        raise InputError(path, "PDF data can only be read from a file path")
    text, encoding = decode(data, path)
    if fmt == "html":
        text = html_to_text(text)
    if not text.strip():
        raise InputError(path, "empty file (no text)" if data.strip() else "empty file")
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format=fmt,
                    encoding=encoding)
    nuls = text.count("\x00")
    warnings = (f"{nuls} NUL character{'s' if nuls > 1 else ''} in the text, dropped",) \
        if nuls else ()
    return Document(source=source, text=text, warnings=warnings)


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


def _ingest_pdf(file: Path, shown: str, data: bytes) -> Document:
    from communique_nlp.stages.pdf import read_pdf

    text, pages = read_pdf(file, shown)
    source = Source(path=shown, sha256=hashlib.sha256(data).hexdigest(), format="pdf",
                    pages=pages)
    return Document(source=source, text=text)


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one line per block element."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "header", "footer", "ul", "ol", "table", "blockquote", "title", "nav"})
    SKIP = frozenset({"script", "style", "noscript", "template", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag == "li":
            self.parts.append("• ")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.parts.append("#" * int(tag[1]) + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Turn an HTML page into text whose headings use Markdown '#' marks."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", text).strip() + "\n"
