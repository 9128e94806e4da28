"""``communique report``: one self-contained HTML page of the archive.

Three parts, no script, no external resource (it opens without a network):

1. themes over time: one line per core theme, the number of texts tagging it per meeting date
   (per year when there are more than ``MAX_DATES`` dates);
2. commitments by theme per meeting: stacked bars (the latest ``MAX_BARS`` meetings) and the
   full table. A meeting is a document date; the English and French versions of one text (a
   linked pair) count once, through the version with more commitments;
3. the documents, newest first: date, language, kind, title, themes, pair.

Charts are SVG laid out here by hand: a few hundred lines of markup, where a plotting library
would add tens of megabytes to the install for two charts.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique_nlp import __version__
from communique_nlp.apps.archive.store import connect
from communique_nlp.output import write_atomic

MAX_DATES = 30  # dates on the themes chart before it groups them by year
MAX_BARS = 30  # meetings on the commitments chart (the latest)
WIDTH, HEIGHT = 900, 320  # chart size in SVG units
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 72
# one colour per core theme, in the taxonomy's order (colour-blind-safe Okabe-Ito palette)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
           "#000000")
OTHER_COLOUR = "#999999"


@dataclass(frozen=True)
class _Text:
    """One text: a document, or the two language versions of one (a pair), counted once."""

    id: int  # its representative document
    date: str | None
    themes: tuple[str, ...]


def build_report(archive: str | Path, output: str | Path) -> int:
    """Write the report of ``archive`` to ``output``; the number of documents in it."""
    connection = connect(archive)
    try:
        documents = [dict(zip(("id", "path", "title", "date", "language", "kind", "themes",
                               "pair_id", "commitments", "pair_path"), row, strict=True))
                     for row in connection.execute(
                         "SELECT d.id, d.path, d.title, d.date, d.language, d.kind, d.themes, "
                         "d.pair_id, d.commitment_count, p.path FROM documents d "
                         "LEFT JOIN documents p ON p.id = d.pair_id "
                         "ORDER BY d.date IS NULL, d.date DESC, d.path")]
        themes = [(str(r[0]), str(r[1])) for r in connection.execute(
            "SELECT id, label FROM themes WHERE core = 1 ORDER BY id")]
        commitment_themes: dict[int, Counter[str]] = defaultdict(Counter)
        commitment_counts: Counter[int] = Counter()
        theme_lists = connection.execute("SELECT document_id, themes FROM commitments")
        rows = [(document_id, json.loads(theme_list)) for document_id, theme_list in theme_lists]
    finally:
        connection.close()
    order = [theme for theme, _ in _default_core_themes()]
    themes = sorted(themes, key=lambda t: (order.index(t[0]) if t[0] in order else len(order),
                                           t[0])) or _default_core_themes()
    core = {t for t, _ in themes}
    untagged: Counter[int] = Counter()  # commitments without a core theme, per document
    for document_id, theme_list in rows:
        commitment_counts[document_id] += 1
        commitment_themes[document_id].update(theme_list)
        if not core.intersection(theme_list):
            untagged[document_id] += 1
    texts = _texts(documents)
    page = _page(documents, texts, themes, commitment_themes, commitment_counts, untagged,
                 archive)
    write_atomic(Path(output), page)
    return len(documents)


def _default_core_themes() -> list[tuple[str, str]]:
    from communique_nlp.assets import load_yaml

    return [(str(t["id"]), str(t.get("label") or t["id"]))
            for t in load_yaml("themes.yaml")["themes"] if t.get("core")]


def _texts(documents: list[dict[str, Any]]) -> list[_Text]:
    """Each text once: a pair through the version with more commitments (then English)."""
    by_id = {d["id"]: d for d in documents}
    texts = []
    for document in documents:
        partner = by_id.get(document["pair_id"])
        if partner is not None:
            def rank(d: dict[str, Any]) -> tuple[int, int, int]:
                return (-int(d["commitments"]), d["language"] != "en", int(d["id"]))

            if rank(partner) < rank(document):
                continue
        texts.append(_Text(document["id"], document["date"],
                           tuple(json.loads(document["themes"]))))
    return texts


# ---------------------------------------------------------------------------------------------
# The page


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;
max-width:1100px}
h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:32px}
p.meta{color:#555;margin-top:0}
table{border-collapse:collapse;font-size:.85em;width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
td:first-child{white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:16px;font-size:.85em}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
svg text{font-family:inherit;font-size:11px;fill:#333}
.tag{display:inline-block;background:#eef;border-radius:3px;padding:0 4px;margin:1px;
font-size:.9em}
"""


