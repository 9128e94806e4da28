"""Batch: every supported file under a folder, one extraction each, in parallel, resumable.

``run_batch(DIR, OUTDIR)`` walks ``DIR`` (recursively, symbolic links to folders not
followed), and writes one extraction per input at the mirrored path in ``OUTDIR``
(``a/b/x.pdf`` -> ``OUTDIR/a/b/x.pdf.yaml``), or, for ``fmt='jsonl'``, one line per input in
``OUTDIR/extractions.jsonl``; then a manifest ``OUTDIR/manifest.yaml`` (``manifest.jsonl`` for
jsonl) with one record per input: path, sha256, status (ok, skipped, failed), error or reason,
title, date, language, kind, themes, number of commitments, seconds. A file of a type the
tool does not read is not parsed, but counted and listed as skipped, with the reason.

What a killed run (Ctrl-C, SIGKILL, power cut) leaves behind, and how ``resume`` finishes it:

- an output is only ever written whole (a temporary file, fsync, rename);
- every finished file is appended at once to a journal, ``OUTDIR/.manifest.journal.jsonl``
  (one JSON line, fsync); the manifest is rewritten (atomically) from it at the end of the run,
  and the journal removed. A half-written last journal line is ignored;
- with ``resume``, an input is skipped when a record of the manifest or journal has the same
  sha256 and tool version, for the same output format, and the output on disk still carries
  that sha256 (``source.sha256``). An output that a killed run wrote just before it could
  journal it is adopted the same way, when the journal of that run has the current tool
  version and format;
- jsonl: each extraction is first written whole to ``OUTDIR/.parts/PATH.json``; the stream is
  assembled (atomically, in path order) at the end, and the parts removed;
- an advisory lock (``OUTDIR/.batch.lock``) keeps two runs from writing into one folder.

Workers: with ``workers=1`` everything runs in this process; otherwise a
``ProcessPoolExecutor`` (forkserver or spawn start, so a caller's threads are never forked)
whose initializer builds the spaCy pipelines and the taxonomy once per worker. Each file has
its own time limit (``SIGALRM`` inside the worker); a worker that ignores it is killed by a
watchdog in this process and the pool rebuilt, so one bad file never stalls or sinks the run.
A worker that dies (out of memory, a crash) fails its file after a second try; the others go on.

The library never prints: progress goes to ``on_progress``, the result is a ``BatchReport``
whose ``exit_code`` is the CLI's (0 all ok or skipped, 1 any failed).
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique_nlp import __version__
from communique_nlp.errors import CommuniqueError, MissingInputError
from communique_nlp.output import current_umask, write_atomic
from communique_nlp.stages.ingest import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from types import FrameType

    from communique_nlp.pipeline import Options

BATCH_SCHEMA = "communique-nlp-batch/1"
FORMATS = ("yaml", "json", "jsonl")
STATUSES = ("ok", "skipped", "failed")
STREAM_NAME = "extractions.jsonl"
JOURNAL_NAME = ".manifest.journal.jsonl"
PARTS_DIR = ".parts"
LOCK_NAME = ".batch.lock"
DEFAULT_TIMEOUT = 60.0
# A worker still silent this long after its file's own time limit is stuck in code that the
# alarm cannot interrupt: it is killed and the pool rebuilt.
WATCHDOG_GRACE = 30.0
WATCHDOG_TICK = 1.0  # seconds between the watchdog's looks at the files in flight
IN_FLIGHT_PER_WORKER = 2  # files queued per worker: keeps workers busy, keeps the watchdog exact
PARENT_CHECK = 1.0  # seconds between a worker's looks at whether the batch process still lives
CRASH_RETRIES = 1  # a file in flight when a worker died is tried again this many times
HASH_CHUNK = 1 << 20
REUSED = "unchanged since the previous run (resume)"
ADOPTED = "written by the interrupted run, adopted (resume)"
# write_atomic's temporary files: '.NAME.' + mkstemp's 8 random characters + '.tmp'
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
_YAML_SHA = re.compile(r"^  sha256: ([0-9a-f]{64})$", re.MULTILINE)
_WARMUP = {
    "en": "Joint statement\n\nMinsters committed to counter terrorism and cybercrime together.\n",
    "fr": "Déclaration commune\n\nLes ministres se sont engagés à lutter contre le terrorisme.\n",
}


class BatchUsageError(CommuniqueError):
    """The batch cannot start as asked (output inside the input tree, folder in use...)."""


@dataclass(frozen=True)
class FileRecord:
    """One input of a batch, as the manifest records it."""

    path: str  # relative to the input folder, '/'-separated
    status: str  # ok | skipped | failed
    sha256: str | None = None
    error: str | None = None  # why it failed
    reason: str | None = None  # why it was skipped
    title: str | None = None
    date: str | None = None
    language: str | None = None
    kind: str | None = None
    themes: tuple[str, ...] = ()
    commitments: int | None = None
    seconds: float = 0.0
    output: str | None = None  # relative to the output folder
    line: int | None = None  # jsonl: the line of the stream (1-based)
    tool_version: str | None = __version__

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path, "sha256": self.sha256, "status": self.status,
            "error": self.error, "reason": self.reason, "title": self.title, "date": self.date,
            "language": self.language,
            "kind": self.kind, "themes": list(self.themes), "commitments": self.commitments,
            "seconds": round(self.seconds, 3), "output": self.output,
        }
        if self.line is not None:
            data["line"] = self.line
        data["tool_version"] = self.tool_version
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileRecord:
        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        path, status = data.get("path"), data.get("status")
        if not isinstance(path, str) or status not in STATUSES:
            raise ValueError("not a batch record")
        themes = data.get("themes")
        seconds = data.get("seconds")
        return cls(path=path, status=str(status), sha256=text("sha256"), error=text("error"),
                   reason=text("reason"), title=text("title"), date=text("date"),
                   language=text("language"), kind=text("kind"),
                   themes=tuple(t for t in themes if isinstance(t, str))
                   if isinstance(themes, list) else (),
                   commitments=number("commitments"),
                   seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0,
                   output=text("output"), line=number("line"),
                   tool_version=text("tool_version"))


@dataclass(frozen=True)
class ProgressEvent:
    """Sent to ``on_progress``: once with ``record=None`` when the inputs are known, then once
    per input as it is settled (in completion order)."""

    done: int
    total: int
    record: FileRecord | None
    elapsed: float


def progress_reporter(on_progress: Callable[[ProgressEvent], None] | None, total: int,
                      started: float) -> Callable[[int, FileRecord], None]:
    """Send the start (``record=None``) to ``on_progress`` now, and return what sends each
    settled file (``done`` of ``total``); nothing is sent without ``on_progress``."""
    if on_progress is None:
        return lambda done, record: None
    report = on_progress
    report(ProgressEvent(0, total, None, 0.0))
    return lambda done, record: report(ProgressEvent(done, total, record,
                                                     time.monotonic() - started))


@dataclass(frozen=True)
class BatchReport:
    """What a batch did: one record per input, in path order."""

    input_dir: Path
    output_dir: Path
    fmt: str
    workers: int
    seconds: float
    records: tuple[FileRecord, ...]
    manifest: Path
    stream: Path | None = None  # jsonl only

    @property
    def exit_code(self) -> int:
        """0 when every input is ok or skipped, 1 when any failed."""
        return 1 if self.failed else 0

    def by_status(self, status: str) -> tuple[FileRecord, ...]:
        return tuple(r for r in self.records if r.status == status)

    @property
    def failed(self) -> tuple[FileRecord, ...]:
        return self.by_status("failed")

    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.records)
        return {status: found[status] for status in STATUSES}

    def not_read(self) -> tuple[FileRecord, ...]:
        """Skipped inputs that were not read at all (an unsupported type, a link to a folder),
        as opposed to those whose earlier output was kept (resume)."""
        return tuple(r for r in self.by_status("skipped") if r.reason not in (REUSED, ADOPTED))

    def processed(self) -> int:
        """Inputs parsed in this run (ok, or failed after an attempt)."""
        return sum(1 for r in self.records if r.status != "skipped")

    def files_per_second(self) -> float:
        return self.processed() / self.seconds if self.seconds > 0 else 0.0

    def languages(self) -> Counter[str]:
        return Counter(r.language for r in self.records if r.language)

    def kinds(self) -> Counter[str]:
        return Counter(r.kind for r in self.records if r.kind)

    def themes(self) -> Counter[str]:
        """Documents per theme."""
        return Counter(t for r in self.records for t in r.themes)

    def commitments(self) -> int:
        return sum(r.commitments or 0 for r in self.records)

    def slowest(self, count: int = 5) -> list[FileRecord]:
        timed = [r for r in self.records if r.status != "skipped" and r.seconds > 0]
        return sorted(timed, key=lambda r: (-r.seconds, r.path))[:count]


@dataclass(frozen=True)
class _Task:
    """One file for a worker: everything it needs, picklable."""

    source: str  # the input path (or address), as the extraction's source.path will show it
    shown: str  # the manifest's path (relative, printable)
    sha256: str | None  # of the input, as read when the run was planned (None: an address)
    output: str  # where to write: absolute path
    output_rel: str  # relative to the output folder, as the manifest shows it
    fmt: str
    options: Options | None
    timeout: float


@dataclass
class _Prior:
    """What earlier runs left: records by path, and the interrupted run's journal header."""

    records: dict[str, FileRecord] = field(default_factory=dict)
    journal_current: bool = False  # the interrupted run had this version and format
    stream: dict[str, list[str]] = field(default_factory=dict)  # jsonl lines by sha256

    def stream_line(self, sha256: str | None, shown: str) -> str | None:
        """The previous stream's line for this input (found by content, then by path)."""
        lines = self.stream.get(sha256 or "", [])
        if len(lines) > 1:
            suffix = "/" + shown
            lines = [line for line in lines if _source_path(line).endswith(suffix)] or lines
        return lines[0] if lines else None


