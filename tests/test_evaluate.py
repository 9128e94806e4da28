"""The scorer (apps/evaluate.py) and `communique eval`, on hand-made gold/prediction pairs.

Every expected figure is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import independent_scorer
from communique_nlp.apps import evaluate as ev
from communique_nlp.cli import app
from communique_nlp.errors import InputError, MissingInputError

# 67 characters: long enough for the prefix rule
LONG = "Public Safety Canada is committed to publishing an annual report on"


def prediction(*, sections: list[dict[str, Any]] | None = None,
               commitments: list[dict[str, Any]] | None = None,
               themes: list[str] | None = None, **document: Any) -> dict[str, Any]:
    """A prediction in the output schema's shape, with only what a test needs."""
    return {
        "schema": "communique-nlp/1",
        "document": document,
        "sections": sections or [],
        "commitments": commitments or [],
        "themes": [{"id": t, "score": 0.5} for t in themes or []],
    }


def body(*bullets: str, kind: str = "body", heading: str | None = None) -> dict[str, Any]:
    return {"heading": heading, "kind": kind, "bullets": [{"text": b} for b in bullets]}


def counts(score: ev.DocumentScore, key: str) -> tuple[int, int, int]:
    c = score.counts[key]
    return (c.tp, c.fp, c.fn)


# -- normalisation and the item rule ------------------------------------------------------------

def test_normalise_text() -> None:
    # NFKC turns the no-break space and the 'ﬁ' ligature into ' ' and 'fi'; casefold; one
    # apostrophe; one dash; whitespace collapsed and stripped
    assert (ev.normalise_text("  L’Accord\u00a0— du\tCONSEIL  ﬁnal ")
            == "l'accord - du conseil final")
    assert ev.normalise_text("a‘b`c´d") == "a'b'c'd"
    assert ev.normalise_text("‐‑‒–—―") == "------"
    assert ev.normalise_heading("Faits en bref :") == "faits en bref"
    assert ev.normalise_heading("Quick facts:") == "quick facts"


def test_prefix_match_counts_from_thirty_characters() -> None:
    gold = LONG[:30]  # exactly 30 characters: "public safety canada is commit"
    assert len(gold) == 30
    assert ev.items_match(gold, LONG + " ransomware trends.")
    # 29 characters: too short for the prefix rule; Jaccard {public, safety, canada, is, commi}
    # vs 11 words of LONG: 4 shared / 12 in the union = 0.33 < 0.6 -> no match
    assert not ev.items_match(LONG[:29], LONG)
    # the prediction may be the shorter side too
    assert ev.items_match(LONG, LONG[:35])


def test_short_prefix_only_counts_as_the_whole_string() -> None:
    # 'ministers agreed to' (19 characters) starts the prediction but is too short; Jaccard
    # {ministers, agreed, to} / {ministers, agreed, to, share, data, on, minors, online} = 3/8
    assert not ev.items_match("Ministers agreed to",
                              "Ministers agreed to share data on minors online")
    # a short item matches its whole self, after normalisation
    assert ev.items_match("Contacts", "CONTACTS")
    assert not ev.items_match("", "")


def test_jaccard_threshold() -> None:
    # {alpha, beta, gamma, delta} vs {alpha, beta, gamma, epsilon}: 3 / 5 = 0.6 -> match (>=)
    assert ev.word_jaccard("alpha beta gamma delta", "alpha beta gamma epsilon") == 0.6
    assert ev.items_match("alpha beta gamma delta", "alpha beta gamma epsilon")
    # one more word: 3 / 6 = 0.5 -> no match
    assert not ev.items_match("alpha beta gamma delta", "alpha beta gamma epsilon zeta")
    # word order does not matter for Jaccard: 7 shared / 8 in the union = 0.875
    assert ev.items_match("Ministers will share data on minors and age",
                          "ministers will share age data on minors")


