"""`communique themes` and `communique schema`: what the tool knows and what it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def themes_command(
    themes: Annotated[Path | None, typer.Option(
        "--themes", help="Show this taxonomy file instead of the default.")] = None,
) -> None:
    """List the theme taxonomy with its lexicon sizes per language."""
    from rich.console import Console
    from rich.table import Table

    from communique_nlp.cli.common import fail
    from communique_nlp.errors import CommuniqueError
    from communique_nlp.stages.themes import load_taxonomy

    try:
        taxonomy = load_taxonomy(themes)
    except CommuniqueError as error:
        fail(str(error))
    table = Table(title="Themes")
    table.add_column("id", no_wrap=True)
    table.add_column("label")
    for column in ("core", "en terms", "fr terms"):
        table.add_column(column, justify="right")
    for theme in taxonomy.themes:
        sizes = [str(sum(len(t) for t in theme.terms.get(lang, {}).values()))
                 for lang in ("en", "fr")]
        table.add_row(theme.id, theme.label, "yes" if theme.core else "", *sizes)
    Console().print(table)


def schema_command() -> None:
    """Print the JSON Schema of the output (communique-nlp/1)."""
    from communique_nlp.schema import output_schema

    typer.echo(json.dumps(output_schema(), indent=2, ensure_ascii=False))
