"""The overdue cases, grouped by unit and paginated in SQL (a page never loads every overdue case).

A case is overdue when one of its clocks is still open past its end (closed_at IS NULL AND due_at < now); it is
listed once, with its earliest overdue clock. Units with the most overdue cases come first, then by name; inside a
unit, the longest overdue first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ...models import Case, Clock, Unit
from .dashboard import INTERNAL_KINDS, OverdueCase, UnitOverdue

PER_PAGE = 50


@dataclass
class OverduePage:
    units: list[UnitOverdue]     # the page's cases, grouped; a unit split over two pages appears on both
    unit_totals: dict[int, int]  # every unit's overdue count (not only the page's part)
    total: int
    page: int
    per_page: int
    #: the open clocks past their end of citizens' matters (follow-up tasks left out): the dashboard rate's
    #: "overdue now", counted by the same grouped query as the units' counts
    open_clocks: int = 0
    #: the cases those clocks belong to: the figure the list of citizens' overdue matters shows
    open_cases: int = 0

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def _first_due(unit_ids: set[int] | None, now: datetime):
    """Per overdue case: its unit and its earliest overdue clock's end (read from the open clocks' due-instant
    index, then the case by its key)."""
    query = (select(Clock.case_id.label("case_id"), Case.unit_id.label("unit_id"),
                    func.min(Clock.due_at).label("first_due"), Case.kind.label("kind"),
                    func.count().label("clocks"))
             .join(Case, Clock.case_id == Case.id)
             .where(Clock.closed_at.is_(None), Clock.due_at.is_not(None), Clock.due_at < now,
                    Case.voided_at.is_(None))
             .group_by(Clock.case_id, Case.unit_id, Case.kind))
    if unit_ids is not None:
        query = query.where(Case.unit_id.in_(sorted(unit_ids) or [-1]))
    return query.subquery()


def overdue_page(session: Session, unit_ids: set[int] | None, now: datetime, page: int = 1,
                 per_page: int | None = None) -> OverduePage:
    """The page's cases, grouped by unit. The units' counts come first (one grouped query, at most one row per
    unit), and they tell which units the page spans and where in each it starts; only those units' cases are then
    read and sorted, instead of sorting every overdue case of the province to keep one page of them."""
    per_page = per_page or PER_PAGE
    first = _first_due(unit_ids, now)
    citizen = first.c.kind.not_in(INTERNAL_KINDS)
    counts = session.execute(select(first.c.unit_id, func.count(),
                                    func.coalesce(func.sum(case((citizen, first.c.clocks), else_=0)), 0),
                                    func.coalesce(func.sum(case((citizen, 1), else_=0)), 0))
                             .group_by(first.c.unit_id)).all()
    totals = {unit_id: n for unit_id, n, _clocks, _cases in counts}
    open_clocks = sum(int(clocks) for _unit, _n, clocks, _cases in counts)
    open_cases = sum(int(cases) for _unit, _n, _clocks, cases in counts)
    total = sum(totals.values())
    page = max(1, min(page, max(1, (total + per_page - 1) // per_page)))
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(sorted(totals) or [-1]))).all())
    lo, hi, start = (page - 1) * per_page, page * per_page, 0
    rows = []
    for unit_id in sorted(totals, key=lambda u: (-totals[u], names.get(u, ""), u)):
        end = start + totals[unit_id]
        if end > lo and start < hi:
            of_unit = _first_due({unit_id}, now)
            rows += [(unit_id, case_id, first_due) for case_id, first_due in session.execute(
                select(of_unit.c.case_id, of_unit.c.first_due).order_by(of_unit.c.first_due, of_unit.c.case_id)
                .offset(max(lo - start, 0)).limit(min(hi, end) - max(lo, start)))]
        start = end
    clocks = _earliest_clocks(session, [r[1] for r in rows], now)
    codes = dict(session.execute(select(Case.id, Case.tracking_code).where(Case.id.in_([r[1] for r in rows] or [-1])))
                 .all())
    units: list[UnitOverdue] = []
    for unit_id, case_id, first_due in rows:
        if not units or units[-1].unit_id != unit_id:
            units.append(UnitOverdue(unit_id, names.get(unit_id, "")))
        label, due_date = clocks.get(case_id, ("", None))
        units[-1].cases.append(OverdueCase(case_id, codes.get(case_id, ""), label, due_date, first_due))
    return OverduePage(units, totals, total, page, per_page, open_clocks, open_cases)


def _earliest_clocks(session: Session, case_ids: list[int], now: datetime) -> dict[int, tuple[str, object]]:
    """The label and last day of each case's earliest overdue clock (the page's cases only)."""
    out: dict[int, tuple[str, object]] = {}
    if not case_ids:
        return out
    for case_id, label, name, due_date in session.execute(
            select(Clock.case_id, Clock.label, Clock.name, Clock.due_date)
            .where(Clock.case_id.in_(case_ids), Clock.closed_at.is_(None), Clock.due_at.is_not(None),
                   Clock.due_at < now).order_by(Clock.case_id, Clock.due_at, Clock.id)):
        out.setdefault(case_id, (label or name, due_date))
    return out


def all_overdue_rows(session: Session, unit_ids: set[int] | None, now: datetime, limit: int = 20000) -> list[tuple]:
    """Every overdue case (for the XLSX), as (unit name, code, clock label, due date, kind, received_at), in the
    page's order."""
    first = _first_due(unit_ids, now)
    rows = session.execute(
        select(Unit.name, Case.id, Case.tracking_code, first.c.first_due, Case.kind, Case.received_at)
        .join(Case, Case.id == first.c.case_id).join(Unit, Unit.id == Case.unit_id)
        .order_by(Unit.name, first.c.first_due, Case.id).limit(limit)).all()
    clocks = _earliest_clocks(session, [r[1] for r in rows], now)
    return [(unit, code, clocks.get(cid, ("", None))[0], clocks.get(cid, ("", None))[1] or first_due, kind, received)
            for unit, cid, code, first_due, kind, received in rows]
