"""Scoring extractions against gold annotations (SPEC.md, 'Gold annotations and scoring').

Pure functions over plain dicts: a gold annotation as loaded from ``NAME.gold.yaml`` and a
prediction in the output schema (``Extraction.as_dict()``, or a YAML/JSON file of it). Nothing
here prints or exits; the ``communique eval`` command renders the report.

Conventions (documented once, used everywhere):

- **Text normalisation** (:func:`normalise_text`): Unicode NFKC, casefold, apostrophes
  (’ ‘ ` ´) -> ``'``, dashes (‐ ‑ ‒ – — ―) -> ``-``, whitespace runs -> one space, stripped.
- **Item matching** (bullets, commitments; :func:`items_match`): after normalisation, a
  predicted item matches a gold one when

  * the shorter string is a prefix of the longer one *and* is at least
    ``PREFIX_MIN_CHARS`` (30) characters long, or the two strings are equal. SPEC's 'at least
    30 characters, or the whole shorter string' is read as: a prefix counts when it is long
    enough to identify the item; a shorter text counts only when it is the whole item on both
    sides (equality), so a short fragment such as 'Ministers agreed to' does not match every
    item that starts with it; or
  * the Jaccard index of their word sets (``\\w+`` runs) is at least ``JACCARD_MIN`` (0.6).

  An empty string (after normalisation) matches nothing.
- **One-to-one, greedy**: every (gold, predicted) pair that matches gets a score: a prefix
  (or equality) match ranks first, then the Jaccard index; ties go to the earlier gold item,
  then the earlier prediction. Pairs are taken best first, skipping items already used, so
  each gold item matches at most one prediction and each prediction at most one gold item.
  Two predictions of one gold item give one tp and one fp.
- **Bullets**: predicted bullets of sections of kind boilerplate, links or contacts are not
  scored; all gold bullets are content bullets.
- **Headings**: non-null headings, normalised as above with a trailing ':' removed, matched
  one-to-one as multisets (the k-th gold occurrence of a heading pairs with its k-th predicted
  occurrence). ``section_kind`` is the accuracy of the kinds over those matched pairs.
- **Themes** and **commitment themes**: only the five core ids are scored. Document themes
  and countries are sets per document. ``commitment_themes`` counts (matched commitment
  pair, core theme) items over the matched pairs whose gold commitment lists ``themes``.
- **Missing fields**: a gold field that is absent, or null (an empty YAML key), is not scored
  for that document: no tp/fp/fn, no accuracy case. An empty list (``commitments: []``) is
  scored: every prediction is then a false positive.
- **Accuracy** (language, kind, date, title, section kinds): ``n`` counts the documents (or
  matched heading pairs) that are scored. Language and kind compare casefolded, title
  normalised, dates as ISO strings (YAML date objects are converted with ``isoformat``).
- **Zero denominators**: precision is 1.0 when nothing was predicted (tp + fp = 0), recall is
  1.0 when there was nothing to find (tp + fn = 0), F1 is 0.0 when precision + recall is 0,
  and accuracy is 1.0 when n = 0: a vacuous score is perfect, and the counts shown next to
  every figure tell when it is vacuous.
- **People** (:func:`match_people`): names are normalised as above and split into words
  (``\\w`` runs with inner apostrophes and hyphens, so 'R.' is the initial 'r'). Two names
  match when equal, or when their last words (the surname) are equal and their given names
  are compatible: compared in order, each pair of given names is equal or one is an initial
  (one letter) of the other; a name with no given name is compatible with any. Exact matches
  pair first, then surname matches, each gold person with at most one predicted person.
- **Role** accuracy over the matched people: both null is right; one null is wrong; otherwise
  the role texts match as items do (:func:`items_match`), or the shorter, of two words or
  more, stands whole (as whole words) inside the longer.
- **Place** accuracy: equal after normalisation. **Parties**: sets of codes, as countries,
  against ``document.parties``.
- Figures are micro-averaged: counts are summed over documents, then P/R/F1 computed once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique_nlp.errors import CommuniqueError, InputError, MissingInputError
from communique_nlp.safe_data import parse_data
from communique_nlp.text import one_to_one

CORE_THEMES: tuple[str, ...] = (
    "terrorism",
    "cybercrime",
    "migrant_smuggling",
    "encryption",
    "transnational_repression",
)
UNSCORED_SECTION_KINDS = frozenset({"boilerplate", "links", "contacts"})
PREFIX_MIN_CHARS = 30
JACCARD_MIN = 0.6
MAX_PAIRS = 4_000_000  # (gold, predicted) item pairs compared for one field of one document
MAX_FILE_BYTES = 20_000_000  # gold and prediction files larger than this are refused
GOLD_SUFFIX = ".gold.yaml"
DOCUMENT_SUFFIXES = (".txt", ".pdf", ".md", ".html", ".htm")  # searched when NAME has none

PRF_FIELDS = ("headings", "bullets", "commitments", "commitment_themes", "countries", "themes",
              "people", "parties")
ACCURACY_FIELDS = ("language", "kind", "date", "title", "section_kind", "role", "place")
ITEM_FIELDS = ("headings", "bullets", "commitments", "commitment_themes", "countries", "themes",
               "people", "parties")
DOCUMENT_FIELDS = ("language", "kind", "date", "title", "place")

_APOSTROPHES = dict.fromkeys(map(ord, "’‘`´"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―"), "-")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"\w+(?:['-]\w+)*")


# -- text ---------------------------------------------------------------------------------------

def normalise_text(text: str) -> str:
    """NFKC, casefold, one apostrophe and one dash, whitespace collapsed and stripped.

    Apostrophes and dashes are unified before NFKC too: NFKC turns '´' into a space and a
    combining accent, which would no longer be seen as an apostrophe.
    """
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    return _SPACE.sub(" ", text).strip()


def normalise_heading(text: str) -> str:
    """A heading as compared: :func:`normalise_text` without a trailing ':'."""
    return normalise_text(text).rstrip(":").rstrip()


def word_jaccard(a: str, b: str) -> float:
    """Jaccard index of the word sets of two (normalised) strings; 0.0 when both are empty."""
    words_a, words_b = set(_WORD.findall(a)), set(_WORD.findall(b))
    union = words_a | words_b
    return len(words_a & words_b) / len(union) if union else 0.0


def prefix_match(a: str, b: str) -> bool:
    """The shorter (normalised) string starts the longer and is long enough, or they are equal."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if not shorter:
        return False
    return shorter == longer or (len(shorter) >= PREFIX_MIN_CHARS
                                 and longer.startswith(shorter))


