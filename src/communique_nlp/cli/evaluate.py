"""`communique eval GOLD_DIR [--pred DIR] [--format text|json] [--errors] [--themes FILE]`."""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    ThemesOption,
    error_line,
    fail,
    internal_error,
    stdout_write,
)

if TYPE_CHECKING:
    from rich.console import Console

    from communique_nlp.apps.evaluate import EvalReport


class Format(str, Enum):
    text = "text"
    json = "json"


def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of NAME.gold.yaml files, each beside "
                                                  "its document NAME.")],
    pred: Annotated[Path | None, typer.Option(
        "--pred", metavar="DIR", help=(
            "Score these extractions (PRED/NAME.yaml or .json, as written by 'communique parse "
            "-o PRED') instead of parsing the documents."))] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="text or json.")
                             ] = Format.text,
    errors: Annotated[bool, typer.Option(
        "--errors", help="Also list, per document, what was missed, spurious or wrong.")] = False,
    themes: ThemesOption = None,
    cv: Annotated[bool, typer.Option(
        "--cv", help="Grouped cross-validation: hold out each collection (the 'group' of "
                     "NAME.meta.yaml) in turn, fit the learned models on the rest (and on "
                     "--also), score the held-out one; print per-collection and pooled "
                     "figures.")] = False,
    also: Annotated[list[Path] | None, typer.Option(
        "--also", metavar="DIR", help=(
            "With --cv: more gold folders always trained on, never scored (repeatable)."))] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks (for developers).")] = False,
) -> None:
    """Score extractions against gold annotations: precision/recall/F1 and accuracy per field.

    Exit code 1 when a document could not be parsed or read (it is scored as empty).
    """
    fmt = output_format.value
    if not gold_dir.is_dir():
        fail(f"{gold_dir}: no such folder")
    if pred is not None and not pred.is_dir():
        fail(f"{pred}: no such prediction folder")
    if themes is not None and not themes.is_file():
        fail(f"{themes}: no such taxonomy file")
    if cv:
        _cross_validate(gold_dir, also or [], fmt, errors, debug)
        return
    from communique_nlp.apps.evaluate import evaluate
    from communique_nlp.errors import CommuniqueError

    def parse(path: Path) -> Any:
        from communique_nlp.pipeline import Options
        from communique_nlp.pipeline import parse as parse_document

        return parse_document(path, Options(themes=themes))

    def parse_or_raise(path: Path) -> Any:
        try:
            return parse(path)
        except CommuniqueError:
            raise
        except Exception as error:  # a bug: one line for this document, unless --debug
            if debug:
                raise
            raise CommuniqueError(internal_error(error, str(path))) from error

    try:
        report = evaluate(gold_dir, pred, parse_or_raise, debug=debug)
    except CommuniqueError as error:
        if debug:
            raise
        fail(str(error))  # no such folder, no gold files in it: usage
    for name, message in report.errors:
        error_line(message if name in message else f"{name}: {message}")
    if fmt == "json":
        data = report.as_dict()
        if errors:
            data.update(report.errors_dict())
        stdout_write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console

        console = Console()
        _print_tables(console, report)
        if errors:
            _print_errors(console, report)
    raise typer.Exit(EXIT_FAILED if report.errors else EXIT_OK)


def _cross_validate(gold_dir: Path, also: list[Path], fmt: str, errors: bool,
                    debug: bool) -> None:
    from communique_nlp.apps.crossval import cross_validate
    from communique_nlp.errors import CommuniqueError

    for folder in also:
        if not folder.is_dir():
            fail(f"{folder}: no such folder")
    try:
        result = cross_validate(gold_dir, also, workers=min(2, os.cpu_count() or 1))
    except CommuniqueError as error:
        if debug:
            raise
        fail(str(error))
    pooled = result.pooled
    if fmt == "json":
        data = {"pooled": pooled.as_dict(),
                "folds": {group: report.as_dict() for group, report in result.folds.items()}}
        if errors:
            data.update(pooled.errors_dict())
        stdout_write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console

        # the per-collection table has 15 columns: never squeezed into 80 when piped
        console = Console(width=max(Console().width, CV_TABLE_WIDTH))
        console.print(_folds_table(result.folds, pooled))
        _print_tables(console, pooled)
        if errors:
            _print_errors(console, pooled)
    raise typer.Exit(EXIT_FAILED if pooled.errors else EXIT_OK)


