"""Periodic statistical reports (báo cáo định kỳ) over a unit and its subtree, laid out like the inspectorate's forms.

A report is a title, the unit's name, a period line and a list of sections; each section is a table whose columns
may share a group heading (merged above them in the page and in the XLSX, as in the official forms). The sections
are built by the functions in `SECTIONS`, in order: another module adds its own table to every report with
`register_section(builder)` (the extension point for the reception days held against required and the dialogues
held, which live in their own services). A builder takes the `Scope` and returns a `Section` or None (nothing to
show).

Every figure is counted in SQL (GROUP BY), over the cases not voided, in the units of the scope. Which cases are
citizens' matters is the rule of matters.py, shared with the dashboard and the scorecard: follow-up tasks (internal
work) count in no figure; letters and dialogues have their own sections.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Unit
from ...models.unit import exists_between
from ...timeutil import start_of_day_utc
from ..cases.unit_on import Attribution, attribution
from ..errors import ServiceError
from .periods import BASES, CUTOFF_BASIS, KINDS, Period, bounds

N_ = lambda s: s  # noqa: E731 - marks a heading for extraction; `Scope.tr` translates it

KIND_TITLES = {"month": N_("Báo cáo tháng"), "quarter": N_("Báo cáo quý"), "half": N_("Báo cáo 6 tháng"),
               "nine": N_("Báo cáo 9 tháng"), "year": N_("Báo cáo năm")}


@dataclass
class Column:
    key: str
    label: str
    group: str | None = None  # consecutive columns with the same group share a merged heading above them
    kind: str = "int"         # int, float (averages) or text


@dataclass
class Row:
    label: str
    values: dict[str, int | float | None]
    total: bool = False       # the total row (bold, last)
    #: column key -> the case-list filters of the cases behind the figure (drill-down); absent: no list
    links: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""

    @property
    def groups(self) -> list[tuple[str | None, int]]:
        """(group heading, how many columns it spans) from left to right: the first header row of the form."""
        out: list[tuple[str | None, int]] = []
        for col in self.columns:
            if out and col.group is not None and out[-1][0] == col.group:
                out[-1] = (col.group, out[-1][1] + 1)
            else:
                out.append((col.group, 1))
        return out

    @property
    def grouped(self) -> bool:
        return any(c.group for c in self.columns)


@dataclass
class Scope:
    """What every section builder reads: the units (the chosen unit and its subtree, within what the user may see),
    the period and its UTC bounds [lo, hi), and the labels of the page's language."""
    session: Session
    unit_id: int
    unit_name: str
    unit_ids: set[int]
    period: Period
    now: datetime
    tr: Callable[[str], str] = lambda s: s
    kind_labels: dict[str, str] = field(default_factory=dict)
    #: the workflows directory, where the sections of reception and dialogue read their rule files
    workflows_dir: str | None = None

    @property
    def lo(self) -> datetime:
        return start_of_day_utc(self.period.first)

    @property
    def hi(self) -> datetime:
        return start_of_day_utc(self.period.end)

    @property
    def until(self) -> datetime:
        """The instant the figures "at the period's end" are read at: the period's end, or now while the period
        runs (a time limit due after today is not overdue yet in the report of the current month)."""
        return min(self.now, self.hi)

    def on(self, when, by_day: bool = False) -> Attribution:
        """The unit of each case at `when` (a column or an instant; `by_day`: a date column) and the filter "in the
        scope's units then": a case a merger moved counts under the unit it was in on the fact's day
        (services/cases/unit_on.py)."""
        return attribution(self.session, self.unit_ids, when, by_day)

    def kind_label(self, kind: str) -> str:
        return self.kind_labels.get(kind, kind)

    def unit_names(self) -> list[tuple[int, str]]:
        """The units of the scope, the chosen one first, then by name."""
        rows = self.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(sorted(self.unit_ids) or [-1])))
        return sorted(rows, key=lambda r: (r[0] != self.unit_id, r[1]))

    def unit_rows(self, per_unit: dict[int, dict]) -> list[tuple[int, str, dict, bool]]:
        """(unit id, name, figures, merged) of each unit with figures, in `unit_names` order. A unit that did not exist
        in the period (dissolved before it) is listed only in the periods it existed: what is still counted for it
        later (a case closed before the merger, rated after it) is added to the row of the unit that carries on its
        work, when that unit is in the scope, and that row is `merged` (its figures are of two units: no one list of
        cases is behind them). Without a successor in the scope it keeps its own row, so the totals never change."""
        rows: dict[int, dict] = {}
        merged: set[int] = set()
        for uid, values in per_unit.items():
            holder = self._holder(uid)
            if holder in rows:
                rows[holder] = {k: (rows[holder].get(k) or 0) + (v or 0) for k, v in values.items()}
                merged.add(holder)
            else:
                rows[holder] = dict(values)
            if holder != uid:
                merged.add(holder)
        return [(uid, name, rows[uid], uid in merged) for uid, name in self.unit_names() if uid in rows]

    def _holder(self, unit_id: int) -> int:
        """The unit whose row counts `unit_id`'s figures of the period: itself while it existed in the period, else
        its successor's holder (when in the scope)."""
        org, seen = org_tree.org(self.session), set()
        while unit_id not in seen:
            seen.add(unit_id)
            life = org.lifetime(unit_id)
            if (exists_between(life.active_from, life.active_to, self.period.first, self.period.last)
                    or life.successor_id not in self.unit_ids):
                return unit_id
            unit_id = life.successor_id
        return unit_id

    def base_filters(self) -> dict[str, str]:
        """The case-list filters every drill-down of the report shares: the unit and its subtree."""
        return {"don_vi": str(self.unit_id)}

    def received_filters(self, **more: str) -> dict[str, str]:
        return {**self.base_filters(), "nhan_tu": self.period.first.isoformat(),
                "nhan_den": self.period.last.isoformat(), **more}

    def closed_filters(self, **more: str) -> dict[str, str]:
        return {**self.base_filters(), "xong_tu": self.period.first.isoformat(),
                "xong_den": self.period.last.isoformat(), **more}

    # the sections of citizens' matters (intake, results, timeliness) count citizen_matter() only: each of their
    # links says so (pham_vi=vu_viec), or a total row's list also showed the letters, dialogues and follow-up tasks
    # of the period
    def matters_received(self, **more: str) -> dict[str, str]:
        return self.received_filters(pham_vi="vu_viec", **more)

    def matters_closed(self, **more: str) -> dict[str, str]:
        return self.closed_filters(pham_vi="vu_viec", **more)