def test_double_match_refused() -> None:
    # both predictions start with the gold text: only the first gets it (tie broken by order)
    assert ev.match_items([LONG], [LONG + " more", LONG + " other"]) == [(0, 0)]
    # one prediction, two gold items that both prefix it: one pair. Equal gold items tie:
    # the earlier one gets it; otherwise the higher Jaccard wins: LONG[:50] ('... committed to
    # publishing an') shares 8 of LONG's 11 words (8/11), LONG[:40] ('... committed to pub')
    # 6, and its cut-off 'pub' is not one of them (6/12)
    assert ev.match_items([LONG[:40], LONG[:40]], [LONG]) == [(0, 0)]
    assert ev.match_items([LONG[:40], LONG[:50]], [LONG]) == [(1, 0)]
    # best score first: the exact prediction (Jaccard 1.0) wins over the earlier, longer one
    assert ev.match_items([LONG], [LONG + " ransomware", LONG]) == [(0, 1)]
    # any prefix match outranks a Jaccard-only match, even one of 1.0 (same words, other order)
    shuffled = " ".join(reversed(LONG.split()))
    assert ev.match_items([LONG], [shuffled, LONG + " ransomware trends"]) == [(0, 1)]


def test_double_match_in_a_document() -> None:
    gold = {"commitments": [{"text": LONG}]}
    score = ev.score_document(gold, prediction(commitments=[{"text": LONG + " x"},
                                                            {"text": LONG + " y"}]))
    assert counts(score, "commitments") == (1, 1, 0)  # one tp, the second prediction is an fp
    assert score.spurious["commitments"] == [LONG + " y"]


# -- fields -------------------------------------------------------------------------------------

def test_missing_gold_fields_are_not_scored() -> None:
    gold = {"language": "en"}  # nothing else annotated
    predicted = prediction(language="en", kind="statement", title="T", date="2020-01-01",
                           countries=["CA"], themes=["terrorism"],
                           sections=[body("x" * 40, heading="Heading")],
                           commitments=[{"text": "y" * 40, "themes": ["terrorism"]}])
    score = ev.score_document(gold, predicted)
    for key in ev.PRF_FIELDS:
        assert counts(score, key) == (0, 0, 0), key
    assert all(counts == ev.Counts() for counts in score.per_theme.values())
    assert score.accuracy["language"] == ev.Accuracy(correct=1, n=1)
    for key in ("kind", "date", "title", "section_kind"):
        assert score.accuracy[key].n == 0
    # a null field (an empty YAML key) is left out too; an empty list is scored
    score = ev.score_document({"bullets": None, "commitments": []},
                              prediction(sections=[body("z" * 40)],
                                         commitments=[{"text": "w" * 40}]))
    assert counts(score, "bullets") == (0, 0, 0)
    assert counts(score, "commitments") == (0, 1, 0)


def test_bullets_of_boilerplate_links_and_contacts_are_not_scored() -> None:
    kept = "strengthen law enforcement deployments along the coast"
    predicted = prediction(sections=[
        body(kept, "a second content bullet that gold does not list at all"),
        body("Share this page on social media and elsewhere", kind="boilerplate"),
        body("Associated link to the Canadian Centre for Cyber Security", kind="links"),
        body("Media Relations, Public Safety Canada, 613-991-0657", kind="contacts"),
    ])
    score = ev.score_document({"bullets": [kept]}, predicted)
    # kept: tp; the second body bullet: fp; the three others are not looked at
    assert counts(score, "bullets") == (1, 1, 0)


