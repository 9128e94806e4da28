"""Ingest: encodings are detected, and what is not text is refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique_nlp.errors import InputError, MissingInputError
from communique_nlp.stages.ingest import ingest_bytes, ingest_path

FRENCH = "Les ministres se sont engagés à lutter contre la cybercriminalité, « déjà »."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "utf-8-bom"),
        (b"\xff\xfe" + FRENCH.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + FRENCH.encode("utf-16-be"), "utf-16-be"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),  # no BOM, as some Windows tools write
        (FRENCH.encode("cp1252"), "windows-1252"),
    ],
)
def test_encodings_are_detected_and_decoded(data: bytes, encoding: str) -> None:
    document = ingest_bytes(data, path="x.txt")
    assert document.text.lstrip("\ufeff") == FRENCH
    assert document.source.encoding == encoding


def test_windows_1252_quotes_survive() -> None:
    data = "\u201cWe will act,\u201d said the Minister \u2013 today.".encode("cp1252")
    assert ingest_bytes(data).text == "\u201cWe will act,\u201d said the Minister \u2013 today."


def test_sha256_is_of_the_input_bytes() -> None:
    import hashlib

    data = FRENCH.encode("utf-8")
    assert ingest_bytes(data).source.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\n  ", "empty file"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary file"),
        (bytes(range(1, 9)) * 50, "binary file"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        ingest_bytes(data, path="bad.txt")


def test_missing_path_and_directory_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="no such file"):
        ingest_path(tmp_path / "nope.txt")
    with pytest.raises(MissingInputError, match="is a directory"):
        ingest_path(tmp_path)


def test_oversized_input_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("a" * 2000)
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        ingest_path(big, max_bytes=1000)


def test_html_keeps_visible_text_and_marks_headings() -> None:
    page = (b"<html><head><style>p{}</style><script>var x=1;</script></head><body>"
            b"<h1>Joint statement</h1><p>Ministers met.</p><ul><li>First item</li></ul>"
            b"</body></html>")
    text = ingest_bytes(page, fmt="html").text
    assert "# Joint statement" in text
    assert "• First item" in text
    assert "var x" not in text and "p{}" not in text
