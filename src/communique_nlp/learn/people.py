"""Which name candidates are people, as a learned decision.

One example per candidate person of a document (its mentions merged by surname, as
``stages.people.merge`` does). Features: the rule verdict (``Mention.rule_verdict``), the
evidence around the mentions (honorific or role word opening the name, an office before or
after it, a speech verb after it, in the title, at a sentence start, after a country and a
comma: a list of delegations), the shape of the name (words, initials, capitals, particles)
and the words just before and after the first mention. Labelled by the gold ``people`` with
SPEC.md's name rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from communique_nlp.assets import model_path
from communique_nlp.stages.people import Mention, cues

MODEL = "people"
YES, NO = "yes", "no"


@cache
def dictionary_words() -> frozenset[str]:
    """Every word form of the lemma tables (models/lemmas), casefolded: common words, which a
    personal name's words seldom are."""
    words: set[str] = set()
    for language in ("en", "fr"):
        table = json.loads(model_path("lemmas", f"{language}.json").read_text(encoding="utf-8"))
        words.update(w.casefold() for pair in table.items() for w in pair)
    return frozenset(words)


def features(name: str, mentions: Sequence[Mention], lowercase_words: frozenset[str],
             named_thing: bool) -> dict[str, float]:
    """``lowercase_words``: the words the document writes in lower case (a name's words
    rarely are); ``named_thing``: the name holds a country or an organisation."""
    words = name.split()
    particles = cues().particles
    core = [w for w in words if w not in particles] or words  # 'de' in 'Gilles de Kerchove'
    first = mentions[0]
    found: dict[str, float] = {
        "bias_person": 1.0,
        "named_thing": float(named_thing),
        "rule": float(any(m.rule_verdict() for m in mentions)),
        "opener": float(any(m.opener for m in mentions)),
        "role_before": float(any(m.role_before for m in mentions)),
        "role_after": float(any(m.role_after for m in mentions)),
        "said": float(any(m.said for m in mentions)),
        "in_title": float(any(m.in_title for m in mentions)),
        "all_sentence_start": float(all(m.sentence_start for m in mentions)),
        "country_before": float(any(m.country_before for m in mentions) and not named_thing),
        "mentions": min(len(mentions), 5) / 5,
        f"words={min(len(words), 4)}": 1.0,
        "initial": float(any(len(w) == 2 and w.endswith(".") for w in words)),
        "capitals": float(any(w.isupper() and len(w) > 2 for w in words)),
        "particle": float(len(core) < len(words)),
        "hyphen": float(any("-" in w for w in words)),
        "lowercase_word": float(any(w.casefold() in lowercase_words for w in core)),
        "last_lowercase": float(words[-1].casefold() in lowercase_words),
        "dictionary_word": float(any(w.casefold() in dictionary_words() for w in core)),
        "all_dictionary": float(all(w.casefold() in dictionary_words() for w in core)),
        f"first:{words[0].casefold()}": 1.0 if len(words) >= 2 else 0.0,
        f"prev:{first.previous}": 1.0,
        f"next:{first.following}": 1.0,
    }
    return found


def examples(candidates: Sequence[tuple[str, str | None, Sequence[Mention], dict[str, float]]],
             gold: Mapping[str, Any]) -> list[tuple[dict[str, float], str]]:
    from communique_nlp.apps.evaluate import name_match_rank

    people = gold.get("people")
    if people is None:
        return []
    names = [str(p.get("name")) if isinstance(p, Mapping) else str(p) for p in people]
    return [(row, YES if any(name_match_rank(g, name) for g in names) else NO)
            for name, _, _, row in candidates]