def test_headings_and_section_kinds() -> None:
    gold = {"sections": [{"heading": None, "kind": "lead"},
                         {"heading": "Quick facts", "kind": "quick_facts"},
                         {"heading": "Contacts", "kind": "contacts"},
                         {"heading": "Contacts", "kind": "contacts"},
                         {"heading": "Quote", "kind": "quote"}]}
    predicted = prediction(sections=[{"heading": None, "kind": "lead"},
                                     {"heading": "QUICK FACTS :", "kind": "quick_facts"},
                                     {"heading": "Contacts", "kind": "body"},
                                     {"heading": "Background", "kind": "background"}])
    score = ev.score_document(gold, predicted)
    # gold non-null: quick facts, contacts, contacts, quote; predicted: quick facts, contacts,
    # background -> matched quick facts and one contacts: tp 2, fp 1 (background),
    # fn 2 (the second contacts, quote). Null headings are not compared.
    assert counts(score, "headings") == (2, 1, 2)
    # kinds over the two matched pairs: quick_facts right, contacts/body wrong -> 1 of 2
    assert score.accuracy["section_kind"] == ev.Accuracy(correct=1, n=2)
    assert score.wrong_kinds == [("Contacts", "contacts", "body")]
    assert sorted(score.missed["headings"]) == ["Contacts", "Quote"]


def test_dates_as_date_objects_and_document_fields() -> None:
    gold = yaml.safe_load("language: fr\nkind: communique\ndate: 2017-06-27\n"
                          "title: Communiqué  conjoint — 2017\n")
    assert isinstance(gold["date"], dt.date)
    score = ev.score_document(gold, prediction(language="FR", kind="statement",
                                               date="2017-06-27",
                                               title="communiqué conjoint – 2017"))
    assert score.accuracy["date"] == ev.Accuracy(correct=1, n=1)
    assert score.accuracy["title"] == ev.Accuracy(correct=1, n=1)  # normalised: case, dash, spaces
    assert score.accuracy["language"] == ev.Accuracy(correct=1, n=1)  # 'FR' casefolded
    assert score.accuracy["kind"] == ev.Accuracy(correct=0, n=1)
    assert score.wrong == {"kind": ("communique", "statement")}
    # both sides as date objects (a prediction file read back from YAML), and a datetime
    score = ev.score_document({"date": dt.date(2017, 6, 27)},
                              prediction(date=dt.datetime(2017, 6, 27, 10, 0)))
    assert score.accuracy["date"] == ev.Accuracy(correct=1, n=1)
    score = ev.score_document({"date": dt.date(2017, 6, 27)}, prediction(date=None))
    assert score.accuracy["date"] == ev.Accuracy(correct=0, n=1)
    assert score.wrong == {"date": ("2017-06-27", None)}


def test_countries_and_themes_with_per_theme_counts(tmp_path: Path) -> None:
    first = ev.score_document(
        {"themes": ["terrorism", "cybercrime"], "countries": ["CA", "US"]},
        # organized_crime is an extended theme: not scored
        prediction(themes=["terrorism", "encryption", "organized_crime"], countries=["ca", "FR"]))
    # themes: terrorism tp, encryption fp, cybercrime fn; countries: CA tp, FR fp, US fn
    assert counts(first, "themes") == (1, 1, 1)
    assert counts(first, "countries") == (1, 1, 1)
    second = ev.score_document({"themes": ["terrorism"]}, prediction())  # terrorism fn
    report = ev.EvalReport(documents=[first, second])
    data = report.as_dict()
    assert data["themes"] == {"p": 0.5, "r": 0.3333, "f1": 0.4, "tp": 1, "fp": 1, "fn": 2}
    # terrorism tp 1, fn 1: p 1.0, r 0.5, f1 2*0.5/1.5 = 0.6667
    assert data["per_theme"]["terrorism"] == {"p": 1.0, "r": 0.5, "f1": 0.6667,
                                              "tp": 1, "fp": 0, "fn": 1}
    # cybercrime fn 1: nothing predicted -> p 1.0 (vacuous), r 0, f1 0
    assert data["per_theme"]["cybercrime"] == {"p": 1.0, "r": 0.0, "f1": 0.0,
                                               "tp": 0, "fp": 0, "fn": 1}
    # encryption fp 1: nothing to find -> r 1.0 (vacuous), p 0, f1 0
    assert data["per_theme"]["encryption"] == {"p": 0.0, "r": 1.0, "f1": 0.0,
                                               "tp": 0, "fp": 1, "fn": 0}
    # never in gold nor predicted: all vacuous, 1.0
    assert data["per_theme"]["migrant_smuggling"] == {"p": 1.0, "r": 1.0, "f1": 1.0,
                                                      "tp": 0, "fp": 0, "fn": 0}
    assert set(data["per_theme"]) == set(ev.CORE_THEMES)


