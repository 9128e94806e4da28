"""Hostile and broken input (issue 7): never a crash, a hang or lost data.

Three parts:

- property tests (hypothesis) over the normaliser, segmenter, commitment and theme stages, fed
  arbitrary Unicode, control characters, mixed scripts and random bullet and heading shapes:
  no exception, deterministic output, no invented text, output valid against the JSON Schema;
- a fault suite: broken PDFs, odd encodings, NUL bytes, empty files, a folder named x.txt, a
  FIFO, a symbolic-link loop, a file deleted between listing and reading, a batch killed with
  SIGKILL then resumed, full disks and read-only folders, hostile extraction files, output
  names that collide or try to leave the output folder, and the one-line error contract;
- scaling: every stage linear in the size of its input, measured as CPU time against the
  same shape a few times smaller (a super-linear stage breaks the generous bounds).
"""

from __future__ import annotations

import errno
import gc
import json
import os
import re
import stat
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import communique_nlp.output as output_module
from communique_nlp import parse
from communique_nlp.apps.batch import run_batch
from communique_nlp.cli import app, main
from communique_nlp.errors import CommuniqueError, InputError
from communique_nlp.output import write_atomic
from communique_nlp.pipeline import Options, run
from communique_nlp.schema import output_schema
from communique_nlp.stages.ingest import ingest_text
from communique_nlp.stages.normalise import clean_text
from communique_nlp.stages.serialise import extraction_dict, render

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLE = CORPUS / "news-release-en.txt"
SCHEMA = output_schema()
runner = CliRunner()
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Build the pipelines once, so no test pays for start-up inside a measurement."""
    parse("Ministers agreed to counter terrorism.\n\nLes ministres se sont engagés à agir.\n")


# ---------------------------------------------------------------------------------------------
# Property tests

_WORDS = [
    "Ministers", "agreed", "to", "counter", "terrorism", "ransomware", "encryption", "We",
    "will", "committed", "reaffirm", "smuggling", "les", "ministres", "se", "sont", "engagés",
    "à", "lutter", "contre", "la", "cybercriminalité", "passeurs", "chiffrement", "nous",
    "continuerons", "Canada", "France", "G7", "Ottawa", "27", "June", "juin", "2017",
    "Quick", "facts", "Faits", "en", "bref", "Contacts", "Citation", "«", "»", '"', "“", "”",
    "coopé-", "ration", "cyber-", "attaques", "l'Australie", "Mr.", "M.", "Hon.", "Ralph",
    "Goodale,", "Minister", "of", "Public", "Safety", ",", ".", ";", ":", "…", "—", "-",
    "Ελληνικά", "中文", "العربية", "עברית", "Ὀδυσσεύς", "e\u0301", "ﬁnal", "I", "ii",
]
_PREFIXES = ["", "", "", "• ", "◦ ", "▪ ", "- ", "* ", "– ", "1. ", "12) ", "(a) ", "b) ",
             "(iv) ", "ii) ", "# ", "## ", "**", "Page 3 of 9", "- 4 -", "\f", "   ", "\t",
             "date 2026-01-02 ", "•"]
_SUFFIXES = ["", "", ".", ":", ";", "-", "?", "**", " 12", ",", "; and", " «", "»."]
_BREAKS = ["\n", "\n", "\n\n", "\r\n", "\n\n\n", "\r", "\u2028", "\x0b", "\x85"]
_line = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=14).map(
    " ".join)
_document = st.lists(
    st.tuples(st.sampled_from(_PREFIXES), _line, st.sampled_from(_SUFFIXES),
              st.sampled_from(_BREAKS)),
    min_size=1, max_size=24,
).map(lambda parts: "".join(f"{p}{line}{s}{b}" for p, line, s, b in parts))
_texts = st.one_of(_document, st.text(min_size=1, max_size=400))


def _extract(text: str, fmt: str) -> dict[str, Any]:
    document = ingest_text(text)
    document = replace(document, source=replace(document.source, format=fmt))
    return extraction_dict(run(document, Options()))


_WORD = re.compile(r"\w+")


def _output_texts(data: dict[str, Any]) -> list[str]:
    """The strings that carry the input's own text: section texts, bullets, commitments."""
    texts = [section["text"] for section in data["sections"]]
    texts += [bullet["text"] for section in data["sections"] for bullet in section["bullets"]]
    texts += [commitment["text"] for commitment in data["commitments"]]
    return texts


