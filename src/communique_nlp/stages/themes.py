"""Stage 6, themes: which threat themes the document discusses, with the words that show it.

The taxonomy (``models/themes.yaml``, or the user's file) gives each theme English and French
terms, 'strong' (one mention shows the concept) or 'weak' (shows it only with a second piece of
evidence). Terms are matched with spaCy's ``PhraseMatcher`` on token norms (lemmas), longest
match first. Page chrome, links and contacts are not the document's own text and are not
searched. Themes are then given to sections, bullets and commitments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique_nlp.assets import load_yaml
from communique_nlp.errors import CommuniqueError
from communique_nlp.model import Commitment, Document, Evidence, Section, ThemeTag
from communique_nlp.nlp import phrase_matcher, pipeline, tokens
from communique_nlp.safe_data import read_data_file
from communique_nlp.stages.entities import organization_spans

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Span

SEARCHED_KINDS = ("lead", "body", "quote", "quick_facts", "background", "attendees")
WEIGHTS = {"strong": 1.0, "weak": 0.5}
TAG_THRESHOLD = 1.0  # one strong mention, or two weak ones
MAX_EVIDENCE = 5
MIN_PASSAGE = 40  # shorter texts (headings, labels) are not counted as passages of their own
# head nouns of the names of police and government units, in both languages' capitalisation
UNIT_HEADS = frozenset({"bureau", "unit", "units", "centre", "center", "command", "division",
                        "directorate", "squad", "branch", "section", "team", "office", "agency",
                        "taskforce", "policing", "service", "services", "coordinator"})


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    core: bool
    terms: dict[str, dict[str, tuple[str, ...]]]  # language -> strength -> terms


@dataclass(frozen=True)
class Mention:
    theme: str
    weight: float
    text: str
    term: str = ""  # the lexicon term matched, as lemmas: inflections of one term are one term


@dataclass(frozen=True, eq=False)  # compared by identity: one loaded taxonomy, cached matchers
class Taxonomy:
    themes: tuple[Theme, ...]

    def label(self, theme_id: str) -> str:
        return next(t.label for t in self.themes if t.id == theme_id)

    def order(self, theme_id: str) -> int:
        return next(i for i, t in enumerate(self.themes) if t.id == theme_id)


THEME_KEYS = ("id", "label", "label_fr", "core", "terms")
LANGUAGES = ("en", "fr")


class TaxonomyError(CommuniqueError):
    """A taxonomy file that is not one: '<file>: <the fault>'."""


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None, *, only: bool = False) -> Taxonomy:
    """The default taxonomy, with the themes of the user's file (``--themes FILE``, same shape
    as models/themes.yaml) added, each replacing the default theme of the same id; with
    ``only``, the user's themes alone. A malformed file raises ``TaxonomyError``."""
    default = () if path is not None and only else \
        _read_taxonomy(load_yaml("themes.yaml"), "themes.yaml")
    if path is None:
        return Taxonomy(default)
    try:
        data = read_data_file(path)
    except CommuniqueError as error:
        raise TaxonomyError(str(error)) from error
    own = {theme.id: theme for theme in _read_taxonomy(data, str(path))}
    merged = [own.pop(theme.id, theme) for theme in default]
    return Taxonomy((*merged, *own.values()))


