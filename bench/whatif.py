"""``python -m bench --whatif``: the product-code changes recommended in RESULTS.md, applied as monkeypatches in
this process only (never to the product files), to measure their effect before anyone edits the product.

1. ``access.memberships`` and ``access.unit_tree`` cached for the life of the session (one request): ``can_see``
   and ``actor_for`` each loaded both, so a perform or a case read ran them twice.
2. ``transition._apply`` skips ``clocks.apply_clock_ops`` (and its ``load_calendar`` + open-clocks query) when the
   outcome has no clock operation.
3. ``transition.load_case_for`` loads the case's unit in the same SELECT (``joinedload(Case.unit, innerjoin=True)``,
   ``FOR UPDATE OF cases``) instead of a lazy load in ``case_view``.
"""
from __future__ import annotations

from datetime import datetime


def apply() -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session, joinedload

    from dvflow.models import Case, CaseEvent
    from dvflow.notify import outbox
    from dvflow.services import access, transition
    from dvflow.services.errors import NotFound
    from dvflow.services.facts import updated_facts

    original_memberships, original_tree = access.memberships, access.unit_tree

    def memberships(session: Session, user):
        key = ("dvflow.memberships", user.id)
        if key not in session.info:
            session.info[key] = original_memberships(session, user)
        return session.info[key]

    def unit_tree(session: Session):
        if "dvflow.unit_tree" not in session.info:
            session.info["dvflow.unit_tree"] = original_tree(session)
        return session.info["dvflow.unit_tree"]

    access.memberships, access.unit_tree = memberships, unit_tree

    def load_case_for(session: Session, user, case_id: int, *, lock: bool = False) -> Case:
        query = select(Case).where(Case.id == case_id).options(joinedload(Case.unit, innerjoin=True))
        if lock:
            query = query.with_for_update(of=Case)
        case = session.scalar(query)
        if case is None or not access.can_see(session, user, case):
            raise NotFound("Không tìm thấy hồ sơ.")
        return case

    def _apply(session: Session, workflows, case: Case, outcome, actor, now: datetime) -> None:
        defn = workflows.for_case(case, session)
        case.state, case.status = outcome.to_state, outcome.status
        case.facts = updated_facts(case.facts or {}, outcome)
        for flag in outcome.set_flags:
            if flag in ("complex", "especially_complex", "mass", "confidential", "priority"):
                setattr(case, flag, True)
        if outcome.status == "closed" and case.closed_at is None:
            case.closed_at = now
        elif outcome.status != "closed":
            case.closed_at = None
        summary = []
        if outcome.clock_ops:  # the change: no calendar, no open-clocks query when no clock moves
            summary = transition.clocks.apply_clock_ops(
                session, case, outcome.clock_ops, labels={c.name: c.label for c in defn.clocks.values()},
                ladder=workflows.ladder, calendar=transition.load_calendar(session), now=now)
        session.add(CaseEvent(case_id=case.id, actor_id=actor.user_id, at=now, legal_date=outcome.legal_date,
                              action=outcome.action, from_state=outcome.from_state, to_state=outcome.to_state,
                              payload={"fields": transition._jsonable(outcome.payload), "clocks": summary,
                                       "basis": outcome.basis, "label": outcome.label}))
        state_label = defn.states[outcome.to_state].label
        for intent in outcome.notifications:
            outbox.queue(session, case, intent.recipients, intent.template,
                         {**intent.params, "action": outcome.label, "state": state_label, "actor": actor.name}, now)
        session.flush()

    transition.load_case_for, transition._apply = load_case_for, _apply
