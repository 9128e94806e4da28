"""Signal scans: the kind features and the commitment features find all their signal groups
in one scan of a text, then try each group only where some signal starts. Each group must
get what a search of its own would get, overlaps between groups included."""

from __future__ import annotations

import pytest

from communique_nlp.learn import commitment, kind

KIND_TEXT = ("joint statement of the ministers. the ministers condemned the attack and "
             "committed to act; media contact: press office. déclaration conjointe des "
             "ministres, qui condamnent l'attentat. -30- questions and answers (end)")


def test_kind_signals_count_each_group_as_its_own_search_would() -> None:
    signals = kind._signals()
    counts = signals.counts(KIND_TEXT)
    assert counts == {group: len(pattern.findall(KIND_TEXT))
                      for group, pattern in signals.groups.items()}
    assert sum(1 for hits in counts.values() if hits) >= 4  # several groups, overlapping


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "we will not say that it was done, but we committed to act and they said we "
               "shall call on others; the review will be completed as planned."),
        ("fr", "nous n'avons pas dit qu'il était fait ; nous nous engageons et ils ont "
               "déclaré qu'ils renforceront la coopération, qui sera évaluée."),
    ],
)
def test_commitment_signals_start_where_their_own_search_finds_them(language: str,
                                                                    text: str) -> None:
    hits = commitment._signal_hits(text, language)
    expected = tuple((name, match.start()) for name, pattern
                     in commitment._signals(language).items()
                     if (match := pattern.search(text)))
    assert hits == expected
    assert len(hits) >= 4


def test_the_cue_matcher_run_around_its_anchors_finds_what_it_finds_in_the_whole_text() -> None:
    from communique_nlp.nlp import tokens
    from communique_nlp.stages import commitments

    cues = commitments._cues("en")
    text = " ".join(["The ministers met in the capital and discussed the weather at length."] * 8
                    + ["We will continue to work together and we commit to strengthening "
                       "cooperation.", "Partners agreed to share information, and we "
                       "reaffirm our determination to act."] * 3)
    doc = tokens("en", text)
    windowed = commitments._cue_matches(doc, doc.to_array("NORM").tolist(), cues)
    whole = cues.matcher(doc, as_spans=True)
    assert [(m.start, m.end, m.label_) for m in windowed] == \
        [(m.start, m.end, m.label_) for m in whole]
    assert len(whole) >= 6


@pytest.mark.parametrize(
    ("word", "future"),
    [("accueillera", True), ("renforcerons", True), ("feront", True), ("prendra", True),
     ("viendront", True), ("pourra", True), ("s'engagera", True), ("INTENSIFIERONT", True),
     # an ending alone, or followed by more of the word, a digit or a hyphen, is no future
     ("era", False), ("dra", False), ("renforcera-t", False), ("renforcerai2", False),
     ("ministre", False), ("opérateur", False), ("fera_", False)],
)
def test_a_french_simple_future_is_a_word_ending_in_a_future_ending(word: str,
                                                                    future: bool) -> None:
    text = f"la France {word} la coopération"
    assert commitment.may_commit(text, "fr") is future
