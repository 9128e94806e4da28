"""People named in a document's own text, each once, with the role printed beside the name.

A candidate is a run of capitalised words ('Ralph Goodale', 'Alejandro N. Mayorkas', 'Jerzy
MILLER', 'Jean-Yves Le Drian'), cut after the honorifics and role words that open it ('Prime
Minister Jean Chrétien' -> role 'Prime Minister', name 'Jean Chrétien'); a single word is a
candidate only after an honorific or a role ('President Biden'). Its role is the office
printed after it ('X, Minister of Public Safety') or before it ('le ministre de la Sécurité
publique et de la Protection civile, l'honorable Ralph Goodale'; 'Australian Foreign Minister
Julie Bishop'). Which candidates are people is decided by the learned model
``models/learned/people.json`` (features in ``learn/people.py``), or by the rule
(:func:`Mention.rule_verdict`) when no model is there. Cue words live in
``models/people.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from communique_nlp.assets import load_yaml
from communique_nlp.model import Person
from communique_nlp.text import fold, words_pattern

_UPPER = "A-ZÀ-ÖØ-ÞŠŽČĆĐŁŒ"
# a word; a word in capitals glued to the next line's first word is two ('BESSONMinistre')
_TOKEN = re.compile(rf"[{_UPPER}]{{2,}}(?=[{_UPPER}][a-zß-öø-ÿ])|[\w'’.\-]+")
_CAPITALISED = re.compile(rf"^[{_UPPER}][\w'’\-]*[a-zß-öø-ÿšžčćđłœ][\w'’\-]*$")
_CAPITALS = re.compile(rf"^[{_UPPER}][{_UPPER}'’\-]+$")
_INITIAL = re.compile(rf"^[{_UPPER}]\.(?:-?[{_UPPER}]\.)?$")
_ELIDED = re.compile(rf"^(?:[dlDL]|qu|Qu)['’](?=[{_UPPER}])")
_POSSESSIVE = re.compile(r"['’]s$")
_SAID = re.compile(r"^\s*(?:,\s*)?(?:said|says|added|stated|noted|explained|told|announced|"
                   r"a déclaré|a dit|a affirmé|a ajouté|a indiqué|a souligné|a expliqué|"
                   r"a annoncé|a rappelé|déclare|affirme)\b")
# a directory line: 'Blair, Bill (L’hon.)', surname first, then the honorific in brackets
_INVERTED = re.compile(rf"(?m)^[\s•\-–]*(?P<name>[{_UPPER}][\w'’\-]+, [{_UPPER}][\w'’\-]+"
                       rf"(?: [{_UPPER}][\w'’\-]+)?)\s*\((?i:l['’]hon|the hon|hon)\.?\)")
_WORD = re.compile(r"[\w'’]+")  # the words around a name (compiled: read per candidate)
_WORD_OR_INITIAL = re.compile(r"[\w'’.]+")
_SENTENCE_END = re.compile(r"[.!?:»”\n]\s*$")
_LABEL = re.compile(r"^[^:]{1,40}:\s*$")  # 'Titre du ministre :', a form's label line
_CLAUSE_BREAK = re.compile(r"[.;:!?«»“”\"()\[\]\n•]")
ROLE_MAX_CHARS = 160
_ASIDE = re.compile(r"\([^()\n]{1,40}\)")
CONTEXT_CHARS = 400  # how far before and after a name its role and context are read
# ', David Lametti' after an office, not ', Democratic Institutions and ...' (more office)
_NEXT_NAME = re.compile(rf"^\s*,\s*(?i:l['’]honorable\s+|the\s+honourable\s+)?"
                        rf"[{_UPPER}][\w'’\-]+\s+[{_UPPER}][\w'’\-]+"
                        r"(?![\w'’\-]|\s+(?:and|et|&)\s)")
_ROLE_END = re.compile(r"\s+(?:said|says|a déclaré|a dit|who|qui|added|stated|announced|"
                       r"a annoncé|has|have|had|is|was|will|a|est)\b")


@dataclass(frozen=True)
class _Cues:
    openers: frozenset[str]  # honorifics and role words, casefolded single words
    honorific_tail: re.Pattern[str]  # an honorific ending a stretch ('..., l'honorable')
    courtesy: frozenset[str]  # courtesy titles, casefolded single words ('hon', 'l'honorable')
    role_heads: re.Pattern[str]
    shared_role_heads: re.Pattern[str]  # singular or plural, read before names
    post_nominals: frozenset[str]
    particles: frozenset[str]
    qualifiers: frozenset[str]
    stop: re.Pattern[str]  # words that cannot stand inside a role before a name
    not_names: frozenset[str]


@cache
def cues() -> _Cues:
    data = load_yaml("people.yaml")
    honorifics = {str(h) for hs in data["honorifics"].values() for h in hs}
    heads = {str(h) for hs in data["role_heads"].values() for h in hs}
    qualifiers = {fold(str(q)) for qs in data["role_qualifiers"].values() for q in qs}
    openers = {fold(word) for phrase in honorifics | heads for word in phrase.split()
               if word[:1].isupper() or word[:1].islower()}
    openers -= {fold(str(c)) for cs in data["role_connectors"].values() for c in cs}
    # 'MP' after a name is no title before one; 'Ms' is both a post-nominal and a title
    openers -= ({fold(str(p)) for ps in data["post_nominals"].values() for p in ps}
                - {fold(h) for h in honorifics})
    folded_heads = {fold(h) for h in heads}
    head_words = {word for head in folded_heads for word in head.split()}
    # only courtesy titles are left out of a role: 'General' ends 'Attorney General'
    courtesy = {fold(h) for h in honorifics} - folded_heads - head_words
    ordered = sorted(courtesy | {h.replace("'", "’") for h in courtesy}, key=len, reverse=True)
    tail = "|".join(re.escape(h) for h in ordered)
    months = load_yaml("months.yaml")
    month_names = {fold(str(m)) for ms in months["months"].values() for m in ms
                   if len(str(m)) > 3}
    return _Cues(
        openers=frozenset(openers | qualifiers),
        honorific_tail=re.compile(rf"(?i)(?:^|[\s,(])(?:{tail})\s*$"),
        courtesy=frozenset(title.split()[-1] for title in courtesy),
        role_heads=words_pattern({fold(h) for h in heads}),
        shared_role_heads=_plural_words_pattern({fold(h) for h in heads}),
        post_nominals=frozenset(str(p) for ps in data["post_nominals"].values() for p in ps),
        particles=frozenset(str(p) for p in data["name_particles"]),
        qualifiers=frozenset(qualifiers),
        stop=words_pattern({fold(str(w)) for ws in data["role_stop_words"].values()
                            for w in ws}),
        not_names=frozenset({fold(str(w)) for w in data["not_names"]}
                            | month_names | {fold(str(d)) for d in months["weekdays"]}),
    )


def _plural_words_pattern(phrases: set[str]) -> re.Pattern[str]:
    """Any of ``phrases`` as whole words, singular or plural: an office shared by several
    people ('Slovenian Ministers for Justice', 'les ministres français de l’Intérieur')."""
    ordered = "|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])(?:{ordered})s?(?![\w-])")


@dataclass
class Mention:
    """One occurrence of a candidate name, with what surrounds it."""

    name: str
    start: int
    end: int
    role_before: str | None = None
    role_after: str | None = None
    opener: bool = False  # an honorific or a role word opens the run ('Minister X', 'M. X')
    said: bool = False  # a speech verb follows ('X said', 'X a déclaré')
    in_title: bool = False
    previous: str = ""  # the word before the run, casefolded
    following: str = ""  # the word after the name, casefolded
    sentence_start: bool = False
    country_before: bool = False  # a country, then a comma: 'de l'Autriche, Johanna Mikl-Leitner'
    context: list[str] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return self.role_after or self.role_before

    def rule_verdict(self) -> bool:
        """A person by rule: an honorific or role opens or follows the name, or a speech verb
        follows a name of two words or more."""
        words = len(self.name.split())
        return bool(self.opener or self.role_after or (self.role_before and words >= 2)
                    or (self.said and words >= 2))


def mentions(text: str, in_title: bool = False) -> list[Mention]:
    """Every candidate name in ``text`` (see the module docstring)."""
    found: list[Mention] = [
        Mention(name=m["name"], start=m.start("name"), end=m.end("name"), opener=True,
                in_title=in_title, sentence_start=True)
        for m in _INVERTED.finditer(text)]
    # only the words that can be part of a name: a run stops where the next kept word is not
    # a single space away, as it stopped at the word left out
    tokens = _name_tokens(text)
    named_end = 0  # where the last name-like mention ends: an office is read after it
    index = 0  # the first token not yet in a run
    # a run opens at a capitalised word, an initial or capitals, not at a particle
    for opening in [i for i, (_, _, word) in enumerate(tokens) if _kind(word) != "particle"]:
        if opening < index:
            continue
        run = _run(text, tokens, opening)
        index = opening + len(run)
        mention = _mention(text, run, in_title, named_end)
        if mention is not None:
            found.append(mention)
            if _name_like(mention.name):
                named_end = mention.end
    return found


def _name_like(name: str) -> bool:
    """Not every word a common word: 'Home Affairs', 'Sûreté', 'Petite Entreprise' inside an
    office are no person, and do not end the office before the next name."""
    from communique_nlp.learn.people import dictionary_words

    return not all(w.casefold() in dictionary_words() for w in name.split())


def _name_tokens(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the words of ``text`` that can be part of a name. A word in
    lower case without an apostrophe can only be a particle ('de', 'van'): it is looked up
    as it stands, without the elision test every other word needs."""
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[0].isupper() or "'" in word or "’" in word:
            token = _unelided(match)
            if _kind(token[2]):
                found.append(token)
        elif _kind(word):
            found.append((match.start(), match.end(), word))
    return found