@dataclass
class Report:
    title: str
    unit_name: str
    period: Period
    period_line: str
    sections: list[Section]
    notes: list[str]


SectionBuilder = Callable[[Scope], "Section | None"]
SECTIONS: list[SectionBuilder] = []


def register_section(builder: SectionBuilder) -> SectionBuilder:
    """Append a section builder to every report (usable as a decorator); registering twice has no effect."""
    if builder not in SECTIONS:
        SECTIONS.append(builder)
    return builder


def choose_period(kind: str, year: int | None, number: int | None, basis: str, today) -> Period:
    """The period the user asked for, refused (ServiceError naming the field) when unknown or not yet begun."""
    if kind not in KINDS:
        raise ServiceError("Loại kỳ báo cáo không hợp lệ: chọn tháng, quý, 6 tháng, 9 tháng hoặc năm.", field="ky")
    if basis not in BASES:
        raise ServiceError("Cách tính kỳ không hợp lệ: chọn theo ngày chốt số liệu hoặc theo lịch.",
                           field="cach_tinh")
    if year is None or not 2000 <= year <= 2100:
        raise ServiceError("Năm báo cáo không hợp lệ.", field="nam")
    count = KINDS[kind][1]
    if count > 1 and (number is None or not 1 <= number <= count):
        raise ServiceError("Số kỳ phải từ 1 đến %(max)s.", field="so", max=count)
    period = bounds(kind, year, number if count > 1 else 1, basis)
    if period.first > today:
        raise ServiceError("Kỳ báo cáo chưa bắt đầu: chỉ lập báo cáo cho kỳ đã qua hoặc kỳ hiện tại.", field="nam")
    return period


def scope_units(session: Session, unit_id: int, visible: set[int] | None) -> set[int]:
    """The unit and its subtree, limited to the units the user may see; refused when the unit is not one of them."""
    tree = org_tree.unit_tree(session)
    if unit_id not in tree or (visible is not None and unit_id not in visible):
        raise ServiceError("Đơn vị không tồn tại hoặc bạn không được xem số liệu của đơn vị này.", field="don_vi")
    subtree = org_tree.descendants(tree, unit_id)
    return subtree if visible is None else subtree & visible


def default_unit(session: Session, visible: set[int] | None) -> int | None:
    """The top of what the user sees: a unit whose parent the user may not see (the first by id), else None."""
    tree = org_tree.unit_tree(session)
    ids = sorted(tree) if visible is None else sorted(visible)
    tops = [u for u in ids if tree.get(u) is None or (visible is not None and tree.get(u) not in visible)]
    return tops[0] if tops else None


def period_line(period: Period, tr: Callable[[str], str] = lambda s: s) -> str:
    _ = tr
    return _("Số liệu tính từ ngày %(first)s đến ngày %(last)s") % {
        "first": f"{period.first:%d/%m/%Y}", "last": f"{period.last:%d/%m/%Y}"}


def build(session: Session, *, unit_id: int, visible: set[int] | None, period: Period, now: datetime,
          tr: Callable[[str], str] = lambda s: s, kind_labels: dict[str, str] | None = None,
          workflows_dir: str | None = None) -> Report:
    """The report of `period` over `unit_id` and its subtree (within `visible`; None = every unit)."""
    from . import periodic_meetings  # noqa: F401 - registers the sections (the built-in ones, then the meetings)

    _ = tr  # the headings below are extracted for translation as _() calls
    units = scope_units(session, unit_id, visible)
    unit_name = session.scalar(select(Unit.name).where(Unit.id == unit_id)) or ""
    scope = Scope(session, unit_id, unit_name, units, period, now, tr, dict(kind_labels or {}), workflows_dir)
    sections = [s for s in (builder(scope) for builder in SECTIONS) if s is not None]
    number = "" if KINDS[period.kind][1] == 1 else f" {period.number}"
    title = _("%(title)s năm %(year)s") % {"title": _(KIND_TITLES[period.kind]) + number, "year": period.year}
    basis = (_("Kỳ tính theo ngày chốt số liệu (%(basis)s).") % {"basis": CUTOFF_BASIS}
             if period.basis == "cutoff" else _("Kỳ tính theo lịch (tháng, quý, năm dương lịch)."))
    notes = [basis,
             _("Không tính việc theo dõi thực hiện kết luận, cam kết (loại hồ sơ nội bộ, không phải đơn của "
                "công dân), các hồ sơ đã hủy, và các cuộc đối thoại (báo cáo ở phần riêng)."),
             _("Ngày tính theo giờ Việt Nam; hồ sơ được tính theo ngày tiếp nhận, ngày kết thúc và ngày đánh giá.")]
    return Report(title=title, unit_name=unit_name, period=period, period_line=period_line(period, tr),
                  sections=sections, notes=notes)
