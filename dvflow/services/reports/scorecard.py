"""The yearly scorecard of each unit's dân vận work: every unit of a level (its peers) scored over its subtree for a
year from the criteria of workflows/reports/scorecard.yaml, totalled and ranked (ties share a rank).

Computed criteria come from scorecard_facts; a manual criterion scores the value the unit filled only once a
supervisor verified it (submitted or rejected values score as no value). Heads see the units of their subtree,
supervisors and administrators every unit; ranks are always among all the peers, whoever looks.

A criteria file that does not load is the server's fault, not the request's: logged with what is wrong, and answered
with one message (503) telling whom to ask, rather than a 500 (`dvflow workflows check` names the problem).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ... import org_tree
from ...engine import scorecard as engine
from ...models import ScorecardEntry, ScorecardEntryEvent, Unit, User
from ...models.unit import UNIT_LEVELS, existing_during
from ..errors import N_, Forbidden, ServiceError
from ..org import access
from .scorecard_facts import FORMULAS, Context, Fact, Tally, Year

VIEWING_ROLES = {"head", "supervisor", "admin"}
log = logging.getLogger(__name__)
BROKEN_FILE = N_("Bảng chấm điểm tạm thời không dùng được: tệp tiêu chí chấm điểm (workflows/reports/scorecard.yaml) "
                 "có lỗi. Đề nghị quản trị hệ thống kiểm tra bằng lệnh \"flask --app wsgi dvflow workflows check\".")


class CriteriaUnavailable(ServiceError):
    """workflows/reports/scorecard.yaml cannot be read or validated."""
    status = 503


@dataclass
class CriterionResult:
    criterion: engine.Criterion
    value: float | None
    points: float
    fact: Fact | None                  # computed criteria: what was counted
    entry: ScorecardEntry | None       # manual criteria: what the unit filled (counted only when verified)


@dataclass
class UnitResult:
    unit: Unit
    total: float
    rank: int
    lines: list[CriterionResult]


@dataclass
class Board:
    year: int
    level: str
    criteria: engine.CriteriaSet
    rows: list[UnitResult]   # the units the user sees, best first
    peers: int               # how many units were ranked

    @property
    def max_total(self) -> float:
        return round(sum(c.weight for c in self.criteria.criteria), 2)


def may_view(session: Session, user: User) -> bool:
    """Whether the user may open the scorecard board (pages link to it only then)."""
    return any(m.role in VIEWING_ROLES for m in access.memberships(session, user))


def viewable_units(session: Session, user: User) -> set[int] | None:
    """A head the units of their subtree, supervisors and administrators every unit (None); others Forbidden."""
    memberships = access.memberships(session, user)
    if not may_view(session, user):
        raise Forbidden("Chỉ thủ trưởng, người giám sát xem được bảng chấm điểm công tác dân vận.")
    if any(m.role in access.ALL_UNITS_ROLES for m in memberships):
        return None
    tree = org_tree.unit_tree(session)
    return set().union(*(org_tree.descendants(tree, m.unit_id) for m in memberships if m.role == "head"))


def check_year(year: int | None, now_year: int) -> int:
    if year is None or not 2000 <= year <= now_year:
        raise ServiceError("Năm chấm điểm không hợp lệ: chọn từ 2000 đến %(year)s.", field="nam", year=now_year)
    return year


def check_level(level: str | None) -> str:
    if level not in UNIT_LEVELS:
        raise ServiceError("Cấp đơn vị không hợp lệ: chọn tỉnh, sở ngành hoặc xã phường.", field="cap")
    return level


def criteria_for(card: engine.Scorecard, year: int) -> engine.CriteriaSet:
    found = card.for_year(year)
    if found is None:
        raise ServiceError("Chưa có bộ tiêu chí chấm điểm áp dụng cho năm %(year)s.", field="nam", year=year)
    return found


def _values(criteria: engine.CriteriaSet, unit_id: int, subtree: set[int], y: Year,
            tallies: dict[str, Tally], entries: dict[str, ScorecardEntry]
            ) -> tuple[dict[str, float | None], dict[str, Fact]]:
    values: dict[str, float | None] = {}
    facts: dict[str, Fact] = {}
    for c in criteria.criteria:
        if c.source == "computed":
            facts[c.key] = FORMULAS[c.formula].of(tallies[c.formula], unit_id, subtree, y)
            values[c.key] = facts[c.key].value
        else:
            entry = entries.get(c.key)
            values[c.key] = entry.value if entry is not None and entry.status == "verified" else None
    return values, facts


def _tallies(session: Session, criteria: engine.CriteriaSet, units: set[int], y: Year, ctx: Context
             ) -> dict[str, Tally]:
    """Each computed criterion counted once over every unit of the board, per unit (scorecard_facts: a subtree's
    figure is the sum of its units'), instead of once per peer unit."""
    formulas = sorted({c.formula for c in criteria.criteria if c.source == "computed"})
    return {f: FORMULAS[f].tally(session, units, y, ctx) for f in formulas}


def entries_of(session: Session, unit_ids: list[int], year: int) -> dict[int, dict[str, ScorecardEntry]]:
    out: dict[int, dict[str, ScorecardEntry]] = {}
    query = (select(ScorecardEntry).options(selectinload(ScorecardEntry.files),
                                            selectinload(ScorecardEntry.events).selectinload(ScorecardEntryEvent.actor))
             .where(ScorecardEntry.year == year, ScorecardEntry.unit_id.in_(unit_ids or [-1])))
    for e in session.scalars(query):
        out.setdefault(e.unit_id, {})[e.criterion] = e
    return out


def board(session: Session, *, criteria: engine.CriteriaSet, level: str, year: int, visible: set[int] | None,
          now: datetime, ctx: Context) -> Board:
    """Every unit of `level` that existed in `year` scored and ranked; the rows of those in `visible` (None: all), best
    first. A unit dissolved in the 2025 mergers is a peer of the years it existed in, with the figures of its cases
    (those still open when it was dissolved count for its successor); a unit made then is no peer of earlier years."""
    units = list(session.scalars(select(Unit).where(Unit.level == level,
                                                    existing_during(date(year, 1, 1), date(year, 12, 31)))
                                 .order_by(Unit.name)))
    tree = org_tree.unit_tree(session)
    y = Year(year, now)
    entries = entries_of(session, [u.id for u in units], year)
    subtrees = {u.id: org_tree.descendants(tree, u.id) for u in units}
    tallies = _tallies(session, criteria, set().union(*subtrees.values()), y, ctx)
    values, facts = {}, {}
    for u in units:
        values[u.id], facts[u.id] = _values(criteria, u.id, subtrees[u.id], y, tallies, entries.get(u.id, {}))
    shortfalls = {u: frozenset(k for k, f in by_key.items() if f.shortfall) for u, by_key in facts.items()}
    by_id = {u.id: u for u in units}
    rows = []
    for s in engine.rank(criteria, values, shortfalls):
        if visible is not None and s.unit_id not in visible:
            continue
        unit_entries = entries.get(s.unit_id, {})
        rows.append(UnitResult(by_id[s.unit_id], s.total, s.rank,
                               [CriterionResult(line.criterion, line.value, line.points,
                                                facts[s.unit_id].get(line.criterion.key),
                                                unit_entries.get(line.criterion.key)) for line in s.lines]))
    return Board(year, level, criteria, rows, len(units))


def unit_board(session: Session, *, criteria: engine.CriteriaSet, unit_id: int, year: int,
               visible: set[int] | None, now: datetime, ctx: Context) -> tuple[Board, UnitResult]:
    """The unit's own result within its peers' board (its rank needs theirs)."""
    if visible is not None and unit_id not in visible:
        raise Forbidden("Bạn không được xem bảng chấm điểm của đơn vị này.")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise ServiceError("Đơn vị không tồn tại.", field="don_vi")
    if not unit.exists_during(date(year, 1, 1), date(year, 12, 31)):
        raise ServiceError("Đơn vị %(unit)s không hoạt động trong năm %(year)s (thành lập sau hoặc đã giải thể trước "
                           "năm đó).", field="nam", unit=unit.name, year=year)
    full = board(session, criteria=criteria, level=unit.level, year=year, visible={unit_id}, now=now, ctx=ctx)
    return full, full.rows[0]


@lru_cache(maxsize=4)
def _card(path: str, mtime: float) -> engine.Scorecard:
    return engine.load(Path(path).parent.parent)


def load_card(workflows_dir: str | Path) -> engine.Scorecard:
    """workflows/reports/scorecard.yaml, read again when the file changes; CriteriaUnavailable (logged) when it
    cannot be used."""
    path = Path(workflows_dir) / engine.SCORECARD_FILE
    try:
        return _card(str(path), path.stat().st_mtime)
    except (engine.ScorecardError, OSError) as exc:
        log.error("the scorecard's criteria file cannot be used: %s", exc)
        raise CriteriaUnavailable(BROKEN_FILE, code="criteria_file") from exc


def context(session: Session, workflows_dir: str | Path) -> Context:
    from ..deadlines.calendar import load_calendar
    from ..dialogues.rules import load as load_dialogue_rules
    from ..reception.compliance import schedule_rules

    return Context(schedule_rules(str(workflows_dir)), load_dialogue_rules(workflows_dir), load_calendar(session))
