"""Read-only queries for the case pages: queues, filters, search, pagination (visibility from access.visible_cases)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import (
    Case,
    CaseEvent,
    CaseParty,
    Clock,
    Document,
    Membership,
    Party,
    User,
)
from ..org import access
from .search import search_key
from .voiding import not_voided

PAGE_SIZE = 25
QUEUES = ("mine", "unit", "due", "approval")


@dataclass
class Page:
    items: list
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)


def _open_clock_due_before(limit: date):
    return exists().where(Clock.case_id == Case.id, Clock.closed_at.is_(None), Clock.due_date.is_not(None),
                          Clock.due_date <= limit)


def _awaiting_approval(session: Session, workflows):
    """Cases in a state their workflow declares `awaits: head_approval`: the union over every version of each kind,
    stored ones included, since a case keeps the version it started on."""
    states: dict[str, set[str]] = {}
    for defn in workflows.definitions(session):
        states.setdefault(defn.id, set()).update(defn.approval_states)
    clauses = [(Case.kind == kind) & Case.state.in_(sorted(names)) for kind, names in sorted(states.items()) if names]
    return or_(*clauses) if clauses else false()


def case_query(session: Session, user: User, *, queue: str = "unit", kind: str = "", state: str = "",
               status: str = "", q: str = "", today: date | None = None, workflows=None, show_voided: bool = False):
    """The cases `user` may see in `queue`, filtered; the approval queue needs `workflows` (the app's registry).
    Voided cases are left out unless `show_voided` (they are then listed with the others)."""
    query = access.visible_cases(session, user)
    if not show_voided:
        query = query.where(not_voided())
    if queue == "mine":
        query = query.where(Case.assignee_id == user.id)
    elif queue == "due" and today is not None:
        query = query.where(Case.status == "open", _open_clock_due_before(today + timedelta(days=3)))
    elif queue == "approval":
        head_units = {m.unit_id for m in access.memberships(session, user) if m.role == "head"}
        tree = org_tree.unit_tree(session)
        units: set[int] = set()
        for uid in head_units:
            units |= org_tree.descendants(tree, uid)
        if workflows is None:
            raise ValueError("the approval queue needs the workflows registry")
        query = query.where(_awaiting_approval(session, workflows), Case.unit_id.in_(units or {-1}))
    if kind:
        query = query.where(Case.kind == kind)
    if state:
        query = query.where(Case.state == state)
    if status:
        query = query.where(Case.status == status)
    if q.strip():
        like = f"%{_escape_like(search_key(q))}%"
        # a protected identity (the denouncer of a confidential case) is never matched: a search must not reveal
        # who denounced (Luật Tố cáo 2018, Điều 47, 56)
        party_match = exists().where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                                     Party.name_search.like(like, escape="\\"),
                                     ~(Case.confidential & (CaseParty.role == "denouncer")))
        # an issued document's number and symbol ("12/TB-STNMT") finds its case
        document_match = exists().where(Document.case_id == Case.id, Document.status == "issued",
                                        func.lower(Document.number_symbol) == q.strip().lower())
        query = query.where(or_(func.lower(Case.tracking_code).like(f"%{_escape_like(q.strip().lower())}%",
                                                                    escape="\\"),
                                Case.subject_search.like(like, escape="\\"), party_match, document_match))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def paginate(session: Session, query, page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = max(1, page)
    items = list(session.scalars(query.order_by(Case.received_at.desc(), Case.id.desc())
                                 .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return Page(items=items, page=page, total=total)


def next_due(session: Session, case_ids: list[int]) -> dict[int, date]:
    if not case_ids:
        return {}
    rows = session.execute(select(Clock.case_id, func.min(Clock.due_date))
                           .where(Clock.case_id.in_(case_ids), Clock.closed_at.is_(None)).group_by(Clock.case_id))
    return {cid: d for cid, d in rows if d is not None}


def open_clocks(session: Session, case: Case) -> list[Clock]:
    return list(session.scalars(select(Clock).where(Clock.case_id == case.id).order_by(Clock.id)))


def events(session: Session, case: Case) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))


def assignable_users(session: Session, unit_id: int) -> list[User]:
    return list(session.scalars(select(User).join(Membership).where(
        Membership.unit_id == unit_id, Membership.role.in_(("handler", "head")), User.active.is_(True))
        .distinct().order_by(User.full_name, User.username)))


def counts(session: Session, user: User, today: date, workflows) -> dict[str, int]:
    def n(query) -> int:
        return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0

    return {
        "mine": n(case_query(session, user, queue="mine").where(Case.status != "closed")),
        "unit": n(case_query(session, user, queue="unit").where(Case.status != "closed")),
        "due": n(case_query(session, user, queue="due", today=today)),
        "overdue": n(access.visible_cases(session, user).where(Case.status == "open", not_voided(),
                                                               _open_clock_due_before(today - timedelta(days=1)))),
        "approval": n(case_query(session, user, queue="approval", workflows=workflows)),
        "total": n(access.visible_cases(session, user).where(not_voided())),
    }
