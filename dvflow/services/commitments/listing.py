"""The commitments a user may see, with where each came from and where it stands (the /cam-ket page and the API)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...models import Case, Clock, Commitment, ReceptionSession, Unit, User
from ..cases import voiding
from ..org import access

#: open: not done yet; overdue: open and past its time frame; closed: done or called off
STATUSES = ("open", "overdue", "closed", "all")
PAGE = 50


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    case_id: int
    tracking_code: str
    description: str
    source: str
    promised_by: str | None
    unit_name: str
    state: str
    status: str
    due_date: date | None
    overdue: bool
    session_id: int | None
    session_day: date | None
    origin_case_id: int | None
    origin_code: str | None


def _latest_clock():
    # the follow-up's current clock: the latest one started (a send-back starts a second)
    return (select(Clock.case_id, func.max(Clock.id).label("clock_id")).group_by(Clock.case_id).subquery())


def visible(session: Session, user: User, *, status: str = "open", source: str | None = None, today: date,
            page: int = 1) -> tuple[list[CommitmentRow], bool]:
    """One page of the commitments of the units the user sees (a head: the subtree), the latest first; and whether
    there is a next page."""
    origin = aliased(Case)
    last = _latest_clock()
    query = (select(Commitment, Case, Unit.name, Clock.due_date, Clock.state, ReceptionSession.day, origin.tracking_code)
             .join(Case, Case.id == Commitment.case_id).join(Unit, Unit.id == Case.unit_id)
             .outerjoin(last, last.c.case_id == Case.id).outerjoin(Clock, Clock.id == last.c.clock_id)
             .outerjoin(ReceptionSession, ReceptionSession.id == Commitment.session_id)
             .outerjoin(origin, origin.id == Commitment.origin_case_id)
             .where(voiding.not_voided()))
    units = access.visible_unit_ids(session, user)
    if units is not None:
        query = query.where(Case.unit_id.in_(units or {-1}))
    if source:
        query = query.where(Commitment.source == source)
    if status == "open":
        query = query.where(Case.status != "closed")
    elif status == "overdue":
        # past its due day, whether or not the sweep has marked it yet
        query = query.where(and_(Case.status != "closed", or_(Clock.state == "missed", Clock.due_date < today)))
    elif status == "closed":
        query = query.where(Case.status == "closed")
    query = query.order_by(Commitment.id.desc()).limit(PAGE + 1).offset((max(page, 1) - 1) * PAGE)
    rows = [_row(*r, today=today) for r in session.execute(query)]
    return rows[:PAGE], len(rows) > PAGE


def _row(c: Commitment, case: Case, unit_name: str, due: date | None, clock_state: str | None,
         session_day: date | None, origin_code: str | None, *, today: date) -> CommitmentRow:
    open_ = case.status != "closed"
    overdue = open_ and (clock_state == "missed" or (due is not None and due < today))
    return CommitmentRow(id=c.id, case_id=case.id, tracking_code=case.tracking_code, description=case.subject,
                         source=c.source, promised_by=c.promised_by, unit_name=unit_name, state=case.state,
                         status=case.status, due_date=due, overdue=overdue, session_id=c.session_id,
                         session_day=session_day, origin_case_id=c.origin_case_id, origin_code=origin_code)
