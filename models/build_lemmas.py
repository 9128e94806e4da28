"""Rebuild models/lemmas/{en,fr}.json: the part of spaCy's lookup lemma tables the lexicons use.

The full tables of spacy-lookups-data (200,000 French forms) take longer to load than a whole
parse. Matching only ever compares a token's lemma with the lemmas of lexicon words, so the
shipped table keeps just the forms whose lemma is one of those (and the lexicon words
themselves); for matching, that is the same as the full table.

Run with `make models` (needs the dev extra: spacy-lookups-data).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import yaml

MODELS = Path(__file__).resolve().parent
ROOT = MODELS.parent
sys.path.insert(0, str(ROOT / "src"))


def lexicon_words(language: str) -> set[str]:
    """Every word of every phrase the matchers are built from, in ``language``."""
    themes = yaml.safe_load((MODELS / "themes.yaml").read_text("utf-8"))
    cues = yaml.safe_load((MODELS / "commitments.yaml").read_text("utf-8"))
    phrases: list[str] = []
    for theme in themes["themes"]:
        for terms in (theme.get("terms", {}).get(language) or {}).values():
            phrases.extend(terms or [])
    phrases.extend(entry["cue"] for entry in cues["cues"][language])
    phrases.extend(cues["adverbs"][language])
    glossary = MODELS / "glossary.yaml"
    if glossary.exists():
        for entry in yaml.safe_load(glossary.read_text("utf-8"))["terms"]:
            phrases.extend(entry.get(language) or [])
    from communique_nlp.nlp import pipeline

    tokenizer = pipeline.__wrapped__(language).tokenizer  # type: ignore[attr-defined]
    return {token.text.lower() for phrase in phrases for token in tokenizer(str(phrase))}


def full_table(language: str) -> dict[str, str]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_lemma_lookup.json.gz"
    with gzip.open(path) as packed:
        raw = json.loads(packed.read())
    return {form: (lemma[0] if isinstance(lemma, list) else lemma) for form, lemma in raw.items()}


def participles_as_verbs(table: dict[str, str]) -> dict[str, str]:
    """French masculine singular participles are their own lemma in the table ('engagé'),
    while 'engagés' and 'engagée' have the verb's: give them the verb's too, so 's'est engagé
    à' and 'se sont engagés à' meet."""
    fixed = dict(table)
    for form, lemma in table.items():
        if lemma == form:
            plural = table.get(form + "s", "")
            if plural.endswith(("er", "ir", "re")) and plural != form + "s":
                fixed[form] = plural
    return fixed


def with_curly_apostrophes(table: dict[str, str]) -> dict[str, str]:
    """Web text writes ’ where lexicons write ': both spellings of a form get its lemma."""
    return {**table, **{f.replace("'", "’"): lemma for f, lemma in table.items() if "'" in f}}


def build(language: str) -> dict[str, str]:
    overrides = yaml.safe_load((MODELS / "lemma_overrides.yaml").read_text("utf-8"))[language]
    table = full_table(language)
    if language == "fr":
        table = participles_as_verbs(table)
    table = with_curly_apostrophes({**table, **{str(k): str(v) for k, v in overrides.items()}})
    words = lexicon_words(language)
    wanted = {table.get(word, word).lower() for word in words}
    subset: dict[str, str] = {}
    for form, lemma in table.items():
        lemma = lemma.lower()
        if lemma in wanted or form.lower() in words:
            subset[form] = lemma
            subset.setdefault(form[:1].upper() + form[1:], lemma)
    return dict(sorted(subset.items()))


def main() -> None:
    (MODELS / "lemmas").mkdir(exist_ok=True)
    for language in ("en", "fr"):
        table = build(language)
        out = MODELS / "lemmas" / f"{language}.json"
        out.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                       "utf-8")
        print(f"{out.relative_to(ROOT)}: {len(table)} forms")


if __name__ == "__main__":
    main()
