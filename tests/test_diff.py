"""`communique diff`: commitment matching within and across languages, themes, safe loading,
the CLI formats and the timeline.

The corpus pairs are checked against their expected results (corpus/diffs/*.expected.yaml);
the dev EN/FR pairs of ../shared, when present, measure matching on real translations.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from communique_nlp.apps.diff import (
    DIFF_SCHEMA_ID,
    TIMELINE_SCHEMA_ID,
    DiffResult,
    diff,
    load_extraction,
    timeline,
)
from communique_nlp.apps.evaluate import items_match, match_items
from communique_nlp.cli import app
from communique_nlp.errors import InputError, MissingInputError
from communique_nlp.stages.serialise import render
from communique_nlp.stages.themes import load_taxonomy

EN_2026 = "fcm-2026-communique-en.txt"
FR_2026 = "fcm-2026-communique-fr.txt"
EN_2027 = "fcm-2027-communique-en.txt"


@pytest.fixture(scope="session")
def extractions(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    return {name: load_extraction(corpus_dir / name) for name in (EN_2026, FR_2026, EN_2027)}


@pytest.fixture(scope="session")
def core() -> set[str]:
    return {theme.id for theme in load_taxonomy().themes if theme.core}


def expected(corpus_dir: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((corpus_dir / "diffs" / name).read_text("utf-8"))
    return data


def kept_texts(result: DiffResult) -> list[tuple[str, str, bool]]:
    return [(m.a.text, m.b.text, m.reworded) for m in result.kept]


def find_kept(result: DiffResult, prefix_a: str, prefix_b: str) -> tuple[str, str, bool] | None:
    return next((k for k in kept_texts(result)
                 if items_match(prefix_a, k[0]) and items_match(prefix_b, k[1])), None)


def core_ids(changes: Any, core: set[str]) -> list[str]:
    return sorted(c.id for c in changes if c.id in core)


# ---------------------------------------------------------------------------------------------
# Corpus pairs against their expected results


def test_translation_pair_keeps_every_commitment(extractions: dict[str, dict[str, Any]],
                                                  corpus_dir: Path, core: set[str]) -> None:
    want = expected(corpus_dir, "fcm-2026-en-vs-fr.expected.yaml")
    result = diff(extractions[EN_2026], extractions[FR_2026])
    for pair in want["commitments"]["kept"]:
        found = find_kept(result, pair["a"], pair["b"])
        assert found is not None, f"not matched: {pair['a']!r} / {pair['b']!r}"
        assert found[2] is pair["reworded"]
    assert len(result.kept) == len(want["commitments"]["kept"])
    assert result.added == () and result.dropped == ()
    assert core_ids(result.gained, core) == want["themes"]["gained"]
    assert core_ids(result.lost, core) == want["themes"]["lost"]
    assert result.changed == ()
    assert list(result.countries_added) == want["countries"]["added"]
    assert list(result.countries_removed) == want["countries"]["removed"]
    # headings are matched across languages through the glossary
    assert result.sections_added == () and result.sections_removed == ()
    assert result.facts_changed == ()


def test_year_to_year_pair(extractions: dict[str, dict[str, Any]], corpus_dir: Path,
                           core: set[str]) -> None:
    want = expected(corpus_dir, "fcm-2026-vs-2027.expected.yaml")
    result = diff(extractions[EN_2026], extractions[EN_2027])
    assert core_ids(result.gained, core) == sorted(want["themes"]["gained"])
    assert core_ids(result.lost, core) == sorted(want["themes"]["lost"])
    for pair in want["commitments"]["kept"]:
        found = find_kept(result, pair["a"], pair["b"])
        assert found is not None, f"not matched: {pair['a']!r} / {pair['b']!r}"
        assert found[2] is pair["reworded"], pair["a"]
    assert len(result.kept) == len(want["commitments"]["kept"])
    for prefix in want["commitments"]["added"]:
        assert any(items_match(prefix, item.text) for item in result.added), prefix
    for prefix in want["commitments"]["dropped"]:
        assert any(items_match(prefix, item.text) for item in result.dropped), prefix
    assert list(result.countries_added) == want["countries"]["added"]
    assert list(result.countries_removed) == want["countries"]["removed"]
    assert "Transnational repression" in result.sections_added
    assert "Lawful access to encrypted content" in result.sections_removed
    assert set(result.facts_changed) == {"date", "place"}
    assert result.differs
    # every theme gained or lost carries its evidence
    for change in (*result.gained, *result.lost):
        assert change.evidence_b if change in result.gained else change.evidence_a


def test_year_to_year_across_languages(extractions: dict[str, dict[str, Any]],
                                       corpus_dir: Path) -> None:
    """French 2026 against English 2027: the same undertakings as English 2026 against 2027."""
    translations = {k["a"]: k["b"] for k in
                    expected(corpus_dir, "fcm-2026-en-vs-fr.expected.yaml")["commitments"]["kept"]}
    want = expected(corpus_dir, "fcm-2026-vs-2027.expected.yaml")["commitments"]
    result = diff(extractions[FR_2026], extractions[EN_2027])
    for pair in want["kept"]:
        found = find_kept(result, translations[pair["a"]], pair["b"])
        assert found is not None, f"not matched: {pair['a']!r} / {pair['b']!r}"
        assert found[2] is False  # across languages a match is never a 'rewording'
    assert len(result.kept) == len(want["kept"])


def test_as_dict_has_the_spec_shape(extractions: dict[str, dict[str, Any]]) -> None:
    data = diff(extractions[EN_2026], extractions[EN_2027], names=("a.txt", "b.txt")).as_dict()
    assert data["schema"] == DIFF_SCHEMA_ID
    assert data["a"]["path"] == "a.txt" and data["b"]["date"] == "2027-09-02"
    assert data["themes"]["gained"] == ["transnational_repression"]
    assert all(isinstance(t, str) for t in data["themes"]["lost"])
    kept = data["commitments"]["kept"]
    assert kept and set(kept[0]) == {"a", "b", "score", "reworded"}
    assert all(isinstance(i, str) for i in data["commitments"]["added"])
    assert data["commitments"]["items"]["b"][data["commitments"]["added"][0]]["text"]
    assert data["countries"] == {"added": ["FJ", "PG"], "removed": ["MX"]}
    assert set(data["sections"]) >= {"added", "removed"}
    assert yaml.safe_load(render(data, "yaml")) == data


# ---------------------------------------------------------------------------------------------
# Hand-written extractions


def extraction(language: str, commitments: list[tuple[str, list[str]]],
               themes: dict[str, float], date: str | None = "2026-01-01",
               countries: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "schema": "communique-nlp/1",
        "source": {"path": f"{language}-{date}.txt", "sha256": "0" * 64, "format": "txt",
                   "encoding": "utf-8"},
        "document": {"language": language, "language_confidence": 1.0, "languages": {},
                     "kind": "communique", "title": None, "date": date, "place": None,
                     "countries": list(countries), "organizations": [], "people": []},
        "sections": [{"id": "s1", "heading": None, "kind": "lead", "language": language,
                      "text": "", "bullets": [], "themes": []}],
        "commitments": [{"id": "c-" + hashlib.sha256(text.encode()).hexdigest()[:8],
                         "section": "s1", "text": text, "source": "sentence", "actor": "We",
                         "cue": "will", "themes": list(tags)} for text, tags in commitments],
        "themes": [{"id": t, "label": t, "score": s, "mentions": 1,
                    "evidence": [{"text": t, "section": "s1"}]} for t, s in themes.items()],
        "warnings": [],
    }


def test_identical_extractions_do_not_differ(extractions: dict[str, dict[str, Any]]) -> None:
    result = diff(extractions[EN_2027], extractions[EN_2027])
    assert not result.differs
    assert len(result.kept) == len(extractions[EN_2027]["commitments"])
    assert all(m.score >= 0.99 and not m.reworded for m in result.kept)


def test_theme_change_threshold() -> None:
    a = extraction("en", [], {"terrorism": 0.8, "cybercrime": 0.5})
    b = extraction("en", [], {"terrorism": 0.6, "cybercrime": 0.45})
    result = diff(a, b)
    assert [(c.id, c.a, c.b) for c in result.changed] == [("terrorism", 0.8, 0.6)]
    assert result.as_dict()["themes"]["changed"] == [{"id": "terrorism", "a": 0.8, "b": 0.6}]


def test_rewording_synonyms_and_a_different_undertaking() -> None:
    a = extraction("en", [
        ("We will share information on smuggling routes with our partners.", ["migrant_smuggling"]),
        ("We will establish a joint cell to disrupt ransomware groups.", ["cybercrime"]),
    ], {})
    b = extraction("en", [
        ("We will exchange intelligence on smuggling routes with partners.", ["migrant_smuggling"]),
        ("We will fund research on the radicalisation of minors.", ["terrorism"]),
    ], {})
    result = diff(a, b)
    assert [(m.a.text[:14], m.b.text[:17], m.reworded) for m in result.kept] == [
        ("We will share ", "We will exchange ", True)]
    assert [i.text[:20] for i in result.added] == ["We will fund researc"]
    assert [i.text[:20] for i in result.dropped] == ["We will establish a "]


def test_threshold_tunes_matching() -> None:
    a = extraction("en", [("We will share information on smuggling routes.", [])], {})
    b = extraction("en", [("We will exchange information on smuggling networks and routes "
                           "and fund research on recruitment online.", [])], {})
    loose, strict = diff(a, b, threshold=0.3), diff(a, b, threshold=0.95)
    assert len(loose.kept) == 1 and not strict.kept


# ---------------------------------------------------------------------------------------------
# Loading


def test_extraction_files_load_like_documents(extractions: dict[str, dict[str, Any]],
                                              tmp_path: Path) -> None:
    for fmt in ("yaml", "json"):
        path = tmp_path / f"en.{fmt}"
        path.write_text(render(extractions[EN_2026], fmt), "utf-8")
        assert load_extraction(path) == extractions[EN_2026]


def test_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("schema: communique-nlp/1\n"
                    "x: !!python/object/apply:os.system ['echo owned']\n", "utf-8")
    with pytest.raises(InputError, match="tags are not allowed"):
        load_extraction(path)


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    start = time.monotonic()
    with pytest.raises(InputError, match="aliases are not allowed"):
        load_extraction(path)
    assert time.monotonic() - start < 1.0


def test_other_schemas_and_broken_extractions_are_refused(
        extractions: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"schema": DIFF_SCHEMA_ID}), "utf-8")
    with pytest.raises(InputError, match="not a communique-nlp/1 extraction"):
        load_extraction(other)
    broken_data = json.loads(json.dumps(extractions[EN_2026]))
    del broken_data["commitments"][0]["text"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(render(broken_data, "yaml"), "utf-8")
    with pytest.raises(InputError, match="commitments/0"):
        load_extraction(broken)
    garbage = tmp_path / "garbage.yaml"
    garbage.write_text("schema: [unclosed\n", "utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_extraction(garbage)
    with pytest.raises(MissingInputError):
        load_extraction(tmp_path / "nowhere.yaml")


# ---------------------------------------------------------------------------------------------
# CLI


@pytest.fixture(scope="session")
def extraction_files(extractions: dict[str, dict[str, Any]],
                     tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("extractions")
    paths = {}
    for name, data in extractions.items():
        path = folder / f"{name}.yaml"
        path.write_text(render(data, "yaml"), "utf-8")
        paths[name] = str(path)
    return paths


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["diff", *args])


def test_cli_text_view(extraction_files: dict[str, str]) -> None:
    result = run(extraction_files[EN_2026], extraction_files[EN_2027])
    assert result.exit_code == 0, result.output
    assert "transnational_repression" in result.output
    assert "+ FJ" in result.output and "- MX" in result.output
    assert "kept 7 (4 reworded), added" in result.output


def test_cli_machine_formats(extraction_files: dict[str, str]) -> None:
    for fmt, load in (("yaml", yaml.safe_load), ("json", json.loads)):
        result = run(extraction_files[EN_2026], extraction_files[EN_2027], "--format", fmt)
        assert result.exit_code == 0, result.output
        data = load(result.stdout)
        assert data["schema"] == DIFF_SCHEMA_ID
        assert data["a"]["path"] == extraction_files[EN_2026]
        assert "encryption" in data["themes"]["lost"]


def test_cli_markdown(extraction_files: dict[str, str]) -> None:
    result = run(extraction_files[EN_2026], extraction_files[EN_2027], "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Diff: ")
    assert "## Commitments" in result.stdout and "### Reworded" in result.stdout
    assert "**Gained** `transnational_repression`" in result.stdout


def test_cli_documents_and_exit_code(corpus_dir: Path, extraction_files: dict[str, str]) -> None:
    differs = run(str(corpus_dir / EN_2026), str(corpus_dir / EN_2027), "--exit-code")
    assert differs.exit_code == 1
    same = run(str(corpus_dir / EN_2027), extraction_files[EN_2027], "--exit-code")
    assert same.exit_code == 0, same.output
    assert run(str(corpus_dir / EN_2026), str(corpus_dir / EN_2027)).exit_code == 0


def test_cli_bad_inputs(corpus_dir: Path, tmp_path: Path) -> None:
    document = str(corpus_dir / EN_2026)
    missing = run(document, str(tmp_path / "missing.txt"))
    assert missing.exit_code == 2 and "missing.txt: no such file" in missing.output
    assert run(document).exit_code == 2
    assert run(document, document, "--format", "xml").exit_code == 2
    assert run(document, document, "--threshold", "2").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: other/1\n", "utf-8")
    invalid = run(document, str(bad))
    assert invalid.exit_code == 1
    assert "not a communique-nlp/1 extraction" in invalid.output
    assert "Traceback" not in invalid.output


# ---------------------------------------------------------------------------------------------
# Timeline


def test_timeline_of_three_documents(extractions: dict[str, dict[str, Any]]) -> None:
    docs = [extractions[EN_2027], extractions[EN_2026], extractions[FR_2026]]
    line = timeline(docs, names=["2027", "2026-en", "2026-fr"])
    # date order; the English and French versions of 2026 are one column, the first given
    assert [d["path"] for d in line.documents] == ["2026-en", "2027"]
    assert line.documents[0]["versions"] == [{"path": "2026-fr", "language": "fr"}]
    assert line.documents[1]["versions"] == []
    scores = {theme_id: values for theme_id, _, values in line.themes}
    assert scores["encryption"][1] is None and scores["encryption"][0] is not None
    assert scores["transnational_repression"][0] is None

    def thread(prefix: str) -> tuple[int, int, int]:
        found = [t for t in line.threads
                 if any(i is not None and items_match(prefix, i.text) for i in t.items)]
        assert len(found) == 1, prefix
        return found[0].first, found[0].last, sum(i is not None for i in found[0].items)

    assert thread("work with technology companies to accelerate the removal") == (0, 1, 2)
    assert thread("Ministers agreed to commission a joint technical study") == (0, 0, 1)
    assert thread("fund joint research on how online gaming platforms") == (1, 1, 1)
    data = line.as_dict()
    assert data["schema"] == TIMELINE_SCHEMA_ID and data["differs"]
    assert data["documents"][0]["n"] == 1


def test_undated_documents_come_last() -> None:
    undated = extraction("en", [("We will share information on smuggling routes.", [])], {},
                         date=None)
    early = extraction("en", [("We will share information on smuggling routes.", [])], {},
                       date="2020-01-01")
    late = extraction("en", [], {}, date="2021-01-01")
    line = timeline([undated, late, early])
    assert [d["date"] for d in line.documents] == ["2020-01-01", "2021-01-01", None]
    # a commitment that skips a meeting is still one thread
    assert len(line.threads) == 1 and line.threads[0].items[1] is None


def test_cli_timeline(extraction_files: dict[str, str]) -> None:
    files = [extraction_files[EN_2027], extraction_files[EN_2026], extraction_files[FR_2026]]
    result = run(*files, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == TIMELINE_SCHEMA_ID
    assert [d["date"] for d in data["documents"]] == ["2026-08-19", "2027-09-02"]
    assert run(*files).exit_code == 0
    assert run(*files, "-f", "markdown").stdout.startswith("# Timeline")
    assert run(*files, "--exit-code").exit_code == 1


# ---------------------------------------------------------------------------------------------
# Real EN/FR pairs (../shared/eval/dev)


def dev_pairs(dev_dir: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for meta_path in sorted(dev_dir.glob("*.meta.yaml")):
        meta = yaml.safe_load(meta_path.read_text("utf-8"))
        if meta.get("pair") and meta.get("language") == "en":
            pairs.append((dev_dir / meta_path.name.replace(".meta.yaml", ".txt"),
                          dev_dir / str(meta["pair"])))
    return pairs


def gold_commitments(path: Path) -> list[str]:
    gold = yaml.safe_load(path.with_name(path.name + ".gold.yaml").read_text("utf-8"))
    return [str(c["text"]) for c in gold.get("commitments") or []]


@pytest.mark.slow
def test_dev_translations_are_matched(dev_dir: Path) -> None:
    """At least 90 % of the gold commitments found on both sides of a pair are matched to
    their translation, and no match pairs two different gold commitments. (The gold lists of
    a pair are in the same order; an excerpt may stop before the other's last item.)"""
    translated = matched = wrong = 0
    for en, fr in dev_pairs(dev_dir):
        a, b = load_extraction(en), load_extraction(fr)
        result = diff(a, b)
        gold_a, gold_b = gold_commitments(en), gold_commitments(fr)
        ids_a = [c["id"] for c in a["commitments"]]
        ids_b = [c["id"] for c in b["commitments"]]
        of_a = {ids_a[p]: g for g, p in match_items(gold_a, [c["text"] for c in a["commitments"]])}
        of_b = {ids_b[p]: g for g, p in match_items(gold_b, [c["text"] for c in b["commitments"]])}
        kept = {(m.a.id, m.b.id) for m in result.kept}
        for index in range(min(len(gold_a), len(gold_b))):
            side_a = [i for i, g in of_a.items() if g == index]
            side_b = [i for i, g in of_b.items() if g == index]
            if side_a and side_b:
                translated += 1
                matched += (side_a[0], side_b[0]) in kept
        wrong += sum(1 for x, y in kept if x in of_a and y in of_b and of_a[x] != of_b[y])
        assert not any(m.reworded for m in result.kept)
    assert translated >= 5
    assert matched >= 0.9 * translated, f"{matched}/{translated}"
    assert wrong == 0


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "pipeline, not diff: the eu002/eu001 excerpts score terrorism 0.95 vs 0.70 (the French "
    "excerpt holds less of the release), and tr002/tr001 are tagged terrorism (en) vs "
    "transnational_repression (fr)"))
