"""The archive: index, search, export, report (SPEC.md 'Archive')."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from communique_nlp import parse
from communique_nlp.apps.archive.export import export_table
from communique_nlp.apps.archive.index import UNCHANGED, UNSUPPORTED, index_sources
from communique_nlp.apps.archive.report import build_report
from communique_nlp.apps.archive.search import Filters, SearchUsageError, search
from communique_nlp.apps.archive.store import ArchiveError, connect
from communique_nlp.cli import app
from communique_nlp.stages.serialise import render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ALL = 10_000  # a --limit larger than any test archive
runner = CliRunner()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def extractions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The corpus documents parsed once, by source path; and one more, undated (the corpus
    documents all have a date)."""
    found = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".md", ".html")
                   and p.name != "README.md" and ".gold" not in p.name)
    parsed = {str(p): parse(p).as_dict() for p in found}
    undated = tmp_path_factory.mktemp("undated") / "undated.txt"
    text = (CORPUS / "news-release-en.txt").read_text("utf-8")
    undated.write_text("\n".join(line for line in text.splitlines()
                                  if not any(ch.isdigit() for ch in line)), "utf-8")
    parsed[str(undated)] = parse(undated).as_dict()
    assert parsed[str(undated)]["document"]["date"] is None
    return parsed


@pytest.fixture(scope="module")
def archive(extractions: dict[str, dict[str, Any]],
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the corpus, indexed from a folder of extractions (with two files that
    are not extractions, to be skipped)."""
    folder = tmp_path_factory.mktemp("extractions")
    for number, data in enumerate(extractions.values()):
        (folder / f"{number:03d}.yaml").write_text(render(data, "yaml"), "utf-8")
    (folder / "notes.yaml").write_text("title: not an extraction\n", "utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    report = index_sources([folder], db, workers=1)
    assert report.exit_code == 0
    assert report.counts() == {"indexed": len(extractions), "unchanged": 0,
                               "unsupported": 2, "failed": 0}
    return db


def _paths(result: Any) -> set[str]:
    return {hit["path"] for hit in result.hits}


# ---------------------------------------------------------------------------------------------
# Filters give exactly what parse says


def test_every_filter_selects_what_parse_says(
        archive: Path, extractions: dict[str, dict[str, Any]]) -> None:
    documents = {path: data["document"] for path, data in extractions.items()}
    themes = {path: {t["id"] for t in data["themes"]} for path, data in extractions.items()}

    def expect(keep: Any) -> set[str]:
        return {path for path in extractions if keep(path)}

    for theme in ("terrorism", "encryption", "migrant_smuggling", "cybercrime"):
        got = _paths(search(archive, None, Filters(themes=(theme,)), limit=ALL))
        assert got == expect(lambda p, t=theme: t in themes[p])
        assert got, f"no corpus document tagged {theme}: the test would prove nothing"
    either = _paths(search(archive, None, Filters(themes=("encryption", "cybercrime")),
                           limit=ALL))
    assert either == expect(lambda p: bool({"encryption", "cybercrime"} & themes[p]))
    for country, code in (("CA", "CA"), ("fr", "FR"), ("GB", "GB")):
        got = _paths(search(archive, None, Filters(countries=(country,)), limit=ALL))
        assert got == expect(lambda p, c=code: c in documents[p]["countries"])
    for language in ("en", "fr", "und"):
        got = _paths(search(archive, None, Filters(languages=(language,)), limit=ALL))
        assert got == expect(lambda p, lang=language: documents[p]["language"] == lang)
    for kind in ("communique", "press_release"):
        got = _paths(search(archive, None, Filters(kinds=(kind,)), limit=ALL))
        assert got == expect(lambda p, k=kind: documents[p]["kind"] == k)
    got = _paths(search(archive, None, Filters(since="2025-01-01", until="2026-12-31"),
                        limit=ALL))
    assert got == expect(lambda p: documents[p]["date"] is not None
                         and "2025-01-01" <= documents[p]["date"] <= "2026-12-31")
    both = _paths(search(archive, None, Filters(themes=("terrorism",), languages=("fr",)),
                         limit=ALL))
    assert both == expect(lambda p: "terrorism" in themes[p]
                          and documents[p]["language"] == "fr")


def test_since_and_until_include_the_day_and_leave_out_undated(
        archive: Path, extractions: dict[str, dict[str, Any]]) -> None:
    dated = sorted({d["document"]["date"] for d in extractions.values()
                    if d["document"]["date"]})
    day = dated[len(dated) // 2]
    on_day = _paths(search(archive, None, Filters(since=day, until=day), limit=ALL))
    assert on_day == {p for p, d in extractions.items() if d["document"]["date"] == day}
    undated = {p for p, d in extractions.items() if not d["document"]["date"]}
    assert undated, "the corpus has undated documents"
    assert not undated & _paths(search(archive, None, Filters(since="1900-01-01"), limit=ALL))


def test_commitments_filtered_on_their_own_themes(
        archive: Path, extractions: dict[str, dict[str, Any]]) -> None:
    expected = sorted((path, c["id"]) for path, data in extractions.items()
                      for c in data["commitments"] if "terrorism" in c["themes"])
    result = search(archive, None, Filters(themes=("terrorism",)), scope="commitments",
                    limit=ALL)
    assert sorted((h["path"], h["id"]) for h in result.hits) == expected
    assert expected


def test_no_query_lists_newest_first_undated_last(archive: Path) -> None:
    hits = search(archive, limit=ALL).hits
    dates = [h["date"] for h in hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated))
    assert len(search(archive).hits) == 20  # the default limit


# ---------------------------------------------------------------------------------------------
# The query in both languages


def test_encryption_finds_every_document_that_says_encryption_or_chiffrement(
        archive: Path, extractions: dict[str, dict[str, Any]]) -> None:
    from communique_nlp.apps.archive.index import searchable_text

    def says(path: str) -> bool:
        data = extractions[path]
        text = _fold(searchable_text(data) + " " + (data["document"]["title"] or ""))
        return "encryption" in text or "chiffrement" in text

    saying = {p for p in extractions if says(p)}
    assert any(extractions[p]["document"]["language"] == "fr" for p in saying)
    found = _paths(search(archive, "encryption", limit=ALL))
    assert saying <= found
    assert _paths(search(archive, "chiffrement", limit=ALL)) >= saying


def test_passeurs_finds_smugglers_and_snippets_mark_the_words(archive: Path) -> None:
    result = search(archive, "passeurs", Filters(languages=("en",)), limit=ALL)
    assert result.hits, "an English document about smugglers"
    for hit in result.hits:
        assert "**" in hit["snippet"]
        marked = hit["snippet"].split("**")[1::2]
        assert all("smuggl" in _fold(word) or "passeur" in _fold(word) for word in marked)
    scores = [h["score"] for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_quoted_words_are_one_phrase(archive: Path) -> None:
    phrase = search(archive, '"lawful access"', limit=ALL)
    assert phrase.hits
    connection = connect(archive)
    for hit in phrase.hits:
        text = connection.execute("SELECT title || ' ' || text FROM documents WHERE path = ?",
                                  (hit["path"],)).fetchone()[0]
        assert "lawful access" in " ".join(_fold(text).split())
    connection.close()
    words = search(archive, "lawful access", limit=ALL)
    assert _paths(words) >= _paths(phrase)


def test_json_output_has_the_fields_spec_names(archive: Path) -> None:
    result = runner.invoke(app, ["search", "terrorism", "--db", str(archive), "--format",
                                 "json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "communique-nlp-search/1"
    assert data["query"] == "terrorism"
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) >= {"path", "sha256", "title", "date", "language", "kind", "themes",
                            "countries", "pair", "snippet", "score"}
    result = runner.invoke(app, ["search", "--db", str(archive), "--in", "commitments",
                                 "--format", "json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    for hit in json.loads(result.stdout)["hits"]:
        assert set(hit) >= {"id", "path", "date", "language", "actor", "cue", "text", "themes",
                            "snippet", "score"}
    result = runner.invoke(app, ["search", "police", "--db", str(archive), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["path"]


def test_bad_search_options_are_one_line_and_exit_2(archive: Path, tmp_path: Path) -> None:
    for arguments in (["--since", "2017"], ["--lang", "de"], ["--theme", "no_such_theme"],
                      ["--in", "sections"], ["--kind", "memo"], ["--limit", "0"]):
        result = runner.invoke(app, ["search", "x", "--db", str(archive), *arguments])
        assert result.exit_code == 2, arguments
        assert "Traceback" not in result.output
    missing = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2
    not_archive = tmp_path / "other.db"
    sqlite3.connect(not_archive).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ArchiveError):
        search(not_archive, "x")
    with pytest.raises(SearchUsageError):
        search(archive, "x", Filters(until="tomorrow"))


def test_search_process_does_not_import_spacy(archive: Path) -> None:
    code = ("import sys\nfrom communique_nlp.cli import app\n"
            "try:\n    app(['search', 'encryption', '--db', sys.argv[1], '--format', 'json'])\n"
            "except SystemExit as done:\n    assert done.code in (0, None), done.code\n"
            "heavy = [m for m in ('spacy', 'thinc', 'communique_nlp.pipeline') "
            "if m in sys.modules]\nassert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code, str(archive)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["hits"]


# ---------------------------------------------------------------------------------------------
# Indexing


def _copy(names: list[str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(CORPUS / name, folder / name)) for name in names]


def test_index_documents_skips_unchanged_and_replaces_changed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _copy(["fcm-2026-communique-en.txt", "fcm-2026-communique-fr.txt",
           "bilingual-statement.txt", "news-release-en.txt"], folder)
    (folder / "deep").mkdir()
    shutil.copy(CORPUS / "statement-fr-repression.txt", folder / "deep" / "repression.txt")
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "data.bin").write_bytes(b"\x00\x01")
    db = tmp_path / "a.db"
    first = index_sources([folder], db, workers=1)
    assert first.counts() == {"indexed": 5, "unchanged": 0, "unsupported": 1, "failed": 1}
    assert first.exit_code == 1
    assert "empty.txt" in (first.failed[0].error or "")
    with connect(db) as connection:
        rows = dict(connection.execute("SELECT path, commitment_count FROM documents"))
    expected = parse(folder / "news-release-en.txt").as_dict()
    assert rows[str(folder / "news-release-en.txt")] == len(expected["commitments"])

    again = index_sources([folder], db, workers=1)
    assert again.counts()["indexed"] == 0
    assert again.counts()["unchanged"] == 5
    assert all(r.reason == UNCHANGED for r in again.records if r.status == "skipped"
               and r.reason != UNSUPPORTED)

    changed = folder / "news-release-en.txt"
    changed.write_text(changed.read_text("utf-8") + "\nMinisters committed to counter "
                       "ransomware together.\n", "utf-8")
    third = index_sources([folder], db, workers=1)
    assert third.counts()["indexed"] == 1
    with connect(db) as connection:
        shas = [r[0] for r in connection.execute(
            "SELECT sha256 FROM documents WHERE path = ?", (str(changed),))]
        assert len(shas) == 1
        assert shas[0] == parse(changed).as_dict()["source"]["sha256"]
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        orphans = connection.execute(
            "SELECT count(*) FROM commitments WHERE document_id NOT IN "
            "(SELECT id FROM documents)").fetchone()[0]
        assert orphans == 0
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_pairs_link_the_two_versions_one_to_one(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _copy(["fcm-2026-communique-en.txt", "fcm-2026-communique-fr.txt",
           "fcm-2027-communique-en.txt", "bilingual-statement.txt", "news-release-en.txt",
           "cnw-fr-communique-de-presse.txt"], folder)
    db = tmp_path / "a.db"
    index_sources([folder], db, workers=1)
    with connect(db) as connection:
        pairs = {Path(a).name: Path(b).name for a, b in connection.execute(
            "SELECT d.path, p.path FROM documents d JOIN documents p ON p.id = d.pair_id")}
        bilingual = connection.execute("SELECT bilingual, pair_id FROM documents WHERE path "
                                       "LIKE '%bilingual-statement.txt'").fetchone()
    assert pairs["fcm-2026-communique-en.txt"] == "fcm-2026-communique-fr.txt"
    assert pairs["fcm-2026-communique-fr.txt"] == "fcm-2026-communique-en.txt"
    assert "fcm-2027-communique-en.txt" not in pairs  # the next year's text, not a version
    assert bilingual == (1, None)
    hit = search(db, "ransomware", Filters(languages=("en",)), limit=ALL).hits
    by_name = {Path(h["path"]).name: h for h in hit}
    if "fcm-2026-communique-en.txt" in by_name:
        assert Path(by_name["fcm-2026-communique-en.txt"]["pair"]).name == \
            "fcm-2026-communique-fr.txt"


def test_bad_extraction_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    folder.mkdir()
    good = parse(CORPUS / "news-release-en.txt").as_dict()
    (folder / "good.json").write_text(json.dumps(good), "utf-8")
    (folder / "broken.yaml").write_text("schema: communique-nlp/1\nsource: [\n", "utf-8")
    (folder / "invalid.yaml").write_text("schema: communique-nlp/1\nsource: 3\n", "utf-8")
    result = runner.invoke(app, ["index", str(folder), "--db", str(tmp_path / "a.db"),
                                 "--workers", "1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    report = index_sources([folder], tmp_path / "a.db", workers=1)
    assert report.counts() == {"indexed": 0, "unchanged": 1, "unsupported": 0, "failed": 2}
    hits = search(tmp_path / "a.db", limit=ALL).hits
    assert [h["path"] for h in hits] == [good["source"]["path"]]


# ---------------------------------------------------------------------------------------------
# Export and report


def test_export_commitments_csv_one_row_per_commitment(
        archive: Path, extractions: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "commitments.csv"
    result = runner.invoke(app, ["export", "--db", str(archive), "--table", "commitments",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    total = sum(len(d["commitments"]) for d in extractions.values())
    assert len(rows) == total > 0
    assert {"date", "language", "actor", "cue", "themes", "text", "path", "title"} <= \
        set(rows[0])
    texts = {(p, c["text"]) for p, d in extractions.items() for c in d["commitments"]}
    assert {(r["path"], r["text"]) for r in rows} == texts


def test_export_xlsx_is_a_workbook(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "documents.xlsx"
    report = export_table(archive, "documents", out)
    with zipfile.ZipFile(out) as workbook:
        names = workbook.namelist()
        assert "xl/workbook.xml" in names
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert sheet.count("<row ") == report.rows + 1  # and a header
    themes = tmp_path / "themes.csv"
    export_table(archive, "themes", themes)
    assert themes.read_text("utf-8").startswith("path,title,date,language,theme,label,")
    bad = runner.invoke(app, ["export", "--db", str(archive), "--table", "documents", "-o",
                              str(tmp_path / "x.ods")])
    assert bad.exit_code == 2


def test_report_is_self_contained(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", str(archive), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.count("<svg") == 2
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<script" not in page
    assert "Themes over time" in page and "Commitments by theme per meeting" in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _console_errors(browser: str, page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM chromium renders of ``page``, and the console messages it logged."""
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(archive: Path, tmp_path: Path) -> None:
    browser = _chromium()
    assert browser is not None
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><p>x</p><script>not_defined();</script>", "utf-8")
    _, console = _console_errors(browser, broken, tmp_path / "profile-check")
    assert console, "the console check must see a script error"
    out = tmp_path / "report.html"
    build_report(archive, out)
    dom, console = _console_errors(browser, out, tmp_path / "profile")
    assert console == []
    assert dom.count("<svg") == 2
    assert "<polyline" in dom and "<rect" in dom


# ---------------------------------------------------------------------------------------------
# Kill -9, and a search during an index run


def _generated(folder: Path, count: int) -> list[Path]:
    sources = [CORPUS / n for n in ("fcm-2026-communique-en.txt", "news-release-en.txt",
                                    "cnw-fr-communique-de-presse.txt")]
    made = []
    for number in range(count):
        target = folder / f"{number % 4}" / f"{number:04d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = sources[number % len(sources)].read_text("utf-8")
        target.write_text(f"{text.rstrip()}\n\nReference: ARCH-{number:04d}\n", "utf-8")
        made.append(target)
    return made


def _count(db: Path) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


CLI = [sys.executable, "-c", "from communique_nlp.cli import main; main()"]


def _index_process(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*CLI, "index", str(folder), "--db", str(db), "--workers", "2",
                             "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


@pytest.mark.slow
def test_kill_9_then_rerun_gives_every_document_once(tmp_path: Path) -> None:
    files = _generated(tmp_path / "docs", 300)
    db = tmp_path / "a.db"
    process = _index_process(tmp_path / "docs", db)
    deadline = time.monotonic() + 600

    def wait_for(count: int) -> None:
        while _count(db) < count and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert process.poll() is None, "the run ended before it could be killed"

    wait_for(10)
    during = subprocess.run([*CLI, "search", "ransomware", "--db", str(db), "--format",
                             "json"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert during.returncode == 0, during.stderr
    assert json.loads(during.stdout)["schema"] == "communique-nlp-search/1"
    wait_for(_count(db) + 1)  # the run is still writing: kill it now
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed_at = _count(db)
    assert 0 < killed_at < len(files)
    rerun = index_sources([tmp_path / "docs"], db, workers=2)
    assert rerun.exit_code == 0
    assert rerun.counts()["indexed"] == len(files) - killed_at
    with connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        paths = [r[0] for r in connection.execute("SELECT path FROM documents")]
        assert sorted(paths) == sorted(str(p) for p in files)
        fts = connection.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
        assert fts == len(files)
        connection.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        connection.execute(
            "INSERT INTO commitments_fts(commitments_fts) VALUES ('integrity-check')")


def test_parties_are_stored_when_the_extraction_has_them(tmp_path: Path) -> None:
    with_parties = parse(CORPUS / "fcm-2026-communique-en.txt").as_dict()
    with_parties["document"]["parties"] = ["CA", "GB", "US"]
    without = parse(CORPUS / "news-release-en.txt").as_dict()
    without["document"].pop("parties", None)
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(with_parties), "utf-8")
    (folder / "b.json").write_text(json.dumps(without), "utf-8")
    db = tmp_path / "a.db"
    assert index_sources([folder], db, workers=1).exit_code == 0
    out = tmp_path / "documents.csv"
    export_table(db, "documents", out)
    rows = {r["path"]: r for r in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    assert rows[with_parties["source"]["path"]]["parties"] == "CA; GB; US"
    assert rows[without["source"]["path"]]["parties"] == ""
    connection = connect(db)
    stored = [r[0] for r in connection.execute("SELECT country FROM document_parties "
                                               "ORDER BY country")]
    connection.close()
    assert stored == ["CA", "GB", "US"]


def test_a_participle_that_folds_into_another_word_is_not_searched(tmp_path: Path) -> None:
    """'chiffré' folds to 'chiffre' (a figure) in the index: 'encryption' must find the text
    about encrypted data, not the one about a figure."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "figure.txt").write_text(
        "Bilan annuel de la police\n\nCe chiffre est en hausse par rapport à l'an dernier : "
        "les ministres ont présenté les chiffres de la délinquance routière.\n", "utf-8")
    (folder / "encrypted.txt").write_text(
        "Rançongiciels : un appel à la vigilance\n\nLes criminels rendent les données "
        "chiffrées inaccessibles et exigent une rançon des entreprises touchées.\n", "utf-8")
    db = tmp_path / "a.db"
    assert index_sources([folder], db, workers=1).exit_code == 0
    found = {Path(hit["path"]).name for hit in search(db, "encryption").as_dict()["hits"]}
    assert found == {"encrypted.txt"}
