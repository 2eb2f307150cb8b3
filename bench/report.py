"""How the benchmarks record and show what they measured.

Every figure is one structured record (:class:`Figure`): the measured value and its unit, the baseline taken in the
same run (if any), their ratio, the target and whether it was met. A benchmark records it with
``results.figure(...)``; a progress line is printed at once, a table of all figures at the end of the run
(:meth:`Results.table`), and the same records, with the run's metadata, notes and errors, go to a JSON file
(:meth:`Results.as_json`, :func:`json_paths`). Standard library only: the tests format synthetic figures with it.
"""
from __future__ import annotations

import json
import math
import os
import textwrap
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

#: bumped when a field of the JSON changes meaning or disappears
SCHEMA = 1
RESULTS_DIR = Path(__file__).resolve().parent / "results"
#: how a ratio is shown: value ÷ baseline as a percentage, a relative change (value ÷ baseline - 1), a plain factor
RATIO_UNITS = ("%", "+%", "×")
#: digits after the point per unit (None: 2 below 10, 1 below 100, 0 from 100)
UNIT_DIGITS: dict[str, int | None] = {"/s": None, "rps": 0, "ms": None, "µs": 1, "s": 2, "MiB": 1, "B": 0, "": None}
TABLE_COLUMNS = ("figure", "db", "value", "baseline", "ratio", "target", "verdict")
#: widest each column may grow before its text wraps (with 2-space gaps the table stays within 160 columns)
TABLE_WIDTHS = (60, 8, 12, 32, 8, 12, 7)


# --- formatting -----------------------------------------------------------------------------------------------------


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}/s" if x >= 100 else f"{x:,.1f}/s"


def fmt_value(x: float | int | None, unit: str = "") -> str:
    """``173/s``, ``1,499 rps``, ``6.59 ms``, ``16.1 µs``, ``2.07 s``, ``101.9 MiB``, ``+1,246 B`` (a count: ``0``)."""
    if x is None:
        return "—"
    if unit == "/s":
        return fmt_rate(x)
    if isinstance(x, int) and not isinstance(x, bool):
        text = f"{x:,}"
    else:
        digits = UNIT_DIGITS.get(unit)
        if digits is None:
            digits = 2 if abs(x) < 10 else 1 if abs(x) < 100 else 0
        text = f"{x:,.{digits}f}"
    return f"{text} {unit}" if unit else text


def fmt_ratio(r: float | None, unit: str = "%") -> str:
    """``24.5%``, ``1.7%``, ``0.24%``, ``120%`` (value ÷ baseline: one decimal below 100%, so a ratio just under
    its target never reads as the target); ``+0.4%`` (a change); ``1.26×`` (a factor)."""
    if r is None:
        return "—"
    if unit == "+%":
        return f"{r:+.1%}"
    if unit == "×":
        return f"{r:.2f}×"
    digits = 0 if abs(r) >= 1 or r == 0 else 1 if abs(r) >= 0.01 else 2
    return f"{r:.{digits}%}"