def test_dev_translations_keep_their_themes(dev_dir: Path, core: set[str]) -> None:
    problems = []
    for en, fr in dev_pairs(dev_dir):
        result = diff(load_extraction(en), load_extraction(fr))
        changes = [c.id for c in result.changed] + core_ids(result.gained, core) \
            + core_ids(result.lost, core)
        if changes:
            problems.append(f"{en.name}/{fr.name}: {changes}")
    assert problems == []


def test_parties_gained_and_lost() -> None:
    # 2017: five countries sign; the next meeting drops NZ and adds the EU, while NZ is still
    # named in the text: a country mentioned but not signing is no party
    a = extraction("en", [], {}, countries=("AU", "CA", "GB", "NZ", "US"))
    b = extraction("en", [], {}, countries=("AU", "CA", "EU", "GB", "NZ", "US"))
    a["document"]["parties"] = ["AU", "CA", "GB", "NZ", "US"]
    b["document"]["parties"] = ["AU", "CA", "EU", "GB", "US"]
    result = diff(a, b)
    assert (result.parties_added, result.parties_removed) == (("EU",), ("NZ",))
    assert result.as_dict()["parties"] == {"added": ["EU"], "removed": ["NZ"]}
    assert result.differs
    same = diff(a, a)
    assert same.as_dict()["parties"] == {"added": [], "removed": []} and not same.differs
