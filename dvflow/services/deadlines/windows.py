"""The complainant's windows of a case (information clocks): computed from its history each time it is shown, never
stored, so no sweep, escalation or overdue count ever sees them (engine/workflow/information.py)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.calendar import WorkCalendar
from ...engine.workflow.definition import Definition
from ...engine.workflow.information import (
    InformationWindow,
    StartEvent,
    information_windows,
)
from ...models import Case, CaseEvent
from ...timeutil import local_date


def windows_of(session: Session, case: Case, defn: Definition, calendar: WorkCalendar) -> list[InformationWindow]:
    """The information clocks of ``case`` whose start action it has taken, each with the day it ends."""
    triggers = {c.start_on_trigger for c in defn.clocks.values() if c.information}
    if not triggers:
        return []
    rows = session.execute(select(CaseEvent.action, CaseEvent.legal_date, CaseEvent.payload)
                           .where(CaseEvent.case_id == case.id, CaseEvent.action.in_(triggers))
                           .order_by(CaseEvent.id)).all()
    # the history keeps an action's typed form under "fields" (cases/actions.py)
    events = [StartEvent(action, legal, (payload or {}).get("fields") or {}) for action, legal, payload in rows]
    return information_windows(defn, events, received_on=local_date(case.received_at), facts=case.facts or {},
                               flags=case.flags, remote_area=case.unit.remote_area, calendar=calendar)
