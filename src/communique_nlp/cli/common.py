"""What every command shares: one-line errors on stderr, exit codes, the --debug switch."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import typer

from communique_nlp.errors import CommuniqueError, MissingInputError

EXIT_OK = 0
EXIT_FAILED = 1  # some inputs failed, or a diff found differences when asked to fail
EXIT_USAGE = 2  # bad option, missing file

T = TypeVar("T")


def error_line(message: str) -> None:
    """One clear line on stderr."""
    typer.echo(f"communique: error: {message}", err=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    error_line(message)
    raise typer.Exit(code)


def guarded(action: Callable[[], T], *, debug: bool) -> T | None:
    """Run ``action``; a library error becomes one line on stderr (``None``), not a traceback."""
    try:
        return action()
    except CommuniqueError as error:
        if debug:
            raise
        error_line(str(error))
        return None
    except MemoryError:
        error_line("out of memory")
        return None
    except Exception as error:  # a bug: say so in one line; --debug shows the traceback
        if debug:
            raise
        error_line(f"internal error ({type(error).__name__}: {error}); rerun with --debug")
        return None


def exit_code_for(error: BaseException) -> int:
    return EXIT_USAGE if isinstance(error, MissingInputError) else EXIT_FAILED


def stdout_write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `communique parse x | head` is fine
        sys.stderr.close()
        raise typer.Exit(EXIT_OK) from None
