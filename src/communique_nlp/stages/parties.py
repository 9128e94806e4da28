"""Parties: the countries (EU as EU) that issue, sign or adopt a document (SPEC.md).

Read from the text by rule, in this order of trust (cue words in ``models/parties.yaml``):

1. a group of speakers defined in the title or the opening ('we the Ministers of Australia,
   Brazil, ...', 'the Five Countries: ...', a sentence opening 'We, the Ministers responsible
   for ... of' its list, a joint text's title 'Joint EU-U.S. statement'): its members, unless
   the issuing body named at the page top is of none of them (then the group is the guests of
   its release);
2. a news outlet named at the page top above any issuing body: none (a journalist's article);
3. the issuing body named first at the page top ('Public Safety Canada', 'Council of the
   EU'), else at the page end: its country;
4. an international organisation speaking at the page top (INTERPOL, UN), or a news outlet
   anywhere (a journalist's article): none;
5. countries named beside a national office at the page top ('Government of Canada', 'le
   ministre canadien de la Justice', 'U.S. Attorney General'): those, when one or two;
6. else the one country the title and opening name, if only one.

A grouped cross-validated linear model over these cues (per candidate country) scored below
the rule (parties F1 0.62 against 0.76 at the time), so the rule decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from communique_nlp.assets import load_yaml
from communique_nlp.model import Document
from communique_nlp.nlp import Gazetteer
from communique_nlp.text import fold, words_pattern

TOP_CHARS = 1500  # the page top: chrome, title, dateline and opening, where the issuer signs
END_CHARS = 1200  # the page end: signature, contacts and footer
OPENING_PARAGRAPHS = 3
OPENING_MIN_CHARS = 60  # shorter paragraphs of the opening are chrome or headings ('Share')
OWN_KINDS = ("lead", "body", "quote", "quick_facts", "background", "attendees", "signature")
_OFFICES = (r"(?:government|gouvernement|ministry|ministère|minister|ministre|department|"
            r"département|prime minister|premier ministre|president|président|police|"
            r"secretary|secrétaire|attorney general|procureur général|procureure générale|"
            r"embassy|ambassade|presidency|présidence)")
# 'Government of Canada', 'procureur général des États-Unis', 'ministre canadien', 'the
# Australian Minister'
_OFFICE_BEFORE = re.compile(rf"\b{_OFFICES}\s+(?:(?:of|du|de|des|d'|of the)\s*(?:la |l'|the )?)?$")
# 'Canada's Minister', 'Australian Foreign Minister', 'canadien de la Justice' after 'ministre'
_OFFICE_AFTER = re.compile(rf"^(?:'s)?\s+(?:\w+\s+){{0,2}}{_OFFICES}\b")
_LIST_GAP = re.compile(r"(?i)^(?:\s|,|;|:|&|\band\b|\bet\b|\bthe\b|\bla\b|\ble\b|\bles\b|l'|l’"
                       r"|\bdu\b|\bdes\b|\bde\b|\bd'|\bd’)*$")
SENTENCE_CHARS = 300  # how far back a list's sentence is read for its speakers
_WE = re.compile(r"^\s*(?:we|nous)\s*,")  # "We, the Ministers of ...", "Nous, ministres de"
_PAIR_GAP = re.compile(r"^\s*[-–/]\s*$")  # 'Canada-U.S.', 'EU–US'


@dataclass(frozen=True)
class _Cues:
    issuers_exact: Gazetteer  # acronyms and short names, compared exactly
    issuers: Gazetteer  # other names, casefolded
    international: Gazetteer
    press: Gazetteer
    intros: re.Pattern[str]
    joint_titles: re.Pattern[str]


@cache
def cues() -> _Cues:
    data = load_yaml("parties.yaml")
    names = [(str(code), str(name)) for code, names in sorted(data["issuers"].items())
             for name in names]
    exact = [(code, name) for code, name in names if name.isupper() or len(name) <= 4]
    international = [("intl", str(name)) for name in data["international"]]
    return _Cues(
        issuers_exact=Gazetteer(exact),
        issuers=Gazetteer([n for n in names if n not in set(exact)], casefold=True),
        international=Gazetteer(international, casefold=True),
        press=Gazetteer([("press", str(name)) for name in data["press"]]),
        intros=words_pattern({fold(str(w)) for ws in data["group_intros"].values() for w in ws}),
        joint_titles=words_pattern({fold(str(w)) for ws in data["joint_titles"].values()
                                    for w in ws}),
    )


@dataclass(frozen=True)
class _View:
    """The parts of a document the features look at."""

    title: str
    whole: str  # the whole text, chrome included, in reading order
    opening: str  # the title and the first paragraphs of the own text


def _view(document: Document) -> _View:
    title = document.title or ""
    # the text as read, chrome included: a 'Source: New Zealand Police' line the sections
    # leave out still names the issuer
    whole = "\n".join([title, document.text or "\n".join(
        p.text for s in document.sections for p in s.paragraphs)])
    own_paragraphs = [p.text for s in document.sections if s.kind in OWN_KINDS
                      for p in s.paragraphs]
    opening = [p for p in own_paragraphs if len(p) >= OPENING_MIN_CHARS][:OPENING_PARAGRAPHS]
    return _View(title=title, whole=whole,
                 opening="\n".join([title, *opening]))


def _issuers(text: str) -> list[tuple[str, int]]:
    found = cues()
    spans = [*found.issuers_exact.spans(text), *found.issuers.spans(text)]
    return [(code, start) for code, start, _ in spans]


def _spelt_out(text: str, acronym: str) -> bool:
    """``text`` defines ``acronym`` as a body of its own: 'Australian Federal Police (AFP)' is
    no news agency."""
    if not acronym.isupper():
        return False
    for before in re.findall(rf"((?:\w+\s+){{{len(acronym)}}})\({re.escape(acronym)}\)", text):
        if "".join(word[0] for word in before.split()).upper() == acronym:
            return True
    return False


def _first(issuers: list[tuple[str, int]]) -> str:
    """The country of the body named first: the page's own issuer ('National Cyber Security
    Centre' above an advisory written with the FBI and the ACSC)."""
    return min(issuers, key=lambda found: found[1])[0]


