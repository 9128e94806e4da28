"""`communique batch` and `communique_nlp.apps.batch.run_batch`: a folder of mixed inputs, resume,
a run killed part-way, the guards (nested output, symbolic links, time limit)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from communique_nlp.apps.batch import (
    JOURNAL_NAME,
    STREAM_NAME,
    BatchUsageError,
    FileRecord,
    run_batch,
)
from communique_nlp.cli import app
from communique_nlp.errors import MissingInputError

GOOD = {  # corpus file -> where it goes in the test folder (both languages, nested, markdown)
    "news-release-en.txt": "news-release-en.txt",
    "fcm-2026-communique-fr.txt": "fr/fcm-2026-communique-fr.txt",
    "statement-fr-repression.txt": "fr/deeper/statement fr: 'repression'.txt",
    "eu-council-migrant-smuggling-en.md": "en/eu-council.md",
}
BAD = ("empty.txt", "binary.txt", "broken.pdf")
TEMPORARY = re.compile(r"\.tmp$")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _good_pdf(path: Path) -> bool:
    """A one-page PDF with a text layer, when fpdf2 is installed."""
    try:
        from fpdf import FPDF
    except ImportError:
        return False
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Joint Statement of Ministers\n\nOttawa, June 27, 2017\n\n"
                         "Ministers committed to work together to counter terrorism and "
                         "violent extremism, and to fight ransomware and cybercrime.")
    pdf.output(str(path))
    return True


def _mixed_folder(root: Path, corpus: Path) -> Path:
    folder = root / "releases"
    for name, target in GOOD.items():
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name, folder / target)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(200, 256)) * 40)
    (folder / "notes.odt").write_bytes(b"not a supported kind: ignored")
    (folder / ".hidden.txt").write_text("hidden files are ignored\n", "utf-8")
    return folder


def _outputs(out: Path, suffix: str = ".yaml") -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob(f"*{suffix}")
            if p.name != "manifest.yaml"}


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((out / "manifest.yaml").read_text("utf-8"))
    return {row["path"]: row for row in data["files"]}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> tuple[Path, Path]:
    """A mixed folder and the output of one in-process run over it (shared: parsing costs)."""
    root = tmp_path_factory.mktemp("batch")
    folder = _mixed_folder(root, corpus_dir)
    out = root / "out"
    report = run_batch(folder, out, workers=1)
    assert report.exit_code == 1
    return folder, out


def test_every_input_gets_an_output_or_an_error(mixed: tuple[Path, Path]) -> None:
    folder, out = mixed
    manifest = _manifest(out)
    assert set(manifest) == {*GOOD.values(), *BAD}  # .odt and hidden files are not inputs
    for target in GOOD.values():
        row = manifest[target]
        assert row["status"] == "ok", row
        assert row["output"] == f"{target}.yaml"
        extraction = yaml.safe_load((out / f"{target}.yaml").read_text("utf-8"))
        assert extraction["source"]["sha256"] == row["sha256"] == _sha256(folder / target)
        assert row["language"] == extraction["document"]["language"]
        assert row["kind"] == extraction["document"]["kind"]
        assert row["themes"] == [t["id"] for t in extraction["themes"]]
        assert row["commitments"] == len(extraction["commitments"])
        assert isinstance(row["seconds"], float)
    assert {manifest[t]["language"] for t in GOOD.values()} == {"en", "fr"}
    for name in BAD:
        row = manifest[name]
        assert row["status"] == "failed" and row["output"] is None
        assert name in str(row["error"])
    assert "empty" in str(manifest["empty.txt"]["error"])
    assert _outputs(out) == {f"{t}.yaml" for t in GOOD.values()}
    leftovers = [p for p in out.rglob("*") if TEMPORARY.search(p.name) or p.name == JOURNAL_NAME]
    assert leftovers == []


def test_resume_skips_unchanged_and_redoes_changed(mixed: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    folder, first = mixed
    work = tmp_path / "releases"
    shutil.copytree(folder, work, symlinks=True)
    out = tmp_path / "out"
    shutil.copytree(first, out)
    (work / GOOD["news-release-en.txt"]).write_text(
        (work / GOOD["news-release-en.txt"]).read_text("utf-8") + "\nAdded later.\n", "utf-8")
    (out / f"{GOOD['eu-council-migrant-smuggling-en.md']}.yaml").unlink()
    report = run_batch(work, out, workers=1, resume=True)
    status = {r.path: r.status for r in report.records}
    assert status[GOOD["news-release-en.txt"]] == "ok"  # changed: done again
    assert status[GOOD["eu-council-migrant-smuggling-en.md"]] == "ok"  # output gone: redone
    assert status[GOOD["fcm-2026-communique-fr.txt"]] == "skipped"
    assert status[GOOD["statement-fr-repression.txt"]] == "skipped"
    assert all(status[name] == "failed" for name in BAD)  # failures are always retried
    manifest = _manifest(out)
    skipped = manifest[GOOD["fcm-2026-communique-fr.txt"]]
    assert skipped["language"] == "fr" and skipped["sha256"] and skipped["reason"]


def test_cli_exit_codes_manifest_and_plain_progress(mixed: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    folder, _ = mixed
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "[1/7]" in result.stderr and "[7/7]" in result.stderr  # one plain line per file
    assert "empty.txt" in result.stderr
    assert "Traceback" not in result.output
    assert "errors (3)" in result.stdout and "slowest files" in result.stdout
    assert (out / "manifest.yaml").is_file()

    good = tmp_path / "good"
    good.mkdir()
    for name in ("news-release-en.txt", "fcm-2026-communique-fr.txt"):
        shutil.copyfile(folder / GOOD[name], good / name)
    result = runner.invoke(app, ["batch", str(good), "-o", str(tmp_path / "good-out"),
                                 "--workers", "2", "--quiet"])  # the process pool
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert _outputs(tmp_path / "good-out") == {"news-release-en.txt.yaml",
                                              "fcm-2026-communique-fr.txt.yaml"}

    assert runner.invoke(app, ["batch", str(tmp_path / "nowhere"), "-o",
                               str(out)]).exit_code == 2
    nested = runner.invoke(app, ["batch", str(good), "-o", str(good / "out")])
    assert nested.exit_code == 2 and "--allow-nested" in nested.stderr
    assert not (good / "out").exists()


def test_nested_output_only_when_allowed(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(corpus_dir / "news-release-en.txt", folder / "a.txt")
    with pytest.raises(BatchUsageError):
        run_batch(folder, folder / "out", workers=1)
    with pytest.raises(BatchUsageError):
        run_batch(folder, folder, workers=1)
    with pytest.raises(MissingInputError):
        run_batch(tmp_path / "missing", tmp_path / "out", workers=1)
    for _ in range(2):  # the second run must not take the first one's outputs as inputs
        report = run_batch(folder, folder / "out", workers=1, allow_nested=True, fmt="json")
        assert [r.path for r in report.records] == ["a.txt"]
        assert report.exit_code == 0


def test_include_exclude_and_links(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "in"
    (folder / "drafts").mkdir(parents=True)
    shutil.copyfile(corpus_dir / "news-release-en.txt", folder / "a.txt")
    shutil.copyfile(corpus_dir / "news-release-en.txt", folder / "drafts" / "b.txt")
    shutil.copyfile(corpus_dir / "eu-council-migrant-smuggling-en.md", folder / "c.md")
    (folder / "loop").symlink_to(".", target_is_directory=True)  # a folder loop
    (folder / "self.txt").symlink_to("self.txt")  # a link loop
    report = run_batch(folder, tmp_path / "out", workers=1, include=["*.txt"],
                       exclude=["drafts"])
    by_path = {r.path: r for r in report.records}
    assert set(by_path) == {"a.txt", "self.txt", "loop/"}
    assert by_path["loop/"].status == "skipped" and "symbolic link" in str(by_path["loop/"].reason)
    assert by_path["self.txt"].status == "failed"
    assert report.exit_code == 1


def test_a_slow_file_fails_alone(tmp_path: Path, corpus_dir: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import communique_nlp.pipeline as pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "slow.txt", "z.txt"):
        shutil.copyfile(corpus_dir / "news-release-en.txt", folder / name)
    real_parse = pipeline.parse

    def parse(source: object, options: object = None) -> object:
        if str(source).endswith("slow.txt"):
            time.sleep(30)
        return real_parse(source, options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "parse", parse)
    started = time.monotonic()
    report = run_batch(folder, tmp_path / "out", workers=1, timeout=0.5)
    assert time.monotonic() - started < 10
    status = {r.path: r.status for r in report.records}
    assert status == {"a.txt": "ok", "slow.txt": "failed", "z.txt": "ok"}
    assert "0.5 s limit" in str(report.failed[0].error)
    assert not (tmp_path / "out" / "slow.txt.yaml").exists()


def test_jsonl_stream_in_path_order_and_resumable(mixed: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    folder, _ = mixed
    out = tmp_path / "out"
    first = run_batch(folder, out, workers=1, fmt="jsonl")
    lines = (out / STREAM_NAME).read_text("utf-8").splitlines()
    ok = [r for r in first.records if r.status == "ok"]
    assert [json.loads(line)["source"]["sha256"] for line in lines] == [r.sha256 for r in ok]
    assert [r.line for r in ok] == list(range(1, len(ok) + 1))
    assert not (out / ".parts").exists()
    header, *rows = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    assert json.loads(header)["format"] == "jsonl" and len(rows) == len(first.records)
    again = run_batch(folder, out, workers=1, fmt="jsonl", resume=True)
    assert {r.status for r in again.records if r.output} == {"skipped"}
    assert (out / STREAM_NAME).read_text("utf-8").splitlines() == lines


def test_killed_run_is_finished_by_resume(tmp_path: Path, corpus_dir: Path) -> None:
    """SIGKILL part-way, then --resume: every input has exactly one whole output, the files
    finished before the kill are skipped (not redone), no temporary file is left."""
    folder = tmp_path / "in"
    sources = sorted(corpus_dir.glob("*.txt"))
    count = 48
    for number in range(count):  # distinct contents: distinct sha256s
        source = sources[number % len(sources)]
        target = folder / f"part{number % 3}" / f"{number:02d}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text("utf-8") + f"\nReference {number}.\n", "utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from communique_nlp.cli import main; main()", "batch",
               str(folder), "-o", str(out), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _outputs(out) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        time.sleep(0.15)  # a few more files, so the kill lands mid-run
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    before = {name: (out / name).stat().st_mtime_ns for name in _outputs(out)}
    assert 0 < len(before) < count
    for name in before:  # whatever exists is whole
        extraction = yaml.safe_load((out / name).read_text("utf-8"))
        assert extraction["source"]["sha256"] == _sha256(folder / name.removesuffix(".yaml"))

    report = run_batch(folder, out, workers=1, resume=True)
    assert report.exit_code == 0
    inputs = {p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")}
    assert _outputs(out) == {f"{name}.yaml" for name in inputs}
    manifest = _manifest(out)
    assert set(manifest) == inputs
    for name in inputs:
        output = f"{name}.yaml"
        expected = "skipped" if output in before else "ok"
        assert manifest[name]["status"] == expected, (name, manifest[name])
        extraction = yaml.safe_load((out / output).read_text("utf-8"))
        assert extraction["source"]["sha256"] == _sha256(folder / name)
    for name, mtime in before.items():  # not written twice
        assert (out / name).stat().st_mtime_ns == mtime
    leftovers = [p for p in out.rglob("*") if TEMPORARY.search(p.name) or p.name == JOURNAL_NAME]
    assert leftovers == []


@pytest.mark.skipif(importlib.util.find_spec("communique_nlp.stages.pdf") is None,
                    reason="the PDF reader is not in this tree yet")
def test_good_pdf_in_a_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    if not _good_pdf(folder / "tiny.pdf"):
        pytest.skip("fpdf2 is not installed")
    report = run_batch(folder, tmp_path / "out", workers=1)
    assert [r.status for r in report.records] == ["ok"], report.records
    assert (tmp_path / "out" / "tiny.pdf.yaml").is_file()


def test_record_round_trip() -> None:
    record = FileRecord(path="a/b.txt", status="ok", sha256="0" * 64, language="fr",
                        kind="communique", themes=("terrorism",), commitments=2, seconds=0.5,
                        output="a/b.txt.yaml")
    assert FileRecord.from_dict(record.as_dict()) == record
    with pytest.raises(ValueError):
        FileRecord.from_dict({"path": "x", "status": "weird"})


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_reported(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(corpus_dir / "news-release-en.txt", folder / "locked.txt")
    (folder / "locked.txt").chmod(0)
    report = run_batch(folder, tmp_path / "out", workers=1)
    assert report.failed and "cannot be read" in str(report.failed[0].error)


def test_outputs_of_a_run_killed_before_its_journal_are_adopted(mixed: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    """The narrowest window: outputs renamed into place, the journal not yet written."""
    from communique_nlp import __version__
    from communique_nlp.apps.batch import ADOPTED

    folder, first = mixed
    out = tmp_path / "out"
    shutil.copytree(first, out)
    (out / "manifest.yaml").unlink()
    header = {"journal": "communique-nlp-batch/1", "tool_version": __version__, "format": "yaml"}
    (out / JOURNAL_NAME).write_text(json.dumps(header) + "\n" + '{"path": "cut sh', "utf-8")
    report = run_batch(folder, out, workers=1, resume=True)
    reasons = {r.path: r.reason for r in report.records if r.status == "skipped"}
    assert reasons == {target: ADOPTED for target in GOOD.values()}
    adopted = _manifest(out)[GOOD["fcm-2026-communique-fr.txt"]]
    assert adopted["language"] == "fr" and adopted["output"]
