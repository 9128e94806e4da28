"""Batch throughput: `make bench` (python bench/batch_bench.py [--files N] [--sample N]).

Generates N releases (default 2,000) from the corpus texts, each made distinct by shifting its
dates and numbers deterministically, in nested folders of a temporary directory; runs
``run_batch`` over them with 1 and with 2 workers (a fresh output folder each time), and times
a loop of ``communique parse FILE`` subprocess calls over a sample of the same files, the way
a shell loop would process the folder. Prints files/s and wall time per run, peak memory
(this process, and the largest and summed worker processes), and the ratio of the 2-worker
batch to the loop. Target: at least 20 times the loop's throughput with 2 workers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from communique_nlp.apps.batch import ProgressEvent, run_batch

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
TARGET_RATIO = 20.0
FOLDERS = 20  # the generated releases are spread over this many sub-folders
SAMPLE_EVERY = 50  # files between two looks at the workers' memory


@dataclass
class Run:
    label: str
    files: int
    seconds: float
    files_per_second: float
    ok: int
    failed: int
    peak_rss_mb: float | None = None  # the largest single worker (or this process, in-process)
    workers_rss_mb: float | None = None  # all workers together, at the peak sample


def generate(folder: Path, count: int) -> list[Path]:
    """``count`` distinct releases built from corpus/*.txt."""
    sources = [(p.name, p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    made = []
    for number in range(count):
        name, text = sources[number % len(sources)]
        shift = number // len(sources)
        text = re.sub(r"\b\d+\b", lambda m, by=shift: _shifted(m.group(0), by), text)
        target = folder / f"{number % FOLDERS:02d}" / f"{number:05d}-{name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{text.rstrip()}\n\nReference: CN-{number:05d}\n", "utf-8")
        made.append(target)
    return made


def _shifted(digits: str, shift: int) -> str:
    """A number moved by ``shift``, keeping years years and days days."""
    value = int(digits)
    if 2000 <= value <= 2039:  # a year: stays a plausible year
        return str(2000 + (value - 2000 + shift) % 40)
    if 1 <= value <= 31 and len(digits) <= 2:  # a day of the month (or a small count)
        return str((value - 1 + shift) % 28 + 1).zfill(len(digits))
    return str(value + shift)


def _kib_to_mb(kib: float) -> float:
    return round(kib / 1024, 1)


def _descendants_rss(root: int) -> tuple[float, float]:
    """(largest, summed) peak resident set (VmHWM, KiB) of ``root``'s descendant processes."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0.0, 0.0
    parents: dict[int, int] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, changed = {root}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    peaks = []
    for pid in tree - {root}:
        try:
            status = (proc / str(pid) / "status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peaks.append(float(found.group(1)))
    return (max(peaks), sum(peaks)) if peaks else (0.0, 0.0)


def bench_batch(folder: Path, workers: int, scratch: Path) -> Run:
    largest = summed = 0.0

    def look(event: ProgressEvent) -> None:
        nonlocal largest, summed
        if event.done % SAMPLE_EVERY == 0 or event.done == event.total:
            big, total = _descendants_rss(os.getpid())
            largest, summed = max(largest, big), max(summed, total)

    out = Path(tempfile.mkdtemp(prefix=f"out{workers}-", dir=scratch))
    started = time.perf_counter()
    report = run_batch(folder, out, workers=workers, on_progress=look)
    seconds = time.perf_counter() - started
    counts = report.counts()
    files = len(report.records)
    if workers == 1:  # in-process: this process is the worker
        largest = summed = float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return Run(f"batch, {workers} worker{'s' if workers > 1 else ''}", files, round(seconds, 2),
               round(files / seconds, 1), counts["ok"], counts["failed"],
               _kib_to_mb(largest), _kib_to_mb(summed))


def bench_loop(files: list[Path], scratch: Path) -> Run:
    """``for f in ...; do communique parse "$f" -o "$f.yaml"; done``, timed."""
    command = [sys.executable, "-c", "from communique_nlp.cli import main; main()", "parse"]
    failed = 0
    started = time.perf_counter()
    for number, file in enumerate(files):
        done = subprocess.run([*command, str(file), "-o", str(scratch / f"loop{number}.yaml")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        failed += done.returncode != 0
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Run("loop of `communique parse`", len(files), round(seconds, 2),
               round(len(files) / seconds, 2), len(files) - failed, failed, _kib_to_mb(peak))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="releases to generate")
    parser.add_argument("--sample", type=int, default=20, help="files for the parse loop")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="communique-bench-") as temporary:
        scratch = Path(temporary)
        files = generate(scratch / "releases", args.files)
        step = max(1, len(files) // args.sample)
        loop = bench_loop(files[::step][: args.sample], scratch)
        runs = [bench_batch(scratch / "releases", workers, scratch) for workers in counts]
    main_rss = _kib_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    best = max(runs, key=lambda run: run.files_per_second)
    ratio = round(best.files_per_second / loop.files_per_second, 1)
    two = next((run for run in runs if run.label.endswith("2 workers")), best)
    ratio_two = round(two.files_per_second / loop.files_per_second, 1)

    if args.json:
        print(json.dumps({"runs": [asdict(r) for r in [*runs, loop]], "main_peak_rss_mb": main_rss,
                          "ratio_2_workers_to_loop": ratio_two, "best_ratio": ratio,
                          "target": TARGET_RATIO, "cores": os.cpu_count()}, indent=2))
    else:
        print(f"{args.files} generated releases, {os.cpu_count()} cores")
        print(f"{'run':<30} {'files':>6} {'seconds':>8} {'files/s':>8} {'ok':>6} {'failed':>6} "
              f"{'peak RSS MB (largest / all workers)':>36}")
        for run in [*runs, loop]:
            memory = f"{run.peak_rss_mb} / {run.workers_rss_mb}" if run.workers_rss_mb \
                else f"{run.peak_rss_mb}"
            print(f"{run.label:<30} {run.files:>6} {run.seconds:>8} {run.files_per_second:>8} "
                  f"{run.ok:>6} {run.failed:>6} {memory:>36}")
        print(f"peak RSS of this process: {main_rss} MB")
        verdict = "meets" if ratio_two >= TARGET_RATIO else "MISSES"
        print(f"2 workers vs the parse loop: {ratio_two}x ({verdict} the {TARGET_RATIO:g}x target)")
    return 0 if ratio_two >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
