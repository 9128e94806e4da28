"""Shared text helpers: the phrase patterns every lexicon lookup builds on."""

from __future__ import annotations

import re

from communique_nlp.text import fold, phrase_tree, words_pattern


def test_words_pattern_finds_the_longest_whole_phrase() -> None:
    pattern = words_pattern({"minister", "ministre", "minister of state", "min"})
    text = "the minister of state, a ministre, the ministers, min, minister of stately"
    # 'ministers' is no whole word of the list; 'minister of stately' holds 'minister' only
    assert [m.group() for m in pattern.finditer(text)] == [
        "minister of state", "ministre", "min", "minister"]


def test_phrase_tree_matches_as_the_phrases_sorted_longest_first() -> None:
    """The shared-beginnings pattern must find what the plain alternation of the phrases,
    longest first, finds: the same spans, on text where phrases nest and overlap."""
    phrases = ["joint", "joint statement", "statement", "state", "states", "we, the",
               "we", "director of public prosecutions", "director", "l'état", "-30-"]
    plain = re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))
    tree = re.compile(phrase_tree(phrases))
    text = ("Joint statement: we, the states, and the Director of Public Prosecutions. "
            "director of public prosecution; l'état, l'états -30- jointly stated")
    folded = text.casefold()
    assert [m.span() for m in tree.finditer(folded)] == [m.span() for m in plain.finditer(folded)]
    assert len(tree.findall(folded)) >= 8


def test_fold_unifies_case_apostrophes_dashes_and_spaces() -> None:
    assert fold("L’État  Franco‑Canadien —\u00a0Sécurité") == "l'état franco-canadien - sécurité"
    assert fold("Straße ‘quoted’ `x`") == "strasse 'quoted' 'x'"
    assert fold("ﬁnal\tword\n") == "final word"


def test_a_gazetteer_finds_the_longest_name_at_each_word_once() -> None:
    from communique_nlp.nlp import Gazetteer

    names = Gazetteer([("UNSC", "UN Security Council"), ("UN", "UN"), ("TAL", "the Taliban"),
                       ("NL", "The Netherlands"), ("US", "United States"),
                       ("USA", "United States of America")], casefold=True)
    text = ("The UN security council, un plan, the Taliban and the Netherlands; "
            "the United States of America, then the united states.")
    found = [(label, text[start:end]) for label, start, end in names.spans(text)]
    assert found == [("UNSC", "UN security council"), ("UN", "un"), ("TAL", "the Taliban"),
                     ("NL", "the Netherlands"), ("USA", "United States of America"),
                     ("US", "united states")]
    # a first word ('the', 'united') without the word that follows it in a name finds nothing
    assert names.spans("the plan of the united nations") == []
    exact = Gazetteer([("FR", "France"), ("-", "en français")])
    assert exact.find("Publié en français par la France, en France") == ["-", "FR", "FR"]