def match_score(gold: str, predicted: str) -> tuple[int, float] | None:
    """Rank of a matching pair of normalised strings (higher is better), ``None`` if no match.

    ``(1, jaccard)`` for a prefix match, ``(0, jaccard)`` for a Jaccard-only match: any prefix
    match outranks any Jaccard-only match.
    """
    if not gold or not predicted:
        return None
    jaccard = word_jaccard(gold, predicted)
    if prefix_match(gold, predicted):
        return (1, jaccard)
    if jaccard >= JACCARD_MIN:
        return (0, jaccard)
    return None


def items_match(gold: str, predicted: str) -> bool:
    """SPEC's item rule on raw strings (normalised here)."""
    return match_score(normalise_text(gold), normalise_text(predicted)) is not None


def match_items(gold: Sequence[str], predicted: Sequence[str]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of raw item texts: (gold index, predicted index) pairs, sorted."""
    if len(gold) * len(predicted) > MAX_PAIRS:
        raise CommuniqueError(f"too many items to match ({len(gold):,} gold × "
                              f"{len(predicted):,} predicted, more than {MAX_PAIRS:,} pairs)")
    gold_norm = [normalise_text(text) for text in gold]
    pred_norm = [normalise_text(text) for text in predicted]
    candidates: list[tuple[Any, int, int]] = []
    for i, gold_text in enumerate(gold_norm):
        for j, pred_text in enumerate(pred_norm):
            score = match_score(gold_text, pred_text)
            if score is not None:
                candidates.append(((-score[0], -score[1], i, j), i, j))
    return sorted(one_to_one(candidates))


def match_headings(gold: Sequence[str], predicted: Sequence[str]) -> list[tuple[int, int]]:
    """Multiset matching of normalised headings: k-th gold occurrence with k-th predicted one."""
    waiting: dict[str, list[int]] = {}
    for j, heading in enumerate(predicted):
        waiting.setdefault(normalise_heading(heading), []).append(j)
    pairs: list[tuple[int, int]] = []
    for i, heading in enumerate(gold):
        queue = waiting.get(normalise_heading(heading))
        if queue:
            pairs.append((i, queue.pop(0)))
    return pairs


def _name_words(name: str) -> list[str]:
    return _NAME_WORD.findall(normalise_text(name))


def _given_names_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    for x, y in zip(a, b, strict=False):
        if x != y and not ((len(x) == 1 and y.startswith(x)) or (len(y) == 1
                                                                   and x.startswith(y))):
            return False
    return True


def name_match_rank(gold: str, predicted: str) -> int | None:
    """2 for names equal after normalisation, 1 for the same surname with compatible given
    names, None otherwise (rules in the module docstring)."""
    gold_words, pred_words = _name_words(gold), _name_words(predicted)
    if not gold_words or not pred_words:
        return None
    if gold_words == pred_words:
        return 2
    if gold_words[-1] == pred_words[-1] and _given_names_compatible(gold_words[:-1],
                                                                    pred_words[:-1]):
        return 1
    return None


def match_people(gold: Sequence[str], predicted: Sequence[str]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of names: exact pairs first, then surname pairs; sorted."""
    if len(gold) * len(predicted) > MAX_PAIRS:
        raise CommuniqueError(f"too many people to match ({len(gold):,} gold × "
                              f"{len(predicted):,} predicted)")
    candidates: list[tuple[Any, int, int]] = []
    for i, gold_name in enumerate(gold):
        for j, pred_name in enumerate(predicted):
            rank = name_match_rank(gold_name, pred_name)
            if rank is not None:
                candidates.append(((-rank, i, j), i, j))
    return sorted(one_to_one(candidates))


def roles_match(gold: str | None, predicted: str | None) -> bool:
    """SPEC's role rule: both absent, the item rule, or the shorter (two words or more)
    standing whole inside the longer."""
    gold_text, pred_text = normalise_text(gold or ""), normalise_text(predicted or "")
    if not gold_text or not pred_text:
        return not gold_text and not pred_text
    if match_score(gold_text, pred_text) is not None:
        return True
    shorter, longer = sorted((gold_text, pred_text), key=len)
    if len(shorter.split()) < 2:
        return False
    return re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer) is not None


