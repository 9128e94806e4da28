"""Reading YAML and JSON files that users hand over (extractions, gold annotations, taxonomies,
a batch's manifest): plain data only, refused with one clear line otherwise.

- YAML is read with the safe loader (C implementation when PyYAML has it): no tag that builds
  a Python object is honoured, and dates stay strings, as the extraction writes them;
- aliases are refused: a 'billion laughs' file (anchors referring to anchors) is small on disk
  and loads quickly into shared objects, but anything walking it would take forever. The
  loaded tree is walked once, by identity, and a container met twice is an alias. Where
  aliases are allowed (gold and prediction files, which other tools may write), the size they
  expand to is counted on that walk and bounded;
- nesting deeper than ``MAX_DEPTH`` is refused (no recursion error further on).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from communique_nlp.errors import InputError, MissingInputError

MAX_DEPTH = 64  # an extraction is five levels deep; a gold file three
MAX_EXPANDED = 5_000_000  # values a file may hold once its aliases are expanded


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, with timestamps kept as the strings they were written as."""


def _timestamp_as_string(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_string)


def parse_data(text: str, name: str, *, fmt: str = "yaml", aliases: bool = False,
               wording: str = "invalid {FMT} ({problem})") -> Any:
    """``text`` (YAML, or JSON for ``fmt='json'``) as plain data; ``InputError`` naming
    ``name`` when it is not valid, uses aliases (or, with ``aliases=True``, aliases that
    expand to more than ``MAX_EXPANDED`` values, or refer to themselves), or is nested too
    deeply. ``wording`` words a syntax error (``{FMT}``, ``{fmt}``, ``{problem}``)."""
    try:
        data = json.loads(text) if fmt == "json" else yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as error:
        raise InputError(name, wording.format(FMT="JSON", fmt="json", problem=error)) from error
    except yaml.YAMLError as error:
        raise InputError(name, wording.format(FMT="YAML", fmt="yaml",
                                              problem=yaml_problem(error))) from error
    except RecursionError as error:
        raise InputError(name, "nested too deeply") from error
    except (ValueError, TypeError, OverflowError) as error:  # a scalar the loader rejects
        raise InputError(name, wording.format(FMT=fmt.upper(), fmt=fmt, problem=error)) \
            from error
    check_tree(data, name, aliases=aliases)
    return data


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error in a few words, with its line."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = error.problem or error.context or "error"
        if "constructor for the tag" in problem:
            problem = "tags are not allowed: " + problem.split("for the tag", 1)[1].strip()
        return f"{problem}{where}"
    return (str(error).splitlines() or [type(error).__name__])[0]


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else []


def check_tree(data: Any, name: str, *, aliases: bool = False) -> None:
    """Refuse shared containers (YAML aliases) or, with ``aliases=True``, only those that
    expand to more than ``MAX_EXPANDED`` values or contain themselves; and nesting deeper
    than ``MAX_DEPTH``. Each container is visited once, whatever the aliases."""
    sizes: dict[int, int] = {}  # container id -> values it holds once aliases are expanded
    open_: set[int] = set()  # containers whose contents are being walked
    stack: list[tuple[Any, int, bool]] = [(data, 0, False)]
    while stack:
        value, depth, finished = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        key = id(value)
        if finished:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(child), 1) for child in _children(value))
            if sizes[key] > MAX_EXPANDED:
                raise InputError(name, f"its aliases expand to more than {MAX_EXPANDED:,} "
                                       "values ('billion laughs')")
            continue
        if key in sizes or key in open_:
            if not aliases:
                raise InputError(name, "aliases are not allowed (&anchor and *alias)")
            if key in open_:
                raise InputError(name, "an alias refers to the value that contains it")
            continue
        if depth >= MAX_DEPTH:
            raise InputError(name, f"nested more than {MAX_DEPTH} levels deep")
        open_.add(key)
        stack.append((value, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(value))


def read_data_file(path: Path, *, aliases: bool = True,
                   max_bytes: int = 20_000_000) -> Any:
    """A YAML (or ``.json``) file a user hands over, read with :func:`parse_data`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(str(path), f"{size:,} bytes, more than the {max_bytes:,} allowed")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as error:
        raise MissingInputError(str(path), "no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read ({error})") from error
    return parse_data(text, str(path), fmt="json" if path.suffix.lower() == ".json" else "yaml",
                      aliases=aliases)
