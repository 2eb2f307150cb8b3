"""Moving open cases to the current version of their workflow: previewed first, then applied explicitly."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.workflow.facts import apply_facts
from ...models import Case, CaseEvent, Clock
from ...timeutil import local_date
from ..cases import history
from ..deadlines import clocks
from ..deadlines.calendar import load_calendar


@dataclass
class CaseMigration:
    case: Case
    problems: list[str] = field(default_factory=list)  # reasons the case cannot move
    changes: list[str] = field(default_factory=list)  # what would change (clock rules, facts)
    #: facts the new version keeps that the case's version never did, as its actions in the history set them
    facts: dict = field(default_factory=dict)

    @property
    def movable(self) -> bool:
        return not self.problems


def plan(session: Session, workflows, kind: str) -> list[CaseMigration]:
    """For every open case of `kind` on an older version: can it move, and what would change."""
    target = workflows.latest(kind)
    cases = session.scalars(select(Case).where(Case.kind == kind, Case.status != "closed",
                                               Case.voided_at.is_(None), Case.workflow_version != target.version).order_by(Case.id)).all()
    return [_plan_case(session, workflows, case, target) for case in cases]


def _plan_case(session: Session, workflows, case: Case, target) -> CaseMigration:
    item = CaseMigration(case)
    if case.state not in target.states:
        item.problems.append(f"trạng thái «{case.state}» không còn trong phiên bản mới")
        return item
    item.facts = facts_from_history(session, workflows.for_case(case, session), target, case)
    for name, value in item.facts.items():
        item.changes.append(f"ghi nhận «{name}» = {value} theo lịch sử hồ sơ")
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
    if item.facts:
        case.facts = {**case.facts, **item.facts}
    for clock in session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.closed_at.is_(None))):
        clocks.reapply_rule(target.clocks[clock.name], clock, case, clock.start_date)
        clocks.refresh(session, clock, target.clocks[clock.name].ladder, calendar, now)
    history.write(session, [history.event(case.id, "migrate_version", at=now, from_state=case.state,
                                          to_state=case.state,
                                          payload={"from": old, "to": target.version, "changes": item.changes,
                                                   "facts": item.facts})])


def _declared(defn) -> set[str]:
    return {name for t in defn.transitions for name in t.facts}


def facts_from_history(session: Session, old, target, case: Case) -> dict:
    """The facts `target` declares and the case's version `old` never set, replayed from the case's history as the
    target's transitions would have set them. A guard of the new version reads them: a denunciation whose notice
    of acceptance went out on a version without `acceptance_notified` must not be offered the notice again (one
    numbered notice, NĐ 31/2019 Art 9(2)). Facts the case already holds are left as they are."""
    new_names = _declared(target) - _declared(old) - set(case.facts)
    if not new_names:
        return {}
    replayed: dict = {}
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    for event in events:
        t = next((t for t in target.transitions_for(event.action) if event.from_state in t.sources), None)
        ops = {name: op for name, op in (t.facts.items() if t else ()) if name in new_names}
        if ops:
            fields = (event.payload or {}).get("fields") or {}
            replayed = apply_facts(replayed, ops, fields, event.legal_date or local_date(event.at))
    return replayed