def _read_taxonomy(data: Any, name: str) -> tuple[Theme, ...]:
    """The themes of a taxonomy file, each entry checked: known keys, an id, terms."""
    def fault(problem: str) -> TaxonomyError:
        return TaxonomyError(f"{name}: {problem}"[:300])

    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise fault("not a theme taxonomy (a 'themes:' list expected)")
    unknown = [str(key) for key in data if key != "themes"]
    if unknown:
        raise fault(f"unknown key {unknown[0]!r} (a taxonomy has only 'themes')")
    if not data["themes"]:
        raise fault("the taxonomy lists no themes")
    themes: dict[str, Theme] = {}
    for number, entry in enumerate(data["themes"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
                or not entry["id"].strip():
            raise fault(f"theme {number} has no id")
        theme_id = entry["id"]
        if "|" in theme_id:
            raise fault(f"theme {theme_id!r}: an id cannot contain '|'")
        where = f"theme {theme_id!r}"
        unknown = [str(key) for key in entry if key not in THEME_KEYS]
        if unknown:
            raise fault(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(THEME_KEYS)})")
        if theme_id in themes:
            raise fault(f"{where} is listed twice")
        terms = _terms(entry.get("terms"), where, fault)
        label = entry.get("label", theme_id)
        core = entry.get("core", True)
        if not isinstance(label, str) or not isinstance(core, bool):
            raise fault(f"{where}: 'label' must be text and 'core' true or false")
        themes[theme_id] = Theme(id=theme_id, label=label, core=core, terms=terms)
    return tuple(themes.values())


def _terms(data: Any, where: str, fault: Callable[[str], TaxonomyError]
           ) -> dict[str, dict[str, tuple[str, ...]]]:
    """language -> strength -> terms; a theme needs at least one term."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise fault(f"{where}: 'terms' must map languages ({', '.join(LANGUAGES)}) to terms")
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    for language, by_strength in data.items():
        if language not in LANGUAGES:
            raise fault(f"{where}: unknown language {language!r} (known: {', '.join(LANGUAGES)})")
        if by_strength is None:
            by_strength = {}
        if not isinstance(by_strength, dict):
            raise fault(f"{where}: terms of {language!r} must be given as strong: and weak:")
        for strength, listed in by_strength.items():
            if strength not in WEIGHTS:
                raise fault(f"{where}: unknown strength {strength!r} (known: strong, weak)")
            if listed is not None and (not isinstance(listed, list) or not all(
                    isinstance(term, str) and term.strip() for term in listed)):
                raise fault(f"{where}: {language} {strength} terms must be a list of words")
        terms[language] = {strength: tuple(by_strength.get(strength) or ())
                           for strength in WEIGHTS}
    if not any(t for by_strength in terms.values() for t in by_strength.values()):
        raise fault(f"{where} has no terms")
    return terms


@lru_cache(maxsize=8)
def _matcher(taxonomy: Taxonomy, language: str) -> PhraseMatcher:
    nlp = pipeline(language)
    return phrase_matcher(nlp, (
        (f"{theme.id}|{strength}", term)
        for theme in taxonomy.themes
        for strength, terms in theme.terms.get(language, {}).items()
        for term in terms
    ))


def mentions(text: str, language: str, taxonomy: Taxonomy) -> list[Mention]:
    """Theme terms in ``text``: longest matches, no overlaps, in order, none inside the name
    of an organisation."""
    from spacy.util import filter_spans

    language = language if language in ("en", "fr") else "en"
    doc = tokens(language, text)
    spans = filter_spans(_matcher(taxonomy, language)(doc, as_spans=True))
    names = organization_spans(text) if spans else []
    result = []
    for span in spans:
        if any(start <= span.start_char and span.end_char <= end for start, end in names):
            continue  # 'Counter Terrorism Policing' names a unit; it does not discuss terrorism
        if _names_a_unit(span):
            continue
        theme, strength = span.label_.rsplit("|", 1)
        result.append(Mention(theme, WEIGHTS[strength], span.text,
                              " ".join(t.norm_ for t in span)))
    return result


def _names_a_unit(span: Span) -> bool:
    """Whether a capitalised term is part of the name of a unit ('National Cyber Crime Bureau',
    'Counter Terrorism Command'): capitalised words running from it to a unit's head noun."""
    if not all(t.is_title or t.is_upper or not t.is_alpha for t in span) or span[0].is_sent_start:
        return False
    doc = span.doc
    for token in doc[span.end: span.end + 3]:
        if token.lower_ in UNIT_HEADS:
            return True
        if not token.is_title:
            return False
    return False


@dataclass(frozen=True)
class Found:
    """Every theme mention of a document's own text, with the section it is in."""

    own: dict[str, list[tuple[Mention, str]]]  # theme -> mentions in the searched sections
    title: dict[str, list[tuple[Mention, str]]]  # in the headline (which may be a banner)
    passages: dict[str, set[int]]  # theme -> the passages of its own text that mention it
    total: int  # passages of its own text
    in_headings: frozenset[str]


def collect(document: Document, taxonomy: Taxonomy) -> Found:
    """The mentions of every theme: the evidence a tag is decided on (here and in training)."""
    default = _language(document)
    own: dict[str, list[tuple[Mention, str]]] = {}
    passages: dict[str, set[int]] = {}
    title: dict[str, list[tuple[Mention, str]]] = {}
    in_headings: set[str] = set()
    total = 0
    searched = [s for s in document.sections if s.kind in SEARCHED_KINDS]
    for section in searched:
        language = _section_language(section, default)
        texts = [(section.heading or "", language),
                 *((p.text, p.language if p.language in ("en", "fr") else language)
                   for p in section.paragraphs)]
        if section is searched[0] and len(document.title or "") >= MIN_PASSAGE:
            # a headline is the document's own text (filed under the lead); a short 'title' may
            # be a menu line the segmenter promoted, and menus are not evidence
            for mention in mentions(document.title or "", default, taxonomy):
                title.setdefault(mention.theme, []).append((mention, section.id))
        for index, (text, text_language) in enumerate(texts):
            total += 1 if len(text) >= MIN_PASSAGE else 0
            for mention in mentions(text, text_language, taxonomy):
                own.setdefault(mention.theme, []).append((mention, section.id))
                passages.setdefault(mention.theme, set()).add(total)
                if index == 0:  # the heading
                    in_headings.add(mention.theme)
    return Found(own, title, passages, total, frozenset(in_headings))


def _language(document: Document) -> str:
    return document.language.language if document.language else "en"


def _section_language(section: Section, default: str) -> str:
    return section.language if section.language in ("en", "fr") else default


def tag_themes(document: Document, taxonomy: Taxonomy, model_dir: Path | None = None) -> Document:
    """Tag the document's themes: a core theme by the learned model
    (``models/learned/themes.json``) when there is one, any other theme (and every theme
    without the model) by the rule, one strong mention or two weak terms."""
    from communique_nlp.learn import themes as learned
    from communique_nlp.learn.store import load_model

    default = _language(document)

    def lang(section: Section) -> str:
        return _section_language(section, default)

    collected = collect(document, taxonomy)
    found = collected.own
    model = load_model(learned.MODEL, model_dir)

    def decide(theme: Theme) -> bool:
        if model is not None and theme.core:  # the themes gold annotations label
            features = learned.features(collected, theme.id, rule_verdict(collected, theme.id))
            return model.probability(features, learned.POSITIVE) >= learned.THRESHOLD
        return rule_verdict(collected, theme.id)

    tags = _document_tags(collected, taxonomy, decide)
    tagged = {tag.id for tag in tags}
    by_section: dict[str, list[Mention]] = {}
    for hits in found.values():
        for mention, section_id in hits:
            by_section.setdefault(section_id, []).append(mention)

    def themes_of(text: str, language: str) -> tuple[str, ...]:
        return _themes_in(mentions(text, language, taxonomy), tagged, taxonomy)

    sections = []
    for section in document.sections:
        if section.kind not in SEARCHED_KINDS:
            sections.append(section)
            continue
        bullets = tuple(replace(b, themes=themes_of(b.text, lang(section)))
                        for b in section.bullets)
        section_themes = _themes_in(by_section.get(section.id, []), tagged, taxonomy)
        sections.append(replace(section, bullets=bullets, themes=section_themes))
    by_id = {s.id: s for s in sections}
    core = [tag.id for tag in tags if _is_core(tag.id, taxonomy)]
    lead_ins: dict[str, dict[str, str]] = {}  # section -> item text -> its lead-in

    def lead_in(commitment: Commitment) -> str:
        if commitment.source != "bullet":
            return ""
        if commitment.section not in lead_ins:
            table: dict[str, str] = {}
            for p in by_id[commitment.section].paragraphs:
                if p.is_bullet:
                    table.setdefault(p.text, p.lead_in or "")
            lead_ins[commitment.section] = table
        return lead_ins[commitment.section].get(commitment.text, "")

    commitments = tuple(
        _commitment_themes(c, by_id[c.section], taxonomy, lang(by_id[c.section]), tagged, core,
                           lead_in(c))
        for c in document.commitments
    )
    return replace(document, sections=tuple(sections), commitments=commitments, themes=tags)


def _evidence_weight(found: Iterable[Mention]) -> float:
    """Strong mentions, plus weak ones counted once per term: a weak term needs a second,
    other term of its theme ('cyberspace' three times does not make a text about cybercrime)."""
    mentioned = list(found)
    strong = [m for m in mentioned if m.weight >= TAG_THRESHOLD]
    weak_terms = {m.term or m.text.lower() for m in mentioned if m.weight < TAG_THRESHOLD}
    return len(strong) * WEIGHTS["strong"] + len(weak_terms) * WEIGHTS["weak"]


def _is_core(theme_id: str, taxonomy: Taxonomy) -> bool:
    return next(t.core for t in taxonomy.themes if t.id == theme_id)


def _themes_in(found: Iterable[Mention], tagged: set[str], taxonomy: Taxonomy) -> tuple[str, ...]:
    """Themes shown in a passage: strong terms, or weak ones of a theme the document has."""
    ids = {m.theme for m in found if m.weight >= TAG_THRESHOLD or m.theme in tagged}
    return tuple(sorted(ids, key=taxonomy.order))


def _commitment_themes(commitment: Commitment, section: Section, taxonomy: Taxonomy,
                       language: str, tagged: set[str], core: list[str],
                       lead_in: str = "") -> Commitment:
    """Themes judged with the section's context.

    The commitment's own strong terms, with the themes of its section heading and (for a list
    item) of its lead-in; its weak terms only when nothing else shows a theme; failing all
    that, the document's theme when it has just one core theme.
    """
    own = mentions(commitment.text, language, taxonomy)
    context = [section.heading or ""]
    if commitment.source == "bullet":
        context.append(lead_in)  # of the first item with this text, looked up once per section
    found = [m for m in own if m.weight >= TAG_THRESHOLD]
    found += [m for text in context if text for m in mentions(text, language, taxonomy)]
    themes = _themes_in(found, tagged, taxonomy)
    if not themes:
        themes = _themes_in(own, tagged, taxonomy)
    if not themes and len(core) == 1:
        themes = (core[0],)
    return replace(commitment, themes=themes)


def rule_verdict(collected: Found, theme_id: str) -> bool:
    return _evidence_weight(m for m, _ in collected.own.get(theme_id, [])) >= TAG_THRESHOLD


def _document_tags(collected: Found, taxonomy: Taxonomy,
                   decide: Callable[[Theme], bool]) -> tuple[ThemeTag, ...]:
    """Tags with evidence. The score is half how strongly the theme is attested (1 - 2^-weight,
    so four strong mentions give 0.94) and half how much of the text it runs through (the
    share of passages mentioning it): a translation scores the same as its original, since
    both languages' lexicons find the theme in the same passages, if not as often. A theme
    tagged on the headline alone shows the headline's words as its evidence."""
    tags = []
    for theme in taxonomy.themes:
        hits = collected.own.get(theme.id, []) or collected.title.get(theme.id, [])
        if not hits or not decide(theme):
            continue
        weight = sum(m.weight for m, _ in hits)
        evidence = list(dict.fromkeys(Evidence(text=m.text, section=s) for m, s in hits))
        coverage = min(1.0, len(collected.passages.get(theme.id, ())) / max(collected.total, 1))
        tags.append(ThemeTag(
            id=theme.id, label=theme.label, score=round((1 - 0.5 ** weight + coverage) / 2, 2),
            mentions=len(hits), evidence=tuple(evidence[:MAX_EVIDENCE]),
        ))
    return tuple(sorted(tags, key=lambda t: (-t.score, taxonomy.order(t.id))))