def _unelided(match: re.Match[str]) -> tuple[int, int, str]:
    """'d'Emmanuel' -> 'Emmanuel': a French elided article is no part of a name."""
    word = match.group()
    elided = _ELIDED.match(word) if "'" in word or "’" in word else None
    skip = elided.end() if elided else 0
    return match.start() + skip, match.end(), word[skip:]


@lru_cache(maxsize=8192)
def _kind(word: str) -> str:
    """'initial', 'particle', 'word' (capitalised), 'capitals' or '' (asked of every word of a
    run several times over: remembered)."""
    word = _POSSESSIVE.sub("", word).rstrip(".") if not _INITIAL.match(word) else word
    if _INITIAL.match(word):
        return "initial"
    if word in cues().particles:
        return "particle"
    if _CAPITALISED.match(word):
        return "word"
    if _CAPITALS.match(word) and len(word) >= 2:
        return "capitals"
    return ""


def _run(text: str, tokens: Sequence[tuple[int, int, str]],
         index: int) -> list[tuple[int, int, str]]:
    """The run of name-like tokens starting at ``index`` (``tokens`` holds only name-like
    words, and the run opens at one that is no particle), joined by single spaces."""
    run: list[tuple[int, int, str]] = []
    for position in range(index, len(tokens)):
        start, end, word = tokens[position]
        kind = _kind(word)
        if run and text[run[-1][1]:start] != " ":
            break
        run.append((start, end, word))
        abbreviation = kind == "word" and len(word) <= 4  # 'Sh.' in 'Mansour Ayyad Sh. A. Al..'
        if word.endswith(("'s", "’s")) or (word.endswith(".") and kind != "initial"
                                           and not abbreviation):
            break
    while run and _kind(run[-1][2]) == "particle":
        run.pop()
    return run


