"""``communique search``: full text in both languages, with facet filters.

A query is matched in both languages through the bilingual glossary (``models/glossary.yaml``):
its words are folded (case and accents, as the archive's FTS5 tokeniser folds them) and the
longest glossary phrase at each position stands for its concept, which is searched as any of
the concept's phrases in English or French ('encryption' -> encryption OR encrypted OR
chiffrement OR cryptage...). A phrase's last word also matches with a final 's' (plurals). A
word the glossary does not know is searched as a prefix when it has ``PREFIX_MIN`` letters or
more ('cyber' finds 'cyberattacks'), as itself otherwise. Words in double quotes are one
phrase, not expanded. Every group must match (AND); hits come best first (FTS5's bm25, the
title weighing ``TITLE_WEIGHT`` times the text), with snippets marking the matched words.

Without a query the filters' selection is listed newest first, undated last.

This module reads the archive and the glossary only: it never imports spaCy or the pipeline,
so a search process answers in a fraction of a second.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from communique_nlp.apps.archive.store import connect
from communique_nlp.errors import CommuniqueError

SEARCH_SCHEMA = "communique-nlp-search/1"
SCOPES = ("documents", "commitments")
LANGUAGES = ("en", "fr", "und")
DEFAULT_LIMIT = 20
PREFIX_MIN = 4  # letters an unknown query word needs to be searched as a prefix
TITLE_WEIGHT = 4.0  # bm25 weight of the title against the text
SNIPPET_TOKENS = 16  # words around the match in a snippet
MARK_OPEN, MARK_CLOSE = "**", "**"  # around matched words in a snippet
LEAD_CHARACTERS = 160  # the snippet of a hit listed without a query: the text's beginning
_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'"([^"]*)"')


class SearchUsageError(CommuniqueError):
    """A search asked in a way that cannot be answered (a bad date, an unknown theme...)."""


@dataclass(frozen=True)
class Filters:
    """What ``search`` selects: repeated values of one filter OR'ed, filters AND'ed."""

    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"themes": list(self.themes), "countries": list(self.countries),
                "languages": list(self.languages), "kinds": list(self.kinds),
                "since": self.since, "until": self.until}


@dataclass(frozen=True)
class SearchResult:
    query: str | None
    scope: str
    filters: Filters
    match: str | None  # the FTS5 expression the query became
    hits: tuple[dict[str, Any], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """SPEC's ``communique-nlp-search/1`` object (with ``in``, ``filters`` and ``match``
        added)."""
        return {"schema": SEARCH_SCHEMA, "query": self.query, "in": self.scope,
                "filters": self.filters.as_dict(), "match": self.match,
                "hits": [dict(hit) for hit in self.hits]}


# ---------------------------------------------------------------------------------------------
# The query, in both languages


def fold(text: str) -> str:
    """Lowercase without accents: what the FTS5 tokeniser (remove_diacritics 2) indexes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _folds_into_another_word(phrase: str) -> bool:
    """A lone French participle in -é or -és folds, as the index folds it, into another word
    ('chiffré' -> 'chiffre', a figure; 'crypté' -> 'crypte'): searching it would find that
    word. Its concept is still searched by its other forms ('chiffrement', 'cryptage')."""
    return " " not in phrase.strip() and phrase.strip().casefold().endswith(("é", "és"))


@cache
def _glossary() -> tuple[dict[tuple[str, ...], int], tuple[tuple[tuple[str, ...], ...], ...]]:
    """(folded phrase, singular words -> concept number), and each concept's phrases."""
    from communique_nlp.assets import load_yaml

    by_phrase: dict[tuple[str, ...], int] = {}
    concepts: list[tuple[tuple[str, ...], ...]] = []
    for entry in load_yaml("glossary.yaml")["terms"]:
        phrases = {_words(str(p)) for lang in ("en", "fr") for p in entry.get(lang) or ()
                   if not _folds_into_another_word(str(p))}
        phrases.discard(())
        number = len(concepts)
        concepts.append(tuple(sorted(phrases)))
        for phrase in phrases:
            by_phrase.setdefault(tuple(_singular(w) for w in phrase), number)
    return by_phrase, tuple(concepts)


