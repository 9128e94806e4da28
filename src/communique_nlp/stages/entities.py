"""Stage 7, entities: when and where, who is named, and what kind of document this is.

- the date from the dateline ('OTTAWA, ON, le 23 nov. 2025 /CNW/'), the signature
  ('Ottawa, le 27 juin 2017') or a date line under the title, in that order; the place
  apart, in ``stages/place.py``;
- countries from a bilingual gazetteer of names and adjectives (``models/countries.yaml``),
  as ISO 3166-1 alpha-2 codes, longest match first so 'New South Wales' is not Wales;
- organisations from ``models/organizations.yaml``; people from name candidates and the
  roles printed beside them (``stages/people.py``), chosen by the learned people model;
- parties, the countries that issue or sign the document (``stages/parties.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path

from communique_nlp.assets import load_yaml
from communique_nlp.dates import find_dates
from communique_nlp.learn import dating, kind, people
from communique_nlp.learn.store import load_model
from communique_nlp.model import Document, Entities, Person, Section
from communique_nlp.nlp import Gazetteer
from communique_nlp.stages.parties import find_parties
from communique_nlp.stages.people import Mention, mentions, merge, role_lines
from communique_nlp.stages.place import find_place
from communique_nlp.stages.segment import is_date_line
from communique_nlp.text import fold

OWN_TEXT_KINDS = ("lead", "body", "quote", "quick_facts", "background", "attendees", "signature")
_UPPER = "A-ZÀ-ÖØ-ÞŠŽČĆĐŁŒ"
_LOWER_CASE_WORD = re.compile(r"\b[a-zß-ÿ][\w'’-]*")  # a name's word used as a common word
_PUBLISHED = ("published", "publié", "posted", "updated", "mis à jour", "date modified",
              "date de modification", "modifié")


@dataclass(frozen=True)
class _Gazetteers:
    countries: Gazetteer  # names and adjectives -> ISO code; '-' for names that are not
    organizations: Gazetteer  # acronyms, compared exactly
    organizations_lower: Gazetteer  # names, compared casefolded
    listed: Gazetteer  # listed terrorist entities (models/listed_entities.yaml), exactly


@cache
def gazetteers() -> _Gazetteers:
    data = load_yaml("countries.yaml")
    names = [(str(code), str(name)) for code, entry in sorted(data["countries"].items())
             for key in ("en", "fr", "en_adj", "fr_adj") for name in entry.get(key) or []]
    names += [("-", str(name)) for name in data.get("not_countries") or []]
    # 'franco' names France only as the first part of a compound: 'franco-britannique'
    names += [(str(code), f"{form}-") for code, entry in sorted(data["countries"].items())
              for prefix in entry.get("prefixes") or []
              for form in (str(prefix), str(prefix).capitalize())]
    aliases = [(str(entry["name"]), str(alias)) for entry in
               load_yaml("organizations.yaml")["organizations"]
               for alias in [entry["name"], *(entry.get("aliases") or [])]]
    exact = [(name, alias) for name, alias in aliases if alias.isupper() or len(alias) <= 4]
    listed = [(str(entry["name"]), str(alias)) for entry in
              load_yaml("listed_entities.yaml")["entities"]
              for alias in [entry["name"], *(entry.get("aliases") or [])]]
    return _Gazetteers(
        listed=Gazetteer(listed),
        countries=Gazetteer(names),
        organizations=Gazetteer(exact),
        organizations_lower=Gazetteer([p for p in aliases if p not in set(exact)], casefold=True),
    )


def find_entities(document: Document, model_dir: Path | None = None) -> Document:
    countries: dict[str, int] = {}
    organizations: dict[str, int] = {}
    position = 0
    texts = own_texts(document)
    for text, language in texts:
        for code in countries_in(text, language):
            countries.setdefault(code, position)
            position += 1
        for name in organizations_in(text, language):
            organizations.setdefault(name, position)
            position += 1
    # a date the markup gives (<time datetime>) wins
    date = document.date_hint or document_date(document, rule_date(document.sections), model_dir)
    people_found = document_people(document, model_dir)
    place = find_place(document.title, document.sections, {p.name for p in people_found})
    entities = Entities(
        date=date,
        place=place,
        countries=tuple(sorted(countries)),
        organizations=tuple(sorted(organizations, key=lambda n: (organizations[n], n))),
        people=people_found,
    )
    document = replace(document, entities=entities)
    entities = replace(entities, parties=tuple(find_parties(document)))
    document = replace(document, entities=entities)
    return replace(document, kind=document_kind(document, model_dir))


def countries_in(text: str, language: str) -> list[str]:
    return [code for code in gazetteers().countries.find(text) if code != "-"]


@lru_cache(maxsize=2048)  # themes and entities both ask, about the same paragraphs
def _organization_matches(text: str) -> tuple[tuple[str, int, int], ...]:
    names = gazetteers()
    return (*names.organizations.spans(text), *names.organizations_lower.spans(text))


def organization_spans(text: str) -> list[tuple[int, int]]:
    """Where organisations are named in ``text`` (character offsets)."""
    return [(start, end) for _, start, end in _organization_matches(text)]


def organizations_in(text: str, language: str) -> list[str]:
    """Organisations and listed groups named in ``text``; a group named inside an
    organisation's name ('Global Coalition against Daesh') is not counted apart."""
    matches = _organization_matches(text)
    listed = [name for name, start, end in gazetteers().listed.spans(text)
              if not any(s <= start and end <= e for _, s, e in matches)]
    return [name for name, _, _ in matches] + listed


