"""The ``communique`` command: a thin shell over the library, one module per command.

Command modules import the pipeline inside their functions, so ``communique --help`` never
imports spaCy; spaCy's own command line is not imported with spaCy in the command's process
(``spacy_cli_deferred``); a library user's process is left as it is.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from communique_nlp.cli.batch import batch_command
from communique_nlp.cli.common import Command, Group, main_guard, one_line_errors
from communique_nlp.cli.diff import diff_command
from communique_nlp.cli.evaluate import eval_command
from communique_nlp.cli.export import export_command
from communique_nlp.cli.index import index_command
from communique_nlp.cli.parse import parse_command
from communique_nlp.cli.reference import schema_command, themes_command
from communique_nlp.cli.report import report_command
from communique_nlp.cli.search import search_command
from communique_nlp.spacy_cli_deferred import install as defer_spacy_cli

defer_spacy_cli()

app = typer.Typer(
    name="communique",
    help="Structured extraction from public-safety communiqués and press releases (EN/FR).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Group,
)
for name, command in (("parse", parse_command), ("batch", batch_command),
                      ("diff", diff_command), ("themes", themes_command),
                      ("schema", schema_command), ("eval", eval_command),
                      ("index", index_command), ("search", search_command),
                      ("export", export_command), ("report", report_command)):
    app.command(name, cls=Command)(one_line_errors(command))


def installed_version() -> str:
    """The version pip installed (package metadata), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("communique-nlp")
    except PackageNotFoundError:
        from communique_nlp import __version__

        return __version__


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"communique {installed_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", callback=_print_version,
        is_eager=True)] = False,
) -> None:
    """Structured extraction from public-safety communiqués and press releases (EN/FR)."""


def main() -> None:
    """The ``communique`` program: no traceback escapes it, unless --debug is given."""
    main_guard(app, sys.argv[1:])
