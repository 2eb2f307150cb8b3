"""The unit a case belonged to on a day: a fact about a case dated D (received, ended, a time limit met, a rating, a
conference held) counts under the unit the case was in on D.

`cases.unit_id` is the unit a case is in now. A unit merger moves the open cases of the dissolved unit to its
successor (unit_merger.py) and records each move in `case_unit_moves` (models/case_move.py): the case belonged to
the dissolved unit before the successor's first day, and mergers may chain (A into B on M1, B into C on M2: A before
M1, B from M1 to M2, C after). The unit on D is the `from_unit` of the case's first move after D, else its unit now.

An escalation also moves a case (to the unit above), but it is no move here, and the reports count an escalated case
under the unit above for every period, as they did before mergers were dated: the unit above takes the matter over
and answers for it, and every report of a unit above (a subtree) counts it the same either way, because an escalation
moves a case up its own branch of the tree; only the per-unit rows of the unit it left would change, and a merger is
what made those wrong (a unit that ceased to exist, whose work of the past moved into another's row).

Reports read it in SQL (`attribution`): `unit` is the expression to group by, `where` the filter "in one of these
units on D". Both are plain `cases.unit_id` when no case ever moved into or out of the units counted, and `where` is
when no case moved across their edge (a province with its communes), so the reports keep their indexed plans; else the
filter widens `cases.unit_id` to the units now holding the cases moved out of the counted units (a few), and the move
is looked up (one index probe) only for the cases of units that hold a moved case. Measured on PostgreSQL with 1M
cases and 16,666 open cases moved by the merger of 10 of 200 communes: the province's quarterly report as before
(0.5-1 s, as the shared machine varied), a merged commune's 0.1-0.16 s (0.06-0.1 s before).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ...models import Case, CaseUnitMove
from ...models.case_move import PAIRS_MEMO
from ...timeutil import start_of_day_utc


@dataclass(frozen=True)
class Attribution:
    """`unit`: the unit a case was in at the fact's instant (SQL); `where`: it was one of the units asked about;
    `now_in`: the filter on the unit a case is in now that `where` implies (indexed: for a query whose `where` must go
    inside a subquery)."""
    unit: ColumnElement
    where: ColumnElement
    now_in: ColumnElement


def _ids(units: Iterable[int]) -> list[int]:
    return sorted(units) or [-1]


#: session.info key of the moves' (unit left, unit now) pairs, kept for one transaction (`moved_pairs`)
_MEMO = PAIRS_MEMO


def moved_pairs(session: Session) -> frozenset[tuple[int, int]]:
    """(a unit a case was moved out of, the unit that case is in now) for every move: a few pairs (one per merged
    unit and successor, and per unit above a moved case was escalated to). Read once per transaction: a report reads
    it for each figure, and it costs a probe into `cases` per move (ix_cases_id_cover; a join of the moves to `cases`
    scanned all of it, 0.3 s at 1M cases). A merger forgets it (`forget`), as it adds moves, and so does any change of
    a case's unit through the session (models/case_move.py); the sweep's escalations write theirs in transactions of
    their own, which read it again."""
    txn = session.get_transaction()
    memo = session.info.get(_MEMO)
    if memo is not None and memo[0] is txn:
        return memo[1]
    now = select(Case.unit_id).where(Case.id == CaseUnitMove.case_id).correlate(CaseUnitMove).scalar_subquery()
    pairs = frozenset((f, u) for f, u in session.execute(select(CaseUnitMove.from_unit_id, now).distinct()))
    session.info[_MEMO] = (txn, pairs)
    return pairs


def forget(session: Session) -> None:
    session.info.pop(_MEMO, None)


def holders(session: Session) -> set[int]:
    """The units now holding a case that was moved (a case of any other unit has been in its unit all along)."""
    return {now for _left, now in moved_pairs(session)}


def unit_before(when, by_day: bool = False) -> ColumnElement:
    """The unit the case (`Case`, correlated) left by its first move after `when` (NULL: no move after it); `by_day`:
    `when` is a local day (a date column), compared with the move's day."""
    after = CaseUnitMove.moved_on > when if by_day else CaseUnitMove.moved_at > when
    return (select(CaseUnitMove.from_unit_id)
            .where(CaseUnitMove.case_id == Case.id, after)
            .order_by(CaseUnitMove.moved_at, CaseUnitMove.id).limit(1).correlate_except(CaseUnitMove).scalar_subquery())