# -- figures ------------------------------------------------------------------------------------

def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 (conventions above)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def r(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Accuracy:
    """Correct cases out of ``n`` scored ones."""

    correct: int = 0
    n: int = 0

    @property
    def acc(self) -> float:
        return _ratio(self.correct, self.n)

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.n += other.n

    def as_dict(self) -> dict[str, Any]:
        return {"acc": round(self.acc, 4), "n": self.n}


@dataclass
class DocumentScore:
    """One document's counts, and what was missed, spurious or wrong (for ``--errors``).

    ``missed[field]`` lists gold items without a match, ``spurious[field]`` predicted items
    without one, ``wrong[field]`` holds ``(gold, predicted)`` for a wrong document field, and
    ``wrong_kinds`` ``(heading, gold kind, predicted kind)`` for matched headings of another kind.
    """

    name: str
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in PRF_FIELDS})
    accuracy: dict[str, Accuracy] = field(
        default_factory=lambda: {f: Accuracy() for f in ACCURACY_FIELDS})
    per_theme: dict[str, Counts] = field(
        default_factory=lambda: {t: Counts() for t in CORE_THEMES})
    missed: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in ITEM_FIELDS})
    spurious: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in ITEM_FIELDS})
    wrong: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    wrong_kinds: list[tuple[str, str, str]] = field(default_factory=list)
    wrong_roles: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    error: str | None = None  # the prediction could not be made or read (scored as empty)

    def has_errors(self) -> bool:
        return bool(self.error or self.wrong or self.wrong_kinds or self.wrong_roles
                    or any(self.missed.values()) or any(self.spurious.values()))

    def errors_dict(self) -> dict[str, Any]:
        """What ``--errors`` shows, as plain data."""
        return {
            "name": self.name,
            "error": self.error,
            "missed": {k: list(v) for k, v in self.missed.items() if v},
            "spurious": {k: list(v) for k, v in self.spurious.items() if v},
            "wrong": {k: {"gold": g, "predicted": p} for k, (g, p) in self.wrong.items()},
            "section_kind": [{"heading": h, "gold": g, "predicted": p}
                             for h, g, p in self.wrong_kinds],
            "role": [{"name": n, "gold": g, "predicted": p} for n, g, p in self.wrong_roles],
        }


