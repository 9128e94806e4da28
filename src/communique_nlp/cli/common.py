"""What every command shares: one-line errors on stderr, exit codes, the --debug switch."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from communique_nlp.errors import CommuniqueError, MissingInputError

EXIT_OK = 0
EXIT_FAILED = 1  # some inputs failed, or a diff found differences when asked to fail
EXIT_USAGE = 2  # bad option, missing file
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

T = TypeVar("T")
P = ParamSpec("P")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str) -> str:
    """``message`` as one printable line: line breaks and control characters escaped, bytes
    of a file name that are not UTF-8 shown as \\xNN."""
    message = message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), message)


def error_line(message: str) -> None:
    """One clear line on stderr."""
    typer.echo(f"communique: error: {one_line(message)}", err=True)


def internal_error(error: BaseException, name: str | None = None) -> str:
    """The one line a bug gets (the traceback is for --debug)."""
    where = f"{name}: " if name else ""
    return f"{where}internal error ({type(error).__name__}: {error}); rerun with --debug"


def one_line_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Wrap a command: whatever escapes it (a library error, a bug, Ctrl-C) becomes one line
    on stderr and an exit code, unless the command was given ``--debug``."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        debug = bool(kwargs.get("debug", False))
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.Abort):  # the command's own exit (click's, not errors)
            raise
        except KeyboardInterrupt:
            if debug:
                raise
            error_line("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except CommuniqueError as error:
            if debug:
                raise
            fail(str(error), exit_code_for(error))
        except MemoryError:
            if debug:
                raise
            fail("out of memory", EXIT_FAILED)
        except Exception as error:
            if debug or _is_click_error(error):
                raise
            fail(internal_error(error), EXIT_FAILED)

    return run


def _is_click_error(error: BaseException) -> bool:
    return isinstance(error, _click_exception())


def _click_exception() -> type[Exception]:
    """The command-line parser's error class: typer's own copy of click since typer 0.2x,
    click's before."""
    import importlib

    try:
        module = importlib.import_module("typer._click.exceptions")
    except ImportError:
        module = importlib.import_module("click.exceptions")
    found: type[Exception] = module.ClickException
    return found


def main_guard(app: Callable[[], Any], argv: list[str]) -> None:
    """Run the command line; anything that escapes the commands (an import that fails, a
    problem in the command-line parser) is one line and exit 1, unless --debug is given."""
    debug = "--debug" in argv
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        if debug:
            raise
        error_line("interrupted")
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as error:
        if debug:
            raise
        error_line(internal_error(error))
        raise SystemExit(EXIT_FAILED) from None


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
        if debug:
            raise
        error_line("out of memory")
        return None
    except Exception as error:  # a bug: say so in one line; --debug shows the traceback
        if debug:
            raise
        error_line(internal_error(error))
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


# ---------------------------------------------------------------------------------------------
# Help a user reads: choices and plain placeholders instead of typer's type labels ('<bool>',
# '<list[str]>', '<path>'), and, when standard output is not a terminal, click's plain help,
# which wraps long lines where rich's tables cut them short.

class _Argument(TyperArgument):
    """An argument shown by its name alone (typer adds its Python type to it)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _tidy_help(command: Any) -> None:
    """Placeholders for the options declared without one: nothing for a flag, the choices of
    an enumerated option, its name otherwise; plain help when standard output is a pipe.
    Duck-typed, as typer's internals differ between its versions."""
    for param in command.params:
        if isinstance(param, TyperArgument):
            if hasattr(param, "display_type_rich"):
                param.__class__ = _Argument
            continue
        if param.metavar is not None:
            continue
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None:
            choices = descriptor.choices if descriptor.is_choice else None
        else:
            choices = getattr(getattr(param, "type", None), "choices", None)
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
        elif choices:
            param.metavar = "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
        else:
            param.metavar = str(param.name).upper()
    if not sys.stdout.isatty():
        command.rich_markup_mode = None
    if getattr(command, "short_help", None) is None and command.help:
        # the whole first paragraph in the list of commands, wrapped, never cut with '...'
        command.short_help = " ".join(command.help.strip().split("\n\n")[0].split())


def _flag(option: Any) -> Any:
    """--help, made by the parser apart from the declared options: a flag, no placeholder."""
    if option is not None and getattr(option, "metavar", "") is None:
        option.metavar = ""
    return option


class Command(TyperCommand):
    """A command whose --help shows choices and placeholders, never cut when piped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy_help(self)

    def get_help_option(self, ctx: Any) -> Any:
        return _flag(super().get_help_option(ctx))


class Group(TyperGroup):
    """The ``communique`` group: the same help as its commands, and a usage error (an unknown
    option, a value that is not a choice) in one line on standard error, as every error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy_help(self)

    def get_help_option(self, ctx: Any) -> Any:
        return _flag(super().get_help_option(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("standalone_mode", True) or len(args) > 3:
            return super().main(*args, **kwargs)  # a caller handling errors itself
        try:
            result = super().main(*args, **{**kwargs, "standalone_mode": False})
        except typer.Abort:
            error_line("aborted")
            sys.exit(EXIT_FAILED)
        except _click_exception() as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # 'communique' alone: the help
                error.show()  # type: ignore[attr-defined]
            else:
                context = getattr(error, "ctx", None)
                hint = f" (see '{context.command_path} --help')" if context is not None else ""
                error_line(error.format_message() + hint)  # type: ignore[attr-defined]
            sys.exit(getattr(error, "exit_code", EXIT_USAGE))
        sys.exit(result if isinstance(result, int) else EXIT_OK)


# Options several commands share, declared once.
ThemesOption = Annotated[Path | None, typer.Option(
    "--themes", metavar="FILE", help=(
        "A taxonomy file: its themes are added to the default ones, replacing those with the "
        "same id (same shape as models/themes.yaml)."),
    show_default=False)]
ThemesOnlyOption = Annotated[bool, typer.Option(
    "--themes-only", help="Use the --themes file alone, without the default themes.")]
MaxBytesOption = Annotated[int, typer.Option(help="Refuse inputs larger than this (bytes).",
                                             min=1, metavar="BYTES")]
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks (for developers).")]


def check_themes(themes: Path | None, themes_only: bool) -> None:
    """A usage error, before any input is read, for a missing or malformed taxonomy file."""
    if themes_only and themes is None:
        fail("--themes-only needs --themes FILE")
    if themes is None:
        return
    if not themes.is_file():
        fail(f"{themes}: no such taxonomy file")
    from communique_nlp.stages.themes import load_taxonomy

    try:
        load_taxonomy(themes, only=themes_only)
    except CommuniqueError as error:
        fail(str(error))
