"""``communique index``: documents, folders and extractions into an archive.

Sources are documents, folders of documents (walked as ``batch`` walks them), folders of
extractions written by ``parse``/``batch`` (YAML or JSON, read with ``safe_data``), or single
extraction files. Each document is keyed by the sha256 of its input bytes (for an extraction,
its ``source.sha256``): one already in the archive is skipped unread; one whose path is in the
archive with other bytes replaces the old rows.

Documents are parsed by ``batch``'s worker pool (its file discovery, time limits, watchdog and
progress events), each extraction written whole to a scratch folder and read back here: only
this process writes to the archive. Rows are written in transactions of ``COMMIT_EVERY``
documents (or ``COMMIT_SECONDS``, whichever comes first), so a run killed at any point leaves
every document either whole or absent; the next run skips what is there and does the rest.
EN/FR pairs are linked at the end of each run (``pairs.link_pairs``), in one transaction of
their own, over the documents not yet paired.

The library never prints: progress goes to ``on_progress`` (``batch.ProgressEvent``), the
result is an ``IndexReport`` whose ``exit_code`` is the CLI's.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique_nlp import __version__
from communique_nlp.apps.archive.store import connect
from communique_nlp.apps.batch import (  # the batch's own machinery, shared on purpose
    DEFAULT_TIMEOUT,
    FileRecord,
    ProgressEvent,
    _discover,
    _printable,
    _run_pool,
    _sha256,
    _Task,
    _work,
    default_workers,
    progress_reporter,
)
from communique_nlp.errors import CommuniqueError, InputError, MissingInputError
from communique_nlp.model import SCHEMA_ID
from communique_nlp.stages.ingest import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from communique_nlp.pipeline import Options

EXTRACTION_SUFFIXES = (".yaml", ".yml", ".json")
COMMIT_EVERY = 50  # documents per transaction
COMMIT_SECONDS = 2.0  # ... or this long since the last commit, whichever comes first
UNCHANGED = "unchanged (already in the archive)"
UNSUPPORTED = "neither a supported document nor an extraction"
# sections that are page chrome: kept out of the searchable text
UNSEARCHED_KINDS = frozenset({"boilerplate"})
BILINGUAL_SHARE = 0.2  # a second language with this share of the text: a file of both versions
# batch's discovery leaves its output folder out of the inputs; index writes none in the tree
_NO_OUTPUT = Path("/dev/null/no-output-folder")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*")


class IndexUsageError(CommuniqueError):
    """The index run cannot start as asked (no such source...)."""


@dataclass(frozen=True)
class IndexReport:
    """What an index run did: one record per input met (documents, extractions, skips)."""

    archive: Path
    records: tuple[FileRecord, ...]
    seconds: float
    workers: int
    pairs_linked: int  # pairs linked by this run
    documents: int  # documents in the archive after the run

    @property
    def exit_code(self) -> int:
        """0 when every input was indexed or skipped, 1 when any failed."""
        return 1 if self.failed else 0

    @property
    def failed(self) -> tuple[FileRecord, ...]:
        return tuple(r for r in self.records if r.status == "failed")

    def counts(self) -> dict[str, int]:
        """indexed, unchanged, unsupported, failed."""
        found = Counter(_category(r) for r in self.records)
        return {key: found[key] for key in ("indexed", "unchanged", "unsupported", "failed")}

    def indexed_per_second(self) -> float:
        indexed = self.counts()["indexed"]
        return indexed / self.seconds if self.seconds > 0 else 0.0


def _category(record: FileRecord) -> str:
    if record.status == "ok":
        return "indexed"
    if record.status == "failed":
        return "failed"
    return "unsupported" if record.reason == UNSUPPORTED else "unchanged"


@dataclass(frozen=True)
class _Extraction:
    """An extraction file found among the sources."""

    shown: str
    path: Path


# ---------------------------------------------------------------------------------------------
# The entry point


def index_sources(
    sources: Sequence[str | Path],
    archive: str | Path,
    *,
    options: Options | None = None,
    workers: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> IndexReport:
    """Add ``sources`` to the archive file ``archive`` (created when missing).

    Raises ``MissingInputError`` for a source that does not exist, ``ArchiveError`` for an
    archive that cannot be opened; a bad document or extraction is a failed record instead.
    """
    started = time.monotonic()
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise IndexUsageError("workers must be at least 1")
    if not sources:
        raise IndexUsageError("nothing to index: give documents, folders or extractions")
    for source in sources:
        if not Path(source).exists():
            raise MissingInputError(str(source), "no such file or folder")
    documents, extractions, settled = _find(sources)
    total = len(documents) + len(extractions) + len(settled)
    connection = connect(archive, create=True)
    try:
        writer = _Writer(connection)
        records: list[FileRecord] = []

        def settle(record: FileRecord) -> None:
            records.append(record)
            report(len(records), record)

        report = progress_reporter(on_progress, total, started)
        for record in settled:
            settle(record)
        for extraction in extractions:
            settle(writer.add_extraction_file(extraction))
        with tempfile.TemporaryDirectory(prefix="communique-index-") as scratch:
            tasks = []
            for shown, path in documents:
                task_or_record = _plan(shown, path, Path(scratch), options, timeout, writer)
                if isinstance(task_or_record, _Task):
                    tasks.append(task_or_record)
                else:
                    settle(task_or_record)
            workers = max(1, min(workers, len(tasks)))

            def finish(record: FileRecord) -> None:
                settle(writer.add_parsed(record))

            if workers == 1:
                for task in tasks:
                    finish(_work(task))
            else:
                _run_pool(tasks, workers, options, finish)
            writer.commit()
        from communique_nlp.apps.archive.pairs import link_pairs

        linked = link_pairs(connection)
        count = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("PRAGMA optimize")
        connection.close()
    ordered = sorted(records, key=lambda r: r.path)
    return IndexReport(archive=Path(archive), records=tuple(ordered),
                       seconds=time.monotonic() - started, workers=workers,
                       pairs_linked=linked, documents=count)


# ---------------------------------------------------------------------------------------------
# Finding the inputs


def _find(sources: Sequence[str | Path]
          ) -> tuple[list[tuple[str, Path]], list[_Extraction], list[FileRecord]]:
    """Documents (shown path, path), extraction files, and inputs settled on sight."""
    documents: list[tuple[str, Path]] = []
    extractions: list[_Extraction] = []
    settled: list[FileRecord] = []
    for source in sources:
        root = Path(source)
        if not root.is_dir():
            shown = _printable(str(root))
            if root.suffix.lower() in EXTRACTION_SUFFIXES:
                extractions.append(_Extraction(shown, root))
            elif root.suffix.lower() in SUPPORTED_SUFFIXES:
                documents.append((shown, root))
            else:
                settled.append(FileRecord(path=shown, status="failed",
                                          error=f"{shown}: not a supported document "
                                                f"({', '.join(SUPPORTED_SUFFIXES)}) nor an "
                                                "extraction (.yaml, .yml, .json)"))
            continue
        found, problems = _discover(root, _NO_OUTPUT, (), ())
        for relative, path in found:
            documents.append((_printable(str(root / relative)), path))
        for problem in problems:
            shown = _printable(str(root / problem.path))
            if problem.status == "skipped" and not problem.path.endswith("/"):
                # a file batch does not read: an extraction to load, or unsupported
                if Path(problem.path).suffix.lower() in EXTRACTION_SUFFIXES:
                    extractions.append(_Extraction(shown, root / problem.path))
                else:
                    settled.append(FileRecord(path=shown, status="skipped", reason=UNSUPPORTED))
                continue
            # a folder that cannot be listed, a link to a folder
            settled.append(FileRecord(path=shown, status=problem.status, error=problem.error,
                                      reason=problem.reason))
    return documents, extractions, settled


def _plan(shown: str, path: Path, scratch: Path, options: Options | None, timeout: float,
          writer: _Writer) -> _Task | FileRecord:
    """A task for a worker, or the record of a document settled here (unreadable, unchanged)."""
    try:
        sha256 = _sha256(path)
    except OSError as error:
        return FileRecord(path=shown, status="failed",
                          error=f"{shown}: cannot be read ({error.strerror or error})")
    known = writer.known(sha256)
    if known is not None:
        return FileRecord(path=shown, status="skipped", sha256=sha256, reason=UNCHANGED
                          if known == shown else f"{UNCHANGED} as {known}")
    output = scratch / f"{writer.next_scratch()}.json"
    return _Task(source=shown, shown=shown, sha256=sha256, output=str(output),
                 output_rel=str(output), fmt="json", options=options, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# Writing to the archive


class _Writer:
    """Adds extractions to the archive in transactions of ``COMMIT_EVERY`` documents."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._scratch = 0  # scratch files named so far
        self._pending = 0
        self._since = time.monotonic()
        self._themes_known: set[str] = set()
        self._labels = _taxonomy_labels()

    def next_scratch(self) -> int:
        """A new number for a worker's scratch output file."""
        self._scratch += 1
        return self._scratch

    def known(self, sha256: str) -> str | None:
        """The path under which this content is already archived, if it is."""
        row = self.connection.execute("SELECT path FROM documents WHERE sha256 = ?",
                                      (sha256,)).fetchone()
        return str(row[0]) if row else None

    def add_parsed(self, record: FileRecord) -> FileRecord:
        """A worker's record: on success, its extraction (in the scratch file) is added."""
        if record.status != "ok" or record.output is None:
            return record
        output = Path(record.output)
        try:
            data = json.loads(output.read_text("utf-8"))
        finally:
            output.unlink(missing_ok=True)
        return self._add(data, record.path, "document", record)

    def add_extraction_file(self, found: _Extraction) -> FileRecord:
        try:
            data = _read_extraction(found.path)
        except InputError as error:
            return FileRecord(path=found.shown, status="failed", error=_printable(str(error)))
        if data is None:
            return FileRecord(path=found.shown, status="skipped", reason=UNSUPPORTED)
        source = data.get("source") or {}
        sha256 = str(source.get("sha256") or "")
        path = str(source.get("path") or found.shown)
        known = self.known(sha256)
        if known is not None:
            return FileRecord(path=found.shown, status="skipped", sha256=sha256,
                              reason=UNCHANGED if known == path else f"{UNCHANGED} as {known}")
        record = FileRecord(path=found.shown, status="ok", sha256=sha256)
        return self._add(data, path, "extraction", record)

    def _add(self, data: dict[str, Any], path: str, origin: str,
             record: FileRecord) -> FileRecord:
        sha256 = str((data.get("source") or {}).get("sha256") or record.sha256)
        self._begin()  # the write lock first: another index run may have added these bytes
        known = self.known(sha256)
        if known is not None:  # the same bytes met twice (in this run, or by another)
            return FileRecord(path=record.path, status="skipped", sha256=sha256,
                              reason=f"{UNCHANGED} as {known}")
        self.connection.execute("DELETE FROM documents WHERE path = ?", (path,))
        _insert(self.connection, data, path, origin, self._labels, self._themes_known)
        self._pending += 1
        if self._pending >= COMMIT_EVERY or time.monotonic() - self._since >= COMMIT_SECONDS:
            self.commit()
        document = data.get("document") or {}
        return FileRecord(path=record.path, status="ok", sha256=sha256,
                          language=document.get("language"), kind=document.get("kind"),
                          themes=tuple(str(t.get("id")) for t in data.get("themes") or ()),
                          commitments=len(data.get("commitments") or ()),
                          seconds=record.seconds)

    def _begin(self) -> None:
        if not self.connection.in_transaction:
            self.connection.execute("BEGIN IMMEDIATE")
            self._since = time.monotonic()

    def commit(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("COMMIT")
        self._pending = 0
        self._since = time.monotonic()


def _taxonomy_labels() -> dict[str, tuple[str, bool]]:
    """Theme id -> (label, core) of the default taxonomy (labels of other themes come from
    the extractions themselves)."""
    from communique_nlp.assets import load_yaml

    return {str(t["id"]): (str(t.get("label") or t["id"]), bool(t.get("core")))
            for t in load_yaml("themes.yaml")["themes"]}


def _read_extraction(path: Path) -> dict[str, Any] | None:
    """The extraction in ``path``; ``None`` when the file is data of another kind (a gold
    file, a batch manifest); ``InputError`` when it cannot be read or claims to be an
    extraction and is not a valid one."""
    from communique_nlp.apps.diff import MAX_EXTRACTION_BYTES, check_extraction
    from communique_nlp.safe_data import read_data_file

    data = read_data_file(path, aliases=False, max_bytes=MAX_EXTRACTION_BYTES)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        return None
    check_extraction(data, str(path))
    return data


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def searchable_text(data: dict[str, Any]) -> str:
    """The document's own text: every section but page chrome, with its bullets."""
    parts: list[str] = []
    for section in data.get("sections") or ():
        if section.get("kind") in UNSEARCHED_KINDS:
            continue
        if section.get("heading"):
            parts.append(str(section["heading"]))
        if section.get("text"):
            parts.append(str(section["text"]))
        parts.extend(str(b.get("text") or "") for b in section.get("bullets") or ())
    return "\n\n".join(p for p in parts if p)


def fingerprint(data: dict[str, Any], text: str) -> list[str]:
    """Language-independent features of a document for pairing its two language versions:
    numbers, people's surnames, organisations, countries, date and place."""
    document = data.get("document") or {}
    found: set[str] = set()
    for number in _NUMBER.findall(text):
        digits = re.sub(r"[^0-9]", "", number)
        if len(digits) >= 2:
            found.add(f"n:{digits}")
    for person in document.get("people") or ():
        name = str(person.get("name") or "").split()
        if name:
            found.add(f"p:{_fold(name[-1])}")
    found.update(f"o:{_fold(str(o))}" for o in document.get("organizations") or ())
    found.update(f"c:{c}" for c in document.get("countries") or ())
    if document.get("date"):
        found.add(f"d:{document['date']}")
    return sorted(f.replace(" ", "_") for f in found)


def _fold(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _insert(connection: sqlite3.Connection, data: dict[str, Any], path: str, origin: str,
            labels: dict[str, tuple[str, bool]], themes_known: set[str]) -> None:
    """The rows of one extraction (the caller holds the transaction)."""
    source = data.get("source") or {}
    document = data.get("document") or {}
    themes = data.get("themes") or []
    commitments = data.get("commitments") or []
    sections = data.get("sections") or []
    language = str(document.get("language") or "und")
    languages = {str(k): float(v) for k, v in (document.get("languages") or {}).items()}
    shares = sorted(languages.values(), reverse=True)
    bilingual = len(shares) > 1 and shares[1] >= BILINGUAL_SHARE
    text = searchable_text(data)
    parties = document.get("parties")
    cursor = connection.execute(
        "INSERT INTO documents (sha256, path, origin, format, title, date, place, language, "
        "language_confidence, languages, bilingual, kind, themes, countries, parties, "
        "organizations, commitment_count, fingerprint, text, tool_version, indexed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source.get("sha256"), path, origin, source.get("format"), document.get("title"),
         document.get("date"), document.get("place"), language,
         document.get("language_confidence"), _json(languages), int(bilingual),
         document.get("kind"), _json([t["id"] for t in themes]),
         _json(list(document.get("countries") or [])),
         _json(list(parties)) if isinstance(parties, list) else None,
         _json(list(document.get("organizations") or [])), len(commitments),
         " ".join(fingerprint(data, text)), text, __version__,
         datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
    document_id = cursor.lastrowid
    for theme in themes:
        theme_id = str(theme["id"])
        _ensure_theme(connection, theme_id, str(theme.get("label") or theme_id), labels,
                      themes_known)
        evidence = [str(e.get("text") or "") for e in theme.get("evidence") or ()]
        connection.execute(
            "INSERT INTO document_themes VALUES (?, ?, ?, ?, ?)",
            (document_id, theme_id, float(theme.get("score") or 0.0),
             int(theme.get("mentions") or 0), _json(evidence)))
    connection.executemany("INSERT OR IGNORE INTO document_countries VALUES (?, ?)",
                           [(document_id, c) for c in document.get("countries") or ()])
    if isinstance(parties, list):
        connection.executemany("INSERT OR IGNORE INTO document_parties VALUES (?, ?)",
                               [(document_id, c) for c in parties])
    connection.executemany("INSERT OR IGNORE INTO document_organizations VALUES (?, ?)",
                           [(document_id, o) for o in document.get("organizations") or ()])
    connection.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?)",
        [(document_id, n, p.get("name"), p.get("role"))
         for n, p in enumerate(document.get("people") or (), 1)])
    section_language: dict[str, str] = {}
    for position, section in enumerate(sections, 1):
        section_language[str(section.get("id"))] = str(section.get("language") or language)
        connection.execute(
            "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?)",
            (document_id, position, section.get("id"), section.get("heading"),
             section.get("kind") or "body", section.get("language"),
             len(section.get("bullets") or ())))
    for position, commitment in enumerate(commitments, 1):
        commitment_themes = [str(t) for t in commitment.get("themes") or ()]
        own_language = section_language.get(str(commitment.get("section")), language)
        cursor = connection.execute(
            "INSERT INTO commitments (document_id, position, commitment_id, section_id, text, "
            "source, actor, cue, language, themes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document_id, position, commitment.get("id"), commitment.get("section"),
             commitment.get("text") or "", commitment.get("source"), commitment.get("actor"),
             commitment.get("cue"), own_language if own_language in ("en", "fr") else language,
             _json(commitment_themes)))
        for theme_id in commitment_themes:
            _ensure_theme(connection, theme_id, theme_id, labels, themes_known)
        connection.executemany("INSERT OR IGNORE INTO commitment_themes VALUES (?, ?)",
                               [(cursor.lastrowid, t) for t in commitment_themes])


def _ensure_theme(connection: sqlite3.Connection, theme_id: str, label: str,
                  labels: dict[str, tuple[str, bool]], themes_known: set[str]) -> None:
    if theme_id in themes_known:
        return
    known_label, core = labels.get(theme_id, (label, False))
    connection.execute("INSERT OR IGNORE INTO themes VALUES (?, ?, ?)",
                       (theme_id, known_label, int(core)))
    themes_known.add(theme_id)