@dataclass
class EvalReport:
    """Every document's score, the micro-summed figures, and the documents that failed."""

    documents: list[DocumentScore] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (name, message)

    @property
    def docs(self) -> int:
        return len(self.documents)

    def counts(self, name: str) -> Counts:
        total = Counts()
        for document in self.documents:
            total.add(document.counts[name])
        return total

    def accuracy(self, name: str) -> Accuracy:
        total = Accuracy()
        for document in self.documents:
            total.add(document.accuracy[name])
        return total

    def theme(self, theme_id: str) -> Counts:
        total = Counts()
        for document in self.documents:
            total.add(document.per_theme[theme_id])
        return total

    def as_dict(self) -> dict[str, Any]:
        """SPEC's 'Eval output' object."""
        result: dict[str, Any] = {"docs": self.docs}
        for name in PRF_FIELDS:
            result[name] = self.counts(name).as_dict()
        for name in ACCURACY_FIELDS:
            result[name] = self.accuracy(name).as_dict()
        result["per_theme"] = {t: self.theme(t).as_dict() for t in CORE_THEMES}
        return result

    def errors_dict(self) -> dict[str, Any]:
        """Per document what went wrong, and the documents that could not be scored or parsed."""
        return {
            "documents": [d.errors_dict() for d in self.documents if d.has_errors()],
            "errors": [{"name": name, "error": message} for name, message in self.errors],
        }


# -- reading the two sides ----------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _item_text(item: Any) -> str:
    return _text(item.get("text")) if isinstance(item, Mapping) else _text(item)


def _core(themes: Iterable[Any]) -> set[str]:
    ids = {_text(t.get("id") if isinstance(t, Mapping) else t).strip() for t in themes}
    return ids & set(CORE_THEMES)


def _countries(values: Iterable[Any]) -> set[str]:
    return {c for c in (_text(v).strip().upper() for v in values) if c}


def _scored(gold: Mapping[str, Any], key: str) -> bool:
    return gold.get(key) is not None


@dataclass(frozen=True)
class _Predicted:
    """The parts of a prediction that are scored, read defensively (any part may be missing)."""

    document: Mapping[str, Any]
    headings: list[tuple[str, str]]  # (heading, kind) of sections with a heading
    bullets: list[str]
    commitments: list[tuple[str, set[str]]]  # (text, core themes)
    themes: set[str]
    countries: set[str]
    people: list[tuple[str, str | None]]  # (name, role)
    parties: set[str]

    @classmethod
    def read(cls, predicted: Mapping[str, Any]) -> _Predicted:
        sections = [s for s in _list(predicted.get("sections")) if isinstance(s, Mapping)]
        headings = [(_text(s.get("heading")), _text(s.get("kind"))) for s in sections
                    if s.get("heading") is not None and normalise_heading(_text(s["heading"]))]
        bullets = [_item_text(b) for s in sections
                   if _text(s.get("kind")) not in UNSCORED_SECTION_KINDS
                   for b in _list(s.get("bullets"))]
        commitments = [(_item_text(c), _core(_list(c.get("themes"))) if isinstance(c, Mapping)
                        else set()) for c in _list(predicted.get("commitments"))]
        document = _mapping(predicted.get("document"))
        return cls(document=document, headings=headings, bullets=bullets,
                   commitments=commitments, themes=_core(_list(predicted.get("themes"))),
                   countries=_countries(_list(document.get("countries"))),
                   people=_people(document.get("people")),
                   parties=_countries(_list(document.get("parties"))))


