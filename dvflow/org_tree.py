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
from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from . import read_mostly
from .models import Membership, Unit, User
from .models.unit import exists_between

#: the roles that see the cases of every unit
ALL_UNITS_ROLES = frozenset({"supervisor", "admin"})
MEMO = "dvflow.access"  # the session.info key (kept from when the memo lived in services.org.access)
_UNITS = select(Unit.id, Unit.parent_id, Unit.remote_area, Unit.active_from, Unit.active_to, Unit.successor_id)
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


@dataclass(frozen=True)
class Lifetime:
    """The days a unit existed (models.Unit.active_from, active_to; None: open) and who took over its work."""
    active_from: date | None = None
    active_to: date | None = None
    successor_id: int | None = None

    def exists_on(self, day: date) -> bool:
        return exists_between(self.active_from, self.active_to, day, day)


ALWAYS = Lifetime()


@dataclass
class Org:
    """The whole (small) unit table and membership table, as plain values shared by the process's requests."""
    tree: dict[int, int | None]
    remote_area: dict[int, bool]
    by_user: dict[int, list[Member]] = field(default_factory=dict)
    by_unit: dict[int, list[Member]] = field(default_factory=dict)
    #: only the units with a lifetime (most have none: they always existed and still exist)
    lifetimes: dict[int, Lifetime] = field(default_factory=dict)

    def lifetime(self, unit_id: int) -> Lifetime:
        return self.lifetimes.get(unit_id, ALWAYS)


def _load(session: Session) -> Org:
    units = session.execute(_UNITS).all()
    org = Org(tree={u.id: u.parent_id for u in units}, remote_area={u.id: bool(u.remote_area) for u in units},
              lifetimes={u.id: Lifetime(u.active_from, u.active_to, u.successor_id) for u in units
                         if (u.active_from, u.active_to, u.successor_id) != (None, None, None)})
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


def exists_on(session: Session, unit_id: int, day: date) -> bool:
    """Whether the unit existed on `day` (False for a unit that does not exist at all)."""
    current = org(session)
    return unit_id in current.tree and current.lifetime(unit_id).exists_on(day)


def heir(session: Session, unit_id: int) -> int | None:
    """Who carries on the work of `unit_id` today: the unit itself while it exists, else its successor's heir (a
    commune merged in 2025 whose successor merged again), else None (dissolved with nobody to take over)."""
    return heir_in(org(session), unit_id)


def heir_in(current: Org, unit_id: int | None) -> int | None:
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        life = current.lifetime(unit_id)
        if life.active_to is None:
            return unit_id
        unit_id = life.successor_id
    return None


def answers_for(session: Session, unit_id: int, day: date) -> bool:
    """Whether the unit answers for what was received on `day`: it existed that day, or a unit it took over from did
    (a letter an old commune received on 28/06/2025 is registered, or handed off, by the commune that succeeded it on
    01/07/2025, with its own receipt date)."""
    current = org(session)
    todo, seen = [unit_id], set()
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        if current.lifetime(uid).exists_on(day):
            return True
        todo.extend(u for u, life in current.lifetimes.items() if life.successor_id == uid)
    return False


def superiors(current: Org, unit_id: int) -> list[int]:
    """The existing units above `unit_id`, nearest first, as an escalation goes up: a dissolved unit on the way is
    replaced by the unit that took over its work (and the walk goes on above that one), or passed over for its own
    parent when nobody did."""
    out: list[int] = []
    passed, above = {unit_id}, current.tree.get(unit_id)
    while above is not None and above not in passed:
        passed.add(above)
        taken = heir_in(current, above)
        if taken is None:
            above = current.tree.get(above)
            continue
        if taken not in out and taken != unit_id:
            out.append(taken)
        passed.add(taken)
        above = current.tree.get(taken)
    return out


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
