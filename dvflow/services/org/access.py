"""Who sees what and who may act: enforced in the queries, not only in the templates."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from ... import org_tree, read_mostly
from ...engine.types import Actor
from ...models import Case, User

ALL_UNITS_ROLES = org_tree.ALL_UNITS_ROLES

#: the request's user with the read-mostly token: the request's first statement carries it (dvflow.read_mostly)
_USER = select(User, read_mostly.TOKEN_COLUMN).where(User.id == bindparam("user_id"))


class Role(NamedTuple):
    """A role the user holds in a unit (plain values: cheaper to load than Membership objects)."""
    unit_id: int
    role: str


def load_user(session: Session, user_id: int) -> User | None:
    """The user a request acts as, in the statement that also reads the read-mostly token: the roles and the unit
    tree the request needs then cost no statement while the process's cache is current."""
    row = session.execute(_USER, {"user_id": user_id}).first()
    if row is None:
        return None
    read_mostly.seed(session, row[1])
    return row[0]


def memberships(session: Session, user: User) -> list[Role]:
    """The roles the user holds, unit by unit (from the process's cache of the memberships, see dvflow.org_tree)."""
    return [Role(m.unit_id, m.role) for m in org_tree.org(session).by_user.get(user.id, ())]


def visible_unit_ids(session: Session, user: User) -> set[int] | None:
    """The units whose cases the user may see; None means every unit (supervisors and admins)."""
    return org_tree.visible_unit_ids(session, user.id)


def visible_cases(session: Session, user: User) -> Select:
    query = select(Case)
    units = visible_unit_ids(session, user)
    return query if units is None else query.where(Case.unit_id.in_(units or {-1}))


def can_see(session: Session, user: User, case: Case) -> bool:
    return org_tree.sees_unit(session, user.id, case.unit_id)


def actor_for(session: Session, user: User, case: Case) -> Actor:
    """The user's roles for this case: those held in its unit; a head of a unit above it acts as head too."""
    ms = memberships(session, user)
    tree = org_tree.unit_tree(session)
    above = set(org_tree.ancestors(tree, case.unit_id))
    roles = {m.role for m in ms if m.unit_id == case.unit_id}
    if any(m.role == "head" and m.unit_id in above for m in ms):
        roles.add("head")
    return Actor(user_id=user.id, roles=frozenset(roles), is_head="head" in roles, name=user.full_name or user.username)