def _people(value: Any) -> list[tuple[str, str | None]]:
    """(name, role) of each person with a name; a role that is null or empty is None."""
    found = []
    for item in _list(value):
        if isinstance(item, Mapping):
            name, role = _text(item.get("name")), _text(item.get("role"))
        else:
            name, role = _text(item), ""
        if name.strip():
            found.append((name, role or None))
    return found


def _score_sets(gold: set[str], predicted: set[str]) -> tuple[Counts, list[str], list[str]]:
    counts = Counts(tp=len(gold & predicted), fp=len(predicted - gold), fn=len(gold - predicted))
    return counts, sorted(gold - predicted), sorted(predicted - gold)


def score_document(gold: Mapping[str, Any], predicted: Mapping[str, Any],
                   name: str = "") -> DocumentScore:
    """Score one prediction (output schema dict) against one gold annotation (gold dict)."""
    score = DocumentScore(name=name)
    pred = _Predicted.read(predicted)

    if _scored(gold, "sections"):
        gold_headings = [(_text(s.get("heading")), _text(s.get("kind")))
                         for s in _list(gold["sections"]) if isinstance(s, Mapping)
                         and s.get("heading") is not None
                         and normalise_heading(_text(s["heading"]))]
        pairs = match_headings([h for h, _ in gold_headings], [h for h, _ in pred.headings])
        _fill_items(score, "headings", [h for h, _ in gold_headings],
                    [h for h, _ in pred.headings], pairs)
        kinds = score.accuracy["section_kind"]
        for i, j in pairs:
            heading, gold_kind = gold_headings[i]
            pred_kind = pred.headings[j][1]
            kinds.n += 1
            if gold_kind.strip().casefold() == pred_kind.strip().casefold():
                kinds.correct += 1
            else:
                score.wrong_kinds.append((heading, gold_kind, pred_kind))

    if _scored(gold, "bullets"):
        gold_bullets = [_item_text(b) for b in _list(gold["bullets"])]
        _fill_items(score, "bullets", gold_bullets, pred.bullets,
                    match_items(gold_bullets, pred.bullets))

    if _scored(gold, "commitments"):
        gold_items = _list(gold["commitments"])
        gold_texts = [_item_text(c) for c in gold_items]
        pred_texts = [text for text, _ in pred.commitments]
        pairs = match_items(gold_texts, pred_texts)
        _fill_items(score, "commitments", gold_texts, pred_texts, pairs)
        themes = score.counts["commitment_themes"]
        for i, j in pairs:
            item = gold_items[i]
            if not isinstance(item, Mapping) or item.get("themes") is None:
                continue
            pair_counts, missed, spurious = _score_sets(_core(_list(item["themes"])),
                                                        pred.commitments[j][1])
            themes.add(pair_counts)
            label = gold_texts[i][:60]
            score.missed["commitment_themes"] += [f"{t} ({label})" for t in missed]
            score.spurious["commitment_themes"] += [f"{t} ({label})" for t in spurious]

    if _scored(gold, "countries"):
        counts, missed, spurious = _score_sets(_countries(_list(gold["countries"])),
                                               pred.countries)
        score.counts["countries"] = counts
        score.missed["countries"], score.spurious["countries"] = missed, spurious

    if _scored(gold, "themes"):
        gold_themes = _core(_list(gold["themes"]))
        counts, missed, spurious = _score_sets(gold_themes, pred.themes)
        score.counts["themes"] = counts
        score.missed["themes"], score.spurious["themes"] = missed, spurious
        for theme in CORE_THEMES:
            score.per_theme[theme], _, _ = _score_sets(gold_themes & {theme},
                                                       pred.themes & {theme})

    if _scored(gold, "people"):
        _score_people(score, _people(gold["people"]), pred.people)

    if _scored(gold, "parties"):
        counts, missed, spurious = _score_sets(_countries(_list(gold["parties"])), pred.parties)
        score.counts["parties"] = counts
        score.missed["parties"], score.spurious["parties"] = missed, spurious

    for key in DOCUMENT_FIELDS:
        if not _scored(gold, key):
            continue
        gold_value = _text(gold[key])
        pred_value = _text(pred.document.get(key))
        compare = normalise_text if key in ("title", "place") else _plain
        accuracy = score.accuracy[key]
        accuracy.n += 1
        if compare(gold_value) == compare(pred_value):
            accuracy.correct += 1
        else:
            score.wrong[key] = (gold_value, pred_value or None)
    return score


