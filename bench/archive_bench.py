"""Archive bench: `make bench` (python bench/archive_bench.py [--docs N] [--runs N]).

Generates N releases (default 5,000) as the batch bench does (corpus texts made distinct by
shifting their dates and numbers), indexes them into a new archive with 2 workers, then:

- index: documents/s of the first run, and the time of a second run over the unchanged folder;
- search: wall time of whole `communique search` processes (start-up included), median of
  ``--runs`` runs per query, for a word, a glossary concept, filters alone, and commitments;
- size: the archive file (after a checkpoint) per document.

Target: a search process well under 0.5 s on 5,000 documents.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_bench import generate

from communique_nlp.apps.archive.index import index_sources

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.5
QUERIES = (
    ("a word", ["ransomware"]),
    ("a concept, both languages", ["encryption"]),
    ("a concept and filters", ["passeurs", "--lang", "en", "--since", "2020-01-01"]),
    ("filters alone", ["--theme", "terrorism", "--country", "CA"]),
    ("commitments", ["smugglers", "--in", "commitments"]),
)


def search_seconds(db: Path, arguments: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of a whole `communique search` process
    (on a machine shared with other work, the CPU time is the steadier figure)."""
    command = [sys.executable, "-c", "from communique_nlp.cli import main; main()", "search",
               *arguments, "--db", str(db), "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    walls, cpus = [], []
    for _ in range(runs + 1):  # the first run warms the file cache and is not counted
        before = os.times()
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.children_user - before.children_user
                    + after.children_system - before.children_system)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        generate(folder / "releases", args.docs)
        db = folder / "archive.db"
        print(f"== archive: {args.docs} generated releases, {args.workers} workers ==")
        first = index_sources([folder / "releases"], db, workers=args.workers)
        counts = first.counts()
        print(f"  index: {counts['indexed']} documents in {first.seconds:.1f} s, "
              f"{first.indexed_per_second():.1f} documents/s ({counts['failed']} failed, "
              f"{first.pairs_linked} pairs linked)")
        second = index_sources([folder / "releases"], db, workers=args.workers)
        print(f"  re-index, unchanged: {second.seconds:.2f} s "
              f"({second.seconds / first.seconds:.1%} of the first run)")
        connection = sqlite3.connect(db)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        size = db.stat().st_size
        print(f"  archive size: {size / 1e6:.1f} MB, {size / 1024 / args.docs:.1f} KiB per "
              "document")
        print(f"  search, whole process (median of {args.runs}):")
        worst = 0.0
        for label, arguments in QUERIES:
            seconds, cpu = search_seconds(db, arguments, args.runs)
            worst = max(worst, seconds)
            print(f"    {label:28s} {seconds:.3f} s wall, {cpu:.3f} s CPU   "
                  f"({' '.join(arguments)})")
        verdict = "met" if worst < TARGET_SECONDS else "NOT met"
        print(f"  slowest {worst:.3f} s wall: target < {TARGET_SECONDS} s {verdict} "
              f"(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
