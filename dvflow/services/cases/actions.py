"""Firing a workflow action on a case: lock, check through the engine, apply the outcome, record, notify."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from ... import org_tree, read_mostly
from ...engine.types import Actor, CaseView, ClockView, Outcome
from ...engine.workflow.runtime import ActionSpec, available_actions, fire
from ...models import Case, Clock, User
from ...notify import outbox
from ...timeutil import local_date
from ..deadlines import clocks
from ..deadlines.calendar import load_calendar
from ..documents import flow as doc_flow
from ..errors import Conflict, Forbidden, NotFound, ServiceError
from ..org import access
from . import history, party_search, triage
from .voiding import refuse_if_voided

REJECTION_ERRORS = {"role": Forbidden, "head_only": Forbidden, "wrong_state": Conflict, "unknown_action": ServiceError}

# Hot statements are built once: building and cache-keying a statement costs more than running it on SQLite.
#: the case (locked), its unit and its open clocks in one round trip: one row per open clock, or one with no clock;
#: each row carries the read-mostly token too, so the access check's tree and roles need no statement of their own
_CASE_AND_CLOCKS_LOCKED = (
    select(Case, Clock, read_mostly.TOKEN_COLUMN).outerjoin(Clock, (Clock.case_id == Case.id) & Clock.closed_at.is_(None))
    .where(Case.id == bindparam("case_id")).options(joinedload(Case.unit, innerjoin=True))
    .order_by(Clock.id).with_for_update(of=Case))


def _lock_case_and_clocks(session: Session, user: User, case_id: int) -> tuple[Case, list[Clock]]:
    """The case, locked, with its open clocks, if the user may see it; 404 otherwise."""
    rows = session.execute(_CASE_AND_CLOCKS_LOCKED, {"case_id": case_id}).all()
    case = rows[0][0] if rows else None
    if case is not None:
        read_mostly.seed(session, rows[0][2])
    if case is None or not access.can_see(session, user, case):
        raise NotFound("Không tìm thấy hồ sơ.")
    return case, [clock for _, clock, _ in rows if clock is not None]


def case_view(session: Session, case: Case, open_clocks: list[Clock] | None = None) -> CaseView:
    """What the engine knows of a case; `open_clocks` when the caller has loaded them already."""
    rows = clocks.open_clocks(case, session) if open_clocks is None else open_clocks
    views = {c.name: ClockView(name=c.name, state=_view_state(c), started_on=c.start_date, extensions=len(c.extensions),
                               due_on=c.due_date) for c in rows}
    return CaseView(kind=case.kind, state=case.state, status=case.status, received_on=local_date(case.received_at),
                    flags=case.flags, remote_area=org_tree.org(session).remote_area.get(case.unit_id, False), last_event_on=case.last_legal_date,
                    clocks=views, facts=case.facts or {}, channel=case.channel)


def _view_state(clock: Clock) -> str:
    # an open clock the scheduler marked missed still counts (the engine's "overdue"); "missed" there is a stopped one
    return "overdue" if clock.state == "missed" and clock.closed_at is None else clock.state


def actions_for(session: Session, workflows, user: User, case: Case,
                open_clocks: list[Clock] | None = None) -> list[ActionSpec]:
    if case.voided_at is not None:  # a voided case takes no action
        return []
    defn = workflows.for_case(case, session)
    return available_actions(defn, case_view(session, case, open_clocks), access.actor_for(session, user, case))


def perform(session: Session, workflows, user: User, case_id: int, action: str, payload: Mapping[str, Any] | None,
            now: datetime, expected_version: int | None = None, documents: doc_flow.Settings | None = None) -> Case:
    """Fire `action` on a case as `user`. Raises a ServiceError subclass and writes nothing when refused.
    `documents`: where the document templates and case files are; without it no document is generated (the
    transition's `document:`), with it the action's document is drafted, returned or issued in this transaction."""
    case, running = _lock_case_and_clocks(session, user, case_id)
    if expected_version is not None and case.version != expected_version:
        raise Conflict("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại và thử lại.")
    refuse_if_voided(case)
    actor = access.actor_for(session, user, case)
    defn = workflows.for_case(case, session)
    view, payload = case_view(session, case, running), dict(payload or {})
    t = defn.transition(action, case.state)
    fills = doc_flow.provisional_fields(documents, t, payload, now)
    result = fire(defn, view, action, actor, {**payload, **fills}, now)
    if not result.ok:
        # the template and its values, not the filled text: a page translates the template (i18n.said)
        raise REJECTION_ERRORS.get(result.code, ServiceError)(result.message.template, field=result.field,
                                                              code=result.code, **result.message.params)
    doc_flow.refuse_typed_number(documents, t, payload)  # the unit's register numbers what is issued
    pending = doc_flow.prepare(session, documents, case, t, result.payload, now)
    if pending is not None and pending.fills:  # the number (and date) the document takes fill the action's fields
        result = fire(defn, view, action, actor, {**payload, **fills, **pending.fills}, now)
    step = triage.prepare(session, user, case, defn, result)  # the letter-triage steps the transition declares
    try:
        apply_outcome(session, workflows, case, result, actor, now, {c.name: c for c in running})
        if step is not None:
            triage.finish(session, workflows, user, case, step, result, now)
        doc_flow.finish(session, documents, defn, user, case, pending, result.payload, now)
    except StaleDataError as exc:
        raise Conflict("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại và thử lại.") from exc
    return case


def apply_outcome(session: Session, workflows, case: Case, outcome: Outcome, actor: Actor, now: datetime,
                  running: dict[str, Clock], *, new_case: bool = False) -> None:
    """Apply what the engine decided (an action's outcome, or a new case's registration): state, facts, flags,
    clocks, one history row and the notifications. `running`: the case's open clocks by name; `new_case`: the case
    was created in this transaction, so its history is empty (no statement to find the chain's last row)."""
    defn = workflows.for_case(case, session)
    case.state, case.status = outcome.to_state, outcome.status
    case.facts = dict(outcome.facts)  # the engine computed them from the transition's `facts:` declaration
    was_confidential = case.confidential
    for flag in outcome.set_flags:  # validated at load against CASE_FLAGS, each a boolean column of Case
        setattr(case, flag, True)
    if case.confidential and not was_confidential:  # e.g. a letter classified as a denunciation: its hidden
        party_search.refresh(session, case)  # parties lose their search names from this moment on
    if outcome.legal_date is not None and (case.last_legal_date is None or outcome.legal_date > case.last_legal_date):
        case.last_legal_date = outcome.legal_date
    if outcome.status == "closed" and case.closed_at is None:
        # ended on the closing act's legal date (a reply dated 28/12 entered on 03/01 ended the case in December):
        # the reports count its end by that date, closed_at is only when it was entered
        case.closed_at, case.closed_on = now, outcome.legal_date or local_date(now)
    elif outcome.status != "closed" and case.closed_at is not None:
        # only when reopened: a write of an unchanged value still costs an UPDATE (a new case's row would be updated
        # right after its INSERT)
        case.closed_at = case.closed_on = None
    summary = []
    if outcome.clock_ops:  # most actions touch no clock: skip the calendar and clock queries
        summary = clocks.apply_clock_ops(session, case, outcome.clock_ops,
                                         labels={c.name: c.label for c in defn.clocks.values()},
                                         ladder=workflows.ladder, calendar=load_calendar(session), now=now,
                                         running=running)
    history.write(session, [history.event(
        case.id, outcome.action, at=now, actor_id=actor.user_id, legal_date=outcome.legal_date,
        from_state=outcome.from_state, to_state=outcome.to_state,
        payload={"fields": _jsonable(outcome.payload), "clocks": summary, "basis": outcome.basis,
                 "label": outcome.label})], empty=(case.id,) if new_case else ())
    state_label = defn.states[outcome.to_state].label
    for intent in outcome.notifications:
        outbox.queue(session, case, intent.recipients, intent.template,
                     {**intent.params, "action": outcome.label, "state": state_label, "actor": actor.name}, now)
    session.flush()


def _jsonable(payload: Mapping[str, Any]) -> dict:
    return {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in payload.items()}