class FileTimeout(Exception):
    """A file took longer than its time limit."""


# ---------------------------------------------------------------------------------------------
# The entry point


def run_batch(
    input_dir: str | Path,
    output_dir: str | Path,
    *,
    options: Options | None = None,
    workers: int | None = None,
    fmt: str = "yaml",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    resume: bool = False,
    allow_nested: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    urls: Sequence[str] | None = None,
) -> BatchReport:
    """Extract every supported file under ``input_dir`` into ``output_dir``.

    With ``urls`` (from ``stages.fetch.read_url_list(input_dir)``), the inputs are those
    addresses instead, each fetched by its worker; ``input_dir`` is then the list file, named
    in the manifest. An address is always fetched again (``resume`` skips none).

    ``include``/``exclude`` are globs matched against each file's path relative to
    ``input_dir`` ('/'-separated) and against its name; a folder matching an exclude glob is
    not entered. Hidden files and folders (names starting with '.') are ignored.
    Raises ``MissingInputError`` when ``input_dir`` is not a folder, ``BatchUsageError`` when
    ``output_dir`` is inside it (unless ``allow_nested``) or in use by another run.
    """
    started = time.monotonic()
    if fmt not in FORMATS:
        raise BatchUsageError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if timeout <= 0:
        raise BatchUsageError("the per-file time limit must be positive")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise BatchUsageError("workers must be at least 1")
    root, out = Path(input_dir), Path(output_dir)
    if not root.exists():
        raise MissingInputError(str(root), "no such file" if urls is not None else "no such folder")
    if not root.is_dir() and urls is None:
        raise MissingInputError(str(root), "not a folder")
    root_real, out_real = root.resolve(), out.resolve()
    if out_real == root_real:
        raise BatchUsageError(f"{out}: the output folder cannot be the input folder")
    nested = root_real in out_real.parents
    if nested and not allow_nested and urls is None:
        raise BatchUsageError(f"{out}: the output folder is inside the input folder {root}; "
                              "choose another (or pass --allow-nested)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommuniqueError(f"{out}: cannot create ({error.strerror or error})") from error
    if not out.is_dir():
        raise BatchUsageError(f"{out}: not a folder")

    with _locked(out):
        _remove_temporaries(out, root_real)
        manifest = out / ("manifest.jsonl" if fmt == "jsonl" else "manifest.yaml")
        prior = _load_prior(out, manifest, fmt) if resume else _Prior()
        if resume and (out / JOURNAL_NAME).exists():
            # fold the interrupted run's journal into the manifest before a new one starts
            _write_manifest(manifest, sorted(prior.records.values(), key=_order), fmt=fmt,
                            root=root, out=out, workers=workers, seconds=0.0)
        if fmt == "jsonl" and not resume:
            shutil.rmtree(out / PARTS_DIR, ignore_errors=True)
        journal = _Journal(out / JOURNAL_NAME, fmt)
        try:
            settled = _run(root, out, out_real, fmt, options, workers, include, exclude,
                           timeout, prior if resume else None, journal, started, on_progress,
                           urls)
            workers = settled.workers
            stream = None
            records = list(settled.records)
            if fmt == "jsonl":
                stream = out / STREAM_NAME
                records = _assemble_stream(stream, out, records, prior)
            _write_manifest(manifest, records, fmt=fmt, root=root, out=out, workers=workers,
                            seconds=time.monotonic() - started)
        finally:
            journal.close()
        (out / JOURNAL_NAME).unlink(missing_ok=True)
        if fmt == "jsonl":
            shutil.rmtree(out / PARTS_DIR, ignore_errors=True)
    return BatchReport(input_dir=root, output_dir=out, fmt=fmt, workers=workers,
                       seconds=time.monotonic() - started, records=tuple(records),
                       manifest=manifest, stream=stream)


@dataclass(frozen=True)
class _Settled:
    records: tuple[FileRecord, ...]  # in path order
    workers: int  # used


def _run(root: Path, out: Path, out_real: Path, fmt: str, options: Options | None,
         workers: int, include: Sequence[str], exclude: Sequence[str], timeout: float,
         prior: _Prior | None, journal: _Journal, started: float,
         on_progress: Callable[[ProgressEvent], None] | None,
         urls: Sequence[str] | None = None) -> _Settled:
    """Find the inputs, settle each one (reused, failed on sight, or parsed), journal them."""
    candidates, settled = _discover(root, out_real, include, exclude) if urls is None \
        else ([], [])
    tasks = [_address_task(url, out, fmt, options, timeout) for url in dict.fromkeys(urls or ())]
    total = len(candidates) + len(settled) + len(tasks)
    records: dict[str, FileRecord] = {}

    def settle(record: FileRecord, *, log: bool = True) -> None:
        records[record.path] = record
        if log:
            journal.append(record)
        report(len(records), record)

    report = progress_reporter(on_progress, total, started)
    for record in settled:
        settle(record)
    for shown, source in candidates:
        task_or_record = _plan(shown, source, root, out, out_real, fmt, options, timeout, prior)
        if isinstance(task_or_record, _Task):
            tasks.append(task_or_record)
        else:
            # a reused output needs no journal line, unless adopted from a killed run
            settle(task_or_record, log=task_or_record.reason != REUSED)

    workers = max(1, min(workers, len(tasks)))
    if workers == 1:
        for task in tasks:
            settle(_work(task))
    else:
        _run_pool(tasks, workers, options, settle)
    return _Settled(tuple(sorted(records.values(), key=_order)), workers)


def default_workers() -> int:
    """The machine's cores (those this process may run on)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _order(record: FileRecord) -> str:
    return record.path


# ---------------------------------------------------------------------------------------------
# Finding the inputs


def _printable(name: str) -> str:
    """A path as text that can be written anywhere (undecodable bytes shown as \\xNN)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p)
               for p in patterns)


