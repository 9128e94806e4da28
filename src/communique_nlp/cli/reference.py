"""`communique themes` and `communique schema`: what the tool knows and what it prints."""

from __future__ import annotations

import json

import typer

from communique_nlp.cli.common import ThemesOnlyOption, ThemesOption, check_themes


def themes_command(
    themes: ThemesOption = None,
    themes_only: ThemesOnlyOption = False,
) -> None:
    """List the theme taxonomy with its lexicon sizes per language."""
    from rich.console import Console
    from rich.table import Table

    from communique_nlp.stages.themes import load_taxonomy

    check_themes(themes, themes_only)
    taxonomy = load_taxonomy(themes, only=themes_only)
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
