"""Charts as inline SVG made of elements and presentation attributes only (no style
attributes, no script): allowed by the pages' strict Content-Security-Policy, readable
without colour (each bar carries its numbers as text), with a title for screen readers."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#154273"
PART = "#7cb9e8"
ROW = 26
LABEL_WIDTH = 330
BAR_WIDTH = 420


def bars(rows: list[tuple[str, int, int]], title: str) -> Markup:
    """A horizontal bar per row: total (dark) with the part of it (light) inside."""
    top = max((total for _, total, _ in rows), default=0) or 1
    height = ROW * len(rows) + 30
    out = [f'<svg class="grafiek" role="img" aria-labelledby="grafiek-titel" viewBox="0 0 '
           f'{LABEL_WIDTH + BAR_WIDTH + 110} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="grafiek-titel">{escape(title)}</title>']
    for i, (name, total, part) in enumerate(rows):
        y = 10 + i * ROW
        w, p = BAR_WIDTH * total / top, BAR_WIDTH * part / top
        short = name if len(name) <= 44 else name[:43] + "…"
        out += [f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
                f'fill="#1a1a1a">{escape(short)}</text>',
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="20" fill="{BAR}"/>',
                f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{p:.1f}" height="10" fill="{PART}"/>',
                f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 15}" font-size="13" fill="#1a1a1a">'
                f'{total} ({part} gemotiveerd)</text>']
    out.append("</svg>")
    return Markup("".join(out))