def _phrase(words: tuple[str, ...], *, prefix: bool = False) -> str:
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _concept_group(phrases: tuple[tuple[str, ...], ...]) -> str:
    alternatives: list[str] = []
    for words in phrases:
        alternatives.append(_phrase(words))
        if not words[-1].endswith(("s", "x")):
            alternatives.append(_phrase((*words[:-1], words[-1] + "s")))
    return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")"


def match_expression(query: str) -> str | None:
    """The FTS5 expression for ``query`` (``None`` when it has no word)."""
    by_phrase, concepts = _glossary()
    longest = max((len(p) for p in by_phrase), default=1)
    groups: list[str] = []
    quoted = [_words(q) for q in _QUOTED.findall(query)]
    groups.extend(_phrase(words) for words in quoted if words)
    words = _words(_QUOTED.sub(" ", query))
    position = 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            key = tuple(_singular(w) for w in words[position:position + size])
            if key in by_phrase:
                groups.append(_concept_group(concepts[by_phrase[key]]))
                position += size
                break
        else:
            word = words[position]
            groups.append(_phrase((word,), prefix=len(word) >= PREFIX_MIN))
            position += 1
    return " AND ".join(groups) if groups else None


# ---------------------------------------------------------------------------------------------
# Filters


def check_filters(filters: Filters) -> Filters:
    """``filters`` normalised (countries upper-cased); ``SearchUsageError`` for a bad one."""
    for value, name in ((filters.since, "--since"), (filters.until, "--until")):
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError as error:
                raise SearchUsageError(f"{name} takes a date as YYYY-MM-DD, not {value!r}") \
                    from error
    for language in filters.languages:
        if language not in LANGUAGES:
            raise SearchUsageError(f"--lang takes one of {', '.join(LANGUAGES)}, "
                                   f"not {language!r}")
    from communique_nlp.model import DOCUMENT_KINDS

    for kind in filters.kinds:
        if kind not in DOCUMENT_KINDS:
            raise SearchUsageError(f"--kind takes one of {', '.join(DOCUMENT_KINDS)}, "
                                   f"not {kind!r}")
    return Filters(themes=tuple(t.strip() for t in filters.themes),
                   countries=tuple(c.strip().upper() for c in filters.countries),
                   languages=filters.languages, kinds=filters.kinds, since=filters.since,
                   until=filters.until)


