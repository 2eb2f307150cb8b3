"""A horizontal grouped bar chart as inline SVG, drawn on the server (no JavaScript, no external files).

One row per week (label on the left), two bars per row: received and resolved, each with its count. Rows stack
downwards, so the chart stays readable on a narrow phone screen: the width is shared by the label and the bars only.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from ...services.reports.dashboard import Week

WIDTH = 360
LABEL_W = 92  # room for a week label such as 07/09–13/09 at 12px
BAR_H = 11
ROW_GAP = 8
TOP = 34
RECEIVED_COLOR = "#0b57d0"
RESOLVED_COLOR = "#188038"


def week_chart(weeks: list[Week], *, title: str, received_label: str, resolved_label: str,
               link=None) -> Markup:
    """`link(kind, row)` gives the address of the cases behind a bar (kind: received or resolved), or None."""
    top_value = max([1] + [max(w.received, w.resolved) for w in weeks])
    bar_room = WIDTH - LABEL_W - 34  # room for the count after the longest bar
    row_h = 2 * BAR_H + ROW_GAP
    height = TOP + len(weeks) * row_h + 4
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" data-weeks="{len(weeks)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="6" width="12" height="12" fill="{RECEIVED_COLOR}"/>'
        f'<text x="16" y="16" class="legend">{escape(received_label)}</text>',
        f'<rect x="150" y="6" width="12" height="12" fill="{RESOLVED_COLOR}"/>'
        f'<text x="166" y="16" class="legend">{escape(resolved_label)}</text>',
    ]
    for i, w in enumerate(weeks):
        y = TOP + i * row_h
        label = w.label
        parts.append(f'<g class="week" data-week="{w.start.isoformat()}" data-received="{w.received}" '
                     f'data-resolved="{w.resolved}">')
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + BAR_H + 4}" text-anchor="end" class="wk">{label}</text>')
        for j, (kind, value, color, name) in enumerate((("received", w.received, RECEIVED_COLOR, received_label),
                                                        ("resolved", w.resolved, RESOLVED_COLOR, resolved_label))):
            by = y + j * BAR_H
            length = round(bar_room * value / top_value, 1)
            href = link(kind, w) if link is not None and value else None
            if href:
                parts.append(f'<a href="{escape(href)}">')
            parts.append(f'<rect class="bar {kind}" data-count="{value}" x="{LABEL_W}" y="{by}" '
                         f'width="{max(length, 0.5) if value else 0}" height="{BAR_H - 1}" fill="{color}">'
                         f"<title>{escape(name)} {label}: {value}</title></rect>")
            if href:
                parts.append("</a>")
            parts.append(f'<text x="{LABEL_W + length + 3}" y="{by + BAR_H - 2}" class="n">{value}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