def test_commitment_themes() -> None:
    a, b, c = LONG, "Nous avons convenu de créer une cellule des cinq pays", "x" * 45
    gold = {"commitments": [{"text": a, "themes": ["terrorism", "cybercrime"]},
                            {"text": b, "themes": []},
                            {"text": c, "themes": ["encryption"]},  # not predicted
                            "a plain string item, no themes, is matched but not theme-scored"]}
    predicted = prediction(commitments=[
        {"text": a + " ransomware trends", "themes": ["terrorism", "organized_crime"]},
        {"text": b + " pour la perturbation", "themes": ["encryption"]},
        {"text": "A plain string item, no themes, is matched", "themes": ["terrorism"]},
    ])
    score = ev.score_document(gold, predicted)
    assert counts(score, "commitments") == (3, 0, 1)  # c missed
    # pair a: gold {terrorism, cybercrime} vs {terrorism}: tp 1, fn 1 (organized_crime ignored)
    # pair b: gold {} vs {encryption}: fp 1; c unmatched: not counted; the plain string has no
    # themes in gold: not counted -> tp 1, fp 1, fn 1
    assert counts(score, "commitment_themes") == (1, 1, 1)
    assert score.missed["commitment_themes"] == [f"cybercrime ({a[:60]})"]


def test_zero_denominators() -> None:
    assert (ev.Counts().p, ev.Counts().r, ev.Counts().f1) == (1.0, 1.0, 1.0)
    assert (ev.Counts(fn=2).p, ev.Counts(fn=2).r, ev.Counts(fn=2).f1) == (1.0, 0.0, 0.0)
    assert (ev.Counts(fp=2).p, ev.Counts(fp=2).r, ev.Counts(fp=2).f1) == (0.0, 1.0, 0.0)
    assert ev.Accuracy().acc == 1.0
    # tp 3, fp 1, fn 2: p 0.75, r 0.6, f1 2*0.45/1.35 = 0.6667
    assert ev.Counts(3, 1, 2).as_dict() == {"p": 0.75, "r": 0.6, "f1": 0.6667,
                                            "tp": 3, "fp": 1, "fn": 2}


def test_empty_prediction_scores_everything_as_missed() -> None:
    gold = {"language": "en", "bullets": [LONG], "themes": ["terrorism"], "countries": ["CA"],
            "sections": [{"heading": "Quote", "kind": "quote"}]}
    score = ev.score_document(gold, {})
    assert counts(score, "bullets") == (0, 0, 1)
    assert counts(score, "themes") == (0, 0, 1)
    assert counts(score, "countries") == (0, 0, 1)
    assert counts(score, "headings") == (0, 0, 1)
    assert score.accuracy["language"] == ev.Accuracy(correct=0, n=1)


# -- entities: people, roles, place, parties ----------------------------------------------------

def test_people_names_match_exactly_or_by_surname_with_compatible_given_names() -> None:
    assert ev.name_match_rank("Ralph Goodale", "RALPH  GOODALE") == 2
    assert ev.name_match_rank("Michael R. Pompeo", "Michael Pompeo") == 1  # no second given name
    assert ev.name_match_rank("Michael R. Pompeo", "M. Pompeo") == 1  # an initial
    assert ev.name_match_rank("Darmanin", "Gérald Darmanin") == 1  # no given name at all
    assert ev.name_match_rank("Jan Jambon", "Jean Jambon") is None  # other given name
    assert ev.name_match_rank("Ralph Goodale", "Ralph Gale") is None  # other surname
    assert ev.name_match_rank("Jean-Yves Le Drian", "J. Le Drian") == 1
    assert ev.name_match_rank("", "Ralph Goodale") is None


