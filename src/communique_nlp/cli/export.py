"""``communique export --db ARCHIVE --table T -o FILE``: a table as CSV or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from communique_nlp.cli.common import EXIT_USAGE, DebugOption, fail
from communique_nlp.cli.index import ArchiveOption


def export_command(
    db: ArchiveOption,
    table: Annotated[str, typer.Option("--table", "-t", help=(
        "documents (one row each), commitments (one row each, with the document's path, "
        "date, language and title) or themes (one row per document and theme)."),
        show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help=(
        "The file to write: .csv (UTF-8, a header row) or .xlsx."), show_default=False)],
    debug: DebugOption = False,
) -> None:
    """Write a table of the archive to a CSV or Excel file."""
    from communique_nlp.apps.archive.export import ExportUsageError, export_table
    from communique_nlp.apps.archive.store import ArchiveError

    try:
        report = export_table(db, table, output)
    except (ExportUsageError, ArchiveError) as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)
    typer.echo(f"{report.rows} rows of {report.table} written to {report.path}", err=True)