def _discover(root: Path, out_real: Path, include: Sequence[str],
              exclude: Sequence[str]) -> tuple[list[tuple[str, Path]], list[FileRecord]]:
    """The supported files under ``root`` (sorted), and the entries settled on sight: files
    of a type the tool does not read and symbolic links to folders (skipped), folders that
    cannot be listed (failed)."""
    candidates: list[tuple[str, Path]] = []
    settled: list[FileRecord] = []

    def unlistable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        relative = _relative(where, root)
        settled.append(FileRecord(path=relative + "/", status="failed",
                                  error=f"{_printable(str(where))}: folder cannot be listed "
                                        f"({error.strerror or error})"))

    for folder, dirnames, filenames in os.walk(root, onerror=unlistable, followlinks=False):
        here = Path(folder)
        kept = []
        for name in sorted(dirnames):
            path = here / name
            relative = _relative(path, root)
            if name.startswith(".") or _matches(relative, exclude):
                continue
            if path.is_symlink():
                settled.append(FileRecord(path=relative + "/", status="skipped",
                                          reason="symbolic link to a folder: not followed"))
                continue
            with contextlib.suppress(OSError):
                if path.resolve() == out_real:
                    continue  # --allow-nested: never read our own outputs
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            relative = _relative(path, root)
            if include and not _matches(relative, include):
                continue
            if _matches(relative, exclude):
                continue
            if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                settled.append(FileRecord(path=relative, status="skipped",
                                          reason=unsupported_reason(name)))
                continue
            candidates.append((relative, path))
    candidates.sort(key=lambda item: item[0])
    return candidates, settled


