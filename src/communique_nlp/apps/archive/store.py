"""The archive file: schema ``communique-nlp-archive/1``, opening, and schema upgrades.

One SQLite file any SQLite tool reads (sqlite3, Datasette, pandas). Facets (theme, country,
language, kind, date) are plain columns and tables; lists are also kept on ``documents`` as
JSON arrays, which Datasette facets with ``_facet_array``. Full text lives in two FTS5 tables
with external content (``documents_fts`` over ``documents(title, text)``, ``commitments_fts``
over ``commitments(text)``), tokenised with ``unicode61 remove_diacritics 2`` so that
'securite' finds 'sécurité'; triggers keep them in step with their tables.

The file is in WAL mode: a search reads while an index run writes, and a run killed at any
point leaves the last committed state (SQLite's journal rolls back the rest). Every table and
column is documented in docs/archive.md.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from communique_nlp.errors import CommuniqueError

ARCHIVE_SCHEMA = "communique-nlp-archive/1"
SCHEMA_VERSION = 1  # PRAGMA user_version of an archive this code writes
BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another writer to commit

_TOKENIZER = "unicode61 remove_diacritics 2"

# Version 1: the whole schema. A later version appends its statements to ``MIGRATIONS``; an
# archive is upgraded by running the ones after its ``user_version``, in one transaction.
_SCHEMA_1 = f"""
CREATE TABLE archive (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    origin TEXT NOT NULL,
    format TEXT,
    title TEXT,
    date TEXT,
    place TEXT,
    language TEXT NOT NULL,
    language_confidence REAL,
    languages TEXT NOT NULL,
    bilingual INTEGER NOT NULL,
    kind TEXT,
    themes TEXT NOT NULL,
    countries TEXT NOT NULL,
    parties TEXT,
    organizations TEXT NOT NULL,
    commitment_count INTEGER NOT NULL,
    pair_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    pair_score REAL,
    fingerprint TEXT NOT NULL,
    text TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE INDEX documents_path ON documents(path);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_language ON documents(language);
CREATE INDEX documents_kind ON documents(kind);
CREATE INDEX documents_pair ON documents(pair_id);
CREATE TABLE themes (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    core INTEGER NOT NULL
);
CREATE TABLE document_themes (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    theme TEXT NOT NULL REFERENCES themes(id),
    score REAL NOT NULL,
    mentions INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (document_id, theme)
);
CREATE INDEX document_themes_theme ON document_themes(theme);
CREATE TABLE document_countries (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (document_id, country)
);
CREATE INDEX document_countries_country ON document_countries(country);
CREATE TABLE document_parties (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (document_id, country)
);
CREATE TABLE document_organizations (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (document_id, name)
);
CREATE TABLE people (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE sections (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    heading TEXT,
    kind TEXT NOT NULL,
    language TEXT,
    bullets INTEGER NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    commitment_id TEXT NOT NULL,
    section_id TEXT,
    text TEXT NOT NULL,
    source TEXT,
    actor TEXT,
    cue TEXT,
    language TEXT NOT NULL,
    themes TEXT NOT NULL,
    UNIQUE (document_id, position)
);
CREATE TABLE commitment_themes (
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    theme TEXT NOT NULL REFERENCES themes(id),
    PRIMARY KEY (commitment_id, theme)
);
CREATE INDEX commitment_themes_theme ON commitment_themes(theme);
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content=[documents], content_rowid=[id], tokenize='{_TOKENIZER}'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE VIRTUAL TABLE commitments_fts USING fts5(
    text, content=[commitments], content_rowid=[id], tokenize='{_TOKENIZER}'
);
CREATE TRIGGER commitments_fts_insert AFTER INSERT ON commitments BEGIN
    INSERT INTO commitments_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER commitments_fts_delete AFTER DELETE ON commitments BEGIN
    INSERT INTO commitments_fts(commitments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER commitments_fts_update AFTER UPDATE OF text ON commitments BEGIN
    INSERT INTO commitments_fts(commitments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO commitments_fts(rowid, text) VALUES (new.id, new.text);
END;
"""

MIGRATIONS: tuple[str, ...] = (_SCHEMA_1,)


class ArchiveError(CommuniqueError):
    """An archive that cannot be opened, created or read (not SQLite, another schema...)."""


def connect(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """An open archive. ``create`` makes (or upgrades) it; otherwise it must exist and be one.

    The connection is in autocommit mode: callers group writes with ``BEGIN``/``COMMIT``
    (``transaction``) so that each batch of documents is committed whole or not at all.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise ArchiveError(f"{path}: no such archive (create it with `communique index`)")
    if create and path.parent and not path.parent.is_dir():
        raise ArchiveError(f"{path}: the folder {path.parent} does not exist")
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000,
                                     isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise ArchiveError(f"{path}: cannot open the archive ({error})") from error
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if create:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints
            _migrate(connection, path, version)
        elif version == 0:
            raise ArchiveError(f"{path}: not a communique archive (no {ARCHIVE_SCHEMA} schema)")
        elif version > SCHEMA_VERSION:
            raise ArchiveError(f"{path}: written by a newer communique (archive schema version "
                               f"{version}); upgrade communique-nlp to read it")
        else:
            _check_archive(connection, path)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise ArchiveError(f"{path}: not a readable SQLite archive ({error})") from error
    except BaseException:
        connection.close()
        raise
    return connection


def _check_archive(connection: sqlite3.Connection, path: Path) -> None:
    row = connection.execute("SELECT value FROM archive WHERE key = 'schema'").fetchone()
    if row is None or row[0] != ARCHIVE_SCHEMA:
        raise ArchiveError(f"{path}: not a {ARCHIVE_SCHEMA} archive")


def _migrate(connection: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring the schema to ``SCHEMA_VERSION``, in one transaction (all or nothing)."""
    if version > SCHEMA_VERSION:
        raise ArchiveError(f"{path}: written by a newer communique (archive schema version "
                           f"{version}); upgrade communique-nlp to write to it")
    if version == SCHEMA_VERSION:
        _check_archive(connection, path)
        return
    if version == 0:
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise ArchiveError(f"{path}: an SQLite file that is not a communique archive; "
                               "choose another file")
    connection.execute("BEGIN IMMEDIATE")
    try:
        # another process may have created it while we waited for the write lock
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for statements in MIGRATIONS[version:]:
            for statement in _statements(statements):
                connection.execute(statement)
        connection.execute("INSERT OR REPLACE INTO archive(key, value) VALUES ('schema', ?)",
                           (ARCHIVE_SCHEMA,))
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """The statements of a schema script (``executescript`` would commit on its own)."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
