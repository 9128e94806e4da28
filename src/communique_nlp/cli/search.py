"""``communique search [QUERY] --db ARCHIVE``: the archive's documents or commitments.

Kept light on purpose: this command imports neither spaCy nor the pipeline (a test checks),
and rich only for the table view.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from communique_nlp.cli.common import EXIT_USAGE, DebugOption, fail, stdout_write
from communique_nlp.cli.index import ArchiveOption

FORMATS = ("table", "json", "csv")
SNIPPET_WIDTH = 70  # characters of a snippet shown in the table view


def search_command(
    db: ArchiveOption,
    query: Annotated[str | None, typer.Argument(help=(
        "Words to find, in either language ('encryption' also finds 'chiffrement'); "
        "\"quoted words\" are one phrase. Leave out to list what the filters select."),
        show_default=False)] = None,
    theme: Annotated[list[str] | None, typer.Option("--theme", help=(
        "A theme id (repeatable: any of them). With --in commitments, the commitment's "
        "own themes."), show_default=False)] = None,
    country: Annotated[list[str] | None, typer.Option("--country", help=(
        "A country named in the document, ISO code (repeatable: any of them)."),
        show_default=False)] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help=(
        "en, fr or und (repeatable)."), show_default=False)] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=(
        "communique, press_release, statement or other (repeatable)."),
        show_default=False)] = None,
    since: Annotated[str | None, typer.Option(help=(
        "Dated on or after YYYY-MM-DD (undated documents left out)."),
        show_default=False)] = None,
    until: Annotated[str | None, typer.Option(help=(
        "Dated on or before YYYY-MM-DD (undated documents left out)."),
        show_default=False)] = None,
    scope: Annotated[str, typer.Option("--in", help="documents or commitments.")
                     ] = "documents",
    limit: Annotated[int, typer.Option(help="Hits shown at most.", min=1)] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")
                   ] = "table",
    debug: DebugOption = False,
) -> None:
    """Search the archive in both languages, with filters; best match first."""
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    from communique_nlp.apps.archive.search import Filters, SearchUsageError, search
    from communique_nlp.apps.archive.store import ArchiveError

    filters = Filters(themes=tuple(theme or ()), countries=tuple(country or ()),
                      languages=tuple(lang or ()), kinds=tuple(kind or ()), since=since,
                      until=until)
    try:
        result = search(db, query, filters, scope=scope, limit=limit)
    except (SearchUsageError, ArchiveError) as error:
        if debug:
            raise
        fail(str(error), EXIT_USAGE)
    data = result.as_dict()
    if fmt == "json":
        stdout_write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        stdout_write(_csv(data["hits"], scope))
    else:
        _table(data["hits"], scope, query)


DOCUMENT_FIELDS = ("path", "sha256", "title", "date", "language", "kind", "themes",
                   "countries", "pair", "snippet", "score")
COMMITMENT_FIELDS = ("id", "path", "date", "language", "actor", "cue", "text", "themes",
                     "snippet", "score")


def _csv(hits: list[dict[str, Any]], scope: str) -> str:
    fields = COMMITMENT_FIELDS if scope == "commitments" else DOCUMENT_FIELDS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for hit in hits:
        writer.writerow([";".join(v) if isinstance(v, list) else "" if v is None else v
                         for v in (hit[f] for f in fields)])
    return buffer.getvalue()


def _table(hits: list[dict[str, Any]], scope: str, query: str | None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not hits:
        console.print("no hit")
        return
    table = Table(show_lines=False)
    for name in ("date", "lang", "file" if scope == "documents" else "actor / cue", "themes",
                 "snippet"):
        table.add_column(name, overflow="fold")
    for hit in hits:
        second = Path(hit["path"]).name if scope == "documents" else \
            " / ".join(str(v) for v in (hit["actor"], hit["cue"]) if v)
        table.add_row(hit["date"] or "-", hit["language"], second, ", ".join(hit["themes"]),
                      _marked(hit["snippet"], Text))
    console.print(table)


def _marked(snippet: str, text_class: Any) -> Any:
    """The snippet with its matched words (between ** marks) in bold."""
    text = text_class()
    for number, part in enumerate(snippet.split("**")):
        text.append(part, style="bold yellow" if number % 2 else "")
    if len(text) > SNIPPET_WIDTH * 3:
        text.truncate(SNIPPET_WIDTH * 3, overflow="ellipsis")
    return text