def unsupported_reason(name: str) -> str:
    suffix = Path(name).suffix.lower()
    what = f"'{_printable(suffix)}'" if suffix else "no extension"
    return f"unsupported file type ({what}; reads {', '.join(sorted(SUPPORTED_SUFFIXES))})"


def _relative(path: Path, root: Path) -> str:
    return _printable(path.relative_to(root).as_posix())


# ---------------------------------------------------------------------------------------------
# Deciding what to do with each input


def _output_rel(relative: str, fmt: str) -> str:
    if fmt == "jsonl":
        return f"{PARTS_DIR}/{relative}.json"
    return f"{relative}.{fmt}"


def _plan(shown: str, source: Path, root: Path, out: Path, out_real: Path, fmt: str,
          options: Options | None, timeout: float, prior: _Prior | None) -> _Task | FileRecord:
    """A task for a worker, or the record of an input settled here (unreadable, unchanged)."""
    shown_source = _printable(str(source))
    try:
        if not stat.S_ISREG(source.stat().st_mode):  # follows links; a loop raises ELOOP
            return FileRecord(path=shown, status="failed",
                              error=f"{shown_source}: not a regular file (a device, socket or "
                                    "pipe)")
        sha256 = _sha256(source)
    except OSError as error:
        problem = "broken symbolic link" if source.is_symlink() and not source.exists() \
            and error.errno == errno.ENOENT else f"cannot be read ({error.strerror or error})"
        return FileRecord(path=shown, status="failed", error=f"{shown_source}: {problem}")
    relative_fs = source.relative_to(root).as_posix()
    output_rel = _output_rel(shown, fmt)
    output = out / _output_rel(relative_fs, fmt)
    try:
        inside = out_real in output.parent.resolve().parents or \
            output.parent.resolve() == out_real
    except OSError:
        inside = False
    if not inside:
        return FileRecord(path=shown, status="failed", sha256=sha256,
                          error=f"{output_rel}: output path leaves the output folder "
                                "(a symbolic link inside it?)")
    if prior is not None:
        reused = _reusable(shown, sha256, output, output_rel, fmt, prior)
        if reused is not None:
            return reused
    return _Task(source=str(source), shown=shown, sha256=sha256, output=str(output),
                 output_rel=output_rel, fmt=fmt, options=options, timeout=timeout)