def rule_date(sections: tuple[Section, ...]) -> str | None:
    """The rules' date, a feature of the learned ranker: dateline first (a date after a place,
    or opening its line), then the signature, then a publication stamp, then any date of the
    lead.

    The dateline is looked for in the stretch before the first headed section: the lead, and
    the page chrome around the headline, where date lines often stand.
    """
    top: list[str] = []
    for section in sections:
        if section.kind not in ("lead", "boilerplate") or section.heading:
            break
        top.extend(p.text for p in section.paragraphs)
    candidates: list[tuple[int, int, str]] = []
    for index, text in enumerate(top[:TOP_PARAGRAPHS]):
        for mention in find_dates(text)[:1]:
            before = text[:mention.start]
            place = _place(before) or _place_after(text[mention.end:])
            if mention.start > 80 or not (place or not before.strip(" -–—(")
                                          or is_date_line(text)):
                continue
            published = fold(before).strip().startswith(_PUBLISHED)
            candidates.append((2 if published else 0, index, mention.iso))
    for section in sections:
        if section.kind == "signature":
            for paragraph in section.paragraphs:
                for mention in find_dates(paragraph.text)[:1]:
                    candidates.append((1, 0, mention.iso))
        if section.kind == "lead":
            for index, paragraph in enumerate(section.paragraphs):
                for mention in find_dates(paragraph.text)[:1]:
                    candidates.append((3, index, mention.iso))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _place(before: str) -> str | None:
    """'OTTAWA, ON, le ' -> 'Ottawa'; 'Council of Europe Strasbourg ' -> 'Strasbourg'.

    Only a run of capitalised words is a place: 'we met in Ottawa on' is a sentence.
    """
    if len(before) > MAX_PLACE_CONTEXT:
        return None  # a long stretch before the date is a sentence, not a dateline
    text = re.sub(r"^\s*\([^)]*\)\s*", "", before).strip(" ,—–-")
    text = re.sub(r"(?i)[,\s]+(?:le|du|the|on)$", "", text).strip(" ,")
    if not text or len(text) > 60 or fold(text).startswith(_PUBLISHED):
        return None
    head = text.split(",")[0].strip()
    words = head.split()
    if not words or len(words) > 5 or not all(w[:1].isupper() or w in _PARTICLES
                                                for w in words):
        return None
    place = head if "," in text else words[-1]
    if fold(place) in load_yaml("months.yaml")["weekdays"]:
        return None  # 'Tuesday, April 14, 2026'
    return place.title() if place.isupper() else place


def _place_after(after: str) -> str | None:
    """'November 23, 2025 – Ottawa, Ontario – Public Safety Canada': the place follows."""
    match = re.match(r"\s*[–—-]\s*([^,–—\-]{2,40})", after)
    if not match:
        return None
    words = match[1].split()
    if not words or len(words) > 3 or not all(w[:1].isupper() for w in words):
        return None
    return " ".join(words)


MAX_PLACE_CONTEXT = 300  # characters before a date in which a place is looked for
TOP_PARAGRAPHS = 20  # how far into the chrome and lead a dateline is looked for
_PARTICLES = {"of", "de", "du", "la", "le", "the", "and", "et", "-"}


def document_date(document: Document, rule_date: str | None,
                  model_dir: Path | None = None) -> str | None:
    """The date the learned ranker (models/learned/date.json) prefers among the document's
    dates, the rule's choice among its features; the rule's choice when no model is there."""
    model = load_model(dating.MODEL, model_dir)
    if model is None:
        return rule_date
    return dating.choose(dating.candidates(document, rule_date), model) or rule_date


def document_kind(document: Document, model_dir: Path | None = None) -> str:
    """The learned kind (models/learned/kind.json), the rule verdict among its features; the
    rule verdict alone when no model is there, when it is a communiqué, or when the title
    names the kind (a title or opening naming a joint text, or 'Statement by ...', is the
    surest cue: the model would turn some into releases or reference pages)."""
    named = title_kind(document)
    verdict = named or _text_kind(document)  # rule_kind, the title read once
    model = load_model(kind.MODEL, model_dir)
    if model is None or named or verdict == "communique":
        return verdict
    probabilities = model.probabilities(kind.features(document, verdict))
    return max(sorted(probabilities), key=lambda label: probabilities[label])


