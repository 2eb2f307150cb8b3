"""Queue notifications for the users a ladder or an action names, in the caller's transaction."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case, Membership, Notification, Unit, User
from .templates import render

RECIPIENT_ROLES = ("assignee", "unit_head", "parent_head", "supervisors", "reception", "handlers")


def resolve_recipients(session: Session, case: Case, roles: Iterable[str]) -> list[User]:
    users: dict[int, User] = {}
    for role in roles:
        for user in _resolve(session, case, role):
            if user.active:
                users[user.id] = user
    return list(users.values())


def _resolve(session: Session, case: Case, role: str) -> list[User]:
    if role == "assignee":
        return [case.assignee] if case.assignee is not None else _members(session, [case.unit_id], "head")
    if role == "unit_head":
        return _members(session, [case.unit_id], "head")
    if role == "parent_head":
        unit = session.get(Unit, case.unit_id)
        return _members(session, [unit.parent_id], "head") if unit.parent_id else []
    if role == "supervisors":
        return _members(session, _unit_and_ancestors(session, case.unit_id), "supervisor")
    if role == "reception":
        return _members(session, [case.unit_id], "reception")
    if role == "handlers":
        return _members(session, [case.unit_id], "handler")
    raise ValueError(f"unknown recipient role {role!r}")


def _unit_and_ancestors(session: Session, unit_id: int) -> list[int]:
    chain, current = [], session.get(Unit, unit_id)
    while current is not None and current.id not in chain:
        chain.append(current.id)
        current = current.parent
    return chain


def _members(session: Session, unit_ids: list[int], role: str) -> list[User]:
    return list(session.scalars(select(User).join(Membership).where(
        Membership.unit_id.in_(unit_ids), Membership.role == role).order_by(User.id)))


def queue(session: Session, case: Case, roles: Iterable[str], template: str, params: dict, now: datetime) -> list[Notification]:
    """An inbox item for each recipient, and an e-mail in the outbox for those with an address."""
    subject, body = render(template, {"code": case.tracking_code, "subject": case.subject, **params})
    rows = []
    for user in resolve_recipients(session, case, roles):
        rows.append(Notification(user_id=user.id, case_id=case.id, channel="inbox", template=template,
                                 subject=subject, body=body, created_at=now, delivery="skipped"))
        if user.email:
            rows.append(Notification(user_id=user.id, case_id=case.id, channel="email", template=template,
                                     subject=subject, body=body, created_at=now, delivery="pending",
                                     next_attempt_at=now))
    session.add_all(rows)
    return rows
