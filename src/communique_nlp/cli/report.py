"""``communique report --db ARCHIVE -o FILE.html``: one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from communique_nlp.cli.common import EXIT_USAGE, DebugOption, fail
from communique_nlp.cli.index import ArchiveOption


def report_command(
    db: ArchiveOption,
    output: Annotated[Path, typer.Option("--output", "-o", help=(
        "The HTML file to write (opens without a network)."), show_default=False)],
    debug: DebugOption = False,
) -> None:
    """Write an HTML report: themes over time, commitments per meeting, the documents."""
    from communique_nlp.apps.archive.report import build_report
    from communique_nlp.apps.archive.store import ArchiveError

    try:
        count = build_report(db, output)
    except ArchiveError as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)
    typer.echo(f"report of {count} documents written to {output}", err=True)
