"""Stage 7, entities: when and where, who is named, and what kind of document this is.

- date and place from the dateline ('OTTAWA, ON, le 23 nov. 2025 /CNW/'), the signature
  ('Ottawa, le 27 juin 2017') or a date line under the title, in that order;
- countries from a bilingual gazetteer of names and adjectives (``models/countries.yaml``),
  as ISO 3166-1 alpha-2 codes, longest match first so 'New South Wales' is not Wales;
- organisations from ``models/organizations.yaml``; people from honorifics and
  'Name, role' appositions (``models/people.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from communique_nlp.assets import load_yaml
from communique_nlp.dates import find_dates
from communique_nlp.learn import kind
from communique_nlp.learn.store import load_model
from communique_nlp.model import Document, Entities, Person, Section
from communique_nlp.nlp import WORD, Gazetteer, word_spans
from communique_nlp.stages.segment import is_date_line
from communique_nlp.text import fold, words_pattern

if TYPE_CHECKING:
    pass

OWN_TEXT_KINDS = ("lead", "body", "quote", "quick_facts", "background", "attendees", "signature")
_UPPER = "A-ZÀ-ÖØ-ÞŠŽČĆĐŁŒ"
_NAME_WORD = rf"[{_UPPER}][\w'’\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:de |van |von |da |del |bin |le |la )?{_NAME_WORD}){{0,3}}"
_APPOSITION = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME_WORD}\s+{_NAME_WORD}(?:\s+"
                         rf"{_NAME_WORD})?),\s+(?P<rest>[^,;.«»“”]+)")
_PUBLISHED = ("published", "publié", "posted", "updated", "mis à jour", "date modified",
              "date de modification", "modifié")


@dataclass(frozen=True)
class _Gazetteers:
    countries: Gazetteer  # names and adjectives -> ISO code; '-' for names that are not
    organizations: Gazetteer  # acronyms, compared exactly
    organizations_lower: Gazetteer  # names, compared casefolded
    honorific_name: re.Pattern[str]  # 'L'honorable Gary Anandasangaree, ministre de ...'
    honorific_starts: frozenset[str]  # first words of the honorifics, casefolded
    role_heads: re.Pattern[str]  # any office's head word, as whole words


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
    people = load_yaml("people.yaml")
    return _Gazetteers(
        countries=Gazetteer(names),
        organizations=Gazetteer(exact),
        organizations_lower=Gazetteer([p for p in aliases if p not in set(exact)], str.casefold),
        honorific_name=_honorific_pattern(people["honorifics"]),
        honorific_starts=frozenset(m[0].casefold() for hs in people["honorifics"].values()
                                   for h in hs if (m := WORD.match(h))),
        role_heads=words_pattern({fold(r) for rs in people["role_heads"].values() for r in rs}),
    )


def _honorific_pattern(honorifics: dict[str, list[str]]) -> re.Pattern[str]:
    ordered = sorted({h for hs in honorifics.values() for h in hs}, key=len, reverse=True)
    alternatives = "|".join(re.escape(h).replace("'", "['’]") for h in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})\s+(?P<name>{_NAME})(?P<rest>,\s+[^,;.«»“”]+)?")


def find_entities(document: Document, model_dir: Path | None = None) -> Document:
    default = document.language.language if document.language else "en"
    own = [s for s in document.sections if s.kind in OWN_TEXT_KINDS]
    countries: dict[str, int] = {}
    organizations: dict[str, int] = {}
    people: dict[str, Person] = {}
    position = 0
    texts = [(document.title or "", default)] + [
        (text, language if language in ("en", "fr") else default)
        for s in own
        for text, language in [(s.heading or "", s.language),
                               *((p.text, p.language) for p in s.paragraphs)]
    ]
    for text, language in texts:
        if not text:
            continue
        language = language if language in ("en", "fr") else "en"
        for code in countries_in(text, language):
            countries.setdefault(code, position)
            position += 1
        for name in organizations_in(text, language):
            organizations.setdefault(name, position)
            position += 1
        for person in _people(text, language):
            known = people.get(person.name)
            if known is None or (known.role is None and person.role):
                people[person.name] = person
    date, place = _date_and_place(document.sections)
    date = document.date_hint or date  # a date the markup gives (<time datetime>) wins
    entities = Entities(
        date=date,
        place=place,
        countries=tuple(sorted(countries)),
        organizations=tuple(sorted(organizations, key=lambda n: (organizations[n], n))),
        people=tuple(_merge_surnames(list(people.values()))),
    )
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
    return [name for name, _, _ in _organization_matches(text)]


def _people(text: str, language: str) -> list[Person]:
    names = gazetteers()
    found: list[Person] = []
    bounds, words = word_spans(text)
    starts = (b[0] for b, w in zip(bounds, words, strict=True)
              if w.casefold() in names.honorific_starts)
    # the long pattern is tried only where an honorific can start: far cheaper than a scan
    matches = (names.honorific_name.match(text, start) for start in starts)
    for match in (m for m in matches if m is not None):
        found.append(Person(_clean_name(match["name"]), _role(match["rest"], names)))
    lengths = {len(p.name) for p in found}  # 'does a name end with one already found?',
    known = {p.name for p in found}  # asked by length: many names stay linear
    for match in _APPOSITION.finditer(text):
        role = _role(", " + match["rest"], names)
        if organizations_in(match["name"], language) or countries_in(match["name"], language):
            continue  # 'Bali Process, co-chaired by Australia' names no person
        name = match["name"]
        if role and not any(name[len(name) - n:] in known for n in lengths if n <= len(name)):
            found.append(Person(_clean_name(name), role))
            lengths.add(len(found[-1].name))
            known.add(found[-1].name)
    return [p for p in found if len(p.name.split()) >= 2 or p.role]


def _clean_name(name: str) -> str:
    words = name.split()
    while words and fold(words[-1]) in ("de", "la", "le", "du", "des", "of", "the"):
        words.pop()
    return " ".join(words)


def _role(rest: str | None, names: _Gazetteers) -> str | None:
    """The apposition after a name, when it is an office ('ministre de la Sécurité publique')."""
    if not rest:
        return None
    role = rest.lstrip(", ").strip()
    if re.match(r"(?i)(?:and|et|who|qui)\b", role):
        return None  # 'Ralph Goodale, et la ministre de la Justice': the next person's office
    role = re.split(r"\s+(?:said|a déclaré|and|et|who|qui|added|stated)\b", role)[0].strip()
    words = re.findall(r"[\w-]+", fold(role))[:4]
    head = " " + " ".join(words) + " "
    if names.role_heads.search(head):
        return role[:120]
    return None


def _merge_surnames(people: list[Person]) -> list[Person]:
    """'Minister Toews' is 'Vic Toews' when the full name is given elsewhere."""
    surnames = {p.name.rsplit(" ", 1)[-1] for p in people if len(p.name.split()) >= 2}
    result = []
    for person in people:
        if len(person.name.split()) == 1 and person.name in surnames:
            continue
        result.append(person)
    return result


def _date_and_place(sections: tuple[Section, ...]) -> tuple[str | None, str | None]:
    """Dateline first, then the signature, then a publication stamp, then any date of the lead.

    The dateline is looked for in the stretch before the first headed section: the lead, and
    the page chrome around the headline, where date lines often stand.
    """
    top: list[str] = []
    for section in sections:
        if section.kind not in ("lead", "boilerplate") or section.heading:
            break
        top.extend(p.text for p in section.paragraphs)
    candidates: list[tuple[int, int, str, str | None]] = []
    for index, text in enumerate(top[:TOP_PARAGRAPHS]):
        for mention in find_dates(text)[:1]:
            before = text[:mention.start]
            place = _place(before) or _place_after(text[mention.end:])
            if mention.start > 80 or not (place or not before.strip(" -–—(")
                                          or is_date_line(text)):
                continue
            published = fold(before).strip().startswith(_PUBLISHED)
            candidates.append((2 if published else 0, index, mention.iso, place))
    for section in sections:
        if section.kind == "signature":
            for paragraph in section.paragraphs:
                for mention in find_dates(paragraph.text)[:1]:
                    candidates.append((1, 0, mention.iso, _place(paragraph.text[:mention.start])))
        if section.kind == "lead":
            for index, paragraph in enumerate(section.paragraphs):
                for mention in find_dates(paragraph.text)[:1]:
                    candidates.append((3, index, mention.iso, None))
    if not candidates:
        return None, None
    best = min(candidates, key=lambda c: (c[0], c[1]))
    return best[2], best[3]


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


def document_kind(document: Document, model_dir: Path | None = None) -> str:
    """The learned kind (models/learned/kind.json), with the rule verdict among its features;
    the rule verdict alone when no model is there."""
    verdict = rule_kind(document)
    model = load_model(kind.MODEL, model_dir)
    return model.predict(kind.features(document, verdict)) if model else verdict


def rule_kind(document: Document) -> str:
    """communique, press_release or statement, from the title, the opening, and the voice."""
    cues = load_yaml("kinds.yaml")
    statement = cues["statement"]
    title = fold(document.title or "")
    own = [s for s in document.sections if s.kind != "boilerplate"]
    opening = fold(own[0].paragraphs[0].text[:200]) if own and own[0].paragraphs else ""
    if _names_any(title, statement["title"]) and not _names_any(title, statement["unless"]):
        return "statement"
    if _names_any(title, cues["communique"]["title"]):
        return "communique"
    if any(opening.startswith(c) or f" {c}" in opening for c in cues["communique"]["opening"]):
        return "communique"
    if _names_any(title, statement["generic"]):
        return "statement"
    words = re.findall(r"\w+", _unquoted(_body_text(own)[:3000]))
    first_person = {w for ws in cues["first_person"].values() for w in ws}
    if sum(1 for w in words if w in first_person) >= 2:
        return "statement"  # 'we' of one body: that body's statement
    return "press_release"


def _names_any(title: str, phrases: list[str]) -> bool:
    return any(fold(phrase) in title for phrase in phrases)


def _body_text(sections: list[Section]) -> str:
    return fold(" ".join(p.text for s in sections if s.kind in ("lead", "body")
                         for p in s.paragraphs))


def _unquoted(text: str) -> str:
    return re.sub(r"[«“\"][^»”\"]*(?:[»”\"]|$)", " ", text)
