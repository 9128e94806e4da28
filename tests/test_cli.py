"""The command line: outputs, formats, one-line errors and exit codes, fast --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from communique_nlp.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLE = CORPUS / "news-release-en.txt"
runner = CliRunner()


def test_parse_prints_yaml() -> None:
    result = runner.invoke(app, ["parse", str(SAMPLE)])
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    assert data["schema"] == "communique-nlp/1"
    assert data["document"]["language"] == "en"


def test_parse_json_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["parse", str(SAMPLE), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text("utf-8"))["source"]["path"] == str(SAMPLE)


def test_parse_several_files_into_a_folder(tmp_path: Path) -> None:
    files = [str(SAMPLE), str(CORPUS / "fcm-2026-communique-fr.txt")]
    result = runner.invoke(app, ["parse", *files, "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fcm-2026-communique-fr.txt.yaml", "news-release-en.txt.yaml"]


def test_stdin_is_read_with_a_dash() -> None:
    text = "Ministers agreed to share information on migrant smuggling networks.\n"
    result = runner.invoke(app, ["parse", "-"], input=text)
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["commitments"][0]["cue"] == "agreed to"


def test_bad_inputs_get_one_line_and_the_right_exit_code(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 64)
    cases = [
        ([str(tmp_path / "missing.txt")], 2, "no such file"),
        ([str(tmp_path)], 2, "is a directory"),
        ([str(empty)], 1, "empty file"),
        ([str(binary)], 1, "binary file"),
    ]
    for args, code, message in cases:
        result = runner.invoke(app, ["parse", *args])
        assert result.exit_code == code, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0] and args[0] in lines[0]
        assert "Traceback" not in result.output


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(empty), str(SAMPLE), "-o", f"{tmp_path / 'out'}/"])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "news-release-en.txt.yaml").exists()
    assert not (tmp_path / "out" / "empty.txt.yaml").exists()


def test_bad_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["parse", str(SAMPLE), "--format", "xml"])
    assert result.exit_code == 2


def test_themes_and_schema_commands() -> None:
    themes = runner.invoke(app, ["themes"])
    assert themes.exit_code == 0 and "transnational_repression" in themes.stdout
    schema = runner.invoke(app, ["schema"])
    assert json.loads(schema.stdout)["$id"] == "communique-nlp/1"


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for command in app.registered_commands:
        name = command.name or ""
        assert runner.invoke(app, [name, "--help"]).exit_code == 0
        assert f"communique {name}" in readme, name


def test_help_does_not_import_spacy() -> None:
    code = ("import sys; from communique_nlp.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('spacy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("False")


def test_spacy_command_line_still_works_after_it_is_deferred() -> None:
    """The command defers spaCy's own command line (start-up time); spaCy must not lose it."""
    code = (
        "import sys, communique_nlp.cli, spacy\n"
        "assert 'weasel' not in sys.modules, 'spacy.cli was imported with spacy'\n"
        "from spacy.cli.download import download\n"
        "assert callable(download) and 'weasel' in sys.modules\n"
        "assert isinstance(spacy.info(), dict)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
