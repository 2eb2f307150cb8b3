"""Read-only queries for the case pages: queues, filters, search, pagination (visibility from access.visible_cases)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ... import org_tree
from ...models import Case, CaseEvent, Clock, Membership, User
from ...models.case import CASE_STATUSES
from .. import keyset
from ..org import access
from . import search
from .voiding import not_voided

PAGE_SIZE = 25
QUEUES = ("mine", "unit", "due", "approval")


#: a page beyond this one is reached by cursor only: OFFSET reads and drops every row before the page
MAX_OFFSET_PAGE = 20


def encode_cursor(received_at: datetime, case_id: int) -> str:
    """The keyset token of a case's place in the lists' order (received_at DESC, id DESC)."""
    return keyset.encode_cursor(received_at, case_id)


def decode_cursor(token: str) -> tuple[datetime, int] | None:
    """The (received_at, id) of a token; None for a bad one (the list shows its first page)."""
    return keyset.decode_cursor(token)


@dataclass
class Page:
    items: list
    page: int
    #: the number of cases listed, counted up to keyset.CAP + 1 (see `capped`)
    total: int
    #: the token of the page after this one; None on the last page
    next_cursor: str | None = None
    #: whether the page was read after a cursor (else from the start, or after an offset)
    by_cursor: bool = False
    #: the total is an estimate (a common search term in a long list: search.find), shown as "about N"
    estimated: bool = False

    @property
    def capped(self) -> bool:
        """More than keyset.CAP cases: the total shows as "more than 10,000" (counting on would read them all)."""
        return self.total > keyset.CAP and not self.estimated

    @property
    def pages(self) -> int | None:
        """How many pages, when the total is exact."""
        return None if self.capped or self.estimated else _pages(self.total)


def _pages(total: int) -> int:
    return max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)


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
    return searched(session, query, q)[0]


def searched(session: Session, query, q: str) -> tuple[Select, int | None]:
    """The list narrowed by the search `q` (given last, over every other filter: its probe reads the list as it will
    be shown), and for a common term in a long list the number of matches estimated (None: count them)."""
    if not q.strip():
        return query, None
    found = search.find(session, query, q)
    return query.where(found.condition), found.estimate


def slice_of(session: Session, query, limit: int, offset: int = 0, cursor: str | None = None,
             total: int | None = None, estimate: int | None = None) -> Page:
    """`limit` cases of the list, newest first: after `cursor` when it is a good token (a keyset: any depth costs
    what the first page does), else after `offset` rows; counted up to keyset.CAP + 1 unless `total` is given or
    the caller has an `estimate` (searched) instead."""
    if estimate is not None:
        total = estimate
    elif total is None:
        total = keyset.capped_count(session, query)
    ordered = query.order_by(Case.received_at.desc(), Case.id.desc())
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        ordered = keyset.older_than(ordered, Case.received_at, Case.id, after)
    elif offset:
        ordered = ordered.offset(offset)
    # one more row: is there a next page? The units in one query (each row names its unit)
    rows = list(session.scalars(ordered.options(selectinload(Case.unit)).limit(limit + 1)))
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items=items, page=1, total=total, by_cursor=after is not None, estimated=estimate is not None,
                next_cursor=encode_cursor(items[-1].received_at, items[-1].id) if more else None)


def paginate(session: Session, query, page: int = 1, cursor: str | None = None, estimate: int | None = None) -> Page:
    """Page `page` of the list (PAGE_SIZE cases): after `cursor` when given (`page` then only numbers it), else by
    offset, which reaches the first MAX_OFFSET_PAGE pages only (a number past them, or past the list's end, shows
    the last page it can). Counted, unless the caller has an `estimate` of the total (searched)."""
    total = keyset.capped_count(session, query) if estimate is None else estimate
    after = decode_cursor(cursor) if cursor else None
    if after is None:
        # an estimate is no page count: the numbered pages stay reachable, as for a list past the cap
        last = MAX_OFFSET_PAGE if total > keyset.CAP or estimate is not None else _pages(total)
        page = min(max(1, page), MAX_OFFSET_PAGE, last)
    out = slice_of(session, query, PAGE_SIZE, offset=0 if after else (page - 1) * PAGE_SIZE, cursor=cursor,
                   total=total, estimate=estimate)
    out.page = max(1, page)
    return out


def latest(session: Session, query, limit: int = PAGE_SIZE) -> list[Case]:
    """The newest cases of the list, uncounted (the home page's panels)."""
    return list(session.scalars(query.order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)))


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


def not_closed():
    """Open or suspended, written as an IN list that an index on status serves (`!=` is never an index range)."""
    return Case.status.in_([s for s in CASE_STATUSES if s != "closed"])


def counts(session: Session, user: User, today: date, workflows) -> dict[str, int]:
    """The home page's six figures, each counted up to keyset.CAP + 1 (above CAP it shows "more than 10,000"):
    a province-wide supervisor's total would otherwise read every case on each visit."""
    def n(query) -> int:
        return keyset.capped_count(session, query)

    return {
        "mine": n(case_query(session, user, queue="mine").where(not_closed())),
        "unit": n(case_query(session, user, queue="unit").where(not_closed())),
        "due": n(case_query(session, user, queue="due", today=today)),
        "overdue": n(access.visible_cases(session, user).where(Case.status == "open", not_voided(),
                                                               _open_clock_due_before(today - timedelta(days=1)))),
        "approval": n(case_query(session, user, queue="approval", workflows=workflows)),
        "total": n(access.visible_cases(session, user).where(not_voided())),
    }
