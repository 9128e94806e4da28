"""`communique parse FILE... [-o OUT] [--format yaml|json]`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    DebugOption,
    MaxBytesOption,
    ThemesOption,
    check_choices,
    error_line,
    fail,
    internal_error,
    stdout_write,
)
from communique_nlp.stages.ingest import STDIN_FORMATS, is_address

FORMATS = ("yaml", "json")


def parse_command(
    files: Annotated[list[str], typer.Argument(help=(
        "Documents to parse (.txt, .md, .html, .docx, .pdf) or http(s) addresses; '-' reads "
        "standard input."))],
    output: Annotated[Path | None, typer.Option("--output", "-o", help=(
        "Write here instead of standard output: a file for one input, a folder for several "
        "(one NAME.yaml per input)."))] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml or json.")] = "yaml",
    themes: ThemesOption = None,
    max_bytes: MaxBytesOption = 50_000_000,
    input_format: Annotated[str, typer.Option(
        "--input-format", help="What '-' (standard input) holds: txt, md or html.")] = "txt",
    debug: DebugOption = False,
) -> None:
    """Extract structure, commitments, themes and entities from each document."""
    check_choices(fmt, FORMATS, themes)
    if input_format not in STDIN_FORMATS:
        fail(f"--input-format must be one of {', '.join(STDIN_FORMATS)}, not {input_format!r}")
    from communique_nlp.errors import CommuniqueError, MissingInputError
    from communique_nlp.output import write_atomic
    from communique_nlp.pipeline import Options, parse
    from communique_nlp.stages.serialise import render

    options = Options(themes=themes, max_bytes=max_bytes, stdin_format=input_format)
    to_folder = output is not None and (len(files) > 1 or output.is_dir())
    code = EXIT_OK
    rendered: list[str] = []
    targets = _Targets()
    for name in files:
        try:
            source = name if name == "-" or is_address(name) else Path(name)
            text = render(parse(source, options).as_dict(), fmt)
            if to_folder and output is not None:
                write_atomic(output / targets.name_for(name, fmt), text)
            else:
                rendered.append(text)
        except CommuniqueError as error:
            if debug:
                raise
            error_line(str(error))
            code = max(code, EXIT_USAGE if isinstance(error, MissingInputError) else EXIT_FAILED)
        except MemoryError:
            if debug:
                raise
            error_line(f"{name}: out of memory")
            code = max(code, EXIT_FAILED)
        except Exception as error:
            if debug:
                raise
            error_line(internal_error(error, name))
            code = max(code, EXIT_FAILED)
    joined = ("---\n" if fmt == "yaml" else "").join(rendered)
    if rendered and output is not None and not to_folder:
        try:
            write_atomic(output, joined)
        except CommuniqueError as error:
            fail(str(error), EXIT_FAILED)
    elif rendered:
        stdout_write(joined)
    raise typer.Exit(code)


class _Targets:
    """File names in the output folder: the input's own name plus the format ('x.txt.yaml'),
    never a path (so nothing is written outside the folder), and never the same name for two
    different inputs ('a/x.txt' and 'b/x.txt' give 'x.txt.yaml' and 'x.txt.2.yaml')."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}  # output name -> the input it belongs to

    def name_for(self, name: str, fmt: str) -> str:
        if is_address(name):
            from communique_nlp.stages.fetch import url_file_name

            stem = url_file_name(name)
        else:
            stem = "stdin" if name == "-" else Path(name).name
        if stem in ("", ".", "..") or stem.startswith("."):
            stem = "_" + stem.lstrip(".") if stem.strip(".") else "document"
        source = name if name == "-" else os.path.abspath(name)
        number = 1
        while True:
            candidate = f"{stem}.{fmt}" if number == 1 else f"{stem}.{number}.{fmt}"
            owner = self.given.setdefault(candidate, source)
            if owner == source:
                return candidate
            number += 1
