"""``communique index SRC... --db ARCHIVE``: documents, folders and extractions into an archive.

Exit codes: 0 every input indexed or skipped, 1 some input failed (the others are indexed),
2 usage (no such source, an archive that is not one), 130 interrupted (rerun to finish).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    DebugOption,
    MaxBytesOption,
    ThemesOption,
    error_line,
    fail,
)

if TYPE_CHECKING:
    from communique_nlp.apps.archive.index import IndexReport

ArchiveOption = Annotated[Path, typer.Option("--db", help="The archive: one SQLite file.",
                                             show_default=False)]


def index_command(
    sources: Annotated[list[Path], typer.Argument(help=(
        "Documents, folders of documents (searched recursively), or folders of extractions "
        "written by parse/batch."), show_default=False)],
    db: ArchiveOption,
    workers: Annotated[int | None, typer.Option("--workers", "-w", help=(
        "Parallel worker processes. Default: the machine's cores."), show_default=False,
        min=1)] = None,
    timeout: Annotated[float, typer.Option(help=(
        "Seconds allowed per document; a document over it fails alone."), min=0.001)] = 60.0,
    themes: ThemesOption = None,
    max_bytes: MaxBytesOption = 50_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=(
        "No progress and no summary; failed inputs are still named on standard error."))
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Add documents, folders or extractions to an archive (created when missing)."""
    if themes is not None and not themes.is_file():
        fail(f"{themes}: no such taxonomy file")
    from communique_nlp.apps.archive.index import IndexUsageError, index_sources
    from communique_nlp.apps.archive.store import ArchiveError
    from communique_nlp.cli.batch import _Display
    from communique_nlp.errors import MissingInputError
    from communique_nlp.pipeline import Options

    display = _Display(quiet=quiet, fancy=sys.stderr.isatty(), label="index")
    try:
        with display:
            report = index_sources(sources, db, options=Options(themes=themes,
                                                                max_bytes=max_bytes),
                                   workers=workers, timeout=timeout,
                                   on_progress=display.update)
    except KeyboardInterrupt:
        error_line(f"interrupted after {display.done} of {display.total} inputs; what was "
                   "committed is kept: rerun the same command to finish")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (IndexUsageError, MissingInputError, ArchiveError) as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)
    if not quiet:
        print_summary(report)
    raise typer.Exit(EXIT_FAILED if report.exit_code else 0)


def print_summary(report: IndexReport) -> None:
    """The run's summary on standard output."""
    from rich.console import Console
    from rich.table import Table

    from communique_nlp.cli.batch import print_failures

    console = Console(highlight=False)
    counts = report.counts()
    table = Table(title=f"communique index -> {report.archive}", show_header=False,
                  title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("inputs", f"{len(report.records)}: " + ", ".join(
        f"{value} {key}" for key, value in counts.items()))
    table.add_row("pairs linked", str(report.pairs_linked))
    table.add_row("archive", f"{report.documents} documents")
    table.add_row("time", f"{report.seconds:.1f} s, {report.workers} worker"
                          f"{'s' if report.workers != 1 else ''}, "
                          f"{report.indexed_per_second():.1f} documents/s")
    console.print(table)
    print_failures(report.failed, console, "input")