def _address_task(url: str, out: Path, fmt: str, options: Options | None,
                  timeout: float) -> _Task:
    """An http(s) address: its worker fetches it; the output is named after it."""
    from communique_nlp.stages.fetch import url_file_name

    output_rel = _output_rel(url_file_name(url), fmt)
    return _Task(source=url, shown=url, sha256=None, output=str(out / output_rel),
                 output_rel=output_rel, fmt=fmt, options=options, timeout=timeout)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _reusable(shown: str, sha256: str, output: Path, output_rel: str, fmt: str,
              prior: _Prior) -> FileRecord | None:
    """The skipped record of an input whose output from an earlier run is still good."""
    record = prior.records.get(shown)
    if record is not None and record.output is not None and record.sha256 == sha256 \
            and record.tool_version == __version__:
        text = None
        if fmt == "jsonl" and record.output == STREAM_NAME:
            text = prior.stream_line(sha256, shown)
        elif record.output == output_rel:
            text = _read_text(output)
        if text is not None and _embedded_sha256(text, fmt) == sha256:
            return replace(record, status="skipped", error=None, reason=REUSED, seconds=0.0)
    if prior.journal_current and (record is None or record.sha256 != sha256
                                  or record.status == "failed"):
        # an output the interrupted run wrote but did not live to journal
        text = _read_text(output)
        if text is not None and _embedded_sha256(text, fmt) == sha256:
            data = _load_output(text, fmt)
            if data is not None:
                return replace(_summary(shown, data, 0.0, output_rel), status="skipped",
                               reason=ADOPTED)
    return None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _embedded_sha256(text: str, fmt: str) -> str | None:
    """The ``source.sha256`` an output carries."""
    if fmt == "yaml":
        found = _YAML_SHA.search(text)
        return found.group(1) if found else None
    data = _load_output(text, fmt)
    source = data.get("source") if data else None
    sha256 = source.get("sha256") if isinstance(source, dict) else None
    return sha256 if isinstance(sha256, str) else None


