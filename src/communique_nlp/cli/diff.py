"""`communique diff A B [C ...] [--format text|yaml|json|markdown] [--threshold X] [--exit-code]`.

Two inputs: what changed from A to B. Three or more: the timeline, in date order. Inputs are
documents (parsed on the fly) or extraction files written by `communique parse`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    DebugOption,
    ThemesOnlyOption,
    ThemesOption,
    check_themes,
    fail,
    stdout_write,
)

if TYPE_CHECKING:
    from rich.console import Console

    from communique_nlp.apps.diff import DiffResult, Match, Timeline



class Format(str, Enum):
    text = "text"
    yaml = "yaml"
    json = "json"
    markdown = "markdown"
    csv = "csv"



def diff_command(
    files: Annotated[list[str], typer.Argument(help=(
        "Two documents or extraction files (.yaml/.json from `communique parse`) to compare, "
        "or three or more for a timeline."))],
    fmt: Annotated[Format, typer.Option("--format", "-f", help=(
        "text (coloured view), yaml or json (for machines), markdown (a report), csv (a "
        "timeline's table, for a spreadsheet).")
    )] = Format.text,
    threshold: Annotated[float | None, typer.Option(metavar="SCORE", help=(
        "Match score (0-1) two commitments need to count as the same one; lower matches more "
        "loosely. Default 0.47."))] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit with status 1 when anything differs.")] = False,
    themes: ThemesOption = None,
    themes_only: ThemesOnlyOption = False,
    debug: DebugOption = False,
) -> None:
    """Compare two communiqués (themes, commitments, sections, countries), or follow several."""
    if len(files) < 2:
        fail("diff needs at least two files")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        fail(f"--threshold must be between 0 and 1, not {threshold}")
    check_themes(themes, themes_only)
    for name in files:
        if not Path(name).is_file():
            fail(f"{name}: no such file" if not Path(name).exists() else
                 f"{name}: not a regular file")

    from communique_nlp.apps.diff import DEFAULT_THRESHOLD, diff, load_extraction, timeline
    from communique_nlp.cli.common import exit_code_for, guarded
    from communique_nlp.errors import CommuniqueError
    from communique_nlp.pipeline import Options

    options = Options(themes=themes, themes_only=themes_only)
    extractions: list[dict[str, Any]] = []
    for name in files:
        try:
            extractions.append(load_extraction(name, options))
        except CommuniqueError as error:
            if debug:
                raise
            fail(str(error), exit_code_for(error))
        except Exception as error:
            if debug:
                raise
            fail(f"{name}: internal error ({type(error).__name__}: {error}); rerun with --debug",
                 EXIT_FAILED)
    limit = DEFAULT_THRESHOLD if threshold is None else threshold

    if len(extractions) == 2:
        if fmt is Format.csv:
            fail("--format csv is for a timeline (three documents or more)")
        result = guarded(lambda: diff(extractions[0], extractions[1], limit,
                                      names=(files[0], files[1])), debug=debug)
        if result is None:
            raise typer.Exit(EXIT_FAILED)
        _print(result.as_dict(), fmt, lambda c: render_diff(result, c),
               lambda: diff_markdown(result), lambda: "")
        differs = result.differs
    else:
        line = guarded(lambda: timeline(extractions, limit, names=files), debug=debug)
        if line is None:
            raise typer.Exit(EXIT_FAILED)
        _print(line.as_dict(), fmt, lambda c: render_timeline(line, c),
               lambda: timeline_markdown(line), lambda: timeline_csv(line))
        differs = line.differs
    raise typer.Exit(EXIT_FAILED if exit_code and differs else EXIT_OK)


def _print(data: dict[str, Any], fmt: Format, rich_view: Any, markdown_view: Any,
           csv_view: Any) -> None:
    if fmt in (Format.yaml, Format.json):
        from communique_nlp.stages.serialise import render

        stdout_write(render(data, fmt.value))
    elif fmt is Format.markdown:
        stdout_write(markdown_view())
    elif fmt is Format.csv:
        stdout_write(csv_view())
    else:
        from rich.console import Console

        rich_view(Console(highlight=False))


# ---------------------------------------------------------------------------------------------
# Terminal view

_STYLE = {"+": "green", "-": "red", "~": "yellow", "=": "dim"}


def _score(value: float | None) -> str:
    return "·" if value is None else f"{value:.2f}"


def _side(facts: dict[str, Any]) -> str:
    details = ", ".join(str(facts[k]) for k in ("language", "date") if facts.get(k))
    return f"{facts.get('path')} ({details})" if details else str(facts.get("path"))


def render_diff(result: DiffResult, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    a, b = result.a, result.b
    console.print(Text.assemble(("A ", "bold red"), _side(a)))
    console.print(Text.assemble(("B ", "bold green"), _side(b)))

    facts = Table(title="Document", title_justify="left", show_edge=False)
    for column in ("", "fact", "A", "B"):
        facts.add_column(column)
    for key in ("language", "kind", "date", "place", "title"):
        marker = "~" if key in result.facts_changed else "="
        facts.add_row(Text(marker, _STYLE[marker]), key, str(a.get(key) or "·"),
                      str(b.get(key) or "·"))
    console.print(facts)

    themes = Table(title="Themes", title_justify="left", show_edge=False)
    for column in ("", "theme", "A", "B", "evidence"):
        themes.add_column(column)
    for marker, changes in (("+", result.gained), ("-", result.lost), ("~", result.changed)):
        for change in changes:
            evidence = change.evidence_b if marker == "+" else change.evidence_a
            if marker == "~":
                evidence = change.evidence_b or change.evidence_a
            themes.add_row(Text(marker, _STYLE[marker]), Text(change.id, _STYLE[marker]),
                           _score(change.a), _score(change.b), "; ".join(evidence))
    if themes.row_count:
        console.print(themes)
    else:
        console.print("[bold]Themes[/bold]  no theme gained, lost or changed")

    kept, reworded = len(result.kept), len(result.reworded)
    console.print(f"\n[bold]Commitments[/bold]  kept {kept}"
                  + (f" ({reworded} reworded)" if result.same_language else "")
                  + f", [green]added {len(result.added)}[/green], "
                    f"[red]dropped {len(result.dropped)}[/red]")
    table = Table(show_edge=False, show_header=True)
    for column in ("", "score", "commitment", "themes"):
        table.add_column(column)
    for match in result.kept:
        marker = "~" if match.reworded else "="
        table.add_row(Text(marker, _STYLE[marker]), f"{match.score:.2f}", _kept_text(match),
                      ", ".join(match.b.themes))
    for item in result.added:
        table.add_row(Text("+", _STYLE["+"]), "", Text(item.text, _STYLE["+"]),
                      ", ".join(item.themes))
    for item in result.dropped:
        table.add_row(Text("-", _STYLE["-"]), "", Text(item.text, _STYLE["-"]),
                      ", ".join(item.themes))
    if table.row_count:
        console.print(table)

    for title, added, removed in (
        ("Sections", result.sections_added, result.sections_removed),
        ("Countries", result.countries_added, result.countries_removed),
        ("Parties", result.parties_added, result.parties_removed),
        ("Organisations", result.organizations_added, result.organizations_removed),
    ):
        line = Text.assemble((title, "bold"), "  ")
        if not added and not removed and not (title == "Sections" and result.sections_renamed):
            line.append("no change", "dim")
        for name in added:
            line.append(f"+ {name}  ", _STYLE["+"])
        for name in removed:
            line.append(f"- {name}  ", _STYLE["-"])
        if title == "Sections":
            for old, new in result.sections_renamed:
                line.append(f"~ {old} → {new}  ", _STYLE["~"])
        console.print(line)
    verdict = "differences found" if result.differs else "no differences"
    console.print(f"\n[bold]{verdict}[/bold]")


def _kept_text(match: Match) -> str:
    if match.a.text == match.b.text:
        return match.b.text
    return f"A: {match.a.text}\nB: {match.b.text}"


def render_timeline(line: Timeline, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    documents = Table(title="Documents (in date order)", title_justify="left", show_edge=False)
    for column in ("#", "column", "path", "language"):
        documents.add_column(column)
    for n, doc in enumerate(line.documents, 1):
        documents.add_row(str(n), str(doc["label"]), _paths(doc), _languages(doc))
    console.print(documents)

    themes = Table(title="Themes (score per document)", title_justify="left", show_edge=False)
    themes.add_column("theme")
    for doc in line.documents:
        themes.add_column(str(doc["label"]), justify="right")
    for theme_id, _, scores in line.themes:
        themes.add_row(theme_id, *(_score(s) for s in scores))
    console.print(themes)

    commitments = Table(title="Commitments", title_justify="left", show_edge=False)
    commitments.add_column("commitment (latest wording)")
    for n in range(1, len(line.documents) + 1):
        commitments.add_column(str(n), justify="center")  # the documents' numbers above
    commitments.add_column("first-last")
    for thread in line.threads:
        marks = [Text("●", "green") if item else Text("·", "dim") for item in thread.items]
        commitments.add_row(thread.text, *marks, f"{thread.first + 1}-{thread.last + 1}")
    console.print(commitments)


# ---------------------------------------------------------------------------------------------
# Markdown report


def _cell(value: Any) -> str:
    return "·" if value in (None, "") else str(value).replace("|", "\\|").replace("\n", " ")


def _quote(texts: tuple[str, ...]) -> str:
    return "; ".join(f"“{t}”" for t in texts)


def diff_markdown(result: DiffResult) -> str:
    a, b = result.a, result.b
    out = [f"# Diff: {_cell(a.get('path'))} → {_cell(b.get('path'))}", "",
           "| | A | B |", "| --- | --- | --- |"]
    for key in ("path", "language", "kind", "date", "place", "title"):
        changed = " (changed)" if key in result.facts_changed else ""
        out.append(f"| {key}{changed} | {_cell(a.get(key))} | {_cell(b.get(key))} |")
    out += ["", "## Themes", ""]
    if not (result.gained or result.lost or result.changed):
        out.append("No theme gained, lost or changed.")
    for change in result.gained:
        out.append(f"- **Gained** `{change.id}` ({_score(change.b)}): {_quote(change.evidence_b)}")
    for change in result.lost:
        out.append(f"- **Lost** `{change.id}` ({_score(change.a)}): {_quote(change.evidence_a)}")
    for change in result.changed:
        out.append(f"- **Changed** `{change.id}` {_score(change.a)} → {_score(change.b)}: "
                   f"{_quote(change.evidence_b or change.evidence_a)}")
    out += ["", "## Commitments", "",
            f"Kept {len(result.kept)} ({len(result.reworded)} reworded), added "
            f"{len(result.added)}, dropped {len(result.dropped)} (match threshold "
            f"{result.threshold:.2f})."]

    def themes(values: tuple[str, ...]) -> str:
        return f" _({', '.join(values)})_" if values else ""

    if result.added:
        out += ["", "### Added", ""]
        out += [f"- {item.text}{themes(item.themes)}" for item in result.added]
    if result.dropped:
        out += ["", "### Dropped", ""]
        out += [f"- {item.text}{themes(item.themes)}" for item in result.dropped]
    if result.reworded:
        out += ["", "### Reworded", ""]
        for match in result.reworded:
            out += [f"- A: {match.a.text}", f"  B: {match.b.text} (score {match.score:.2f})"]
    same = [m for m in result.kept if not m.reworded]
    if same:
        title = "Kept" if result.same_language else "Kept (matched translations)"
        out += ["", f"### {title}", ""]
        for match in same:
            text = match.b.text if match.a.text == match.b.text else \
                f"{match.a.text} / {match.b.text}"
            out.append(f"- {text}{themes(match.b.themes)} (score {match.score:.2f})")
    out += ["", "## Sections, countries, parties, organisations", ""]
    for title, added, removed in (
        ("Sections", result.sections_added, result.sections_removed),
        ("Countries", result.countries_added, result.countries_removed),
        ("Parties", result.parties_added, result.parties_removed),
        ("Organisations", result.organizations_added, result.organizations_removed),
    ):
        parts = [f"+ {n}" for n in added] + [f"− {n}" for n in removed]
        if title == "Sections":
            parts += [f"{old} → {new}" for old, new in result.sections_renamed]
        out.append(f"- **{title}**: {', '.join(parts) if parts else 'no change'}")
    out.append("")
    return "\n".join(out)


def _paths(doc: dict[str, Any]) -> str:
    return ", ".join(str(p) for p in (doc.get("path"), *(v["path"] for v in doc["versions"])))


def _languages(doc: dict[str, Any]) -> str:
    return "+".join(str(lang or "·") for lang in (doc.get("language"),
                                                  *(v["language"] for v in doc["versions"])))


def timeline_markdown(line: Timeline) -> str:
    count = len(line.documents)
    numbers = " | ".join(str(n) for n in range(1, count + 1))
    labels = " | ".join(_cell(doc["label"]) for doc in line.documents)
    rule = " | ".join("---" for _ in range(count))
    out = ["# Timeline", "", "| # | column | path | language |", "| --- | --- | --- | --- |"]
    for n, doc in enumerate(line.documents, 1):
        out.append(f"| {n} | {_cell(doc['label'])} | {_cell(_paths(doc))} | "
                   f"{_cell(_languages(doc))} |")
    out += ["", "## Themes (score per document)", "", f"| theme | {labels} |",
            f"| --- | {rule} |"]
    for theme_id, _, scores in line.themes:
        out.append(f"| {theme_id} | {' | '.join(_score(s) for s in scores)} |")
    out += ["", "## Commitments", "", f"| commitment (latest wording) | {numbers} | first | last |",
            f"| --- | {rule} | --- | --- |"]
    for thread in line.threads:
        marks = " | ".join("●" if item else "·" for item in thread.items)
        out.append(f"| {_cell(thread.text)} | {marks} | {thread.first + 1} | {thread.last + 1} |")
    out.append("")
    return "\n".join(out)


def timeline_csv(line: Timeline) -> str:
    """The timeline as one table: a column per document (labelled by date and short title),
    a row per document fact, theme (its score) and commitment (its id in each document)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "id", "text", *(doc["label"] for doc in line.documents)])
    writer.writerow(["document", "path", "", *(_paths(doc) for doc in line.documents)])
    writer.writerow(["document", "language", "", *(_languages(doc) for doc in line.documents)])
    for key in ("date", "kind", "title"):
        writer.writerow(["document", key, "", *(doc.get(key) or "" for doc in line.documents)])
    for theme_id, label, scores in line.themes:
        writer.writerow(["theme", theme_id, label,
                         *("" if score is None else f"{score:.2f}" for score in scores)])
    for thread in line.threads:
        latest = thread.items[thread.last]
        writer.writerow(["commitment", latest.id if latest else "", thread.text,
                         *(item.id if item else "" for item in thread.items)])
    return buffer.getvalue()