def _score_people(score: DocumentScore, gold: Sequence[tuple[str, str | None]],
                  predicted: Sequence[tuple[str, str | None]]) -> None:
    gold_names, pred_names = [n for n, _ in gold], [n for n, _ in predicted]
    pairs = match_people(gold_names, pred_names)
    _fill_items(score, "people", gold_names, pred_names, pairs)
    roles = score.accuracy["role"]
    for i, j in pairs:
        roles.n += 1
        if roles_match(gold[i][1], predicted[j][1]):
            roles.correct += 1
        else:
            score.wrong_roles.append((gold[i][0], gold[i][1], predicted[j][1]))


def _plain(value: str) -> str:
    return value.strip().casefold()


def _fill_items(score: DocumentScore, key: str, gold: Sequence[str], predicted: Sequence[str],
                pairs: Sequence[tuple[int, int]]) -> None:
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    score.counts[key] = Counts(tp=len(pairs), fp=len(predicted) - len(matched_pred),
                               fn=len(gold) - len(matched_gold))
    score.missed[key] = [t for i, t in enumerate(gold) if i not in matched_gold]
    score.spurious[key] = [t for j, t in enumerate(predicted) if j not in matched_pred]


# -- folders ------------------------------------------------------------------------------------

def load_data(path: Path) -> dict[str, Any]:
    """A gold or prediction file (YAML, or JSON for ``.json``) as a dict; size-guarded."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(str(path), f"{size} bytes, more than the {MAX_FILE_BYTES} "
                                        "allowed for a gold or prediction file")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise MissingInputError(str(path), "no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read ({error})") from error
    data = parse_data(text, str(path), fmt="json" if path.suffix == ".json" else "yaml",
                      aliases=True, wording="not valid {fmt}: {problem}")
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a mapping at the top level")
    return data


def load_prediction(path: Path) -> dict[str, Any]:
    """A prediction file: an extraction in the output schema. Parts may be left out (they
    are then not predicted), but what is there must have the schema's shape."""
    from communique_nlp.model import SCHEMA_ID
    from communique_nlp.schema import validation_error

    data = load_data(path)
    if data.get("schema") != SCHEMA_ID:
        raise InputError(str(path), f"not a {SCHEMA_ID} extraction (schema "
                                    f"{str(data.get('schema'))[:60]!r})")
    problem = validation_error(data, required=False)
    if problem is not None:
        raise InputError(str(path), f"not a valid {SCHEMA_ID} extraction ({problem[:200]})")
    return data


def gold_files(gold_dir: Path) -> list[Path]:
    """Every ``NAME.gold.yaml`` under ``gold_dir``, in a stable order."""
    if not gold_dir.is_dir():
        raise MissingInputError(str(gold_dir), "no such folder")
    found = sorted(p for p in gold_dir.rglob(f"*{GOLD_SUFFIX}") if p.is_file())
    if not found:
        raise InputError(str(gold_dir), f"no gold files (*{GOLD_SUFFIX}) in this folder")
    return found


