"""What a new user tripped over (issue 15): output to grep, honest batch counts, help, taxonomy,
docs, bullet lists and the timeline."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from communique_nlp import Options, parse
from communique_nlp.cli import app
from communique_nlp.model import SECTION_KINDS
from communique_nlp.schema import output_schema
from communique_nlp.stages.serialise import to_yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
EN_2026 = CORPUS / "fcm-2026-communique-en.txt"
FR_2026 = CORPUS / "fcm-2026-communique-fr.txt"
EN_2027 = CORPUS / "fcm-2027-communique-en.txt"
NEWS = CORPUS / "news-release-en.txt"
runner = CliRunner()

LONG_ITEM = ("exchange, within the limits of our domestic laws and with due regard for privacy, "
             "information on the online pathways of minors investigated for terrorism offences;")
RELEASE = f"""Ministers agree to act on terrorism

Ottawa, 3 March 2026 - Ministers met today to discuss terrorism and violent extremism online.

Since it was created, the taskforce has:

- disrupted six terrorist cells operating across the region;
- seized material used in terrorist propaganda.

Under the new plan, Ministers will:

- {LONG_ITEM}
- fund research on the radicalisation of minors to violence.
"""


def _one_error_line(result: Any, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("communique: error: ")
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], (word, lines[0])


# --- 1. YAML for grep --------------------------------------------------------------------------


def test_yaml_is_never_folded_and_still_round_trips() -> None:
    assert len(LONG_ITEM) > 150
    text = to_yaml(parse(RELEASE).as_dict())
    assert f"  text: {LONG_ITEM}\n" in text  # grep finds the whole item on one line
    tricky = {"a": "yes", "b": "2017-06-27", "c": "1.0", "d": "null", "e": "key: value " * 30,
              "f": "# not a comment " * 20, "g": "line one\nline two", "h": "ends: ",
              "i": "trailing space \nnext", "j": "- " + "dash " * 40}
    dumped = to_yaml(tricky)
    assert yaml.safe_load(dumped) == tricky
    assert to_yaml(tricky) == dumped
    lines = dumped.splitlines()
    assert len(lines) == len(tricky) + 2  # one line each; 'g' is a block: its key, two lines
    assert sum(1 for line in lines if re.match(r"[a-j]: ", line)) == len(tricky)
    assert "g: |-\n  line one\n  line two\n" in dumped


def test_same_document_gives_identical_bytes_twice() -> None:
    first = runner.invoke(app, ["parse", str(EN_2026)])
    second = runner.invoke(app, ["parse", str(EN_2026)])
    assert first.exit_code == 0 and first.stdout == second.stdout
    lines = set(first.stdout.splitlines())
    texts = [b["text"] for s in parse(EN_2026).as_dict()["sections"] for b in s["bullets"]]
    assert max(map(len, texts)) > 120
    assert all(f"    text: {text}" in lines for text in texts)  # each item whole on its line


# --- 2. JSON for several inputs ----------------------------------------------------------------


def test_json_for_several_inputs_is_one_array_and_jsonl_one_object_a_line() -> None:
    single = runner.invoke(app, ["parse", str(NEWS), "--format", "json"])
    assert single.exit_code == 0 and isinstance(json.loads(single.stdout), dict)
    several = runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "--format", "json"])
    assert several.exit_code == 0, several.output
    data = json.loads(several.stdout)
    assert isinstance(data, list)
    assert [d["source"]["path"] for d in data] == [str(NEWS), str(EN_2026)]
    lines = runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "-f", "jsonl"]).stdout
    rows = [json.loads(line) for line in lines.splitlines()]
    assert [r["source"]["path"] for r in rows] == [str(NEWS), str(EN_2026)]
    assert rows == data


# --- 3. -o with several inputs -----------------------------------------------------------------


def test_output_for_several_inputs_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.yaml"
    refused = runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "-o", str(target)])
    assert refused.exit_code == 2
    _one_error_line(refused, str(target), "folder")
    assert not (tmp_path / "out").exists()  # nothing created, no folder named x.yaml
    a_file = tmp_path / "file.yaml"
    a_file.write_text("x", "utf-8")
    assert runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "-o",
                               str(a_file)]).exit_code == 2
    new = runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "-o", f"{tmp_path / 'new'}/"])
    assert new.exit_code == 0, new.output
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "fcm-2026-communique-en.txt.yaml", "news-release-en.txt.yaml"]
    existing = runner.invoke(app, ["parse", str(NEWS), str(EN_2026), "-o", str(tmp_path / "new"),
                                   "-f", "json"])
    assert existing.exit_code == 0
    assert (tmp_path / "new" / "news-release-en.txt.json").is_file()
    one = runner.invoke(app, ["parse", str(NEWS), "-o", str(tmp_path / "one.yaml")])
    assert one.exit_code == 0 and (tmp_path / "one.yaml").is_file()  # one input: a file


# --- 4. batch counts every file ----------------------------------------------------------------


def test_batch_lists_unsupported_files_as_skipped_and_manifest_rows_have_title_and_date(
        tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(NEWS, folder / "news.txt")
    (folder / "notes.odt").write_bytes(b"PK\x03\x04 an office document")
    (folder / "sub" / "data.xyz").write_text("what is this", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "3: 1 ok, 2 skipped, 0 failed" in result.stdout
    assert "skipped (2)" in result.stdout and "sub/data.xyz" in result.stdout
    manifest = yaml.safe_load((out / "manifest.yaml").read_text("utf-8"))
    assert manifest["totals"] == {"files": 3, "ok": 1, "skipped": 2, "failed": 0}
    rows = {row["path"]: row for row in manifest["files"]}
    assert rows["notes.odt"]["status"] == "skipped"
    assert "unsupported file type ('.odt'" in rows["notes.odt"]["reason"]
    assert "unsupported file type ('.xyz'" in rows["sub/data.xyz"]["reason"]
    extraction = parse(NEWS).as_dict()["document"]
    news = rows["news.txt"]
    assert (news["title"], news["date"], news["language"], news["kind"]) == (
        extraction["title"], extraction["date"], extraction["language"], extraction["kind"])
    assert news["title"] and news["date"]


# --- 5. help and version -----------------------------------------------------------------------

COMMANDS = ("parse", "batch", "diff", "themes", "schema", "eval")
TYPE_LABEL = re.compile(r"<(?:bool|str|int|float|path|list\[|int range|float range|[a-z|]+>)")


def _help(*args: str) -> str:
    """Help as a user piping it sees it (standard output is not a terminal)."""
    done = subprocess.run([sys.executable, "-c", "from communique_nlp.cli import main; main()",
                           *args, "--help"], capture_output=True, text=True, timeout=120,
                          check=True, env={"PATH": "/usr/bin:/bin", "COLUMNS": "80",
                                           "PYTHONPATH": str(ROOT / "src")})
    return done.stdout


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_shows_no_type_labels_and_cuts_nothing_when_piped(command: str) -> None:
    text = _help(*([command] if command else []))
    assert TYPE_LABEL.search(text) is None, TYPE_LABEL.search(text)
    assert "…" not in text and not re.search(r"\w\.\.\.$", text, re.MULTILINE)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert not any(c in text for c in "╭│╰")  # plain text, nothing boxed


def test_help_in_a_terminal_shows_no_type_labels(capsys: pytest.CaptureFixture[str]) -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        command.rich_markup_mode = "rich"  # what a terminal gets
        command.get_help(command.context_class(command, info_name=name))
        text = capsys.readouterr().out
        assert "╭─ Options" in text
        assert TYPE_LABEL.search(text) is None, (name, TYPE_LABEL.search(text))


def test_help_lists_the_choices_and_whole_command_summaries() -> None:
    assert "[yaml|json|jsonl]" in _help("parse")
    assert "[yaml|json|jsonl]" in _help("batch")
    assert "[text|yaml|json|markdown|csv]" in _help("diff")
    assert "[text|json]" in _help("eval")
    top = " ".join(_help().split())
    assert "Extract structure, commitments, themes and entities from each document." in top
    assert "--version" in top


def test_version_comes_from_the_package_metadata() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"communique {version('communique-nlp')}\n"


def test_usage_errors_are_one_line() -> None:
    result = runner.invoke(app, ["parse", str(NEWS), "--format", "xml"])
    assert result.exit_code == 2
    _one_error_line(result, "'xml' is not one of 'yaml', 'json', 'jsonl'")
    unknown = runner.invoke(app, ["batch", "somewhere", "--bogus"])
    assert unknown.exit_code == 2
    _one_error_line(unknown, "--bogus", "communique batch --help")


# --- 6. taxonomy -------------------------------------------------------------------------------

BORDER = """themes:
  - id: border_security
    label: Border security
    terms:
      en: {strong: [border security]}
      fr: {strong: [sécurité des frontières]}
  - id: terrorism
    label: Terror (ours)
    terms:
      en: {strong: [terrorism, terrorist]}
