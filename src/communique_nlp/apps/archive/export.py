"""``communique export``: a table of the archive as CSV or Excel.

- ``documents``: one row per document;
- ``commitments``: one row per commitment, with its document's path, date, language and title;
- ``themes``: one row per document and theme, with the score and the number of mentions.

The format follows the output file's extension: ``.csv`` (standard library ``csv``, UTF-8,
a header row) or ``.xlsx`` (XlsxWriter: a write-only library with no dependencies of its own,
smaller and faster than openpyxl for a file we only ever write). Lists (themes, countries) are
written as one cell, values separated by ``LIST_SEPARATOR``. The file is written whole or not
at all (a temporary file, then a rename).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique_nlp.apps.archive.store import connect
from communique_nlp.errors import CommuniqueError
from communique_nlp.output import current_umask, write_atomic

TABLES = ("documents", "commitments", "themes")
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
LIST_SEPARATOR = "; "

_QUERIES = {
    "documents": (
        ("path", "sha256", "title", "date", "place", "language", "kind", "themes", "countries",
         "parties", "organizations", "commitments", "pair"),
        "SELECT d.path, d.sha256, d.title, d.date, d.place, d.language, d.kind, d.themes, "
        "d.countries, d.parties, d.organizations, d.commitment_count, p.path "
        "FROM documents d LEFT JOIN documents p ON p.id = d.pair_id "
        "ORDER BY d.date IS NULL, d.date, d.path"),
    "commitments": (
        ("date", "language", "actor", "cue", "themes", "text", "id", "source", "path", "title",
         "document_language"),
        "SELECT d.date, c.language, c.actor, c.cue, c.themes, c.text, c.commitment_id, "
        "c.source, d.path, d.title, d.language FROM commitments c "
        "JOIN documents d ON d.id = c.document_id "
        "ORDER BY d.date IS NULL, d.date, d.path, c.position"),
    "themes": (
        ("path", "title", "date", "language", "theme", "label", "core", "score", "mentions"),
        "SELECT d.path, d.title, d.date, d.language, t.theme, th.label, th.core, t.score, "
        "t.mentions FROM document_themes t JOIN documents d ON d.id = t.document_id "
        "JOIN themes th ON th.id = t.theme "
        "ORDER BY d.date IS NULL, d.date, d.path, t.score DESC, t.theme"),
}
_LISTS = {"themes", "countries", "parties", "organizations"}


class ExportUsageError(CommuniqueError):
    """An export asked for a table or format that does not exist."""


@dataclass(frozen=True)
class ExportReport:
    path: Path
    table: str
    fmt: str
    rows: int


def export_table(archive: str | Path, table: str, output: str | Path) -> ExportReport:
    """Write ``table`` of ``archive`` to ``output`` (.csv or .xlsx)."""
    output = Path(output)
    if table not in TABLES:
        raise ExportUsageError(f"--table takes one of {', '.join(TABLES)}, not {table!r}")
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise ExportUsageError(f"{output}: the output file must end in .csv or .xlsx")
    header, rows = read_table(archive, table)
    if fmt == "csv":
        write_atomic(output, _csv(header, rows))
    else:
        _write_xlsx(output, table, header, rows)
    return ExportReport(output, table, fmt, len(rows))


def read_table(archive: str | Path, table: str) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The header and rows of an export table, lists as text."""
    header, sql = _QUERIES[table]
    connection = connect(archive)
    try:
        rows = [[_cell(name, value) for name, value in zip(header, row, strict=True)]
                for row in connection.execute(sql)]
    except sqlite3.Error as error:
        raise CommuniqueError(f"{archive}: cannot read the archive ({error})") from error
    finally:
        connection.close()
    return header, rows


def _cell(name: str, value: Any) -> Any:
    if name in _LISTS and isinstance(value, str):
        return LIST_SEPARATOR.join(str(v) for v in json.loads(value))
    if name == "core":
        return bool(value)
    return value


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def _write_xlsx(output: Path, table: str, header: tuple[str, ...],
                rows: list[list[Any]]) -> None:
    import xlsxwriter

    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp",
                                         dir=output.parent)
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(temporary, {"constant_memory": True,
                                                   "strings_to_numbers": False,
                                                   "strings_to_formulas": False,
                                                   "strings_to_urls": False})
        sheet = workbook.add_worksheet(table)
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, 1):
            sheet.write_row(number, 0, ["" if v is None else v for v in row])
        sheet.freeze_panes(1, 0)
        workbook.close()
        os.chmod(temporary, 0o666 & ~current_umask())
        os.replace(temporary, output)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise CommuniqueError(f"{output}: cannot write ({error.strerror or error})") \
                from error
        raise
