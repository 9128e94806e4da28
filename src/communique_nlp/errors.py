"""The library's exceptions. Only the CLI turns them into a message and an exit code."""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class: a problem the user can act on, told in one line."""


class InputError(CommuniqueError):
    """An input that cannot be read or parsed (empty, binary, undecodable, broken PDF...)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class MissingInputError(InputError):
    """A path that does not exist or is not a file: a usage error rather than a bad input."""