"""
BORDER_TEXT = ("Ministers discussed border security and terrorist propaganda. Ransomware hit a "
               "hospital in the capital last week.")


def _themes(options: Options) -> dict[str, str]:
    return {t["id"]: t["label"] for t in parse(BORDER_TEXT, options).as_dict()["themes"]}


def test_a_taxonomy_file_adds_to_the_default_and_overrides_by_id(tmp_path: Path) -> None:
    taxonomy = tmp_path / "border.yaml"
    taxonomy.write_text(BORDER, "utf-8")
    assert _themes(Options(themes=taxonomy)) == {
        "border_security": "Border security", "terrorism": "Terror (ours)",
        "cybercrime": "Cybercrime and malicious cyber activity"}
    assert set(_themes(Options(themes=taxonomy, themes_only=True))) == {"border_security",
                                                                          "terrorism"}
    listed = runner.invoke(app, ["themes", "--themes", str(taxonomy)])
    assert listed.exit_code == 0
    assert "border_security" in listed.stdout and "encryption" in listed.stdout


@pytest.mark.parametrize(("text", "fault"), [
    ("themes:\n  - id: empty\n    label: Nothing\n", "theme 'empty' has no terms"),
    ("themes:\n  - id: empty\n    terms: {en: {strong: []}}\n", "theme 'empty' has no terms"),
    ("themes:\n  - id: x\n    synonyms: [a]\n    terms: {en: {strong: [a]}}\n",
     "unknown key 'synonyms'"),
    ("themes:\n  - id: x\n    terms: {de: {strong: [a]}}\n", "unknown language 'de'"),
    ("themes:\n  - id: x\n    terms: {en: {strong: border}}\n", "must be a list"),
    ("version: 2\nthemes:\n  - id: x\n    terms: {en: {strong: [a]}}\n", "unknown key 'version'"),
])
def test_an_invalid_taxonomy_is_refused_in_one_line(tmp_path: Path, text: str,
                                                     fault: str) -> None:
    taxonomy = tmp_path / "bad.yaml"
    taxonomy.write_text(text, "utf-8")
    for command in (["parse", str(NEWS)], ["themes"]):
        result = runner.invoke(app, [*command, "--themes", str(taxonomy)])
        assert result.exit_code == 2, result.output
        _one_error_line(result, str(taxonomy), fault)
        assert result.stdout == ""


def test_themes_only_needs_a_file() -> None:
    result = runner.invoke(app, ["parse", str(NEWS), "--themes-only"])
    assert result.exit_code == 2
    _one_error_line(result, "--themes")


# --- 7. the contract lives in the project ------------------------------------------------------


def _properties(rule: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for key, sub in rule.get("properties", {}).items():
        where = f"{path}/{key}" if path else key
        found.append((where, sub))
        found += _properties(sub, where)
        if isinstance(sub.get("items"), dict):
            found += _properties(sub["items"], f"{where}/[]")
    return found


def test_every_schema_property_has_a_description() -> None:
    properties = _properties(output_schema())
    assert len(properties) > 45
    missing = [where for where, sub in properties if not str(sub.get("description", "")).strip()]
    assert missing == []
    printed = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert printed["properties"]["themes"]["items"]["properties"]["score"]["description"]


def test_docs_describe_every_field_kind_score_and_exit_code() -> None:
    text = (ROOT / "docs" / "output.md").read_text("utf-8")
    for where, _ in _properties(output_schema()):
        assert f"`{where.rsplit('/', 1)[-1]}`" in text, where
    for kind in SECTION_KINDS:
        assert f"| `{kind}` |" in text, kind
    assert "score = round((1 - 0.5 ** weight + coverage) / 2, 2)" in text
    assert "A commitment is a statement" in text
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert code in text


def test_the_score_formula_in_the_docs_is_the_code_s() -> None:
    # one strong mention in a one-passage text: weight 1, coverage 1
    one = parse("Ransomware hit the region's hospitals and schools again this month.")
    assert one.as_dict()["themes"][0]["score"] == round((1 - 0.5 ** 1 + 1) / 2, 2)
    # two strong mentions, one of the two passages (under a headline without a theme, so that
    # the first passage is not read as the title)
    two = parse("Ministers meet the mayors\n\n"
                "Ransomware and cybercrime hit the region's hospitals and schools this month.\n\n"
                "The ministers also met the mayors of the three largest cities in the region.")
    assert two.as_dict()["themes"][0]["score"] == round((1 - 0.5 ** 2 + 0.5) / 2, 2)


def test_readme_set_up_makes_a_virtual_environment() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    set_up = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert "python3 -m venv .venv && . .venv/bin/activate" in set_up
    assert "make demo" in set_up and "make test" in set_up
    assert "docs/output.md" in readme


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_installs_only_when_needed(tmp_path: Path) -> None:
    shutil.copyfile(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\n", "utf-8")

    def planned() -> str:
        return subprocess.run(["make", "-n", "demo", f"PYTHON={sys.executable}"], cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout

    assert "pip install" in planned()  # never installed in this environment
    digest = hashlib.sha1(sys.prefix.encode()).hexdigest()[:12]
    (tmp_path / f".installed-{digest}").touch()
    assert "pip install" not in planned() and "communique parse" in planned()


# --- 8. bullets record their list --------------------------------------------------------------


def test_two_lists_in_one_section_stay_apart() -> None:
    sections = parse(RELEASE).as_dict()["sections"]
    bullets = [b for s in sections for b in s["bullets"]]
    assert len(bullets) == 4
    lists = [b["list"] for b in bullets]
    assert lists[0] == lists[1] != lists[2] == lists[3]
    assert all(re.fullmatch(r"p-[0-9a-f]{8}", value) for value in lists)


def test_items_under_the_heading_and_sub_items_name_their_introducer(tmp_path: Path) -> None:
    text = ("Joint statement of ministers\n\nOttawa, 3 March 2026 - Ministers met today.\n\n"
            "Commitments\n\n1. Ministers agreed to:\n\na) share data on smuggling routes;\n\n"
            "b) fund joint investigations.\n\n2. Ministers will report on progress in 2027.\n")
    # which blocks are list items is the block-role model's call (tested in test_roles.py);
    # this test is about the list ids given to the items, so the rules decide the roles here
    rules_only = Options(model_dir=tmp_path)
    section = next(s for s in parse(text, rules_only).as_dict()["sections"]
                   if s["heading"] == "Commitments")
    by_text = {b["text"]: b for b in section["bullets"]}
    opener = by_text["Ministers agreed to:"]
    assert opener["list"] == section["id"]
    assert by_text["share data on smuggling routes;"]["list"] == opener["id"]
    assert by_text["fund joint investigations."]["list"] == opener["id"]
    assert by_text["Ministers will report on progress in 2027."]["list"] == section["id"]


def test_corpus_document_with_two_lists_under_one_lead() -> None:
    lead = next(s for s in parse(CORPUS / "blind2" / "au001.txt").as_dict()["sections"]
                if s["kind"] == "lead")
    groups: dict[str, list[str]] = {}
    for bullet in lead["bullets"]:
        groups.setdefault(bullet["list"], []).append(bullet["text"])
    assert [len(items) for items in groups.values()] == [3, 4]
    first, second = groups.values()
    assert first[0].startswith("disrupted the infrastructure")
    assert second[0].startswith("expand the taskforce")


# --- 9. timeline -------------------------------------------------------------------------------


def test_timeline_counts_en_and_fr_versions_once_and_labels_columns() -> None:
    files = [str(EN_2027), str(EN_2026), str(FR_2026)]
    data = json.loads(runner.invoke(app, ["diff", *files, "-f", "json"]).stdout)
    assert [d["label"] for d in data["documents"]] == [
        "2026-08-19 Joint Communiqué of the Five…", "2027-09-02 Five Country Ministerial 2027 –…"]
    assert data["documents"][0]["versions"] == [{"path": str(FR_2026), "language": "fr"}]
    markdown = runner.invoke(app, ["diff", *files, "-f", "markdown"]).stdout
    assert "| theme | 2026-08-19 Joint Communiqué of the Five… | 2027-09-02 Five" in markdown


def test_timeline_as_csv() -> None:
    result = runner.invoke(app, ["diff", str(EN_2027), str(EN_2026), str(FR_2026), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["row", "id", "text", "2026-08-19 Joint Communiqué of the Five…",
                       "2027-09-02 Five Country Ministerial 2027 –…"]
    assert all(len(row) == 5 for row in rows)
    by_key = {(row[0], row[1]): row for row in rows}
    assert by_key[("document", "language")][3:] == ["en+fr", "en"]
    encryption = by_key[("theme", "encryption")]
    assert float(encryption[3]) > 0 and encryption[4] == ""  # not in 2027
    commitments = [row for row in rows if row[0] == "commitment"]
    assert commitments and all(row[3] or row[4] for row in commitments)
    two = runner.invoke(app, ["diff", str(EN_2026), str(EN_2027), "-f", "csv"])
    assert two.exit_code == 2
    _one_error_line(two, "timeline")
