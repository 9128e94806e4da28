"""A second, deliberately separate scorer, written from SPEC.md's rules, to check evaluate.py.

It shares no code with ``communique_nlp.apps.evaluate`` and is written differently on purpose
(character tables instead of ``str.translate``, an explicit search loop instead of a sorted
candidate list, ``collections.Counter`` for headings). Only the documented conventions are
common: the prefix rule (the shorter string at least 30 characters long, or both equal), a
Jaccard index of word sets >= 0.6, greedy one-to-one matching (prefix matches first, then higher
Jaccard, then earlier gold item, then earlier prediction), vacuous precision/recall/accuracy =
1.0, and rounding to 4 decimals.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from typing import Any

CORE = ["terrorism", "cybercrime", "migrant_smuggling", "encryption", "transnational_repression"]
SKIPPED = ["boilerplate", "links", "contacts"]


def unify(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\u2019\u2018`\u00b4":
            out.append("'")
        elif ch in "\u2010\u2011\u2012\u2013\u2014\u2015":
            out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def norm(s: Any) -> str:
    # unify first: NFKC decomposes the acute accent (U+00B4) into a space and U+0301
    s = unify(unicodedata.normalize("NFKC", unify(str(s))).casefold())
    return " ".join(s.split())


def as_str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, datetime.date):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    return str(v)


def words(s: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", s))


def rank(g: str, p: str) -> tuple[int, float] | None:
    """(is_prefix, jaccard) for a matching pair, else None."""
    if g == "" or p == "":
        return None
    a, b = words(g), words(p)
    jac = len(a & b) / len(a | b) if (a | b) else 0.0
    short, long_ = sorted([g, p], key=len)
    is_prefix = short == long_ or (long_[: len(short)] == short and len(short) >= 30)
    if is_prefix:
        return (1, jac)
    if jac >= 0.6:
        return (0, jac)
    return None


def greedy(gold: list[str], pred: list[str]) -> list[tuple[int, int]]:
    g = [norm(x) for x in gold]
    p = [norm(x) for x in pred]
    table = {(i, j): rank(g[i], p[j]) for i in range(len(g)) for j in range(len(p))}
    free_g, free_p = set(range(len(g))), set(range(len(p)))
    pairs: list[tuple[int, int]] = []
    while True:
        best = None
        for i in sorted(free_g):
            for j in sorted(free_p):
                r = table[(i, j)]
                if r is None:
                    continue
                # prefix matches outrank any Jaccard match; within a class, higher Jaccard wins;
                # the first (i, j) found in row-major order wins ties (strict > below)
                if best is None or r > best[0]:
                    best = (r, i, j)
        if best is None:
            return pairs
        pairs.append((best[1], best[2]))
        free_g.discard(best[1])
        free_p.discard(best[2])


def name_tokens(name: str) -> list[str]:
    return re.findall(r"\w+(?:['-]\w+)*", norm(name))


def people_rank(g: str, p: str) -> int:
    """2 equal names, 1 same surname and compatible given names, 0 no match."""
    a, b = name_tokens(g), name_tokens(p)
    if not a or not b:
        return 0
    if a == b:
        return 2
    if a[-1] != b[-1]:
        return 0
    for x, y in zip(a[:-1], b[:-1], strict=False):
        initial = (len(x) == 1 and y[0] == x) or (len(y) == 1 and x[0] == y)
        if x != y and not initial:
            return 0
    return 1


def pair_people(gold: list[str], pred: list[str]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for wanted in (2, 1):  # exact names pair first, in gold then prediction order
        for i, g in enumerate(gold):
            if any(i == a for a, _ in pairs):
                continue
            for j, p in enumerate(pred):
                if all(j != b for _, b in pairs) and people_rank(g, p) == wanted:
                    pairs.append((i, j))
                    break
    return pairs


def same_role(g: Any, p: Any) -> bool:
    a, b = norm(as_str(g)), norm(as_str(p))
    if a == "" or b == "":
        return a == b
    if rank(a, b) is not None:
        return True
    short, long_ = sorted([a, b], key=len)
    if len(short.split()) < 2:
        return False
    at = long_.find(short)
    while at >= 0:
        before = long_[at - 1] if at else " "
        after = long_[at + len(short)] if at + len(short) < len(long_) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        at = long_.find(short, at + 1)
    return False


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = 1.0 if tp + fp == 0 else tp / (tp + fp)
    r = 1.0 if tp + fn == 0 else tp / (tp + fn)
    f = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def score(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """SPEC's eval object for (gold, prediction) dict pairs."""
    t: dict[str, list[int]] = {k: [0, 0, 0] for k in
                               ["headings", "bullets", "commitments", "commitment_themes",
                                "countries", "themes", "people", "parties"]}
    acc: dict[str, list[int]] = {k: [0, 0] for k in
                                 ["language", "kind", "date", "title", "section_kind", "role",
                                  "place"]}
    per: dict[str, list[int]] = {k: [0, 0, 0] for k in CORE}

    def add(key: str, tp: int, fp: int, fn: int) -> None:
        t[key][0] += tp
        t[key][1] += fp
        t[key][2] += fn

    for gold, pred in pairs:
        doc = pred.get("document") or {}
        secs = pred.get("sections") or []
        if gold.get("sections") is not None:
            gh = [(norm(s["heading"]).rstrip(":").strip(), s.get("kind"))
                  for s in gold["sections"] if s.get("heading") is not None]
            ph = [(norm(s["heading"]).rstrip(":").strip(), s.get("kind"))
                  for s in secs if s.get("heading") is not None]
            gh = [x for x in gh if x[0]]
            ph = [x for x in ph if x[0]]
            common = Counter(h for h, _ in gh) & Counter(h for h, _ in ph)
            tp = sum(common.values())
            add("headings", tp, len(ph) - tp, len(gh) - tp)
            for h, n in common.items():
                gk = [k for x, k in gh if x == h][:n]
                pk = [k for x, k in ph if x == h][:n]
                for a, b in zip(gk, pk, strict=True):
                    acc["section_kind"][1] += 1
                    acc["section_kind"][0] += int(str(a).casefold() == str(b).casefold())
        if gold.get("bullets") is not None:
            gb = [as_str(b) for b in gold["bullets"]]
            pb = [b["text"] for s in secs if s.get("kind") not in SKIPPED
                  for b in (s.get("bullets") or [])]
            m = greedy(gb, pb)
            add("bullets", len(m), len(pb) - len(m), len(gb) - len(m))
        if gold.get("commitments") is not None:
            gc = gold["commitments"]
            pc = pred.get("commitments") or []
            m = greedy([c["text"] for c in gc], [c["text"] for c in pc])
            add("commitments", len(m), len(pc) - len(m), len(gc) - len(m))
            for i, j in m:
                if gc[i].get("themes") is None:
                    continue
                a = set(gc[i]["themes"]).intersection(CORE)
                b = set(pc[j].get("themes") or []).intersection(CORE)
                add("commitment_themes", len(a & b), len(b - a), len(a - b))
        if gold.get("countries") is not None:
            a = {str(c).upper() for c in gold["countries"]}
            b = {str(c).upper() for c in doc.get("countries") or []}
            add("countries", len(a & b), len(b - a), len(a - b))
        if gold.get("themes") is not None:
            a = set(gold["themes"]).intersection(CORE)
            b = {x["id"] for x in pred.get("themes") or []}.intersection(CORE)
            add("themes", len(a & b), len(b - a), len(a - b))
            for theme in CORE:
                per[theme][0] += int(theme in a and theme in b)
                per[theme][1] += int(theme in b and theme not in a)
                per[theme][2] += int(theme in a and theme not in b)
        if gold.get("people") is not None:
            gp = [(as_str(x.get("name")), x.get("role")) for x in gold["people"]]
            pp = [(as_str(x.get("name")), x.get("role")) for x in doc.get("people") or []]
            gp = [x for x in gp if x[0].strip()]
            pp = [x for x in pp if x[0].strip()]
            m = pair_people([n for n, _ in gp], [n for n, _ in pp])
            add("people", len(m), len(pp) - len(m), len(gp) - len(m))
            for i, j in m:
                acc["role"][1] += 1
                acc["role"][0] += int(same_role(gp[i][1], pp[j][1]))
        if gold.get("parties") is not None:
            a = {str(c).upper() for c in gold["parties"]}
            b = {str(c).upper() for c in doc.get("parties") or []}
            add("parties", len(a & b), len(b - a), len(a - b))
        for key in ["language", "kind", "date", "title", "place"]:
            if gold.get(key) is None:
                continue
            acc[key][1] += 1
            if key in ("title", "place"):
                same = norm(as_str(gold[key])) == norm(as_str(doc.get(key)))
            else:
                a_, b_ = as_str(gold[key]), as_str(doc.get(key))
                same = a_.strip().casefold() == b_.strip().casefold()
            acc[key][0] += int(same)

    out: dict[str, Any] = {"docs": len(pairs)}
    for key, (tp, fp, fn) in t.items():
        out[key] = prf(tp, fp, fn)
    for key, (ok, n) in acc.items():
        out[key] = {"acc": round(1.0 if n == 0 else ok / n, 4), "n": n}
    out["per_theme"] = {k: prf(*v) for k, v in per.items()}
    return out
