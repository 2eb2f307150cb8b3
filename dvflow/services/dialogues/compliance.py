"""Compliance of each commune with the yearly dialogue conference (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32):
held, required, planned, called off and missing, per commune and year, over the units a user sees."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Case, Unit, User
from ...models.unit import existing_during
from ..cases import unit_on
from ..errors import Forbidden
from ..org import access
from .conferences import (
    HELD_ON,
    KIND,
    PLANNED_ON,
    conference_year,
    held_on,
    is_conference,
    planned_on,
)
from .rules import DialogueRules, Requirement

#: who sees the compliance of the communes: heads (their subtree), supervisors and administrators (every unit)
VIEWING_ROLES = {"head", "supervisor", "admin"}


@dataclass
class CommuneYear:
    """One commune's year: the conferences held, still planned and called off, against what the rule requires."""
    unit: Unit
    requirement: Requirement
    held: list[Case] = field(default_factory=list)
    #: held, but not as the law's conference: without the commune Fatherland Front, or before the law was in force
    not_counted: list[Case] = field(default_factory=list)
    planned: list[Case] = field(default_factory=list)
    called_off: list[Case] = field(default_factory=list)

    @property
    def required(self) -> int:
        return self.requirement.minimum

    @property
    def missing(self) -> int:
        return max(0, self.required - len(self.held))

    @property
    def compliant(self) -> bool:
        return self.missing == 0


@dataclass
class Summary:
    year: int
    rows: list[CommuneYear]

    @property
    def compliant(self) -> int:
        return sum(1 for r in self.rows if r.required and r.compliant)

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if r.missing)


def per_commune(session: Session, unit_ids: set[int] | None, year: int, rules: DialogueRules) -> Summary:
    """Every commune among `unit_ids` (None: every commune) that existed in `year`, with its conferences of the year:
    a conference counts as held in the year of its held_on, as planned while open and not held, and a called-off one
    never counts."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    query = select(Unit).where(Unit.level.in_(rules.levels()), existing_during(first, last)).order_by(Unit.name)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids or {-1}))
    rows = {u.id: CommuneYear(u, requirement(rules, u, year)) for u in session.scalars(query)}
    # the year is read in SQL so that only that year's conferences are loaded (a province keeps years of them);
    # the exact rule (is_conference, conference_year) is applied again to each loaded case below
    when = func.coalesce(Case.facts[HELD_ON].as_string(), Case.facts[PLANNED_ON].as_string())
    # a conference counts for the commune it was in on its day: one a merger moved afterwards (open while its
    # commitments are followed up) stays the dissolved commune's (unit_on.py)
    units = unit_on.units_now_and_before(session, set(rows))
    cases = list(session.scalars(select(Case).where(
        Case.kind == KIND, Case.voided_at.is_(None), Case.unit_id.in_(units or {-1}),
        func.substr(when, 1, 4) == f"{year:04d}").order_by(Case.id)))
    moves = unit_on.moves_of(session, (c.id for c in cases))
    for case in cases:
        if is_conference(case) and conference_year(case) == year:
            unit = unit_on.place(case.unit_id, moves.get(case.id, []), held_on(case) or planned_on(case))
            if unit in rows:
                _place(rows[unit], case)
    return Summary(year, list(rows.values()))


def requirement(rules: DialogueRules, unit: Unit, year: int) -> Requirement:
    """What the rule asks of the unit in `year`. A commune that existed only part of the year owes the yearly minimum
    pro rata to the days it existed, rounded half up, as a head owes reception days for the part of a month they held
    the office (engine/reception/compliance.py, `_share`): of the communes merged on 01/07/2025, the dissolved ones
    (181 days of 2025) owe no conference for 2025 and the new one (184 days) owes the year's conference."""
    found = rules.requirement(unit.level, year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    start, end = max(first, unit.active_from or first), min(last, unit.active_to or last)
    days, existed = (last - first).days + 1, max(0, (end - start).days + 1)
    if existed == days:
        return found
    return replace(found, minimum=(2 * found.minimum * existed + days) // (2 * days))


def _place(row: CommuneYear, case: Case) -> None:
    day = held_on(case)
    if day is not None:
        counts = counted(case, row.requirement)
        (row.held if counts else row.not_counted).append(case)
    elif case.state == "called_off":
        row.called_off.append(case)
    elif case.status != "closed":
        row.planned.append(case)


def counted(case: Case, requirement: Requirement) -> bool:
    """Whether a held conference is the one Điều 32 asks for: held by the commune committee with the commune
    Fatherland Front ("phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã tổ chức"), on or after the day the law
    came into force (01/07/2023: a conference of March 2023 was no conference under it)."""
    day = held_on(case)
    in_force = requirement.counts_from is None or (day is not None and day >= requirement.counts_from)
    return bool((case.facts or {}).get("front_present")) and in_force


def years(today: date, rules: DialogueRules) -> list[int]:
    """The years the page offers: from the first rule in force to next year (a plan may be for next year)."""
    first = min((r.effective_from.year for r in rules.rules), default=today.year)
    return list(range(today.year + 1, first - 1, -1))


def may_view(session: Session, user: User) -> bool:
    return any(m.role in VIEWING_ROLES for m in access.memberships(session, user))


def viewable_units(session: Session, user: User) -> set[int] | None:
    """The units whose compliance the user sees: a head the units under theirs, supervisors (the Fatherland Front,
    the inspectorate) and administrators every unit (None); Forbidden for anyone else."""
    if not may_view(session, user):
        raise Forbidden("Chỉ thủ trưởng, người giám sát xem được tình hình tổ chức hội nghị đối thoại.")
    memberships = access.memberships(session, user)
    if any(m.role in access.ALL_UNITS_ROLES for m in memberships):
        return None
    tree = org_tree.unit_tree(session)
    return set().union(*(org_tree.descendants(tree, m.unit_id) for m in memberships if m.role == "head"))