def _known_themes(connection: sqlite3.Connection, themes: tuple[str, ...]) -> None:
    """``SearchUsageError`` for a theme neither in the archive nor in the taxonomy (read
    only then: a theme no document has yet is not an error, just no hit)."""
    known = {row[0] for row in connection.execute("SELECT id FROM themes")}
    if all(t in known for t in themes):
        return
    from communique_nlp.assets import load_yaml

    known |= {str(t["id"]) for t in load_yaml("themes.yaml")["themes"]}
    unknown = [t for t in themes if t not in known]
    if unknown:
        raise SearchUsageError(f"unknown theme {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _conditions(filters: Filters, scope: str) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``d`` (the document) and, for commitments, ``c``."""
    where: list[str] = []
    values: list[Any] = []

    def any_of(template: str, options: tuple[str, ...]) -> None:
        if options:
            where.append(template.format(marks=", ".join("?" * len(options))))
            values.extend(options)

    if scope == "commitments":
        any_of("c.id IN (SELECT commitment_id FROM commitment_themes WHERE theme IN ({marks}))",
               filters.themes)
        any_of("c.language IN ({marks})", filters.languages)
    else:
        any_of("d.id IN (SELECT document_id FROM document_themes WHERE theme IN ({marks}))",
               filters.themes)
        any_of("d.language IN ({marks})", filters.languages)
    any_of("d.id IN (SELECT document_id FROM document_countries WHERE country IN ({marks}))",
           filters.countries)
    any_of("d.kind IN ({marks})", filters.kinds)
    if filters.since is not None:
        where.append("d.date IS NOT NULL AND d.date >= ?")
        values.append(filters.since)
    if filters.until is not None:
        where.append("d.date IS NOT NULL AND substr(d.date, 1, 10) <= ?")
        values.append(filters.until)
    return where, values


# ---------------------------------------------------------------------------------------------
# The search


def search(archive: str | Path, query: str | None = None, filters: Filters | None = None, *,
           scope: str = "documents", limit: int = DEFAULT_LIMIT) -> SearchResult:
    """Documents (or commitments) of the archive matching ``query`` and ``filters``."""
    if scope not in SCOPES:
        raise SearchUsageError(f"--in takes documents or commitments, not {scope!r}")
    if limit < 1:
        raise SearchUsageError("--limit must be at least 1")
    filters = check_filters(filters or Filters())
    query = query.strip() if query else None
    expression = match_expression(query) if query else None
    connection = connect(archive)
    try:
        if filters.themes:
            _known_themes(connection, filters.themes)
        if scope == "commitments":
            hits = _commitments(connection, expression, filters, limit)
        else:
            hits = _documents(connection, expression, filters, limit)
    except sqlite3.OperationalError as error:
        raise CommuniqueError(f"{archive}: the search failed ({error})") from error
    finally:
        connection.close()
    return SearchResult(query=query, scope=scope, filters=filters, match=expression,
                        hits=tuple(hits))


def _snippet(table: str, column: int) -> str:
    return (f"snippet({table}, {column}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', "
            f"{SNIPPET_TOKENS})")


def _lead(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LEAD_CHARACTERS else text[:LEAD_CHARACTERS].rstrip() + "…"


def _snippet_and_score(text: str | None, rank: float | None) -> dict[str, Any]:
    """A ranked hit shows the matching words and its bm25 score (lower is better, so negated);
    a listed one (no query) shows its opening and no score."""
    if rank is None:
        return {"snippet": _lead(text), "score": None}
    return {"snippet": " ".join(str(text or "").split()), "score": round(-float(rank), 3)}


def _documents(connection: sqlite3.Connection, expression: str | None, filters: Filters,
               limit: int) -> list[dict[str, Any]]:
    where, values = _conditions(filters, "documents")
    columns = ("d.path, d.sha256, d.title, d.date, d.language, d.kind, d.themes, d.countries, "
               "p.path")
    if expression is not None:
        sql = (f"SELECT {columns}, {_snippet('documents_fts', -1)}, "
               f"bm25(documents_fts, {TITLE_WEIGHT}, 1.0) AS rank "
               "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
               "LEFT JOIN documents p ON p.id = d.pair_id "
               "WHERE documents_fts MATCH ?" + "".join(f" AND {w}" for w in where)
               + " ORDER BY rank, d.path LIMIT ?")
        rows = connection.execute(sql, [expression, *values, limit]).fetchall()
    else:
        sql = (f"SELECT {columns}, substr(d.text, 1, {LEAD_CHARACTERS * 2}), NULL "
               "FROM documents d LEFT JOIN documents p ON p.id = d.pair_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY d.date IS NULL, d.date DESC, d.path LIMIT ?")
        rows = connection.execute(sql, [*values, limit]).fetchall()
    return [{"path": r[0], "sha256": r[1], "title": r[2], "date": r[3], "language": r[4],
             "kind": r[5], "themes": json.loads(r[6]), "countries": json.loads(r[7]),
             "pair": r[8], **_snippet_and_score(r[9], r[10])}
            for r in rows]


def _commitments(connection: sqlite3.Connection, expression: str | None, filters: Filters,
                 limit: int) -> list[dict[str, Any]]:
    where, values = _conditions(filters, "commitments")
    columns = "c.commitment_id, d.path, d.date, c.language, c.actor, c.cue, c.text, c.themes"
    if expression is not None:
        sql = (f"SELECT {columns}, {_snippet('commitments_fts', 0)}, "
               "bm25(commitments_fts) AS rank "
               "FROM commitments_fts JOIN commitments c ON c.id = commitments_fts.rowid "
               "JOIN documents d ON d.id = c.document_id WHERE commitments_fts MATCH ?"
               + "".join(f" AND {w}" for w in where)
               + " ORDER BY rank, d.path, c.position LIMIT ?")
        rows = connection.execute(sql, [expression, *values, limit]).fetchall()
    else:
        sql = (f"SELECT {columns}, c.text, NULL FROM commitments c "
               "JOIN documents d ON d.id = c.document_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY d.date IS NULL, d.date DESC, d.path, c.position LIMIT ?")
        rows = connection.execute(sql, [*values, limit]).fetchall()
    return [{"id": r[0], "path": r[1], "date": r[2], "language": r[3], "actor": r[4],
             "cue": r[5], "text": r[6], "themes": json.loads(r[7]),
             **_snippet_and_score(r[8], r[9])}
            for r in rows]
