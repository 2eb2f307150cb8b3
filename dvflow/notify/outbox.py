"""Queue notifications for the users a ladder or an action names, in the caller's transaction."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from .. import org_tree
from ..models import Case, Notification, Party, Unit, User
from .templates import render

log = logging.getLogger("dvflow.notify")

RECIPIENT_ROLES = ("assignee", "unit_head", "parent_head", "supervisors", "reception", "handlers")
_MEMBER_ROLES = ("head", "supervisor", "reception", "handler")
#: a user who holds no role at all (an assignee may be one): the one case the cached memberships cannot answer
_USER = select(User.id, User.email, User.active).where(User.id == bindparam("user_id"))


class Recipient(NamedTuple):
    id: int
    email: str | None
    active: bool


def resolve_recipients(session: Session, case: Case, roles: Iterable[str]) -> list[Recipient]:
    """The active users the roles name for this case, each once, in the order the roles are given. Memoised per
    unit, assignee and roles in the session's org_tree memo (shared with services.org.access), which is dropped
    whenever units or memberships change."""
    roles = tuple(roles)
    memo, key = org_tree.memo(session), ("recipients", case.unit_id, case.assignee_id, roles)
    if key not in memo:
        memo[key] = _resolve(session, case, roles)
    return memo[key]


def _resolve(session: Session, case: Case, roles: tuple[str, ...]) -> list[Recipient]:
    unit_id = case.unit_id
    chain = [unit_id, *org_tree.superiors(org_tree.org(session), unit_id)]
    candidates = _candidates(session, case, chain)

    def members(units: set[int], role: str) -> list[Recipient]:
        return [u for u, m_unit, m_role in candidates if m_role == role and m_unit in units]

    users: dict[int, Recipient] = {}
    for role in roles:
        if role == "assignee":  # one who may no longer see the case (moved to another unit) or whose account was
            # deactivated counts as nobody: as for an unassigned case, the unit head is told
            found = [u for u, _, _ in candidates if u.id == case.assignee_id and u.active] \
                if _assignee_sees(session, case) else []
            found = found or members({unit_id}, "head")
        elif role == "unit_head":
            found = members({unit_id}, "head")
        elif role == "parent_head":  # a vacant head's post passes up the tree; at its top, the unit's own head
            above = head_unit_above(session, unit_id)
            found = members({above}, "head") if above is not None else members({unit_id}, "head")
        elif role == "supervisors":
            found = members(set(chain), "supervisor")
        elif role == "reception":
            found = members({unit_id}, "reception")
        elif role == "handlers":
            found = members({unit_id}, "handler")
        else:
            raise ValueError(f"unknown recipient role {role!r}")
        for user in found:
            if user.active:
                users.setdefault(user.id, user)
    return list(users.values())


def _assignee_sees(session: Session, case: Case) -> bool:
    return case.assignee_id is not None and org_tree.sees_unit(session, case.assignee_id, case.unit_id)


def head_unit_above(session: Session, unit_id: int) -> int | None:
    """The nearest unit above `unit_id` with an active head, whom an escalation to the superior goes to (and a case
    reassigned upwards): a vacant post passes it on up the tree rather than to nobody. None when no unit above has
    one. Each vacant unit passed over is logged as a warning, for an administrator to fill the post. Memoised like
    resolve_recipients."""
    memo, key = org_tree.memo(session), ("head_above", unit_id)
    if key not in memo:
        memo[key] = _head_unit_above(session, unit_id)
    return memo[key]


def _head_unit_above(session: Session, unit_id: int) -> int | None:
    # a dissolved unit above (the 2025 mergers) is replaced by its successor, or passed over when none took over
    org = org_tree.org(session)
    for above in org_tree.superiors(org, unit_id):
        if any(m.role == "head" and m.active for m in org.by_unit.get(above, ())):
            return above
        with session.no_autoflush:
            vacant = session.get(Unit, above)
        log.warning("unit %s (%s, id %s) has no active head: escalations from unit id %s go past it",
                    vacant.code if vacant else "?", vacant.name if vacant else "?", above, unit_id)
    return None


def _candidates(session: Session, case: Case, chain: list[int]) -> list[tuple[Recipient, int | None, str | None]]:
    """Everyone a role could name for this case: the assignee, and the members of the units of `chain` (the case's
    unit and those above it), each row (user, unit of the membership, role), by user. From the process's cache of the
    memberships (dvflow.org_tree); memoised like resolve_recipients, so that different roles share the work."""
    memo = org_tree.memo(session)
    key = ("candidates", case.unit_id, case.assignee_id)
    if key not in memo:
        with session.no_autoflush:
            org = org_tree.org(session)
            rows = [(Recipient(m.user_id, m.email, m.active), m.unit_id, m.role)
                    for unit in chain for m in org.by_unit.get(unit, ()) if m.role in _MEMBER_ROLES]
            if case.assignee_id is not None and all(user.id != case.assignee_id for user, _, _ in rows):
                assignee = _user(session, org, case.assignee_id)
                if assignee is not None:
                    rows.append((assignee, None, None))
            memo[key] = sorted(rows, key=lambda row: row[0].id)
    return memo[key]


def _user(session: Session, org: org_tree.Org, user_id: int) -> Recipient | None:
    held = org.by_user.get(user_id)
    if held:
        return Recipient(user_id, held[0].email, held[0].active)
    row = session.execute(_USER, {"user_id": user_id}).first()
    return Recipient(*row) if row is not None else None


def notification_rows(session: Session, case: Case, roles: Iterable[str], template: str, params: dict,
                      now: datetime) -> list[dict]:
    """The notifications rows (column values) for one event: an inbox item for each recipient, and an e-mail in the
    outbox for those with an address. Every row has the same keys, so they go to the database in one statement."""
    subject, body = render(template, {"code": case.tracking_code, "subject": case.subject, **params})
    subject = _fit(subject, Notification.__table__.c.subject.type.length)
    rows = []
    for user in resolve_recipients(session, case, roles):
        common = dict(user_id=user.id, case_id=case.id, template=template, subject=subject, body=body,
                      created_at=now, attempts=0, read_at=None, last_error=None, sent_at=None)
        rows.append(dict(common, channel="inbox", delivery="skipped", next_attempt_at=None))
        if user.email:
            rows.append(dict(common, channel="email", delivery="pending", next_attempt_at=now))
    return rows


def _fit(text: str, limit: int) -> str:
    # the rendered subject adds the tracking code to a case subject that may already fill its 500 characters
    return text if len(text) <= limit else text[:limit - 1] + "…"


#: how a letter to a party addresses it: a company or a body that wrote is no "ông/bà"
ADDRESS = {"person": "ông/bà", "organisation": "Quý cơ quan, tổ chức"}


def address(party: Party | None) -> str:
    return ADDRESS.get(party.kind if party is not None else "person", ADDRESS["person"])


def queue_to_party(session: Session, case: Case, party_id: int, template: str, params: dict, now: datetime,
                   document_id: int | None = None) -> dict:
    """An e-mail to a citizen who is a party of the case (e.g. the sender of a letter told what became of it), with
    an issued document attached when `document_id` is given. The dispatcher reads the address from the party when
    it sends: the outbox keeps no copy of it."""
    you = address(session.get(Party, party_id))
    subject, body = render(template, {"code": case.tracking_code, "you": you, "You": you[0].upper() + you[1:],
                                      **params})
    row = dict(user_id=None, party_id=party_id, document_id=document_id, case_id=case.id, template=template,
               subject=_fit(subject, Notification.__table__.c.subject.type.length), body=body, created_at=now,
               attempts=0, read_at=None, last_error=None, sent_at=None, channel="email", delivery="pending",
               next_attempt_at=now)
    session.execute(insert(Notification.__table__), row)
    return row


def queue(session: Session, case: Case, roles: Iterable[str], template: str, params: dict,
          now: datetime) -> list[dict]:
    """Insert the notifications of one event (see notification_rows) and return their column values."""
    rows = notification_rows(session, case, roles, template, params, now)
    if rows:
        session.execute(insert(Notification.__table__), rows)
    return rows