def own_texts(document: Document) -> list[tuple[str, str]]:
    """(text, language) of the title, then of each heading and paragraph of the document's
    own sections; empty texts left out."""
    default = document.language.language if document.language else "en"
    own = [s for s in document.sections if s.kind in OWN_TEXT_KINDS]
    texts = [(document.title or "", default)] + [
        (text, language if language in ("en", "fr") else default)
        for s in own
        for text, language in [(s.heading or "", s.language),
                               *((p.text, p.language) for p in s.paragraphs)]
    ]
    return [(text, language if language in ("en", "fr") else "en")
            for text, language in texts if text]


def document_people(document: Document, model_dir: Path | None = None) -> tuple[Person, ...]:
    """The learned choice of people among the candidates (models/learned/people.json), the
    rule verdict among the features; the rule verdict alone when no model is there."""
    model = load_model(people.MODEL, model_dir)
    chosen = []
    for name, role, candidate_mentions, row in people_candidates(document):
        keep = (model.probability(row, people.YES) >= 0.5 if model
                else any(m.rule_verdict() for m in candidate_mentions))
        if keep:
            chosen.append(Person(name, role))
    return tuple(chosen)


def people_candidates(document: Document
                      ) -> list[tuple[str, str | None, list[Mention], dict[str, float]]]:
    """Each candidate person with its mentions and features (learn/people.py)."""
    texts = own_texts(document)
    found = []
    for index, (text, _) in enumerate(texts):
        found_here = mentions(text, in_title=index == 0 and text == document.title)
        if len(found_here) == 1 and not found_here[0].role:
            found_here[0].role_after = role_lines([t for t, _ in texts[max(0, index - 3):index]],
                                                  [t for t, _ in texts[index + 1:index + 4]])
        found.extend(found_here)
    lowercase = frozenset(chain.from_iterable(_LOWER_CASE_WORD.findall(text) for text, _ in texts))
    return [(name, role, group, people.features(
                name, group, lowercase, bool(countries_in(name, "en") or organizations_in(
                    name, "en"))))
            for name, role, group in merge(found)]


def rule_kind(document: Document) -> str:
    """communique, press_release, statement or other, from the title, the opening, and the
    voice."""
    return title_kind(document) or _text_kind(document)


def _text_kind(document: Document) -> str:
    """The kind of a text whose title names none: from its opening, and its voice."""
    cues = load_yaml("kinds.yaml")
    own = [s for s in document.sections if s.kind != "boilerplate"]
    opening = _opening(own)
    if any(opening.startswith(c) or f" {c}" in opening for c in cues["communique"]["opening"]):
        return "communique"
    if _names_any(fold(document.title or ""), cues["statement"]["generic"]):
        return "statement"
    words = re.findall(r"\w+", _unquoted(_body_text(own)[:3000]))
    first_person = {w for ws in cues["first_person"].values() for w in ws}
    if sum(map(first_person.__contains__, words)) >= 2:
        return "statement"  # 'we' of one body: that body's statement
    return "press_release"


def title_kind(document: Document) -> str | None:
    """The kind the title names: a reference or spoken text ('Questions and answers', 'Fact
    sheet', 'Transcript of ...': other), one party's statement ('Statement by the RCMP') or a
    joint text ('Joint statement', 'Déclaration commune', 'Declaration on ...'; an untitled
    text may open with that name); None when the title names no kind."""
    cues = load_yaml("kinds.yaml")
    statement, joint = cues["statement"], cues["communique"]
    title = fold(document.title or "")
    if _names_any(title, cues["other"]["title"]):
        return "other"
    if _names_any(title, statement["title"]) and not _names_any(title, statement["unless"]):
        return "statement"
    joint_statement = (_names_any(title, statement["generic"])
                       and _names_any(title, statement["unless"]))  # 'Joint EU-US statement'
    if (joint_statement or _names_any(title, joint["title"])
            or _starts_with_any(title, joint["title_start"])):
        return "communique"
    own = [s for s in document.sections if s.kind != "boilerplate"]
    if not title and _starts_with_any(_opening(own), joint["title"]):
        return "communique"  # the untitled text opens with its name ('Joint statement of ...')
    return None


def _opening(own: list[Section]) -> str:
    return fold(own[0].paragraphs[0].text[:200]) if own and own[0].paragraphs else ""


def _names_any(title: str, phrases: list[str]) -> bool:
    return any(fold(phrase) in title for phrase in phrases)


def _starts_with_any(text: str, phrases: list[str]) -> bool:
    return text.startswith(tuple(fold(phrase) for phrase in phrases))


def _body_text(sections: list[Section]) -> str:
    return fold(" ".join(p.text for s in sections if s.kind in ("lead", "body")
                         for p in s.paragraphs))


def _unquoted(text: str) -> str:
    return re.sub(r"[«“\"][^»”\"]*(?:[»”\"]|$)", " ", text)