def test_people_counts_and_role_accuracy() -> None:
    gold = {"people": [
        {"name": "Ralph Goodale", "role": "ministre de la Sécurité publique et de la "
                                          "Protection civile"},
        {"name": "Michael R. Pompeo", "role": "U.S. Secretary of State"},
        {"name": "Samuel Paty", "role": None},
        {"name": "Jan Jambon", "role": "Belgian Interior Minister"},
    ]}
    predicted = prediction(people=[
        {"name": "Ralph Goodale", "role": "ministre de la Sécurité publique"},  # inside: right
        {"name": "M. Pompeo", "role": "Secretary"},  # one word inside the other: wrong
        {"name": "Samuel Paty", "role": None},  # both null: right
        {"name": "Jean Jambon", "role": "Belgian Interior Minister"},  # no match
        {"name": "Goodale", "role": None},  # Goodale is taken by the exact match: spurious
    ])
    score = ev.score_document(gold, predicted)
    # by hand: tp 3 (Goodale, Pompeo, Paty), fp 2 (Jean Jambon, Goodale), fn 1 (Jan Jambon)
    assert counts(score, "people") == (3, 2, 1)
    assert score.accuracy["role"] == ev.Accuracy(correct=2, n=3)
    assert score.wrong_roles == [("Michael R. Pompeo", "U.S. Secretary of State", "Secretary")]
    assert score.missed["people"] == ["Jan Jambon"]
    assert score.spurious["people"] == ["Jean Jambon", "Goodale"]


def test_roles_match_as_items_or_whole_inside() -> None:
    assert ev.roles_match(None, None)
    assert ev.roles_match(None, "")
    assert not ev.roles_match("Minister", None)
    assert ev.roles_match("Prime Minister", "prime  minister")
    # two words standing whole inside the longer one
    assert ev.roles_match("Minister of Public Safety", "Public Safety")
    # a part of a word is not a whole word: 'ister of' is inside, but not as words
    assert not ev.roles_match("Minister of Public Safety", "ister of")
    # a long prefix counts as items do (30 characters or more)
    assert ev.roles_match("Minister of Public Safety and Emergency Preparedness",
                          "Minister of Public Safety and Emergency")
    assert not ev.roles_match("Minister of Justice", "Minister of Finance")


def test_place_and_parties() -> None:
    gold = {"place": "OTTAWA", "parties": ["AU", "CA", "GB"]}
    score = ev.score_document(gold, prediction(place="Ottawa", parties=["CA", "GB", "FR"]))
    assert score.accuracy["place"] == ev.Accuracy(correct=1, n=1)
    # by hand: tp 2 (CA, GB), fp 1 (FR), fn 1 (AU)
    assert counts(score, "parties") == (2, 1, 1)
    score = ev.score_document(gold, prediction(place="On"))
    assert score.accuracy["place"] == ev.Accuracy(correct=0, n=1)
    assert score.wrong["place"] == ("OTTAWA", "On")
    assert counts(score, "parties") == (0, 0, 3)
    # an international organisation's own text: parties [] scored, every prediction spurious
    assert counts(ev.score_document({"parties": []}, prediction(parties=["EU"])),
                  "parties") == (0, 1, 0)
    # left out of the gold: not scored
    empty = ev.score_document({}, prediction(place="Paris", parties=["FR"],
                                             people=[{"name": "A B", "role": None}]))
    assert counts(empty, "parties") == counts(empty, "people") == (0, 0, 0)
    assert empty.accuracy["place"].n == empty.accuracy["role"].n == 0


# -- folders ------------------------------------------------------------------------------------

