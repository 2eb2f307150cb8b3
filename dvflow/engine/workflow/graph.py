"""SVG drawing of a workflow with the current state highlighted.

Uses Graphviz ``dot`` when it is installed, else a small pure-Python layered layout (states in rows by distance from
the initial state, one pass of barycentre ordering, straight edges downwards, curved edges back up). The SVG is
returned without an XML prolog so that it can be inlined in HTML.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from dvflow.engine.workflow.definition import Definition

Engine = Literal["auto", "dot", "python"]
CURRENT_FILL, FINAL_FILL, SUSPENDED_FILL, NODE_FILL = "#ffd54f", "#e0e0e0", "#fbe9e7", "#e3f2fd"
CHAR_W, NODE_H, ROW_GAP, COL_GAP, MARGIN = 7.2, 36, 70, 40, 30


WIDE = 4  # a transition from this many states or more is drawn once, from a "many states" stub


def edges_of(defn: Definition) -> dict[tuple[str, str], list[str]]:
    """(source, dest) -> labels of the narrow transitions between them, in definition order."""
    order = list(defn.states)
    edges: dict[tuple[str, str], list[str]] = {}
    for t in defn.transitions:
        if t.dest is None or len(t.sources) >= WIDE:
            continue
        for s in sorted(t.sources, key=order.index):
            labels = edges.setdefault((s, t.dest), [])
            if t.label not in labels:
                labels.append(t.label)
    return edges


def wide_transitions(defn: Definition) -> list[tuple[str, str, int]]:
    """(label, dest, number of sources) of transitions drawn from a stub instead of one edge per source."""
    return [(t.label, t.dest, len(t.sources)) for t in defn.transitions if t.dest and len(t.sources) >= WIDE]


def internal_actions(defn: Definition, state: str) -> list[str]:
    return [t.label for t in defn.transitions if t.dest is None and state in t.sources]


# --- graphviz ------------------------------------------------------------------------------------------------------

def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


#: the label of a transition drawn from a stub (the page's language: render_svg's `many`)
MANY = "từ {count} trạng thái"


def to_dot(defn: Definition, current_state: str | None = None, many: str = MANY) -> str:
    lines = [f"digraph {_dot_str(defn.id)} {{", '  graph [rankdir=TB, fontname="sans-serif"];',
             '  node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=11];',
             '  edge [fontname="sans-serif", fontsize=9];']
    for name, s in defn.states.items():
        fill = CURRENT_FILL if name == current_state else FINAL_FILL if s.final else \
            SUSPENDED_FILL if s.status == "suspended" else NODE_FILL
        extra = ", peripheries=2" if s.final else ""
        extra += ", penwidth=3" if name == current_state else ""
        tip = "; ".join(internal_actions(defn, name))
        lines.append(f"  {_dot_str(name)} [label={_dot_str(s.label)}, fillcolor={_dot_str(fill)}, "
                     f"id={_dot_str('state-' + name)}, tooltip={_dot_str(tip or s.label)}{extra}];")
    for (src, dst), labels in edges_of(defn).items():
        lines.append(f"  {_dot_str(src)} -> {_dot_str(dst)} [label={_dot_str(chr(10).join(labels))}];")
    for k, (label, dest, count) in enumerate(wide_transitions(defn)):
        stub = f"__many_{k}"
        lines.append(f"  {_dot_str(stub)} [shape=plaintext, style=\"\", label={_dot_str(many.format(count=count))}];")
        lines.append(f"  {_dot_str(stub)} -> {_dot_str(dest)} [style=dashed, label={_dot_str(label)}];")
    lines.append("}")
    return "\n".join(lines)


def _strip_prolog(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _render_dot(dot_text: str, binary: str) -> str | None:
    try:
        done = subprocess.run([binary, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=20,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or b"<svg" not in done.stdout:
        return None
    return _strip_prolog(done.stdout.decode("utf-8"))


# --- pure python layout -----------------------------------------------------------------------------------------

@dataclass
class Box:
    name: str
    x: float
    y: float
    w: float
    h: float = NODE_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _dag(defn: Definition, edges: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """Successors along the edges, minus the edges that go back up a depth-first walk from the initial state."""
    succ: dict[str, list[str]] = {n: [] for n in defn.states}
    for (src, dst) in edges:
        if src != dst:
            succ[src].append(dst)
    dag: dict[str, list[str]] = {n: [] for n in defn.states}
    colour: dict[str, int] = {}

    def visit(node: str) -> None:
        colour[node] = 1
        for nxt in succ[node]:
            if colour.get(nxt) == 1:
                continue  # back edge
            dag[node].append(nxt)
            if nxt not in colour:
                visit(nxt)
        colour[node] = 2

    visit(defn.initial)
    return dag


def _layers(defn: Definition, edges: dict[tuple[str, str], list[str]]) -> tuple[list[list[str]], list[str]]:
    """Rows of the main flow (longest path from the initial state) and the side column (states entered only by
    wide transitions or back edges, e.g. suspended, withdrawn)."""
    dag = _dag(defn, edges)
    depth = {defn.initial: 0}
    for _ in range(len(defn.states)):  # longest path by relaxation (the graph is a small DAG)
        changed = False
        for src, nexts in dag.items():
            for nxt in nexts:
                if src in depth and depth.get(nxt, -1) < depth[src] + 1:
                    depth[nxt] = depth[src] + 1
                    changed = True
        if not changed:
            break
    rows: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for name in defn.states:
        if name in depth:
            rows[depth[name]].append(name)
    side = [n for n in defn.states if n not in depth]
    position = {n: i for row in rows for i, n in enumerate(row)}
    for k in range(1, len(rows)):  # barycentre of predecessors in the rows above
        def centre(n: str) -> float:
            preds = [position[s] for (s, d) in edges if d == n and s in position and depth[s] < k]
            return sum(preds) / len(preds) if preds else float(position[n])
        rows[k].sort(key=centre)
        position.update({n: i for i, n in enumerate(rows[k])})
    return rows, side


def _place(defn: Definition, rows: list[list[str]], side: list[str], back_edges: int
           ) -> tuple[dict[str, Box], float, float, float]:
    widths = {n: max(80.0, CHAR_W * len(defn.states[n].label) + 24) for n in defn.states}
    total = max(sum(widths[n] for n in row) + COL_GAP * (len(row) - 1) for row in rows)
    boxes: dict[str, Box] = {}
    top, left = MARGIN + 20, MARGIN + 120  # room on the left for edges that skip rows
    for k, row in enumerate(rows):
        x = left + (total - sum(widths[n] for n in row) - COL_GAP * (len(row) - 1)) / 2
        for n in row:
            boxes[n] = Box(n, x, top + k * (NODE_H + ROW_GAP), widths[n])
            x += widths[n] + COL_GAP
    lane = left + total + 40  # back edges curve through this lane
    side_x = lane + 260 + 18 * back_edges  # wide stubs' labels sit left of the side column
    for k, n in enumerate(side):
        boxes[n] = Box(n, side_x, top + k * (NODE_H + ROW_GAP) + ROW_GAP / 2, widths[n])
    side_w = max((widths[n] for n in side), default=0)
    height = top + max(len(rows), len(side) + 1) * (NODE_H + ROW_GAP)
    return boxes, side_x + side_w + MARGIN + 160, height, lane


def _edge_svg(a: Box, b: Box, labels: list[str], bend: int, lane: float) -> str:
    label = escape(", ".join(labels))
    if b.x >= lane:  # into the side column
        x1, y1, x2, y2 = a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2
        path, lx, ly = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}", (x1 + x2) / 2, (y1 + y2) / 2 - 3
    elif b.y > a.y and b.y - a.y <= a.h + ROW_GAP + 1:  # down one row: straight
        x1, y1, x2, y2 = a.cx, a.y + a.h, b.cx, b.y
        path, lx, ly = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}", (x1 + x2) / 2, (y1 + y2) / 2
    elif b.y > a.y:  # down several rows: curve out to the left of both boxes
        x1, y1, x2, y2 = a.x, a.y + a.h / 2, b.x, b.y + b.h / 2
        cx = min(x1, x2) - 40 - 14 * bend
        path = f"M{x1:.1f},{y1:.1f} C{cx:.1f},{y1:.1f} {cx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        lx, ly = cx + 30, (y1 + y2) / 2
    else:  # back or sideways: curve out to the right of both boxes
        x1, y1 = a.x + a.w, a.y + a.h / 2
        x2, y2 = b.x + b.w, b.y + b.h / 2
        cx = max(lane, x1, x2) + 18 * bend
        path = f"M{x1:.1f},{y1:.1f} C{cx:.1f},{y1:.1f} {cx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        lx, ly = cx - 10, (y1 + y2) / 2
    return (f'<g class="edge"><path d="{path}" fill="none" stroke="#555" marker-end="url(#arrow)"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="9" fill="#333" text-anchor="middle">{label}</text></g>')


def _node_svg(defn: Definition, box: Box, current: str | None) -> str:
    s = defn.states[box.name]
    is_current = box.name == current
    fill = CURRENT_FILL if is_current else FINAL_FILL if s.final else \
        SUSPENDED_FILL if s.status == "suspended" else NODE_FILL
    cls = "state" + (" current" if is_current else "") + (" final" if s.final else "")
    tip = "; ".join(internal_actions(defn, box.name))
    parts = [f'<g class="{cls}" id={quoteattr("state-" + box.name)}><title>{escape(s.label)}'
             f'{escape(" — " + tip) if tip else ""}</title>',
             f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h}" rx="8" fill="{fill}" '
             f'stroke="#333" stroke-width="{3 if is_current else 1}"/>']
    if s.final:
        parts.append(f'<rect x="{box.x + 3:.1f}" y="{box.y + 3:.1f}" width="{box.w - 6:.1f}" height="{box.h - 6}" '
                     f'rx="6" fill="none" stroke="#333"/>')
    parts.append(f'<text x="{box.cx:.1f}" y="{box.y + box.h / 2 + 4:.1f}" font-size="12" text-anchor="middle">'
                 f'{escape(s.label)}</text></g>')
    return "".join(parts)


def _stub_svg(box: Box, label: str, count: int, k: int, many: str = MANY) -> str:
    x2, y2 = box.x, box.y + box.h / 2 + (k % 3 - 1) * 8
    x1 = x2 - 46
    text = escape(f"{label} ({many.format(count=count)})")
    return (f'<g class="edge many"><path d="M{x1:.1f},{y2:.1f} L{x2:.1f},{y2:.1f}" fill="none" stroke="#888" '
            f'stroke-dasharray="4 3" marker-end="url(#arrow)"/><text x="{x1 - 4:.1f}" y="{y2 + 3:.1f}" '
            f'font-size="9" fill="#555" text-anchor="end">{text}</text></g>')


def render_python(defn: Definition, current_state: str | None = None, many: str = MANY) -> str:
    edges = edges_of(defn)
    rows, side = _layers(defn, edges)
    depth = {n: k for k, row in enumerate(rows) for n in row}
    back = sum(1 for (a, b) in edges if a in depth and b in depth and depth[b] <= depth[a] and a != b)
    boxes, width, height, lane = _place(defn, rows, side, back)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" class="workflow-graph">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
           f'<text x="{MARGIN}" y="{MARGIN}" font-size="14" font-weight="bold">{escape(defn.label)}</text>']
    bends: dict[str, int] = {}
    for (src, dst), labels in edges.items():
        if src == dst:
            continue
        bend = bends[src] = bends.get(src, -1) + 1
        out.append(_edge_svg(boxes[src], boxes[dst], labels, bend, lane))
    counts: dict[str, int] = {}
    for label, dest, count in wide_transitions(defn):
        counts[dest] = counts.get(dest, -1) + 1
        out.append(_stub_svg(boxes[dest], label, count, counts[dest], many))
    out += [_node_svg(defn, boxes[n], current_state) for n in defn.states]
    out.append("</svg>")
    return "\n".join(out)


def render_svg(defn: Definition, current_state: str | None = None, engine: Engine = "auto", many: str = MANY) -> str:
    """SVG of ``defn`` with ``current_state`` highlighted: Graphviz ``dot`` if available (engine="auto" or "dot"),
    else the pure-Python layout. The labels are the definition's own (a page in English passes a copy with its
    English labels) and `many`, with ``{count}``, labels a transition drawn from a stub."""
    if engine != "python":
        binary = shutil.which("dot")
        if binary:
            svg = _render_dot(to_dot(defn, current_state, many), binary)
            if svg is not None:
                return svg
    return render_python(defn, current_state, many)