def document_for(gold_path: Path) -> Path | None:
    """The document a gold file describes: ``NAME`` itself, else ``NAME.<supported extension>``."""
    name = gold_path.name[: -len(GOLD_SUFFIX)]
    exact = gold_path.with_name(name)
    if exact.is_file():
        return exact
    for suffix in DOCUMENT_SUFFIXES:
        candidate = gold_path.with_name(name + suffix)
        if candidate.is_file():
            return candidate
    return None


def prediction_for(pred_dir: Path, relative_name: str) -> Path | None:
    """``pred_dir/NAME.yaml`` (or ``.yml``, ``.json``); else the same with NAME's extension off."""
    base = pred_dir / relative_name
    stems = [base.name]
    if Path(base.name).suffix:
        stems.append(Path(base.name).stem)
    for stem in stems:
        for suffix in (".yaml", ".yml", ".json"):
            candidate = base.with_name(stem + suffix)
            if candidate.is_file():
                return candidate
    return None


def _default_parse(path: Path) -> Any:
    from communique_nlp.pipeline import parse

    return parse(path)


def _message(error: Exception) -> str:
    if isinstance(error, CommuniqueError):
        return str(error)
    return f"internal error ({type(error).__name__}: {error})"


def evaluate(gold_dir: Path, pred_dir: Path | None = None,
             parse: Callable[[Path], Any] | None = None, *, debug: bool = False) -> EvalReport:
    """Score every ``NAME.gold.yaml`` under ``gold_dir``.

    Predictions come from ``pred_dir/NAME.yaml`` (or ``.json``) when ``pred_dir`` is given,
    otherwise from ``parse(document)`` (default :func:`communique_nlp.parse`; its result may
    be an ``Extraction`` or the dict itself). A prediction that cannot be made or read is
    scored as empty and listed in ``report.errors``; an unreadable gold file is listed there
    and not scored. Raises :class:`MissingInputError` / :class:`InputError` for a missing
    folder or one without gold files. With ``debug``, an unexpected exception (a bug, not a
    bad file) is raised instead of listed.
    """
    files = gold_files(gold_dir)
    if pred_dir is not None and not pred_dir.is_dir():
        raise MissingInputError(str(pred_dir), "no such folder")
    parse = parse or _default_parse
    report = EvalReport()
    for gold_path in files:
        name = gold_path.relative_to(gold_dir).as_posix()[: -len(GOLD_SUFFIX)]
        try:
            gold = load_data(gold_path)
        except CommuniqueError as error:
            report.errors.append((name, str(error)))
            continue
        predicted: Mapping[str, Any] = {}
        problem: str | None = None
        try:
            predicted = _predict(gold_path, name, pred_dir, parse)
        except Exception as error:
            if debug and not isinstance(error, CommuniqueError):
                raise
            problem = _message(error)
            report.errors.append((name, problem))
        try:
            score = score_document(gold, predicted, name)
        except CommuniqueError as error:
            report.errors.append((name, str(error)))
            continue
        except Exception as error:  # a gold file of an unexpected shape: that file alone
            if debug:
                raise
            report.errors.append((name, f"{gold_path}: cannot be scored ({_message(error)})"))
            continue
        score.error = problem
        report.documents.append(score)
    return report


def _predict(gold_path: Path, name: str, pred_dir: Path | None,
             parse: Callable[[Path], Any]) -> Mapping[str, Any]:
    if pred_dir is not None:
        found = prediction_for(pred_dir, name)
        if found is None:
            raise MissingInputError(str(pred_dir / name), "no prediction file "
                                                          "(NAME.yaml or NAME.json)")
        return load_prediction(found)
    document = document_for(gold_path)
    if document is None:
        raise MissingInputError(str(gold_path.with_name(Path(name).name)),
                                "no document beside the gold file")
    result = parse(document)
    data = result.as_dict() if hasattr(result, "as_dict") else result
    if not isinstance(data, Mapping):
        raise InputError(str(document), "the parser returned no extraction")
    return data
