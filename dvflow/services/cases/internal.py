"""Opening a case the services create themselves, never the reception desk (a workflow with `intake: false`): a
follow-up task (services/commitments) or a grassroots dialogue conference (services/dialogues). Such a case has no
citizen's receipt and arrives by the channel "assigned"; its registration is the engine's outcome like any other."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ...engine.workflow.registration import register
from ...models import Case, Unit, User
from ...timeutil import local_date
from ..org import access
from .actions import apply_outcome, case_view
from .search import search_key
from .tracking import issue_secret, next_tracking_code

CHANNEL = "assigned"


def open_case(session: Session, workflows, actor: User, kind: str, unit: Unit, *, subject: str, received_at: datetime,
              now: datetime, facts: dict[str, Any], content: str = "", assignee_id: int | None = None,
              payload: dict[str, Any] | None = None) -> Case:
    """Create the case in its initial state, start its first clocks from `received_at` and tell whom the workflow
    says (the assignee, or the unit's head and handlers)."""
    defn = workflows.latest(kind)
    workflows.ensure_stored(session, defn, now)
    subject = subject.strip()
    case = Case(tracking_code=next_tracking_code(session, defn.tracking_prefix, local_date(received_at).year),
                kind=defn.id, workflow_id=defn.id, workflow_version=defn.version, state=defn.initial,
                status=defn.states[defn.initial].status, unit_id=unit.id, assignee_id=assignee_id, channel=CHANNEL,
                received_at=received_at, subject=subject, subject_search=search_key(subject)[:500], content=content,
                created_at=now, closed_at=None, last_legal_date=local_date(received_at), facts=dict(facts))
    issue_secret(case)  # the column is required; the secret is discarded: citizens do not look such a case up
    session.add(case)
    session.flush()
    outcome = register(defn, case_view(session, case, []), {"channel": CHANNEL, **(payload or {})},
                       assigned=assignee_id is not None)
    apply_outcome(session, workflows, case, outcome, access.actor_for(session, actor, case), now, running={})
    return case