def attribution(session: Session, units: Iterable[int], when, by_day: bool = False) -> Attribution:
    """The unit of each case at `when` (a column of the query: Case.received_at, Clock.closed_at...; or an instant;
    `by_day`: a local day, a date column) and the filter "in one of `units` then". `when` is compared strictly before
    the move's instant: a fact at the successor's first midnight (or on its first day) is the successor's."""
    units, pairs = set(units), moved_pairs(session)
    leaving = {now for left, now in pairs if left in units and now not in units}
    entering = any(left not in units and now in units for left, now in pairs)
    if not leaving and not entering:
        # no case moved across the edge of the units (none moved, or a province and its communes): whether a case
        # was in one of them is its unit now, and the plain filter keeps the reports' plans
        plain = Case.unit_id.in_(_ids(units))
        touched = any(left in units for left, _now in pairs)
        return Attribution(_unit(holders(session), when, by_day) if touched else Case.unit_id, plain, plain)
    unit = _unit(holders(session), when, by_day)
    now_in = Case.unit_id.in_(_ids(units | leaving))
    return Attribution(unit, and_(now_in, unit.in_(_ids(units))), now_in)


def unit_at(session: Session, when, by_day: bool = False) -> ColumnElement:
    """The unit of each case at `when`, over every unit (no filter: `attribution` when the units are limited)."""
    moved = holders(session)
    return _unit(moved, when, by_day) if moved else Case.unit_id


def _unit(moved: set[int], when, by_day: bool) -> ColumnElement:
    """The move looked up only for the cases of the units holding a moved case (else their unit now)."""
    return case((Case.unit_id.in_(_ids(moved)), func.coalesce(unit_before(when, by_day), Case.unit_id)),
                else_=Case.unit_id)


def just_before(instant: datetime) -> datetime:
    """The last instant before `instant`: a figure "at the period's end" (the exclusive end `instant`) is the unit's
    that had the case on the period's last day, not its successor's from the next midnight."""
    return instant - timedelta(microseconds=1)


def units_now_and_before(session: Session, units: Iterable[int]) -> set[int]:
    """The units whose cases may have been in one of `units` on some day: they and the holders of the cases moved
    out of them (for a query that places each case in Python, `place`)."""
    units = set(units)
    return units | {now for left, now in moved_pairs(session) if left in units}


def moves_of(session: Session, case_ids: Iterable[int]) -> dict[int, list[tuple[datetime, int]]]:
    """Each case's moves, (instant, unit left), in order: what `place` reads."""
    out: dict[int, list[tuple[datetime, int]]] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):  # IN lists of bounded length
        rows = session.execute(select(CaseUnitMove.case_id, CaseUnitMove.moved_at, CaseUnitMove.from_unit_id)
                               .where(CaseUnitMove.case_id.in_(ids[start:start + 500]))
                               .order_by(CaseUnitMove.case_id, CaseUnitMove.moved_at, CaseUnitMove.id))
        for case_id, moved_at, from_unit in rows:
            out.setdefault(case_id, []).append((moved_at, from_unit))
    return out


def place(unit_now: int, moves: list[tuple[datetime, int]], day: date) -> int:
    """The unit a case now in `unit_now` with `moves` was in on the local `day` (the Python twin of `attribution`)."""
    instant = start_of_day_utc(day)
    return next((from_unit for moved_at, from_unit in moves if moved_at > instant), unit_now)