GOLD_A = """\
language: en
kind: press_release
date: 2026-02-03
bullets:
  - Ransomware is malicious software that locks or steals an organization's data
  - In 2025, the Canadian Centre for Cyber Security was informed of 312 incidents
commitments:
  - {text: "Public Safety Canada is committed to publishing an annual report", themes: [cybercrime]}
themes: [cybercrime]
countries: [CA, DE]
"""

PRED_A: dict[str, Any] = prediction(
    language="en", kind="statement", date="2026-02-03", countries=["CA"],
    themes=["cybercrime", "terrorism"],
    sections=[body("Ransomware is malicious software that locks or steals an organization's "
                   "data and demands a payment", heading="Quick facts", kind="quick_facts"),
              body("Share this page", kind="boilerplate")],
    commitments=[{"text": "Public Safety Canada is committed to publishing an annual report "
                          "on ransomware trends", "themes": ["cybercrime"]}])
# by hand: bullets tp 1 (prefix), fn 1 (312 incidents); commitments tp 1; commitment_themes
# tp 1; themes tp 1 (cybercrime), fp 1 (terrorism); countries tp 1, fn 1 (DE); language and
# date right, kind wrong; no sections in gold: headings not scored.


def write_folders(tmp_path: Path) -> tuple[Path, Path]:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    (gold_dir / "a.txt.gold.yaml").write_text(GOLD_A, encoding="utf-8")
    (gold_dir / "b.txt.gold.yaml").write_text("language: fr\n", encoding="utf-8")
    (pred_dir / "a.txt.yaml").write_text(yaml.safe_dump(PRED_A, allow_unicode=True),
                                         encoding="utf-8")
    (pred_dir / "b.txt.json").write_text(json.dumps(prediction(language="en")), encoding="utf-8")
    return gold_dir, pred_dir