def _joined_from(word: str, vocabulary: set[str]) -> bool:
    """Is ``word`` made of words of the input put together (a word split over lines, joined
    again by dehyphenation, perhaps more than once)?"""
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in vocabulary
                             for start in range(end))
    return reachable[-1]


def _assert_no_invented_text(source: str, data: dict[str, Any]) -> None:
    reference = clean_text(source)  # NFC, one kind of space, no control characters
    vocabulary = set(_WORD.findall(reference))
    for text in _output_texts(data):
        for word in _WORD.findall(text):
            assert word in vocabulary or _joined_from(word, vocabulary), (word, text)


@PROPERTY
@given(text=_texts, fmt=st.sampled_from(["txt", "md"]))
def test_pipeline_invariants_on_arbitrary_text(text: str, fmt: str) -> None:
    if not text.strip():
        with pytest.raises(InputError):
            ingest_text(text)
        return
    data = _extract(text, fmt)
    jsonschema.validate(data, SCHEMA)
    _assert_no_invented_text(text, data)
    assert render(_extract(text, fmt), "yaml") == render(data, "yaml")  # deterministic


@PROPERTY
@given(glyph=st.sampled_from(["•", "-", "*", "–", "1.", "(a)", "ii)", "◦"]),
       count=st.integers(1, 60), blank=st.booleans(), lead=st.booleans(),
       heading=st.sampled_from(["", "Quick facts\n", "CONTACTS\n", "## Heading\n", "Title\n\n"]))
def test_list_and_heading_shapes(glyph: str, count: int, blank: bool, lead: bool,
                                 heading: str) -> None:
    separator = "\n\n" if blank else "\n"
    text = heading + ("Ministers committed to:\n" if lead else "")
    text += separator.join(f"{glyph} share data on ransomware number {n};" for n in range(count))
    data = _extract(text, "txt")
    jsonschema.validate(data, SCHEMA)
    _assert_no_invented_text(text, data)
    bullets = [b["text"] for s in data["sections"] for b in s["bullets"]]
    assert len(bullets) + sum(s["text"].count("share data") for s in data["sections"]) \
        == count  # every item kept, as a bullet or in a section's text


# ---------------------------------------------------------------------------------------------
# Fault suite: the command line contract


def _one_line(result: Any, *needles: str) -> str:
    """The single stderr line of a failed command, checked for ``needles``."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert lines[0].startswith("communique: error: ")
    for needle in needles:
        assert needle.casefold() in lines[0].casefold(), (needle, lines[0])
    return str(lines[0])


def _pdf(path: Path, *, password: str | None = None, image: bool = False) -> Path:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    if image:
        from PIL import Image, ImageDraw

        picture = Image.new("RGB", (600, 200), "white")
        ImageDraw.Draw(picture).text((30, 90), "A scanned communique", fill="black")
        pdf.image(picture, x=20, y=20, w=170)
    else:
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, "\n".join(f"Ministers agreed to act against ransomware, item "
                                        f"{number}." for number in range(30)))
    pdf.output(str(path))
    return path


@pytest.fixture()
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without Tesseract, where an image-only PDF is refused (tests/test_formats.py
    reads scans where it is installed)."""
    from communique_nlp.stages import ocr

    monkeypatch.setattr(ocr, "available_languages", set)


