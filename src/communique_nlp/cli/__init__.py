"""The ``communique`` command: a thin shell over the library, one module per command.

Command modules import the pipeline inside their functions, so ``communique --help`` never
imports spaCy.
"""

from __future__ import annotations

import typer

from communique_nlp.cli.batch import batch_command
from communique_nlp.cli.diff import diff_command
from communique_nlp.cli.evaluate import eval_command
from communique_nlp.cli.parse import parse_command
from communique_nlp.cli.reference import schema_command, themes_command

app = typer.Typer(
    name="communique",
    help="Structured extraction from public-safety communiqués and press releases (EN/FR).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("parse")(parse_command)
app.command("batch")(batch_command)
app.command("diff")(diff_command)
app.command("themes")(themes_command)
app.command("schema")(schema_command)
app.command("eval")(eval_command)


def main() -> None:
    app()
