"""The overdue cases, grouped by unit and paginated in SQL (a page never loads every overdue case).

A case is overdue when one of its clocks is still open past its end (closed_at IS NULL AND due_at < now); it is
listed once, with its earliest overdue clock. Units with the most overdue cases come first, then by name; inside a
unit, the longest overdue first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Case, Clock, Unit
from .dashboard import OverdueCase, UnitOverdue

PER_PAGE = 50


@dataclass
class OverduePage:
    units: list[UnitOverdue]     # the page's cases, grouped; a unit split over two pages appears on both
    unit_totals: dict[int, int]  # every unit's overdue count (not only the page's part)
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


def _first_due(unit_ids: set[int] | None, now: datetime):
    query = (select(Clock.case_id.label("case_id"), func.min(Clock.due_at).label("first_due"))
             .join(Case, Clock.case_id == Case.id)
             .where(Clock.closed_at.is_(None), Clock.due_at.is_not(None), Clock.due_at < now,
                    Case.voided_at.is_(None))
             .group_by(Clock.case_id))
    if unit_ids is not None:
        query = query.where(Case.unit_id.in_(sorted(unit_ids) or [-1]))
    return query.subquery()


def overdue_page(session: Session, unit_ids: set[int] | None, now: datetime, page: int = 1,
                 per_page: int | None = None) -> OverduePage:
    per_page = per_page or PER_PAGE
    first = _first_due(unit_ids, now)
    per_unit = (select(Case.unit_id.label("unit_id"), func.count().label("n"))
                .join(first, first.c.case_id == Case.id).group_by(Case.unit_id).subquery())
    totals = dict(session.execute(select(per_unit.c.unit_id, per_unit.c.n)).all())
    total = sum(totals.values())
    page = max(1, min(page, max(1, (total + per_page - 1) // per_page)))
    rows = session.execute(
        select(Unit.id, Unit.name, Case.id, Case.tracking_code, first.c.first_due)
        .join(Case, Case.id == first.c.case_id).join(Unit, Unit.id == Case.unit_id)
        .join(per_unit, per_unit.c.unit_id == Case.unit_id)
        .order_by(per_unit.c.n.desc(), Unit.name, Unit.id, first.c.first_due, Case.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    clocks = _earliest_clocks(session, [r[2] for r in rows], now)
    units: list[UnitOverdue] = []
    for unit_id, unit_name, case_id, code, first_due in rows:
        if not units or units[-1].unit_id != unit_id:
            units.append(UnitOverdue(unit_id, unit_name))
        label, due_date = clocks.get(case_id, ("", None))
        units[-1].cases.append(OverdueCase(case_id, code, label, due_date, first_due))
    return OverduePage(units, totals, total, page, per_page)


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
