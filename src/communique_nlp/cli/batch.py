"""`communique batch DIR [-o OUTDIR] [--workers N] [--resume] ...`: a folder in one run.

Where things go: the progress display and one line per failed file on standard error (a rich
progress bar when standard error is a terminal, one plain line per file otherwise, nothing with
--quiet); the summary tables on standard output, as the command's result (not with --quiet);
the extractions and the manifest in OUTDIR. Exit codes: 0 every input ok or skipped, 1 any
input failed, 2 usage (no such DIR, OUTDIR inside DIR without --allow-nested, bad option),
130 interrupted (rerun with --resume to finish).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_USAGE,
    DebugOption,
    MaxBytesOption,
    ThemesOnlyOption,
    ThemesOption,
    check_themes,
    error_line,
    fail,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, Task, TaskID
    from rich.text import Text

    from communique_nlp.apps.batch import BatchReport, FileRecord, ProgressEvent


class Format(str, Enum):
    yaml = "yaml"
    json = "json"
    jsonl = "jsonl"


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
SLOWEST_SHOWN = 5
SKIPPED_SHOWN = 20  # files the summary lists as skipped; the manifest lists them all
CURRENT_WIDTH = 40  # characters of the current file's path in the progress bar


def batch_command(
    directory: Annotated[Path | None, typer.Argument(
        help="Folder of documents; every .txt, .md, .html, .docx and .pdf under it, "
             "recursively.", show_default=False)] = None,
    urls: Annotated[Path | None, typer.Option("--urls", metavar="FILE", help=(
        "Instead of a folder: a file of http(s) addresses, one a line ('#' comments); each "
        "page is fetched and read by its type."), show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="OUTDIR", help=(
        "Output folder: one extraction per input at its mirrored path (a/b/x.pdf gives "
        "a/b/x.pdf.yaml there), and manifest.yaml. Default: DIR-extractions, beside DIR."),
        show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=(
        "yaml or json (one file per input), or jsonl (one stream, extractions.jsonl, and "
        "manifest.jsonl)."))] = Format.yaml,
    workers: Annotated[int | None, typer.Option("--workers", "-w", metavar="N", help=(
        "Parallel worker processes. Default: the machine's cores."), show_default=False,
        min=1)] = None,
    include: Annotated[list[str] | None, typer.Option("--include", metavar="GLOB", help=(
        "Only files whose relative path or name matches this glob (repeatable)."))] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", metavar="GLOB", help=(
        "Leave out files and folders whose relative path or name matches this glob "
        "(repeatable)."))] = None,
    resume: Annotated[bool, typer.Option("--resume", help=(
        "Skip inputs whose output from an earlier (or interrupted) run is still good: same "
        "sha256, same tool version and format."))] = False,
    allow_nested: Annotated[bool, typer.Option("--allow-nested", help=(
        "Allow OUTDIR inside DIR (it is then left out of the inputs)."))] = False,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help=(
        "Seconds allowed per file; a file over it fails alone."), min=0.001)] = 60.0,
    themes: ThemesOption = None,
    themes_only: ThemesOnlyOption = False,
    max_bytes: MaxBytesOption = 50_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=(
        "No progress and no summary; failed files are still named on standard error."))] = False,
    debug: DebugOption = False,
) -> None:
    """Extract every document under a folder, in parallel, with a manifest and a summary."""
    check_themes(themes, themes_only)
    if (directory is None) == (urls is None):
        fail("give a folder of documents, or --urls FILE (not both)")
    source = directory if directory is not None else urls
    assert source is not None
    if output is None:
        resolved = source.resolve()
        output = resolved.parent / f"{resolved.name or 'root'}-extractions"
    from communique_nlp.apps.batch import BatchUsageError, run_batch
    from communique_nlp.errors import CommuniqueError, MissingInputError
    from communique_nlp.pipeline import Options
    from communique_nlp.stages.fetch import read_url_list

    try:
        addresses = read_url_list(urls) if urls is not None else None
    except CommuniqueError as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)

    display = _Display(quiet=quiet, fancy=sys.stderr.isatty())
    try:
        with display:
            report = run_batch(source, output, urls=addresses,
                               options=Options(themes=themes, themes_only=themes_only,
                                               max_bytes=max_bytes),
                               workers=workers, fmt=fmt.value, include=tuple(include or ()),
                               exclude=tuple(exclude or ()), resume=resume,
                               allow_nested=allow_nested, timeout=timeout,
                               on_progress=display.update)
    except KeyboardInterrupt:
        error_line(f"interrupted after {display.done} of {display.total} files; every finished "
                   f"output is kept: rerun with --resume to finish")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (BatchUsageError, MissingInputError) as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)
    except CommuniqueError as error:
        if debug:
            raise
        fail(str(error), EXIT_FAILED)
    if not quiet:
        print_summary(report)
    raise typer.Exit(report.exit_code)


class _Display:
    """Progress on standard error: a rich bar on a terminal, plain lines otherwise."""

    def __init__(self, *, quiet: bool, fancy: bool, label: str = "batch") -> None:
        self.quiet, self.fancy, self.label = quiet, fancy, label
        self.done = self.total = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _Display:
        if self.fancy and not self.quiet:
            from rich.console import Console
            from rich.progress import Progress

            self._progress = Progress(*_progress_columns(self.label),
                                      console=Console(stderr=True))
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=None, current="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, event: ProgressEvent) -> None:
        self.done, self.total = event.done, event.total
        record = event.record
        if self._progress is not None and self._task is not None:
            current = record.path if record else ""
            if len(current) > CURRENT_WIDTH:
                current = "…" + current[-(CURRENT_WIDTH - 1):]
            self._progress.update(self._task, total=event.total, completed=event.done,
                                  current=current)
            if record is not None and record.status == "failed":
                self._progress.console.print(f"[red]failed[/red] {record.error}",
                                             markup=True, highlight=False)
            return
        if record is None:
            return
        if self.quiet:
            if record.status == "failed":
                error_line(record.error or record.path)
            return
        detail = {"ok": f"{record.path} ({record.seconds:.2f} s)",
                  "skipped": f"{record.path} ({record.reason})",
                  "failed": record.error or record.path}[record.status]
        width = len(str(event.total))
        typer.echo(f"[{event.done:>{width}}/{event.total}] {record.status:<7} {detail}",
                   err=True)


def _progress_columns(label: str) -> list[ProgressColumn]:
    """Files done, files/s, elapsed, ETA, the file just finished (rich imported only here)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class FilesPerSecond(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} files/s" if speed else "- files/s", style="cyan")

    return [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), FilesPerSecond(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", style="dim")]


def print_summary(report: BatchReport, console: Console | None = None) -> None:
    """The run's summary tables on standard output."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(highlight=False)
    counts = report.counts()
    table = Table(title=f"communique batch: {report.input_dir} -> {report.output_dir}",
                  show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("files", f"{len(report.records)}: " + ", ".join(
        f"{counts[s]} {s}" for s in ("ok", "skipped", "failed")))
    table.add_row("languages", _counted(report.languages()))
    table.add_row("kinds", _counted(report.kinds()))
    table.add_row("themes (documents)", _counted(report.themes()))
    table.add_row("commitments", str(report.commitments()))
    table.add_row("time", f"{report.seconds:.1f} s, {report.workers} worker"
                          f"{'s' if report.workers != 1 else ''}, "
                          f"{report.files_per_second():.1f} files/s")
    table.add_row("manifest", str(report.manifest))
    if report.stream is not None:
        table.add_row("extractions", str(report.stream))
    console.print(table)
    slowest = report.slowest(SLOWEST_SHOWN)
    if slowest:
        slow = Table(title="slowest files", title_justify="left")
        slow.add_column("file")
        slow.add_column("seconds", justify="right")
        slow.add_column("status")
        for record in slowest:
            slow.add_row(record.path, f"{record.seconds:.2f}", record.status)
        console.print(slow)
    skipped = report.not_read()
    if skipped:
        table = Table(title=f"skipped ({len(skipped)})", title_justify="left")
        table.add_column("file")
        table.add_column("reason")
        for record in skipped[:SKIPPED_SHOWN]:
            table.add_row(record.path, record.reason or "")
        if len(skipped) > SKIPPED_SHOWN:
            table.add_row(f"... and {len(skipped) - SKIPPED_SHOWN} more", "see the manifest")
        console.print(table)
    print_failures(report.failed, console, "file")


def print_failures(failed: Sequence[FileRecord], console: Console, column: str) -> None:
    """The inputs that failed, with their error (batch's and index's summaries)."""
    from rich.table import Table

    if not failed:
        return
    errors = Table(title=f"errors ({len(failed)})", title_justify="left")
    errors.add_column(column)
    errors.add_column("error", style="red")
    for record in failed:
        errors.add_row(record.path, record.error or "")
    console.print(errors)


def _counted(counter: dict[str, int]) -> str:
    if not counter:
        return "-"
    return ", ".join(f"{key} {value}" for key, value in
                     sorted(counter.items(), key=lambda item: (-item[1], item[0])))