def _mention(text: str, run: list[tuple[int, int, str]], in_title: bool,
             previous_end: int) -> Mention | None:
    if len(run) == 1 and not _titled_or_said(text, run[0][0], run[0][1]):
        return None  # most runs: one capitalised word, which is no name by itself
    names = cues()
    words = [w for _, _, w in run]
    # the name is what follows the last honorific, role or common word of the run
    before_run = _WORD_OR_INITIAL.findall(text[max(0, run[0][0] - 40):run[0][0]])
    titled = [bool(before_run) and fold(before_run[-1]) in names.courtesy,
              *(fold(w) in names.courtesy for w in words[:-1])]
    # 'l’honorable Bill Blair': a common word after a courtesy title opens the name
    cuts = [i for i, w in enumerate(words) if _kind(w) != "particle"
            and (_opener(w) or _named_thing(w) or (fold(_clean(w)) in names.not_names
                                                   and not (titled[i] and i < len(words) - 1)))]
    # 'Sir Julian King': a last word that is also a title ('King') is the surname
    cut = cuts[-1] if cuts else -1
    if cut == len(words) - 1 and len(cuts) >= 2 and fold(_clean(words[-1])) not in names.not_names:
        cut = cuts[-2]
    name_tokens = run[cut + 1:]
    while name_tokens and name_tokens[-1][2].rstrip(",") in names.post_nominals:
        name_tokens = name_tokens[:-1]
    while name_tokens and _kind(name_tokens[-1][2]) in ("particle", "initial"):
        name_tokens = name_tokens[:-1]
    while name_tokens and _kind(name_tokens[0][2]) == "particle":
        name_tokens = name_tokens[1:]
    if not any(_kind(w) in ("word", "capitals") for _, _, w in name_tokens):
        return None
    start, end = name_tokens[0][0], name_tokens[-1][1]
    name = _clean(text[start:end])
    # what surrounds the name, within bounds: a paragraph of a thousand names stays linear
    before = text[max(0, run[0][0] - CONTEXT_CHARS):run[0][0]]
    after = text[end:end + CONTEXT_CHARS]
    previous = _WORD.findall(before[-40:])
    opened = any(_opener(w) for w in words[:cut + 1]) or _lower_case_title(previous)
    if len(name_tokens) == 1 and not opened and not _SAID.match(after):
        return None
    if all(_kind(w) == "capitals" for _, _, w in name_tokens) and len(name_tokens) == 1:
        return None  # 'RCMP', 'NATO': an acronym alone is no name
    following = _WORD.findall(text[end:end + 40])
    sentence_start = not before.strip() or bool(_SENTENCE_END.search(before))
    return Mention(
        name=name, start=start, end=end,
        role_before=_role_before(text[max(previous_end, start - CONTEXT_CHARS):start]),
        role_after=_role_after(after), opener=opened,
        said=bool(_SAID.match(after)), in_title=in_title,
        previous=fold(previous[-1]) if previous else "",
        following=fold(following[0]) if following else "", sentence_start=sentence_start,
        country_before=_country_before(before))