def _finite(x):
    """NaN and infinities become None (JSON has no spelling for them)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


# --- records --------------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure on one database.

    ``name`` is the benchmark module, optionally followed by a dot and which of its figures (``sweep.open``);
    ``metric`` says in words what was measured. ``baseline_unit`` defaults to ``unit``. ``ratio`` is usually
    value ÷ baseline (``ratio_unit`` "%"), a relative change (``"+%"``) or a plain factor such as time(1M) ÷
    time(100k) (``"×"``). ``target`` is the issue's target as text (``"≥60%"``), ``met`` whether it was met (None:
    no target). ``extra`` holds the secondary numbers (latencies, sizes, raw KiB) under stable keys.
    """

    name: str
    db: str
    metric: str
    value: float | int | None
    unit: str = ""
    baseline_name: str | None = None
    baseline: float | int | None = None
    baseline_unit: str | None = None
    ratio: float | None = None
    ratio_unit: str = "%"
    target: str | None = None
    met: bool | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.ratio_unit not in RATIO_UNITS:
            raise ValueError(f"ratio_unit must be one of {RATIO_UNITS}, not {self.ratio_unit!r}")
        if self.unit not in UNIT_DIGITS:
            raise ValueError(f"unknown unit {self.unit!r} (known: {', '.join(map(repr, UNIT_DIGITS))})")
        if self.baseline_unit is None and self.baseline is not None:
            self.baseline_unit = self.unit
        if self.met is not None:
            self.met = bool(self.met)
        self.value, self.baseline, self.ratio = _finite(self.value), _finite(self.baseline), _finite(self.ratio)
        self.extra = {k: _finite(v) for k, v in self.extra.items()}

    @property
    def module(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def label(self) -> str:
        """``sweep.sqlite.open``: the name with the database after the module, as the progress lines always had."""
        head, _, rest = self.name.partition(".")
        return f"{head}.{self.db}" + (f".{rest}" if rest else "")

    @property
    def verdict(self) -> str:
        return "—" if self.met is None else "MET" if self.met else "MISSED"

    def baseline_text(self) -> str:
        if self.baseline is None:
            return self.baseline_name or ""
        value = fmt_value(self.baseline, self.baseline_unit or "")
        return f"{self.baseline_name} {value}" if self.baseline_name else value

    def line(self) -> str:
        """The progress line: ``transition.sqlite: perform vs ORM get-modify-commit = 173/s vs ORM ... 706/s → 25%,
        target ≥60% MISSED``."""
        out = f"{self.label}: {self.metric} = {fmt_value(self.value, self.unit)}"
        if self.baseline is not None:
            out += f" vs {self.baseline_text()}"
        if self.ratio is not None:
            out += f" → {fmt_ratio(self.ratio, self.ratio_unit)}"
        if self.target:
            out += f", target {self.target} {self.verdict}"
        if self.note:
            out += f" ({self.note})"
        return out

    def as_dict(self) -> dict:
        return {**asdict(self), "verdict": self.verdict}


@dataclass
class Error:
    name: str
    db: str | None
    type: str
    message: str

    def line(self) -> str:
        return f"{self.name}.{self.db}: ERROR {self.type}: {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "verdict": "ERROR"}


class Results:
    """What one run measured: figures, notes, errors and per-benchmark durations, plus the run's metadata."""

    def __init__(self, meta: dict | None = None) -> None:
        self.meta: dict = dict(meta or {})
        self.figures: list[Figure] = []
        self.notes: list[dict] = []
        self.errors: list[Error] = []
        self.runs: list[dict] = []
        self.current: tuple[str | None, str | None] = (None, None)
        self._order: list[Figure | Error] = []

    # recording

    def begin(self, name: str, db: str) -> None:
        """The benchmark that runs now (notes without a name of their own are filed under it)."""
        self.current = (name, db)

    def end(self, seconds: float, ok: bool = True) -> None:
        name, db = self.current
        self.runs.append({"name": name, "db": db, "seconds": round(seconds, 3), "ok": ok})
        self.current = (None, None)

    def figure(self, **fields) -> Figure:
        """Record one figure (see :class:`Figure` for the fields) and print its progress line."""
        fig = Figure(**fields)
        self.figures.append(fig)
        self._order.append(fig)
        print(fig.line(), flush=True)
        return fig

    def note(self, text: str, *, name: str | None = None, db: str | None = None, echo: bool = True) -> None:
        """A remark that is not a figure (sizes, bulk-load times, error responses): printed and kept in the JSON."""
        cur_name, cur_db = self.current
        self.notes.append({"name": name or cur_name, "db": db or cur_db, "text": text})
        if echo:
            print(f"  # {text}", flush=True)

    def error(self, exc: BaseException, *, name: str | None = None, db: str | None = None) -> Error:
        """A benchmark that raised: recorded (and shown in the table) instead of its figures."""
        cur_name, cur_db = self.current
        err = Error(name or cur_name or "?", db or cur_db, exc.__class__.__name__, str(exc))
        self.errors.append(err)
        self._order.append(err)
        print(err.line(), flush=True)
        return err

    # showing

    def _sorted(self) -> list[Figure | Error]:
        """Run order, but the same figure on each database side by side (a module's error after its figures)."""
        first_module: dict[str, int] = {}
        first_figure: dict[tuple, int] = {}
        for i, item in enumerate(self._order):
            if isinstance(item, Figure):
                module, key = item.module, (item.name, item.metric)
            else:
                module, key = item.name, (item.name, "\0error")
            first_module.setdefault(module, i)
            first_figure.setdefault(key, i)

        def sort_key(pair):
            i, item = pair
            if isinstance(item, Figure):
                return first_module[item.module], 0, first_figure[(item.name, item.metric)], i
            return first_module[item.name], 1, first_figure[(item.name, "\0error")], i

        return [item for _, item in sorted(enumerate(self._order), key=sort_key)]

    def table(self) -> str:
        """All figures as a plain-text table: figure | db | value | baseline | ratio | target | verdict.

        Long cells wrap within their column; a figure's note follows its name, indented, in the first column.
        A blank line separates the benchmark modules. Columns are separated by two spaces; lines stay within 160
        columns.
        """
        rows: list[tuple[str, list[str]]] = []  # (module, cells)
        for item in self._sorted():
            if isinstance(item, Figure):
                first = f"{item.module}: {item.metric}"
                ratio = "" if item.ratio is None else fmt_ratio(item.ratio, item.ratio_unit)
                rows.append((item.module, [first + (f"\n  · {item.note}" if item.note else ""), item.db,
                                           fmt_value(item.value, item.unit), item.baseline_text(), ratio,
                                           item.target or "—", item.verdict]))
            else:  # the message's first line, shortened (the JSON keeps it whole)
                message = (item.message.strip().splitlines() or [""])[0]
                message = message if len(message) <= 200 else message[:199] + "…"
                rows.append((item.name, [f"{item.name}: ERROR\n  · {item.type}: {message}", item.db or "", "", "", "",
                                         "", "ERROR"]))
        if not rows:
            return "(no figures)"
        widths = []
        for c, (header, cap) in enumerate(zip(TABLE_COLUMNS, TABLE_WIDTHS)):
            longest = max(len(line) for _, cells in rows for line in cells[c].splitlines() or [""])
            widths.append(max(len(header), min(cap, longest)))

        def wrap(text: str, width: int) -> list[str]:
            out: list[str] = []
            for para in text.splitlines() or [""]:
                indent = "    " if para.startswith("  · ") else ""
                out += textwrap.wrap(para, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
            return out

        def render(cells: list[str]) -> list[str]:
            wrapped = [wrap(text, w) for text, w in zip(cells, widths)]
            height = max(len(w) for w in wrapped)
            lines = []
            for k in range(height):
                parts = [(w[k] if k < len(w) else "") for w in wrapped]
                # numbers right-aligned (value, ratio), words left-aligned
                line = "  ".join(p.rjust(width) if c in (2, 4) else p.ljust(width)
                                 for c, (p, width) in enumerate(zip(parts, widths)))
                lines.append(line.rstrip())
            return lines

        total = sum(widths) + 2 * (len(widths) - 1)
        rule = "─" * total
        out = render(list(TABLE_COLUMNS)) + [rule]
        previous = None
        for module, cells in rows:
            if previous is not None and module != previous:
                out.append("")
            out += render(cells)
            previous = module
        out.append(rule)
        out.append(self.summary())
        return "\n".join(out)

    def summary(self) -> str:
        met = sum(f.met is True for f in self.figures)
        missed = sum(f.met is False for f in self.figures)
        plain = sum(f.met is None for f in self.figures)
        return (f"{len(self.figures)} figures: {met} MET, {missed} MISSED, {plain} without a target; "
                f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")

    # JSON

    def as_json(self) -> dict:
        return {"schema": SCHEMA, **self.meta,
                "summary": {"figures": len(self.figures), "met": sum(f.met is True for f in self.figures),
                            "missed": sum(f.met is False for f in self.figures),
                            "no_target": sum(f.met is None for f in self.figures), "errors": len(self.errors)},
                "figures": [f.as_dict() for f in self.figures],
                "errors": [e.as_dict() for e in self.errors],
                "notes": list(self.notes),
                "runs": list(self.runs)}

    def write_json(self, paths: list[Path]) -> None:
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)


def json_paths(mode: str, started: datetime, explicit: str | None = None) -> list[Path]:
    """``--json PATH`` alone, else ``bench/results/<mode>-<YYYYmmdd-HHMMSS>.json`` (UTC start) and
    ``bench/results/latest-<mode>.json``."""
    if explicit:
        return [Path(explicit)]
    stamp = started.astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return [RESULTS_DIR / f"{mode}-{stamp}.json", RESULTS_DIR / f"latest-{mode}.json"]
