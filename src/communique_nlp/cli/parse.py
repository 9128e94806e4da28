"""`communique parse FILE... [-o OUT] [--format yaml|json|jsonl]`."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from communique_nlp.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    DebugOption,
    MaxBytesOption,
    ThemesOnlyOption,
    ThemesOption,
    check_themes,
    error_line,
    fail,
    internal_error,
    stdout_write,
)
from communique_nlp.stages.ingest import STDIN_FORMATS, is_address


class Format(str, Enum):
    yaml = "yaml"
    json = "json"
    jsonl = "jsonl"


def parse_command(
    files: Annotated[list[str], typer.Argument(help=(
        "Documents to parse (.txt, .md, .html, .docx, .pdf) or http(s) addresses; '-' reads "
        "standard input."))],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH", help=(
        "Write here instead of standard output: a file for one input; a folder (one that "
        "exists, or a name ending with '/') for one NAME.FORMAT per input."))] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help=(
        "yaml; json (one object, an array of them for several inputs); jsonl (one object a "
        "line)."))] = Format.yaml,
    themes: ThemesOption = None,
    themes_only: ThemesOnlyOption = False,
    max_bytes: MaxBytesOption = 50_000_000,
    input_format: Annotated[str, typer.Option(
        "--input-format", help="What '-' (standard input) holds: txt, md or html.")] = "txt",
    debug: DebugOption = False,
) -> None:
    """Extract structure, commitments, themes and entities from each document."""
    check_themes(themes, themes_only)
    if input_format not in STDIN_FORMATS:
        fail(f"--input-format must be one of {', '.join(STDIN_FORMATS)}, not {input_format!r}")
    folder = _output_folder(output, len(files))
    from communique_nlp.errors import CommuniqueError, MissingInputError
    from communique_nlp.output import write_atomic
    from communique_nlp.pipeline import Options, parse
    from communique_nlp.stages.serialise import render, render_many

    options = Options(themes=themes, themes_only=themes_only, max_bytes=max_bytes,
                      stdin_format=input_format)
    code = EXIT_OK
    extractions: list[dict[str, Any]] = []
    targets = _Targets()
    for name in files:
        try:
            source = name if name == "-" or is_address(name) else Path(name)
            data = parse(source, options).as_dict()
            if folder is not None:
                write_atomic(folder / targets.name_for(name, fmt.value), render(data, fmt.value))
            else:
                extractions.append(data)
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
    if extractions:
        several = len(files) > 1
        text = render_many(extractions, fmt.value) if several else \
            render(extractions[0], fmt.value)
        if output is not None:
            try:
                write_atomic(Path(output), text)
            except CommuniqueError as error:
                fail(str(error), EXIT_FAILED)
        else:
            stdout_write(text)
    raise typer.Exit(code)


def _output_folder(output: str | None, inputs: int) -> Path | None:
    """The folder ``-o`` names, or None for standard output or one file. With several inputs
    ``-o`` must be a folder: one that exists, or a new one written with a final '/'; anything
    else is a usage error (a file named like a folder, or a folder named like a file, would
    surprise)."""
    if output is None:
        return None
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        if path.exists() and not path.is_dir():
            fail(f"{output}: not a folder")
        return path
    if inputs > 1:
        fail(f"-o {output}: with several inputs, -o must be a folder that exists or a name "
             "ending with '/'")
    return None


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
