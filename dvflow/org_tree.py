"""The unit tree (unit id -> parent id) and everyone's roles, below both the services and the notifications:
`services.org.access` answers who sees what with it, `notify.outbox` who is told.

Both are read-mostly data cached per process behind the token of `dvflow.read_mostly` (one statement per transaction
at most, none when a statement the transaction runs anyway carries the token). Beside it, a memo in `session.info`
holds what is derived per transaction (e.g. the resolved notification recipients); it is dropped when the
transaction ends. Whoever changes units or memberships calls `forget`, which drops both the memo and the
transaction's snapshot, so the rest of the transaction sees the change.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from . import read_mostly
from .models import Membership, Unit, User

#: the roles that see the cases of every unit
ALL_UNITS_ROLES = frozenset({"supervisor", "admin"})
MEMO = "dvflow.access"  # the session.info key (kept from when the memo lived in services.org.access)
_UNITS = select(Unit.id, Unit.parent_id, Unit.remote_area)
_MEMBERS = (select(Membership.user_id, Membership.unit_id, Membership.role, User.email, User.active)
            .join(User, User.id == Membership.user_id).order_by(Membership.user_id, Membership.id))


@dataclass(frozen=True)
class Member:
    """A role held in a unit, with what a notification needs of its holder."""
    user_id: int
    unit_id: int
    role: str
    email: str | None
    active: bool


@dataclass
class Org:
    """The whole (small) unit table and membership table, as plain values shared by the process's requests."""
    tree: dict[int, int | None]
    remote_area: dict[int, bool]
    by_user: dict[int, list[Member]] = field(default_factory=dict)
    by_unit: dict[int, list[Member]] = field(default_factory=dict)


def _load(session: Session) -> Org:
    units = session.execute(_UNITS).all()
    org = Org(tree={uid: parent for uid, parent, _ in units}, remote_area={uid: bool(r) for uid, _, r in units})
    for user_id, unit_id, role, email, active in session.execute(_MEMBERS):
        member = Member(user_id, unit_id, role, email, bool(active))
        org.by_user.setdefault(user_id, []).append(member)
        org.by_unit.setdefault(unit_id, []).append(member)
    return org


def org(session: Session) -> Org:
    """The unit tree and the memberships as of this transaction (never mutate: the process shares them)."""
    return read_mostly.part(session, "org", _load)


def memo(session: Session) -> dict:
    """The transaction's memo (created empty on first use); `forget` drops it."""
    return session.info.setdefault(MEMO, {})


def forget(session: Session) -> None:
    """Drop the memo and the transaction's snapshot: to be called whenever units or memberships change."""
    session.info.pop(MEMO, None)
    read_mostly.forget(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    if read_mostly.ended(transaction):
        session.info.pop(MEMO, None)


def unit_tree(session: Session) -> dict[int, int | None]:
    """unit id -> parent id, for the whole (small) unit table."""
    return org(session).tree


def descendants(tree: dict[int, int | None], root: int) -> set[int]:
    """`root` and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in tree.items():
        children.setdefault(parent, []).append(uid)
    found, stack = set(), [root]
    while stack:
        uid = stack.pop()
        if uid not in found:
            found.add(uid)
            stack.extend(children.get(uid, []))
    return found


def ancestors(tree: dict[int, int | None], unit_id: int) -> list[int]:
    """The units above `unit_id`, nearest first (a cycle in the data stops the walk)."""
    chain, current = [], tree.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = tree.get(current)
    return chain


def visible_unit_ids(session: Session, user_id: int) -> set[int] | None:
    """The units whose cases the user may see; None means every unit (supervisors and admins). A head sees the units
    below theirs too. The one rule of who sees a case: `services.org.access` applies it to the pages, `notify.outbox`
    to whether an assignee may still be told of the case."""
    held = org(session).by_user.get(user_id, ())
    if any(m.role in ALL_UNITS_ROLES for m in held):
        return None
    tree = unit_tree(session)
    visible: set[int] = set()
    for m in held:
        visible |= descendants(tree, m.unit_id) if m.role == "head" else {m.unit_id}
    return visible


def sees_unit(session: Session, user_id: int, unit_id: int) -> bool:
    """Whether the user may see the cases of the unit (visible_unit_ids)."""
    units = visible_unit_ids(session, user_id)
    return units is None or unit_id in units