def _page(documents: list[dict[str, Any]], texts: list[_Text], themes: list[tuple[str, str]],
          commitment_themes: dict[int, Counter[str]], commitment_counts: Counter[int],
          untagged: Counter[int], archive: str | Path) -> str:
    colours = {theme: PALETTE[i % len(PALETTE)] for i, (theme, _) in enumerate(themes)}
    labels = dict(themes)
    dated = [t for t in texts if t.date]
    pairs = sum(1 for d in documents if d["pair_id"]) // 2
    legend = "".join(f'<span><i style="background:{colours[t]}"></i>{_e(labels[t])}</span>'
                     for t, _ in themes)
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Archive report: {_e(Path(archive).name)}</title>",
        f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>Archive report: {_e(Path(archive).name)}</h1>",
        f'<p class="meta">{len(documents)} documents ({pairs} EN/FR pairs, each counted once '
        f"below: {len(texts)} texts), {len({t.date for t in dated})} meeting dates. "
        f"communique-nlp {__version__}.</p>",
        "<h2>Themes over time</h2>",
        "<p>Texts tagging each core theme, per meeting date"
        + (" (grouped by year)" if len({t.date for t in dated}) > MAX_DATES else "") + ".</p>",
        f'<div class="legend">{legend}</div>',
        _themes_chart(dated, themes, colours),
        "<h2>Commitments by theme per meeting</h2>",
        "<p>Commitments tagged with each core theme (a commitment with two themes counts under "
        "both); the two language versions of one text count once.</p>",
        f'<div class="legend">{legend}<span><i style="background:{OTHER_COLOUR}"></i>'
        "no core theme</span></div>",
    ]
    meetings = _meetings(dated, themes, commitment_themes, commitment_counts, untagged)
    parts.append(_commitments_chart(meetings[-MAX_BARS:], themes, colours))
    parts.append(_meetings_table(meetings, themes, labels))
    parts.append("<h2>Documents</h2>")
    parts.append(_documents_table(documents, labels))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _scale(value: float, top: float) -> float:
    plot = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return MARGIN_TOP + plot - (value / top * plot if top else 0.0)


def _axes(top: int, labels: list[str], xs: list[float]) -> list[str]:
    """Grid lines with counts on the left, category labels under the axis."""
    out = []
    step = max(1, -(-top // 5))
    for value in range(0, top + 1, step):
        y = _scale(value, top)
        out.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" '
                   f'y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}'
                   "</text>")
    base = HEIGHT - MARGIN_BOTTOM
    out.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{base}" y2="{base}" '
               'stroke="#888"/>')
    every = max(1, len(labels) // 20)
    for index, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if index % every == 0:
            out.append(f'<text x="{x:.1f}" y="{base + 12}" text-anchor="end" '
                       f'transform="rotate(-45 {x:.1f} {base + 12})">{_e(label)}</text>')
    return out


def _svg(body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="100%" role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>'
            + "".join(body) + "</svg>")


def _themes_chart(dated: list[_Text], themes: list[tuple[str, str]],
                  colours: dict[str, str]) -> str:
    by_year = len({t.date for t in dated}) > MAX_DATES
    periods = sorted({_period(t.date, by_year) for t in dated})
    if not periods:
        return "<p><em>No dated document.</em></p>"
    if by_year and all(p.isdigit() for p in periods):  # every year, so that time is linear
        periods = [str(year) for year in range(int(periods[0]), int(periods[-1]) + 1)]
    counts: dict[str, Counter[str]] = {p: Counter() for p in periods}
    for text in dated:
        counts[_period(text.date, by_year)].update(text.themes)
    top = max([counts[p][t] for p in periods for t, _ in themes] + [1])
    plot = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    xs = [MARGIN_LEFT + (plot * (i + 0.5) / len(periods)) for i in range(len(periods))]
    body = _axes(top, periods, xs)
    for theme, label in themes:
        points = [(x, _scale(counts[p][theme], top), counts[p][theme], p)
                  for x, p in zip(xs, periods, strict=True)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        body.append(f'<polyline fill="none" stroke="{colours[theme]}" stroke-width="2" '
                    f'points="{path}"/>')
        for x, y, count, period in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours[theme]}">'
                        f"<title>{_e(label)}, {_e(period)}: {count}</title></circle>")
    return _svg(body, "Texts per core theme over time")