def _load_output(text: str, fmt: str) -> dict[str, Any] | None:
    try:
        data = _yaml_load(text) if fmt == "yaml" else json.loads(text)
    except Exception:  # a damaged output is simply not reused
        return None
    return data if isinstance(data, dict) else None


def _yaml_load(text: str) -> Any:
    """Our own outputs and manifest, as written (no tags, no aliases); anything else raises."""
    from communique_nlp.safe_data import parse_data

    return parse_data(text, "output")


def _summary(shown: str, data: dict[str, Any], seconds: float, output_rel: str) -> FileRecord:
    document = data.get("document") or {}
    source = data.get("source") or {}
    return FileRecord(
        path=shown, status="ok", sha256=source.get("sha256"), title=document.get("title"),
        date=document.get("date"), language=document.get("language"), kind=document.get("kind"),
        themes=tuple(t["id"] for t in data.get("themes") or ()),
        commitments=len(data.get("commitments") or ()), seconds=seconds, output=output_rel)


# ---------------------------------------------------------------------------------------------
# The work on one file (in a worker, or in this process)


def _work(task: _Task) -> FileRecord:
    """Parse one file and write its output whole; never raises for a bad file."""
    started = time.monotonic()
    try:
        with _time_limit(task.timeout):
            from communique_nlp.pipeline import parse
            from communique_nlp.stages.serialise import render

            address = task.sha256 is None
            data = parse(task.source if address else Path(task.source), task.options).as_dict()
            if task.fmt == "jsonl":
                text = json.dumps(data, ensure_ascii=False) + "\n"
            else:
                text = render(data, task.fmt)
            write_atomic(Path(task.output), text)
        return _summary(task.shown, data, time.monotonic() - started, task.output_rel)
    except FileTimeout:
        error = f"{task.source}: took longer than the {task.timeout:g} s limit (--timeout)"
    except CommuniqueError as problem:
        error = str(problem)
    except MemoryError:
        error = f"{task.source}: out of memory"
    except Exception as problem:
        error = f"{task.source}: internal error ({type(problem).__name__}: {problem})"
    return _failure(task, error, time.monotonic() - started)


