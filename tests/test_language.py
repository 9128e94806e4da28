"""Language: seeded langdetect over English and French, per block and per document."""

from __future__ import annotations

from communique_nlp import parse
from communique_nlp.stages.language import detect

EN = ("Ministers agreed to strengthen cooperation against ransomware and to share "
      "information on foreign terrorist fighters returning from conflict zones.")
FR = ("Les ministres se sont engagés à renforcer la coopération contre les rançongiciels et à "
      "échanger des renseignements sur les combattants terroristes étrangers.")


def test_english_and_french_are_told_apart() -> None:
    assert detect(EN) == "en"
    assert detect(FR) == "fr"


def test_short_text_is_undetermined() -> None:
    assert detect("G7 2025") == "und"
    assert detect("Ottawa") == "und"


def test_text_without_clear_function_words_goes_to_the_detector() -> None:
    # no 'the'/'and' nor 'les'/'et': the function-word shortcut cannot decide these
    assert detect("Cybersecurity ransomware investigations intensified nationwide") == "en"
    assert detect("Cybersécurité rançongiciels enquêtes intensifiées partout") == "fr"


def test_detection_is_deterministic() -> None:
    text = "Communiqué conjoint des ministres, Ottawa, cybersecurity and public safety"
    assert len({detect(text) for _ in range(5)}) == 1


def test_bilingual_file_reports_both_shares_and_a_warning() -> None:
    extraction = parse((EN + "\n\n") * 3 + (FR + "\n\n") * 4).as_dict()
    document = extraction["document"]
    assert document["language"] == "fr"
    assert set(document["languages"]) == {"en", "fr"}
    assert 0.3 < document["languages"]["en"] < 0.5
    assert any(w.startswith("mixed languages") for w in extraction["warnings"])
    assert [s["language"] for s in extraction["sections"]] == ["fr"]  # one lead, mostly French