def _fault_files(folder: Path) -> dict[str, tuple[Path, int, str]]:
    """name -> (path, exit code of `communique parse`, words its error line must hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    whole = _pdf(folder / "whole.pdf").read_bytes()
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 2])
    zero = folder / "zero-pages.pdf"
    zero.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                     b"trailer<</Root 1 0 R>>\n%%EOF\n")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    binary = folder / "nul-bytes.txt"
    binary.write_bytes(b"Ministers\x00\x00\x01\x00agreed\x00" * 40)
    directory = folder / "x.txt"
    directory.mkdir()
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    loop = folder / "loop.txt"
    loop.symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(loop)
    return {
        "truncated pdf": (truncated, 1, ""),
        "encrypted pdf": (_pdf(folder / "locked.pdf", password="secret"), 1, ""),
        "zero-page pdf": (zero, 1, ""),
        "image-only pdf": (_pdf(folder / "scan.pdf", image=True), 1, ""),
        "0-byte file": (empty, 1, "empty file"),
        "NUL bytes": (binary, 1, "binary file"),
        "directory named x.txt": (directory, 2, "directory"),
        "FIFO": (fifo, 1, "not a regular file"),
        "symbolic link loop": (loop, 1, "symbolic link"),
        "missing": (folder / "absent.txt", 2, "no such file"),
    }


def test_every_bad_input_is_one_line_naming_the_file(tmp_path: Path,
                                                     no_ocr: None) -> None:
    for case, (path, code, words) in _fault_files(tmp_path / "in").items():
        out = tmp_path / "out" / f"{path.name}.yaml"
        result = runner.invoke(app, ["parse", str(path), "-o", str(out)])
        assert result.exit_code == code, (case, result.output)
        _one_line(result, str(path), words)
        assert not out.exists(), case


def test_fault_files_in_a_batch_fail_alone(tmp_path: Path, no_ocr: None) -> None:
    folder = tmp_path / "in"
    files = _fault_files(folder)
    (folder / "good.txt").write_text(SAMPLE.read_text("utf-8"), "utf-8")
    utf16 = folder / "utf16-no-bom.txt"
    utf16.write_bytes(SAMPLE.read_text("utf-8").encode("utf-16-le"))
    report = run_batch(folder, tmp_path / "out", workers=1, timeout=30)
    status = {r.path: r for r in report.records}
    assert status["good.txt"].status == "ok"
    assert status["utf16-no-bom.txt"].status == "ok"
    for case, (path, _code, _words) in files.items():
        if case in ("directory named x.txt", "missing"):
            continue  # a folder is walked, not read; a missing file is not listed
        record = status[path.name]
        assert record.status == "failed", case
        assert record.error and "\n" not in record.error and path.name in record.error, case
    assert report.exit_code == 1


def test_utf16_without_bom_and_a_few_nul_bytes_are_read(tmp_path: Path) -> None:
    text = SAMPLE.read_text("utf-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode("utf-16-le"))
    assert parse(utf16).as_dict()["source"]["encoding"] == "utf-16-le"
    stray = tmp_path / "stray-nul.txt"
    stray.write_bytes(text.encode("utf-8").replace(b"Canada", b"Can\x00ada", 1))
    data = parse(stray).as_dict()
    assert any("NUL" in warning for warning in data["warnings"])
    assert "Canada" in render(data, "yaml")  # the NUL is dropped, the word kept


def test_a_file_deleted_between_listing_and_reading(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import communique_nlp.apps.batch as batch

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "gone.txt", "z.txt"):
        (folder / name).write_text(SAMPLE.read_text("utf-8"), "utf-8")
    real_plan = batch._plan

    def plan(shown: str, source: Path, *args: Any) -> Any:
        task = real_plan(shown, source, *args)
        if shown == "gone.txt":
            source.unlink()  # listed and hashed, then deleted before it is parsed
        return task

    monkeypatch.setattr(batch, "_plan", plan)
    report = run_batch(folder, tmp_path / "out", workers=1)
    status = {r.path: r for r in report.records}
    assert status["a.txt"].status == status["z.txt"].status == "ok"
    assert status["gone.txt"].status == "failed" and "gone.txt" in str(status["gone.txt"].error)


# kill -9 during a batch, then --resume: tests/test_batch.py::test_killed_run_is_finished_by_resume


# --- errors: one line, --debug, Ctrl-C, what escapes a command -------------------------------


def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import communique_nlp.pipeline as pipeline

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "parse", broken)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.txt").write_text("Ministers agreed to act.\n", "utf-8")
    (gold / "a.txt.gold.yaml").write_text("language: en\n", "utf-8")
    commands = {"parse": ["parse", str(SAMPLE)], "diff": ["diff", str(SAMPLE), str(SAMPLE)],
                "eval": ["eval", str(gold)],
                "batch": ["batch", str(gold), "-o", str(tmp_path / "o"), "-w", "1", "-q"]}
    for name, args in commands.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (name, result.output)
        if name == "batch":  # the failed file is named on stderr; the run itself goes on
            assert "ZeroDivisionError" in result.stderr and "Traceback" not in result.output
        else:
            _one_line(result, "internal error", "a bug", "--debug")
        if name != "batch":
            debug = runner.invoke(app, [*args, "--debug"])
            assert isinstance(debug.exception, ZeroDivisionError), name


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import communique_nlp.pipeline as pipeline

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "parse", interrupted)
    result = runner.invoke(app, ["parse", str(SAMPLE)])
    assert result.exit_code == 130
    _one_line(result, "interrupted")


def test_main_turns_anything_that_escapes_into_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import communique_nlp.cli as cli

    def broken() -> None:
        raise ImportError("No module named 'spacy'")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.setattr(sys, "argv", ["communique", "parse", "x.txt"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ImportError" in err and "No module named" in err
    monkeypatch.setattr(sys, "argv", ["communique", "parse", "x.txt", "--debug"])
    with pytest.raises(ImportError):
        cli.main()

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", interrupted)
    monkeypatch.setattr(sys, "argv", ["communique", "parse", "x.txt"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 130


def test_odd_file_names_stay_on_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "two\nlines \x1b[31mred.txt"
    odd.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(odd)])
    assert result.exit_code == 1
    line = _one_line(result, "empty file")
    assert "\\n" in line and "\x1b" not in line


# --- output: inside the folder, whole or not at all ----------------------------------------


def test_output_names_never_collide_or_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "x.txt").write_text(
            f"Ministers of {folder} agreed to act on ransomware.\n\nMore text.\n", "utf-8")
    out = tmp_path / "out"
    names = [str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / ".." / "b" / "x.txt"),
             str(tmp_path / "a" / "x.txt")]
    result = runner.invoke(app, ["parse", *names, "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["x.txt.2.yaml", "x.txt.yaml"]  # two inputs, two outputs, in the folder
    sources = {yaml.safe_load((out / n).read_text("utf-8"))["source"]["path"] for n in written}
    assert sources == set(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "out"]


def test_write_atomic_applies_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "result.yaml"
    write_atomic(target, "a: 1\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~output_module.current_umask()


@pytest.mark.parametrize("failure", ["ENOSPC", "EROFS", "EACCES"])
def test_full_disk_or_read_only_folder_fails_clearly_and_keeps_the_old_file(
        failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "x.txt.yaml"
    target.parent.mkdir()
    target.write_text("old: whole\n", "utf-8")
    code = getattr(errno, failure)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    if failure == "ENOSPC":
        monkeypatch.setattr(os, "write", fail)  # the disk fills while writing
    elif failure == "EROFS":
        monkeypatch.setattr(os, "replace", fail)  # the folder turns read-only before the rename
    else:
        monkeypatch.setattr(output_module.tempfile, "mkstemp", fail)  # no right to create
    with pytest.raises(CommuniqueError) as caught:
        write_atomic(target, "new: text\n" * 1000)
    message = str(caught.value)
    assert "\n" not in message and str(target) in message and "cannot write" in message
    assert target.read_text("utf-8") == "old: whole\n"
    assert [p.name for p in target.parent.iterdir()] == ["x.txt.yaml"]  # no temporary left
    monkeypatch.undo()
    result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(target)])
    assert result.exit_code == 0  # and once the disk is fine again, it works


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(out / "x.yaml")])
        assert result.exit_code == 1
        _one_line(result, str(out / "x.yaml"), "permission denied")
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_output_under_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    result = runner.invoke(app, ["parse", str(SAMPLE), str(SAMPLE), "-o", f"{blocker}/sub/"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert all(line.startswith("communique: error: ") and "cannot write" in line
               for line in result.stderr.strip().splitlines())


# --- extraction, gold and taxonomy files --------------------------------------------------------


_LAUGHS = "\n".join(['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
                    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)])


def test_hostile_extraction_files_are_refused_by_diff_and_eval(tmp_path: Path) -> None:
    wrong = parse(SAMPLE).as_dict()
    wrong["sections"][0]["kind"] = 42
    cases = {
        "laughs.yaml": (_LAUGHS, "alias"),
        "tag.yaml": ("schema: communique-nlp/1\nx: !!python/object/apply:os.system [id]\n",
                     "tags are not allowed"),
        "deep.json": ("[" * 5000 + "]" * 5000, "nested"),
        "list.yaml": ("- 1\n- 2\n", "mapping"),
        "schema.yaml": (render(wrong, "yaml"), "sections/0/kind"),
        "broken.json": ('{"schema": ', "JSON"),
        "recursive.yaml": ("&a [*a]\n", "alias"),
    }
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "doc.txt.gold.yaml").write_text("language: en\n", "utf-8")
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        started = time.process_time()
        result = runner.invoke(app, ["diff", str(path), str(SAMPLE)])
        assert time.process_time() - started < 5, name  # refused at once, not expanded
        assert result.exit_code == 1, (name, result.output)
        _one_line(result, str(path), words)
        pred = tmp_path / f"pred-{name}"
        pred.mkdir()
        (pred / f"doc.txt{Path(name).suffix}").write_text(text, "utf-8")
        scored = runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "-f", "json"])
        assert scored.exit_code == 1, (name, scored.output)
        _one_line(scored, str(pred), words)
        assert json.loads(scored.stdout)["docs"] == 1  # scored as empty, the run went on


def test_hostile_gold_and_taxonomy_files(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.txt").write_text(SAMPLE.read_text("utf-8"), "utf-8")
    (gold / "a.txt.gold.yaml").write_text("sections: 7\nbullets: {a: 1}\ncommitments: [[1]]\n"
                                          "themes: yes\ncountries: [null, 3]\ndate: [2]\n",
                                          "utf-8")
    (gold / "b.txt").write_text(SAMPLE.read_text("utf-8"), "utf-8")
    (gold / "b.txt.gold.yaml").write_text(_LAUGHS, "utf-8")
    result = runner.invoke(app, ["eval", str(gold), "-f", "json"])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)
    taxonomy = tmp_path / "themes.yaml"
    for text in (_LAUGHS, "themes: [{id: 'a|b', terms: {en: {strong: [x]}}}]\n", "themes: 3\n",
                 "- !!python/object/apply:os.system [id]\n"):
        taxonomy.write_text(text, "utf-8")
        result = runner.invoke(app, ["parse", str(SAMPLE), "--themes", str(taxonomy)])
        assert "Traceback" not in result.output
        if result.exit_code:
            _one_line(result, str(taxonomy))


def test_max_bytes_refuses_larger_inputs(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Ministers agreed to act. " * 200, "utf-8")
    result = runner.invoke(app, ["parse", str(big), "--max-bytes", "1000"])
    assert result.exit_code == 1
    _one_line(result, str(big), "1,000-byte limit")
    piped = runner.invoke(app, ["parse", "-", "--max-bytes", "1000"], input="word " * 1000)
    assert piped.exit_code == 1
    _one_line(piped, "1,000-byte limit")


def test_text_that_is_not_a_path_never_crashes_the_library() -> None:
    for text in ("a\x00b", "x" * 5000, "/" * 3000, "\udcff", "nul\x00 in a few words"):
        try:
            parse(text)
        except CommuniqueError as error:
            assert "\n" not in str(error)


# ---------------------------------------------------------------------------------------------
# Scaling: linear in the size of the input


def _clear_text_caches() -> None:
    """Empty the per-text caches (not the pipelines and lexicons), so each run starts cold."""
    for name, module in list(sys.modules.items()):
        if name.startswith("communique_nlp"):
            for value in list(vars(module).values()):
                parameters = getattr(value, "cache_parameters", None)
                if parameters is not None and (parameters()["maxsize"] or 0) > 16:
                    value.cache_clear()


def _cpu_seconds(data: bytes, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        _clear_text_caches()
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            render(parse(data).as_dict(), "yaml")
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def _corpus_text() -> str:
    return "\n\n".join(p.read_text("utf-8") for p in sorted(CORPUS.rglob("*.txt")))


def test_one_megabyte_takes_at_most_twenty_times_fifty_kilobytes() -> None:
    small = _corpus_text()[:50_000]
    big = "\n\n".join([small] * 20)
    assert len(big.encode("utf-8")) >= 1_000_000
    small_time = _cpu_seconds(small.encode("utf-8"), repeat=3)
    big_time = _cpu_seconds(big.encode("utf-8"), repeat=2)
    assert big_time <= 20 * small_time, (small_time, big_time)


_SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    # name: (the text for a size n, n of the smaller input); the larger is 8 times the size
    "single line of words": (lambda n: "Ministers agreed to act on cybercrime, and " * n, 1500),
    "single line of letters": (lambda n: "a" * n, 64_000),
    "letters then a lower-case line": (lambda n: "a" * n + "\nb", 64_000),
    "quotation marks": (lambda n: '"' * n, 32_000),
    "elisions": (lambda n: "l'" * n, 16_000),
    "bullet glyphs": (lambda n: "•\n" * n, 4000),
    "bullet items under a lead-in": (
        lambda n: "Ministers committed to:\n" + "".join(f"• share data item {i};\n"
                                                        for i in range(n)), 1500),
    "identical bullets": (lambda n: "• the same item;\n" * n, 3000),
    "blank lines": (lambda n: "Title of it\n" + "\n" * n + "End of the text.", 125_000),
    "repeated headings": (lambda n: "Heading Here\n\nBody text that is long enough.\n\n" * n,
                          1500),
    "hyphenated lines": (lambda n: "coopé-\n" * n + "ration.", 8000),
    "cues in one paragraph": (lambda n: "We agreed to act. " * n, 3000),
    "quotation with cues": (lambda n: 'X said: "' + "We agreed to act. " * n, 3000),
    "capitalised hyphen run": (lambda n: "A-" * n, 32_000),
    "commas before a date": (lambda n: "Ottawa" + ", " * n + "12 June 2020", 32_000),
    "many people": (lambda n: "".join(f"Ralph Goo{i:x}dale, Minister of Public Safety. "
                                      for i in range(n)), 1000),
    "em-space runs": (lambda n: "Title\n\na" + "\u2003" * n + "b said, and", 64_000),
}


@pytest.mark.parametrize("shape", list(_SHAPES))
def test_adversarial_shapes_scale_linearly(shape: str) -> None:
    make, n = _SHAPES[shape]
    small_time = _cpu_seconds(make(n).encode("utf-8"), repeat=2)
    big_time = _cpu_seconds(make(8 * n).encode("utf-8"))
    # linear: about 8 times as long; quadratic: 64 times. Small fixed costs count for little
    # at these sizes, and the bound leaves room for noise.
    assert big_time <= 20 * small_time + 0.05, (small_time, big_time)


def test_normalisation_reference_matches_the_pipeline() -> None:
    """The property tests' reference text is what the pipeline itself reads."""
    text = "e\u0301\u00a0a\u2003b\x00c\r\nd\u200b"
    cleaned = clean_text(text)
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    assert cleaned == "é a bc\nd"
