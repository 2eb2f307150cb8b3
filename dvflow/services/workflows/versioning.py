"""Moving open cases to the current version of their workflow: previewed first, then applied explicitly."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Case, Clock
from ..cases import history
from ..deadlines import clocks
from ..deadlines.calendar import load_calendar


@dataclass
class CaseMigration:
    case: Case
    problems: list[str] = field(default_factory=list)  # reasons the case cannot move
    changes: list[str] = field(default_factory=list)  # what would change (clock rules)

    @property
    def movable(self) -> bool:
        return not self.problems


def plan(session: Session, workflows, kind: str) -> list[CaseMigration]:
    """For every open case of `kind` on an older version: can it move, and what would change."""
    target = workflows.latest(kind)
    cases = session.scalars(select(Case).where(Case.kind == kind, Case.status != "closed",
                                               Case.voided_at.is_(None), Case.workflow_version != target.version).order_by(Case.id)).all()
    return [_plan_case(session, case, target) for case in cases]


def _plan_case(session: Session, case: Case, target) -> CaseMigration:
    item = CaseMigration(case)
    if case.state not in target.states:
        item.problems.append(f"trạng thái «{case.state}» không còn trong phiên bản mới")
        return item
    for clock in clocks.open_clocks(case, session):
        spec = target.clocks.get(clock.name)
        if spec is None:
            item.problems.append(f"thời hạn «{clock.label}» không còn trong phiên bản mới")
            continue
        rule = spec.choose_rule(clock.start_date, case.flags, case.unit.remote_area, case.facts)
        if (rule.days, rule.unit) != (clock.days, clock.unit):
            item.changes.append(f"{clock.label}: {clock.days} → {rule.days} ({rule.unit}), căn cứ {rule.basis}")
    return item


def apply(session: Session, workflows, kind: str, now: datetime) -> list[CaseMigration]:
    """Move every movable case; each move and each clock change is written to the case's history."""
    target = workflows.latest(kind)
    workflows.ensure_stored(session, target, now)
    calendar = load_calendar(session)
    items = plan(session, workflows, kind)
    for item in items:
        if item.movable:
            _move(session, workflows, item, target, calendar, now)
    session.flush()
    return items


def _move(session: Session, workflows, item: CaseMigration, target, calendar, now: datetime) -> None:
    case = item.case
    old = case.workflow_version
    case.workflow_version = target.version
    for clock in session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.closed_at.is_(None))):
        clocks.reapply_rule(target.clocks[clock.name], clock, case, clock.start_date)
        clocks.refresh(session, clock, target.clocks[clock.name].ladder, calendar, now)
    history.write(session, [history.event(case.id, "migrate_version", at=now, from_state=case.state,
                                          to_state=case.state,
                                          payload={"from": old, "to": target.version, "changes": item.changes})])