def _lower_case_title(previous: list[str]) -> bool:
    """'le président Biden': in French a title before a name is in lower case."""
    return bool(previous and previous[-1].islower() and len(previous[-1]) > 3
                and _opener(previous[-1]))


def _titled_or_said(text: str, start: int, end: int) -> bool:
    """What a one-word name needs (tested before the rest of ``_mention``, which would reach
    the same verdict): a title in lower case before it, or a speech verb after it ('Biden
    said'). A title in capitals ('Minister Blair') is in the run itself."""
    return _lower_case_title(_WORD.findall(text[max(0, start - 40):start])) or bool(
        _SAID.match(text[end:end + CONTEXT_CHARS]))


@lru_cache(maxsize=8192)
def _opener(word: str) -> bool:
    """An honorific or a role word, singular or plural ('Commissioners Avramopoulos');
    remembered, as the kind of a word is."""
    openers = cues().openers
    word = fold(word)
    return word in openers or word.rstrip(".") in openers or (
        word.endswith("s") and word[:-1] in openers)


@lru_cache(maxsize=8192)
def _named_thing(word: str) -> bool:
    """A country or an organisation named by one word ('Fedpol', 'Etats-Unis'); remembered,
    as the kind of a word is."""
    from communique_nlp.stages.entities import countries_in, organizations_in

    return bool(countries_in(word, "en") or organizations_in(word, "en"))


def _country_before(before: str) -> bool:
    """A list of delegations: the country, a comma, its minister ('de l'Autriche, Johanna
    Mikl-Leitner, de la Belgique, Jan Jambon'; 'Canada, Ralph Goodale')."""
    from communique_nlp.stages.entities import countries_in

    stretch = before.rstrip()
    if not stretch.endswith(","):
        return False
    item = re.split(r"[,;:.()\n]", stretch[:-1])[-1]
    return len(item) <= 40 and bool(countries_in(item, "en"))


def _clean(name: str) -> str:
    name = _POSSESSIVE.sub("", name.strip())  # and a closing quote: 'the London Debate’'
    return name.rstrip(".,’'") if not _INITIAL.match(name.split()[-1]) else name


def _role_before(before: str) -> str | None:
    """The office printed just before a name: 'Prime Minister', 'Australian Foreign Minister',
    'Secretary of Defense', 'le ministre de la Sécurité publique et de la Protection civile,
    l'honorable': from the first role word of the clause that runs up to the name, with the
    capitalised words just before it, when no verb or preposition of the sentence comes
    between (``role_stop_words``); the honorific before the name is left out."""
    names = cues()
    stretch = before.rstrip()
    while (shorter := names.honorific_tail.sub("", stretch).rstrip(" ,")) != stretch:
        stretch = shorter  # 'Le Président de la République, Son Excellence Monsieur', 'M.'
    # a short aside in brackets is no clause break: 'chef du Département fédéral de justice et
    # police (DFJP), Beat Jans'; nor the bracket opening the name: 'The Minister for Security ('
    masked = _ASIDE.sub(lambda aside: "\0" * len(aside[0]), stretch.removesuffix("("))
    clause = _CLAUSE_BREAK.split(masked)[-1]
    stretch = stretch[len(masked) - len(clause):len(masked)][-ROLE_MAX_CHARS:].strip(" ,")
    folded = fold(stretch)
    if not stretch or len(folded) != len(stretch):
        return None
    for head in names.shared_role_heads.finditer(folded):
        segment = stretch[head.start():]
        if names.stop.search(fold(segment)):
            continue
        left = re.findall(rf"((?:[{_UPPER}][\w.'’\-]*\s*/?\s+)*)$", stretch[:head.start()])
        role = ((left[0] if left else "") + segment).strip(" ,")
        role = re.sub(r"^(?:The|Le|La|Les|L['’])\s*", "", role)
        return role[:120] if len(role) >= 3 else None
    return None