def _failure(task: _Task, error: str, seconds: float = 0.0) -> FileRecord:
    return FileRecord(path=task.shown, status="failed", sha256=task.sha256,
                      error=_printable(error), seconds=seconds)


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``FileTimeout`` in this thread after ``seconds`` (POSIX, main thread only;
    elsewhere no limit is set here, and the pool's watchdog is the only guard)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _init_worker(options: Options | None, parent: int) -> None:
    """Once per worker process: Ctrl-C is the parent's business; the worker ends when the
    parent does; the pipelines are built."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_follow_parent, args=(parent,), daemon=True,
                     name="follow-parent").start()
    with contextlib.suppress(Exception):  # a real problem shows on the first file instead
        from communique_nlp.nlp import pipeline
        from communique_nlp.stages.themes import load_taxonomy

        pipeline("en")
        pipeline("fr")
        load_taxonomy(options.themes if options else None,
                      only=options.themes_only if options else False)
    for text in _WARMUP.values():  # the rest: language profiles, lexicons, matchers
        with contextlib.suppress(Exception):
            from communique_nlp.pipeline import parse

            parse(text, options)


def _follow_parent(parent: int) -> None:
    """End this worker once the batch process is gone (killed with SIGKILL, say).

    A pool's workers hold both ends of their task queue, and the forkserver's liveness pipe,
    so nothing else tells them: without this they would wait for work forever."""
    while True:
        time.sleep(PARENT_CHECK)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # exists, but not ours to signal: still alive
            pass


# ---------------------------------------------------------------------------------------------
# The pool


def _run_pool(tasks: Sequence[_Task], workers: int, options: Options | None,
              settle: Callable[[FileRecord], None]) -> None:
    """Run ``tasks`` on ``workers`` processes; ``settle`` each record in completion order."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    queue: deque[_Task] = deque(tasks)
    in_flight: dict[Future[FileRecord], tuple[_Task, float]] = {}
    crashes: Counter[str] = Counter()
    executor = _new_pool(workers, options)

    def retry_or_fail(task: _Task, problem: str) -> None:
        crashes[task.shown] += 1
        if crashes[task.shown] > CRASH_RETRIES:
            settle(_failure(task, f"{task.source}: {problem}"))
        else:
            queue.appendleft(task)

    try:
        while queue or in_flight:
            broken = False
            while queue and len(in_flight) < workers * IN_FLIGHT_PER_WORKER:
                task = queue.popleft()
                try:
                    in_flight[executor.submit(_work, task)] = (task, time.monotonic())
                except BrokenProcessPool:  # a worker died since the last look
                    queue.appendleft(task)
                    broken = True
                    break
            done = set() if broken else wait(in_flight, timeout=WATCHDOG_TICK,
                                             return_when=FIRST_COMPLETED).done
            for future in done:
                task, _started = in_flight.pop(future)
                try:
                    settle(future.result())
                except BrokenProcessPool:
                    broken = True
                    retry_or_fail(task, "the worker process died on this file")
                except Exception as problem:  # could not even be sent to a worker
                    settle(_failure(task, f"{task.source}: internal error "
                                          f"({type(problem).__name__}: {problem})"))
            now = time.monotonic()
            stuck = [f for f, (task, sent) in in_flight.items()
                     if now - sent > task.timeout * IN_FLIGHT_PER_WORKER + WATCHDOG_GRACE]
            if broken or stuck:
                _kill_pool(executor)
                for future, (task, _sent) in list(in_flight.items()):
                    if future in stuck:
                        settle(_failure(task, f"{task.source}: took longer than the "
                                              f"{task.timeout:g} s limit (--timeout); its "
                                              "worker did not respond and was stopped"))
                    elif broken:
                        retry_or_fail(task, "the worker process died on this file")
                    else:
                        queue.appendleft(task)
                in_flight.clear()
                executor = _new_pool(workers, options)
    finally:
        _kill_pool(executor)


def _new_pool(workers: int, options: Options | None) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(options, os.getpid()))


