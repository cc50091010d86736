"""The audit report as one self-contained HTML file: inline CSS and SVG, no scripts."""

from __future__ import annotations

from html import escape

from ..model import dutch
from .report import Groep, totals

BAR_H, GAP, LABEL_W, CHART_W = 22, 8, 300, 420
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1c1c1c;max-width:1100px}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#555;margin-top:0} table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f3f3f3} td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:1.2rem} .sw{width:.8rem;height:.8rem;display:inline-block;
margin-right:.3rem;vertical-align:middle} svg text{font-size:12px;fill:#1c1c1c}
"""
MOTIVATED, OPEN = "#2e7d32", "#e0a800"


def _bars(groups: list[Groep], title: str) -> str:
    top = max((g.afwijkingen for g in groups), default=1) or 1
    height = len(groups) * (BAR_H + GAP) + GAP
    rows = []
    for i, g in enumerate(groups):
        y = GAP + i * (BAR_H + GAP)
        done = CHART_W * g.gemotiveerd / top
        rest = CHART_W * (g.afwijkingen - g.gemotiveerd) / top
        rows.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end">{escape(_short(g.naam))}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{done:.1f}" height="{BAR_H}" fill="{MOTIVATED}">'
            f'<title>{escape(g.naam)}: {g.gemotiveerd} gemotiveerd</title></rect>'
            f'<rect x="{LABEL_W + done:.1f}" y="{y}" width="{rest:.1f}" height="{BAR_H}" fill="{OPEN}">'
            f'<title>{escape(g.naam)}: {g.afwijkingen - g.gemotiveerd} open</title></rect>'
            f'<text x="{LABEL_W + done + rest + 6:.1f}" y="{y + 15}">{g.afwijkingen} '
            f'({dutch.number(100 * g.aandeel_gemotiveerd, 0)}% gemotiveerd)</text>')
    width = LABEL_W + CHART_W + 190
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            + "".join(rows) + "</svg>")


def _short(name: str, limit: int = 44) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _table(groups: list[Groep], by: str) -> str:
    head = ("<tr><th>" + escape(by) + "</th>" + ("<th>titel</th>" if by == "kader" else "")
            + "<th>besluiten</th><th>met afwijking</th><th>afwijkingen</th><th>gemotiveerd</th>"
            "<th>akkoord nodig</th><th>mediaan tijd tot akkoord</th><th>gronden</th><th>herkomst</th></tr>")
    body = []
    for g in groups:
        median = g.mediaan_uren_tot_akkoord
        gronden = "; ".join(f"{escape(k)} ({v}×)" for k, v in sorted(g.gronden.items())) or "—"
        titel = f"<td>{escape(g.titel or '')}</td>" if by == "kader" else ""
        herkomst = "; ".join(f"{escape(k)} ({v}×)" for k, v in sorted(g.herkomst.items())) or "—"
        body.append(
            f"<tr><td>{escape(g.naam)}</td>{titel}<td class=n>{dutch.number(g.toegepast)}</td>"
            f"<td class=n>{g.afwijkend} ({dutch.share(g.afwijkend, g.toegepast)})</td>"
            f"<td class=n>{g.afwijkingen}</td>"
            f"<td class=n>{dutch.share(g.gemotiveerd, g.afwijkingen)}</td>"
            f"<td class=n>{g.met_akkoord_nodig}</td>"
            f"<td class=n>{'—' if median is None else dutch.hours(median)}</td>"
            f"<td>{gronden}</td><td>{herkomst}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def render(groups: list[Groep], by: str, bron: str, gemaakt: str, besluiten: int,
           filtered: str = "") -> str:
    """The whole report; `gemaakt` (the time) is an argument, never read from a clock."""
    t = totals(groups)
    gemaakt = dutch.moment(gemaakt)
    scope = f" · alleen besluiten {escape(filtered)}" if filtered else ""
    title = f"Afwijkingen per {by}"
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maatwerk: {escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>maatwerk: {escape(title)}</h1>
<p class="meta">Besluitenlog {escape(bron)}{scope} · {dutch.count(besluiten, 'besluit', 'besluiten')} ·
{dutch.count(t['afwijkingen'], 'afwijking', 'afwijkingen')}, waarvan
{dutch.share(t['gemotiveerd'], t['afwijkingen'])} gemotiveerd (motivering en vereist akkoord)
· gemaakt {escape(gemaakt)}</p>
<h2>Hoe vaak wordt van elk kader afgeweken?</h2>
<p class="legend"><span><i class="sw" style="background:{MOTIVATED}"></i>gemotiveerd</span>
<span><i class="sw" style="background:{OPEN}"></i>open (motivering of akkoord ontbreekt)</span></p>
{_bars([g for g in groups if g.afwijkingen], title) if t['afwijkingen'] else '<p>Geen afwijkingen in het log.</p>'}
<h2>Per {escape(by)}</h2>
{_table(groups, by)}
<p class="meta">Gemotiveerd: elke afwijking heeft een motivering en, waar het kader dat vraagt, het
akkoord van de genoemde rol (vier ogen). Tijd tot akkoord: van het vastleggen van het besluit tot het
geldige akkoord.</p>
</body></html>
"""