def _role_after(after: str) -> str | None:
    """'X, Minister of Public Safety and Emergency Preparedness, said': the apposition after
    a name, when it opens with an office; cut before a speech verb, a relative clause, or an
    'and' that leads to another person."""
    # after a comma, or glued to the name when a line break was lost ('BESSONMinistre de')
    match = re.match(rf"(?:\s*,\s+|(?=[{_UPPER}]))"
                     r"([^,;.«»“”()]+(?:,\s*(?:de|du|des|of|and|et)\b[^,;.«»“”()]+)*)", after)
    if not match or re.match(r"(?i)(?:and|et|who|qui)\b", match[1]):
        return None  # 'Ralph Goodale, et la ministre de la Justice': the next person's office
    role = _ROLE_END.split(match[1])[0].strip()
    joined = re.search(r"\s+(?:and|et)\s+", role)
    if joined and any(_person_like(m) for m in mentions(role[joined.end():])):
        role = role[:joined.start()]  # 'X, Minister of Y and Jane Doe, ...'
    if any(_person_like(m) for m in mentions(role)):
        return None  # 'X, Defense Secretary James Mattis': the office of the next person
    next_name = _NEXT_NAME.match(after[match.end():])
    if next_name and _name_like(next_name[0].strip(" ,")):
        return None  # 'X, le ministre de la Justice, David Lametti': the next person's office
    words = re.findall(r"[\w-]+", fold(role))[:4]
    if cues().role_heads.search(" " + " ".join(words) + " "):
        return role[:120]
    return None


def _person_like(mention: Mention) -> bool:
    """A name of two words or more that is not all common words ('Public Safety')."""
    return len(mention.name.split()) >= 2 and _name_like(mention.name)


def is_role_line(line: str) -> bool:
    """A line that is an office and nothing more ('Minister for Defence')."""
    words = re.findall(r"[\w-]+", fold(line))[:4]
    return len(line) <= 90 and cues().role_heads.match(" ".join(words)) is not None


def role_lines(before: Sequence[str], after: Sequence[str]) -> str | None:
    """A signature block's offices, each on its own line above the name ('Deputy Prime
    Minister' / 'Minister for Defence' / 'The Hon Richard Marles MP') or under it, joined by
    commas. ``before`` are the lines above the name's line, nearest last; offices above the
    name are preferred (a block of several people printed that way reads top-down)."""
    before = [line for line in before if not _LABEL.match(line)]
    after = [line for line in after if not _LABEL.match(line)]
    above: list[str] = []
    for line in reversed(before):
        if not is_role_line(line):
            break
        above.insert(0, line.strip(" ,"))
    below: list[str] = []
    for line in after:
        if not is_role_line(line):
            break
        below.append(line.strip(" ,"))
    return ", ".join(above or below)[:120] or None


def merge(found: Iterable[Mention]) -> list[tuple[str, str | None, list[Mention]]]:
    """One entry per person: mentions of one surname together (the fullest name kept), in
    order of first mention; the role is the fullest one printed ('Minister Goodale' then
    'Ralph Goodale, Minister of Public Safety': the second)."""
    groups: dict[str, list[Mention]] = {}
    for mention in found:
        surname = mention.name.split(",")[0] if "," in mention.name else mention.name
        key = fold(surname.split()[-1])  # 'Blair, Bill' is Bill Blair
        groups.setdefault(key, []).append(mention)
    people = []
    for group in groups.values():
        name = max((m.name for m in group), key=lambda n: (len(n.split()), len(n)))
        roles = [m.role for m in group if m.role]
        role = max(roles, key=lambda r: (len(r.split()), -roles.index(r))) if roles else None
        people.append((name, role, group))
    return people


def to_people(entries: Iterable[tuple[str, str | None, list[Mention]]]) -> tuple[Person, ...]:
    return tuple(Person(name, role) for name, role, _ in entries)