def _kill_pool(executor: ProcessPoolExecutor) -> None:
    """Stop the pool now: a worker may be stuck, and nothing it still does is wanted."""
    processes = list((executor._processes or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# Journal, manifest, stream, lock


class _Journal:
    """Append-only log of settled inputs: one JSON line each, on disk before we go on."""

    def __init__(self, path: Path, fmt: str) -> None:
        header = {"journal": BATCH_SCHEMA, "tool_version": __version__, "format": fmt}
        write_atomic(path, json.dumps(header) + "\n")
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)

    def append(self, record: FileRecord) -> None:
        line = json.dumps(record.as_dict(), ensure_ascii=False) + "\n"
        os.write(self._fd, line.encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _load_prior(out: Path, manifest: Path, fmt: str) -> _Prior:
    prior = _Prior()
    for data in _read_manifest(manifest):
        with contextlib.suppress(ValueError):
            record = FileRecord.from_dict(data)
            prior.records[record.path] = record
    journal = out / JOURNAL_NAME
    lines = (_read_text(journal) or "").splitlines()
    for number, line in enumerate(lines):
        try:
            data = json.loads(line)
        except ValueError:
            continue  # the line a kill cut short
        if number == 0:
            prior.journal_current = isinstance(data, dict) \
                and data.get("tool_version") == __version__ and data.get("format") == fmt
            continue
        with contextlib.suppress(ValueError, AttributeError):
            record = FileRecord.from_dict(data)
            prior.records[record.path] = record
    if fmt == "jsonl":
        for line in (_read_text(out / STREAM_NAME) or "").splitlines():
            sha256 = _embedded_sha256(line, "jsonl")
            if sha256 is not None:
                prior.stream.setdefault(sha256, []).append(line)
    return prior


def _source_path(line: str) -> str:
    data = _load_output(line, "jsonl") or {}
    source = data.get("source")
    path = source.get("path") if isinstance(source, dict) else None
    return path if isinstance(path, str) else ""


def _read_manifest(path: Path) -> list[dict[str, Any]]:
    text = _read_text(path)
    if not text:
        return []
    try:
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines()[1:] if line.strip()]
        else:
            rows = (_yaml_load(text) or {}).get("files") or []
    except Exception:  # a damaged manifest: nothing can be trusted, everything is redone
        return []
    return [row for row in rows if isinstance(row, dict)]


def _write_manifest(path: Path, records: Sequence[FileRecord], *, fmt: str, root: Path,
                    out: Path, workers: int, seconds: float) -> None:
    counts = Counter(r.status for r in records)
    header: dict[str, Any] = {
        "schema": BATCH_SCHEMA, "tool_version": __version__, "format": fmt,
        "input": _printable(str(root)), "output": _printable(str(out)), "workers": workers,
        "seconds": round(seconds, 3),
        "totals": {"files": len(records), **{s: counts[s] for s in STATUSES}},
    }
    if fmt == "jsonl":
        lines = [json.dumps(header, ensure_ascii=False)]
        lines += [json.dumps(r.as_dict(), ensure_ascii=False) for r in records]
        write_atomic(path, "\n".join(lines) + "\n")
    else:
        from communique_nlp.stages.serialise import render

        write_atomic(path, render({**header, "files": [r.as_dict() for r in records]}, "yaml"))


def _assemble_stream(stream: Path, out: Path, records: list[FileRecord],
                     prior: _Prior) -> list[FileRecord]:
    """Write the jsonl stream whole, in path order; return the records pointing at its lines."""
    placed: list[FileRecord] = []
    handle, temporary = tempfile.mkstemp(prefix=f".{stream.name}.", suffix=".tmp", dir=out)
    try:
        os.fchmod(handle, 0o666 & ~current_umask())  # as open() would, not mkstemp's 0600
        with os.fdopen(handle, "w", encoding="utf-8") as sink:
            number = 0
            for record in records:
                if record.status == "failed" or record.output is None:
                    placed.append(record)
                    continue
                line = _stream_line(record, out, prior)
                if line is None:  # only if someone deleted it under our feet
                    placed.append(replace(record, status="failed", output=None, line=None,
                                          reason=None, error=f"{record.output}: output "
                                          "disappeared before the stream was assembled"))
                    continue
                number += 1
                sink.write(line.rstrip("\n") + "\n")
                placed.append(replace(record, output=STREAM_NAME, line=number))
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, stream)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CommuniqueError(f"{stream}: cannot write ({error.strerror or error})") \
                from error
        raise
    return placed


def _stream_line(record: FileRecord, out: Path, prior: _Prior) -> str | None:
    if record.output is None:
        return None
    if record.output == STREAM_NAME:
        return prior.stream_line(record.sha256, record.path)
    return _read_text(out / record.output)


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``OUTDIR/.batch.lock`` (advisory, released by the system if we are killed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    handle = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise BatchUsageError(f"{out}: another batch is writing to this folder") from error
        yield
    finally:
        os.close(handle)


def _remove_temporaries(out: Path, root_real: Path) -> None:
    """Temporary files a killed run left (never outputs: those are renamed whole).

    The input tree is not entered, should it be inside the output folder."""
    for folder, dirnames, filenames in os.walk(out, followlinks=False):
        dirnames[:] = [d for d in dirnames if not Path(folder, d).is_symlink()
                       and Path(folder, d).resolve() != root_real]
        for name in filenames:
            if _TEMPORARY.match(name):
                with contextlib.suppress(OSError):
                    Path(folder, name).unlink()