CV_TABLE_WIDTH = 140
SUMMARY_PRF = ("headings", "bullets", "commitments", "themes", "countries", "people", "parties")
SUMMARY_ACCURACY = ("kind", "date", "title", "language", "role", "place")
SHORT_NAMES = {"headings": "head", "bullets": "bull", "commitments": "commit", "themes": "theme",
               "countries": "ctry", "language": "lang", "people": "ppl", "parties": "party"}


def _folds_table(folds: dict[str, EvalReport], pooled: EvalReport) -> Any:
    """One row per held-out collection, then the pooled row: F1 or accuracy per field."""
    from rich.table import Table

    table = Table(title="Grouped cross-validation (each collection scored by models fitted "
                        "without it)", title_justify="left")
    table.add_column("held out")
    table.add_column("docs", justify="right")
    for name in SUMMARY_PRF + SUMMARY_ACCURACY:
        table.add_column(SHORT_NAMES.get(name, name), justify="right")
    for group, report in [*folds.items(), ("pooled", pooled)]:
        cells = [f"{report.counts(n).f1:.2f}" for n in SUMMARY_PRF]
        cells += [f"{report.accuracy(n).acc:.2f}" if report.accuracy(n).n else "-"
                  for n in SUMMARY_ACCURACY]
        table.add_row(group, str(report.docs), *cells,
                      style="bold" if group == "pooled" else None)
    return table


def _print_tables(console: Console, report: EvalReport) -> None:
    from rich.table import Table

    from communique_nlp.apps.evaluate import ACCURACY_FIELDS, CORE_THEMES, PRF_FIELDS, Counts

    def prf_table(title: str, rows: list[tuple[str, Counts]]) -> Table:
        table = Table(title=title, title_justify="left")
        table.add_column("field")
        for column in ("P", "R", "F1", "tp", "fp", "fn"):
            table.add_column(column, justify="right")
        for name, counts in rows:
            table.add_row(name, f"{counts.p:.3f}", f"{counts.r:.3f}", f"{counts.f1:.3f}",
                          str(counts.tp), str(counts.fp), str(counts.fn))
        return table

    console.print(f"{report.docs} documents scored")
    console.print(prf_table("Precision / recall / F1",
                            [(name, report.counts(name)) for name in PRF_FIELDS]))
    accuracy = Table(title="Accuracy", title_justify="left")
    accuracy.add_column("field")
    accuracy.add_column("acc", justify="right")
    accuracy.add_column("n", justify="right")
    for name in ACCURACY_FIELDS:
        figures = report.accuracy(name)
        accuracy.add_row(name, f"{figures.acc:.3f}", str(figures.n))
    console.print(accuracy)
    console.print(prf_table("Per theme", [(t, report.theme(t)) for t in CORE_THEMES]))


def _print_errors(console: Console, report: EvalReport) -> None:
    from rich.markup import escape

    for document in report.documents:
        if not document.has_errors():
            continue
        console.print(f"\n[bold]{escape(document.name)}[/bold]")
        if document.error:
            console.print(f"  prediction failed: {escape(document.error)}")
        for key, (gold, predicted) in document.wrong.items():
            console.print(f"  wrong {key}: gold {escape(repr(gold))}, "
                          f"predicted {escape(repr(predicted))}")
        for heading, gold_kind, pred_kind in document.wrong_kinds:
            console.print(f"  wrong section kind: {escape(repr(heading))}: gold {gold_kind}, "
                          f"predicted {pred_kind}")
        for name, gold_role, pred_role in document.wrong_roles:
            console.print(f"  wrong role of {escape(name)}: gold {escape(repr(gold_role))}, "
                          f"predicted {escape(repr(pred_role))}", soft_wrap=True)
        for key, items in document.missed.items():
            for item in items:
                console.print(f"  missed {key}: {escape(item)}", soft_wrap=True)
        for key, items in document.spurious.items():
            for item in items:
                console.print(f"  spurious {key}: {escape(item)}", soft_wrap=True)
    for name, message in report.errors:
        if not any(d.name == name for d in report.documents):
            console.print(f"\n[bold]{escape(name)}[/bold]\n  not scored: {escape(message)}")