def test_evaluate_with_prediction_folder(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_folders(tmp_path)
    report = ev.evaluate(gold_dir, pred_dir)
    assert report.errors == []
    data = report.as_dict()
    assert data["docs"] == 2
    assert data["bullets"] == {"p": 1.0, "r": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    assert data["commitments"]["tp"] == 1 and data["commitment_themes"]["tp"] == 1
    assert data["themes"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "tp": 1, "fp": 1, "fn": 0}
    assert data["countries"] == {"p": 1.0, "r": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    # language: a right (en), b wrong (gold fr, predicted en) -> 1 of 2
    assert data["language"] == {"acc": 0.5, "n": 2}
    assert data["kind"] == {"acc": 0.0, "n": 1}
    assert data["date"] == {"acc": 1.0, "n": 1}
    assert data["title"] == {"acc": 1.0, "n": 0}
    assert data["headings"]["tp"] + data["headings"]["fp"] + data["headings"]["fn"] == 0
    assert list(data) == ["docs", "headings", "bullets", "commitments", "commitment_themes",
                          "countries", "themes", "people", "parties", "language", "kind", "date",
                          "title", "section_kind", "role", "place", "per_theme"]


def test_evaluate_missing_prediction_is_an_empty_one(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_folders(tmp_path)
    (pred_dir / "a.txt.yaml").unlink()
    report = ev.evaluate(gold_dir, pred_dir)
    assert [name for name, _ in report.errors] == ["a.txt"]
    assert report.docs == 2
    assert report.as_dict()["bullets"]["fn"] == 2


def test_evaluate_by_parsing(tmp_path: Path) -> None:
    gold_dir, _ = write_folders(tmp_path)
    (gold_dir / "a.txt").write_text("document a", encoding="utf-8")
    (gold_dir / "b.txt").write_text("document b", encoding="utf-8")

    def parse(path: Path) -> dict[str, Any]:
        if path.name == "b.txt":
            raise ValueError("boom")
        return PRED_A

    report = ev.evaluate(gold_dir, parse=parse)
    assert report.errors == [("b.txt", "internal error (ValueError: boom)")]
    assert report.docs == 2  # b is scored as an empty prediction: its language is wrong
    assert report.as_dict()["language"] == {"acc": 0.5, "n": 2}
    assert report.as_dict()["bullets"]["tp"] == 1


def test_evaluate_refuses_bad_folders_and_files(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingInputError):
        ev.evaluate(tmp_path / "absent")
    with pytest.raises(InputError, match="no gold files"):
        ev.evaluate(tmp_path)
    gold_dir, pred_dir = write_folders(tmp_path)
    monkeypatch.setattr(ev, "MAX_FILE_BYTES", 100)  # GOLD_A is larger
    report = ev.evaluate(gold_dir, pred_dir)
    assert report.docs == 1  # b only: a's gold is refused and listed
    assert report.errors[0][0] == "a.txt" and "allowed" in report.errors[0][1]
    monkeypatch.undo()
    (gold_dir / "b.txt.gold.yaml").write_text("- not\n- a mapping\n", encoding="utf-8")
    (pred_dir / "a.txt.yaml").write_text("!!python/object:os.system {}\n", encoding="utf-8")
    report = ev.evaluate(gold_dir, pred_dir)  # safe_load refuses the python tag
    assert [name for name, _ in report.errors] == ["a.txt", "b.txt"]


# -- the command --------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_json(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_folders(tmp_path)
    result = runner.invoke(app, ["eval", str(gold_dir), "--pred", str(pred_dir),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == ev.evaluate(gold_dir, pred_dir).as_dict()


def test_cli_text_and_errors(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_folders(tmp_path)
    result = runner.invoke(app, ["eval", str(gold_dir), "--pred", str(pred_dir), "--errors"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for word in ("Precision / recall / F1", "Accuracy", "Per theme", "commitment_themes",
                 "transnational_repression", "section_kind"):
        assert word in out
    assert "missed bullets: In 2025, the Canadian Centre" in out
    assert "spurious themes: terrorism" in out
    assert "missed countries: DE" in out
    assert "wrong kind: gold 'press_release', predicted 'statement'" in out
    assert "wrong language: gold 'fr', predicted 'en'" in out
    result = runner.invoke(app, ["eval", str(gold_dir), "--pred", str(pred_dir), "--errors",
                                 "--format", "json"])
    data = json.loads(result.stdout)
    assert data["documents"][0]["missed"]["countries"] == ["DE"]
    assert data["errors"] == []


def test_cli_failed_document_exits_1(tmp_path: Path) -> None:
    gold_dir, pred_dir = write_folders(tmp_path)
    (pred_dir / "b.txt.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold_dir), "--pred", str(pred_dir),
                                 "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["docs"] == 2
    assert "b.txt.json: not valid json" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["absent"], "no such folder"),
    (["."], "no gold files"),
    ([".", "--format", "xml"], "'xml' is not one of 'text', 'json'"),
    ([".", "--pred", "absent"], "no such prediction folder"),
])
def test_cli_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- an independent re-implementation agrees ----------------------------------------------------

def perturbed_people(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every third person dropped, every fifth an initial for a given name, roles cut or lost."""
    result = []
    for i, person in enumerate(people):
        if i % 3 == 2:
            continue
        name, role = str(person["name"]), person.get("role")
        if i % 5 == 4 and len(name.split()) >= 2:
            name = f"{name[0]}. {name.split()[-1]}"
        if i % 4 == 1:
            role = None if role else "Minister of Everything"
        elif i % 4 == 3 and role:
            role = " ".join(str(role).split()[-2:])  # a tail: right when two words or more
        result.append({"name": name, "role": role})
    result.append({"name": "Nobody Known", "role": None})
    return result


def perturb(gold: dict[str, Any], k: int) -> dict[str, Any]:
    """A prediction made from a gold annotation, wrong in deterministic, known ways."""
    core = list(ev.CORE_THEMES)
    document: dict[str, Any] = {
        "language": gold.get("language") if k % 2 else
        {"en": "fr"}.get(str(gold.get("language")), "en"),
        "kind": gold.get("kind") if k % 3 else "other",
        "date": gold.get("date") if k % 4 else None,  # a date object, dumped as a YAML date
        "title": str(gold.get("title", "")).upper() if k % 2 else "Some other title",
        "countries": [*sorted(gold.get("countries") or [])[1:], "FR"],
        "place": str(gold.get("place", "")).upper() if k % 2 else "Nowhere",
        "parties": [*sorted(gold.get("parties") or [])[1:], "FR"],
        "people": perturbed_people(gold.get("people") or []),
    }
    sections: list[dict[str, Any]] = []
    for i, section in enumerate(gold.get("sections") or []):
        if i % 4 == 3:
            continue  # a missed heading
        kind = "body" if i % 3 == 2 else section.get("kind")
        sections.append({"heading": section.get("heading"), "kind": kind, "bullets": []})
    sections.append({"heading": "Extra heading", "kind": "body", "bullets": []})
    bullets = []
    for i, text in enumerate(gold.get("bullets") or []):
        if i % 3 == 2:
            continue  # drop every third bullet
        bullets.append({"text": str(text)[:25] if i % 5 == 4 else f"{text} and more words"})
    bullets.append({"text": "A spurious bullet that no gold file mentions anywhere"})
    sections.append({"heading": None, "kind": "body", "bullets": bullets})
    sections.append({"heading": None, "kind": "links",
                     "bullets": [{"text": "An ignored link item in a links section"}]})
    commitments = []
    for i, item in enumerate(gold.get("commitments") or []):
        text, themes = str(item["text"]), list(item.get("themes") or [])
        if i == 0:
            themes = [core[(core.index(themes[0]) + 1) % 5]] if themes else ["terrorism"]
        if i % 2:
            text = text[:40]  # still a long enough prefix
        if i % 5 == 3:
            text = text[:20]  # too short
        commitments.append({"text": text, "themes": themes})
        if i == 1:
            commitments.append({"text": text + " again", "themes": themes})  # a double
    themes = list(gold.get("themes") or [])
    if themes:
        themes[0] = core[(core.index(themes[0]) + 2) % 5]
    themes.append("organized_crime")
    return prediction(sections=sections, commitments=commitments, themes=themes, **document)


def gold_sets() -> list[Path]:
    """The project's corpus, and the shared dev set when present (as in conftest.py)."""
    root = Path(__file__).resolve().parents[1]
    return [d for d in (root / "corpus", root.parent / "shared" / "eval" / "dev") if d.is_dir()]


@pytest.mark.parametrize("folder", gold_sets(), ids=lambda p: p.name)
def test_independent_scorer_agrees(folder: Path, tmp_path: Path) -> None:
    pairs = []
    for k, gold_path in enumerate(sorted(folder.rglob("*.gold.yaml"))):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        predicted = perturb(gold, k)
        name = str(gold_path.relative_to(folder))[: -len(".gold.yaml")]
        target = tmp_path / (f"{name}.json" if k % 3 == 0 else f"{name}.yaml")
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".json":
            target.write_text(json.dumps(predicted, default=str), encoding="utf-8")
        else:
            target.write_text(yaml.safe_dump(predicted, allow_unicode=True, sort_keys=False),
                              encoding="utf-8")
        pairs.append((gold, predicted))
    assert pairs
    report = ev.evaluate(folder, tmp_path)
    assert report.errors == []
    ours, theirs = report.as_dict(), independent_scorer.score(pairs)
    assert ours == theirs
    # the perturbations do show: not everything is perfect, nor everything wrong
    entities = ("people", "parties") if any(g.get("people") for g, _ in pairs) else ()
    for key in ("headings", "bullets", "commitments", "commitment_themes", "countries", "themes",
                *entities):
        assert ours[key]["tp"] > 0 and ours[key]["fp"] + ours[key]["fn"] > 0, key