def _period(day: str | None, by_year: bool) -> str:
    text = str(day or "")
    return text[:4] if by_year else text


@dataclass(frozen=True)
class _Meeting:
    date: str
    texts: int
    commitments: int
    by_theme: Counter[str]
    without_core: int


def _meetings(dated: list[_Text], themes: list[tuple[str, str]],
              commitment_themes: dict[int, Counter[str]],
              commitment_counts: Counter[int], untagged: Counter[int]) -> list[_Meeting]:
    """Meetings (dates) with commitments, oldest first."""
    core = {t for t, _ in themes}
    grouped: dict[str, list[_Text]] = defaultdict(list)
    for text in dated:
        grouped[str(text.date)].append(text)
    meetings = []
    for day in sorted(grouped):
        by_theme: Counter[str] = Counter()
        for text in grouped[day]:
            by_theme.update({t: n for t, n in commitment_themes[text.id].items() if t in core})
        meetings.append(_Meeting(day, len(grouped[day]),
                                 sum(commitment_counts[t.id] for t in grouped[day]), by_theme,
                                 sum(untagged[t.id] for t in grouped[day])))
    return [m for m in meetings if m.commitments]


def _commitments_chart(meetings: list[_Meeting], themes: list[tuple[str, str]],
                       colours: dict[str, str]) -> str:
    if not meetings:
        return "<p><em>No commitment in a dated document.</em></p>"
    top = max(sum(m.by_theme.values()) + m.without_core for m in meetings)
    plot = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    slot = plot / len(meetings)
    xs = [MARGIN_LEFT + slot * (i + 0.5) for i in range(len(meetings))]
    body = _axes(top, [m.date for m in meetings], xs)
    bar = max(2.0, slot * 0.7)
    for meeting, x in zip(meetings, xs, strict=True):
        stacked = 0
        segments = [(t, label, meeting.by_theme[t], colours[t]) for t, label in themes]
        segments.append(("", "no core theme", meeting.without_core, OTHER_COLOUR))
        for _, label, count, colour in segments:
            if not count:
                continue
            y_top, y_bottom = _scale(stacked + count, top), _scale(stacked, top)
            body.append(f'<rect x="{x - bar / 2:.1f}" y="{y_top:.1f}" width="{bar:.1f}" '
                        f'height="{y_bottom - y_top:.1f}" fill="{colour}">'
                        f"<title>{_e(meeting.date)}: {count} {_e(label)}</title></rect>")
            stacked += count
    return _svg(body, "Commitments by core theme per meeting")


def _meetings_table(meetings: list[_Meeting], themes: list[tuple[str, str]],
                    labels: dict[str, str]) -> str:
    head = "".join(f'<th class="n">{_e(labels[t])}</th>' for t, _ in themes)
    rows = []
    for meeting in reversed(meetings):
        cells = "".join(f'<td class="n">{meeting.by_theme[t] or ""}</td>' for t, _ in themes)
        rows.append(f"<tr><td>{_e(meeting.date)}</td><td class=\"n\">{meeting.texts}</td>"
                    f'<td class="n">{meeting.commitments}</td>{cells}</tr>')
    return ('<table><thead><tr><th>meeting</th><th class="n">texts</th>'
            '<th class="n">commitments</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _documents_table(documents: list[dict[str, Any]], labels: dict[str, str]) -> str:
    rows = []
    for d in documents:
        tags = "".join(f'<span class="tag" title="{_e(labels.get(t, t))}">{_e(t)}</span>'
                       for t in json.loads(d["themes"]))
        pair = _e(Path(str(d["pair_path"])).name) if d["pair_path"] else ""
        rows.append(f"<tr><td>{_e(d['date'] or '')}</td><td>{_e(d['language'])}</td>"
                    f"<td>{_e(d['kind'])}</td><td>{_e(d['title'] or '')}</td><td>{tags}</td>"
                    f'<td class="n">{d["commitments"]}</td>'
                    f"<td title=\"{_e(d['path'])}\">{_e(Path(str(d['path'])).name)}</td>"
                    f"<td>{pair}</td></tr>")
    return ("<table><thead><tr><th>date</th><th>language</th><th>kind</th><th>title</th>"
            "<th>themes</th><th>commitments</th><th>file</th><th>pair</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
