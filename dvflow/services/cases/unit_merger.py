"""Moving the open cases of a dissolved unit to the unit that took over its work (services/org/units.py).

A merger is no new receipt: the case keeps its clocks, its due dates and its history, and only its unit changes
(the 2025 reorganisation handed the communes' pending matters to the communes that succeeded them, to be resolved
within the time limits already running). Each move is one history event, written as the sweep writes an
escalation's move to the unit above (sweep_plan.Planner._reassign_parent): action `reassign`, from and to the unit,
the previous assignee, and why. An assignee who holds no handler or head role in the successor (assignment.assign's
rule) keeps no case there: the case is left unassigned, and its notice goes to whoever the `assignee` recipient rule
names, the successor's head for an unassigned case (notify.outbox: an assignee who may not see the case is nobody).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ...models import Case, CaseUnitMove, Document, Membership, Unit, User
from ...notify import outbox
from ...timeutil import start_of_day_utc
from ..errors import N_
from . import history, unit_on
from .queries import not_closed
from .voiding import not_voided

#: the history's `reason` of a move made by a merger (an escalation's is "escalation")
REASON = "merger"
#: the sentence the history keeps (and the case page shows, translated, from the event's values)
NOTE = N_("Đơn vị %(from_name)s (%(from_code)s) giải thể, sáp nhập vào %(to_name)s (%(to_code)s) từ ngày %(day)s: "
          "hồ sơ chuyển sang đơn vị kế thừa, thời hạn giải quyết giữ nguyên.")
#: the roles that may hold a case of a unit (assignment.assign)
ASSIGNEE_ROLES = ("handler", "head")


def note_values(payload: dict) -> dict:
    """The values NOTE is filled with, from a merger event's payload."""
    return {"from_name": payload.get("from_unit_name", ""), "from_code": payload.get("from_unit_code", ""),
            "to_name": payload.get("to_unit_name", ""), "to_code": payload.get("to_unit_code", ""),
            "day": date.fromisoformat(payload["merged_on"]).strftime("%d/%m/%Y") if payload.get("merged_on") else ""}


def open_cases(session: Session, unit: Unit) -> list[Case]:
    """The unit's cases still to be worked on (open or suspended, not voided), locked, oldest first."""
    return list(session.scalars(select(Case).where(Case.unit_id == unit.id, not_closed(), not_voided())
                                .order_by(Case.id).with_for_update()))


def move_open_cases(session: Session, source: Unit, target: Unit, on: date, actor: User | None,
                    now: datetime) -> list[Case]:
    """Move every open case of `source` to `target` (merged into it from `on`); the moved cases."""
    cases = open_cases(session, source)
    if not cases:
        return []
    keeps = _assignees_of(session, target)
    events = []
    for case in cases:
        events.append(_move(case, source, target, on, actor, now, keeps))
    session.flush()  # the cases' new unit and assignee (one versioned write each) before their history
    _move_drafts(session, cases, target)
    history.write(session, events)
    _date_moves(session, cases, source, target, on)
    for case in cases:
        # the assignee kept, else the successor's head (outbox's rule for an unassigned case)
        outbox.queue(session, case, ("assignee",), "case_unit_merged",
                     {"from_unit": source.name, "to_unit": target.name, "day": on.strftime("%d/%m/%Y")}, now)
    return cases


def _date_moves(session: Session, cases: list[Case], source: Unit, target: Unit, on: date) -> None:
    """Record where each case was before `on` (models/case_move.py): the reports count what happened to it before
    the merger under the dissolved unit (services/cases/unit_on.py), not under the successor it is in now."""
    moved_at = start_of_day_utc(on)
    unit_on.forget(session)
    session.add_all([CaseUnitMove(case_id=case.id, from_unit_id=source.id, to_unit_id=target.id, moved_at=moved_at,
                                  moved_on=on, reason=REASON) for case in cases])


def _move_drafts(session: Session, cases: list[Case], target: Unit) -> None:
    """The moved cases' documents not yet issued (a draft waiting for the head, one returned) belong to the
    successor, which will sign and number them in its own register; the issued ones stay the dissolved unit's (they
    were numbered in its register, and the database refuses any change to an issued row)."""
    session.execute(update(Document).where(Document.case_id.in_([case.id for case in cases]),
                                           Document.status != "issued").values(unit_id=target.id)
                    .execution_options(synchronize_session="fetch"))


def _assignees_of(session: Session, unit: Unit) -> set[int]:
    """The active users who may hold a case of `unit`."""
    return set(session.scalars(select(Membership.user_id).join(User, User.id == Membership.user_id).where(
        Membership.unit_id == unit.id, Membership.role.in_(ASSIGNEE_ROLES), User.active.is_(True))))


def _move(case: Case, source: Unit, target: Unit, on: date, actor: User | None, now: datetime,
          keeps: set[int]) -> dict:
    previous = case.assignee_id
    case.unit_id = target.id
    case.assignee_id = previous if previous in keeps else None
    remote_kept = source.remote_area and not target.remote_area and not case.remote_area
    if remote_kept:
        # the complainant still lives where the dissolved unit was: its remote area's longer limits (Luật Khiếu nại
        # 2011, Điều 28, 33, 37) stay with the case, which now holds the flag the unit held
        case.remote_area = True
    payload = {"from_unit": source.id, "from_unit_code": source.code, "from_unit_name": source.name,
               "to_unit": target.id, "to_unit_code": target.code, "to_unit_name": target.name,
               "previous_assignee": previous, "assignee": case.assignee_id, "reason": REASON,
               "merged_on": on.isoformat(), "remote_area_kept": remote_kept}
    payload["note"] = NOTE % note_values(payload)
    return history.event(case.id, "reassign", at=now, actor_id=actor.id if actor else None, from_state=case.state,
                         to_state=case.state, payload=payload)