def _country_spans(text: str) -> list[tuple[str, int, int]]:
    """Countries named in ``text``, also in a line of capitals ('ENTRE LE CANADA ET LES
    ÉTATS-UNIS') and with a non-breaking hyphen ('États‑Unis')."""
    from communique_nlp.stages.entities import gazetteers

    return [s for s in gazetteers().countries.spans(_readable(text)) if s[0] != "-"]


def _readable(text: str) -> str:
    """``text`` with its lines of capitals in title case, offsets kept."""
    text = text.replace("\u2011", "-")
    lines = [line.title() if line.isupper() and len(line.title()) == len(line) else line
             for line in text.split("\n")]
    return "\n".join(lines)


def office_countries(text: str) -> list[tuple[str, int]]:
    """Countries named beside a national office ('Government of Canada', 'Canada's Minister
    of Public Safety', 'Australian Foreign Minister', 'le ministre français de l'Intérieur'),
    with where they are named."""
    found = []
    for code, start, end in _country_spans(text):
        before = fold(text[max(0, start - 45):start]) + " "
        after = fold(text[end:end + 30])
        if _OFFICE_BEFORE.search(before) or _OFFICE_AFTER.match(after):
            found.append((code, start))
    return found


def defined_group(text: str, introduced_only: bool = False, joint: bool = False) -> set[str]:
    """Countries listed as the speakers in ``text``: a run of two countries or more joined by
    commas and 'and' after an introducing phrase ('Ministers of', 'les ministres de'), or,
    unless ``introduced_only``, a run of three or more. In the title of a joint text
    (``joint``) a pair is enough, hyphenated too ('Joint EU-U.S. statement')."""
    spans = _country_spans(text)
    members: set[str] = set()
    run: list[tuple[str, int, int]] = []
    for span in [*spans, ("", len(text) + 10, len(text) + 10)]:
        gap = text[run[-1][2]:span[1]] if run else ""
        if run and span[0] and (_LIST_GAP.match(gap) or (joint and _PAIR_GAP.match(gap))):
            run.append(span)
            continue
        introduced = len(run) >= 2 and (joint or cues().intros.search(
            fold(text[max(0, run[0][1] - 60):run[0][1]])) or _speakers(text[:run[0][1]]))
        if introduced or (len(run) >= 3 and not introduced_only):
            members.update(code for code, _, _ in run)
        run = [span] if span[0] else []
    return members


def _speakers(before: str) -> bool:
    """The sentence leading to a list opens with its speakers: 'We, the Ministers responsible
    for home affairs, ... of', 'Les ministres de l'Intérieur, ... de' (an introducing phrase
    far before the list, opening its sentence)."""
    sentence = fold(re.split(r"[.;!?\n]", before[-SENTENCE_CHARS:])[-1])
    if _WE.match(sentence):
        return True
    found = cues().intros.match(re.sub(r"^\s*(?:the|les)\s+", "", sentence))
    return found is not None


def news_outlet(document: Document) -> str:
    """Where a news outlet is named: 'masthead' (at the page top, above any issuing body),
    'top', 'anywhere' or '': a journalist's article retelling a release names its outlet."""
    view = _view(document)
    press = _press_at_top(view.whole)
    if press:
        first_issuer = min((start for _, start in _issuers(view.whole[:TOP_CHARS])),
                           default=TOP_CHARS)
        return "masthead" if press[0][1] < first_issuer else "top"
    return "anywhere" if cues().press.spans(view.whole) else ""


def _press_at_top(whole: str) -> list[tuple[str, int, int]]:
    """The news outlets named at the page top, less an acronym the text spells out ('Australian
    Federal Police (AFP)' is no news agency)."""
    return [span for span in cues().press.spans(whole[:TOP_CHARS])
            if not _spelt_out(whole, whole[span[1]:span[2]])]


def find_parties(document: Document) -> list[str]:
    """The parties of ``document``, sorted (the order of trust in the module docstring)."""
    view = _view(document)
    joint = bool(cues().joint_titles.search(fold(view.title)))
    group = (defined_group(view.title, joint=joint)
             | defined_group(view.opening, introduced_only=True))
    top_issuers = _issuers(view.whole[:TOP_CHARS])
    top = {code for code, _ in top_issuers}
    press = _press_at_top(view.whole)
    if press and top and press[0][1] < min(start for _, start in top_issuers) and not group:
        return []  # a news outlet's page: a journalist's article quoting the issuing bodies
    if group and (group & top or not top):
        return sorted(group)  # a group that leaves out the issuing body's country is a guest list
    if top:
        return [_first(top_issuers)]
    end = _issuers(view.whole[-END_CHARS:])
    if end:
        return [_first(end)]
    if cues().international.spans(view.whole[:TOP_CHARS]) or cues().press.spans(view.whole):
        return []
    offices = {code for code, _ in office_countries(view.whole[:TOP_CHARS])}
    if 0 < len(offices) <= 2:
        return sorted(offices)
    opening = {code for code, _, _ in _country_spans(view.opening)}
    return sorted(opening) if len(opening) == 1 else []
