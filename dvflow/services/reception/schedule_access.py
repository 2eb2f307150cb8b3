"""Who may do what with reception schedules (enforced in the services, not only in the pages).

- officials (the heads bound to receive citizens): a unit's head (for the unit and the units below) or an admin;
- sessions (plan, publish, cancel, record a delegation): the unit's reception officers, its head (and heads above)
  or an admin;
- schedules and compliance, read-only: whoever sees the unit's cases (a head across their subtree, supervisors and
  admins everywhere).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ... import org_tree
from ...models import User
from ..errors import Forbidden
from ..org.access import memberships, visible_unit_ids

N_ = lambda s: s  # noqa: E731 - marks a message for extraction; the page shows it translated

NOT_ALLOWED = N_("Bạn không có quyền thực hiện thao tác này với lịch tiếp công dân của đơn vị.")


def _units(session: Session, user: User, roles: set[str]) -> set[int] | None:
    """Units where the user holds one of `roles` (a head's reach covers the units below); None: every unit."""
    ms = memberships(session, user)
    if any(m.role == "admin" for m in ms):
        return None
    tree = org_tree.unit_tree(session)
    units: set[int] = set()
    for m in ms:
        if m.role == "head" and "head" in roles:
            units |= org_tree.descendants(tree, m.unit_id)
        elif m.role in roles:
            units.add(m.unit_id)
    return units


def official_units(session: Session, user: User) -> set[int] | None:
    return _units(session, user, {"head"})


def planning_units(session: Session, user: User) -> set[int] | None:
    return _units(session, user, {"head", "reception"})


def viewing_units(session: Session, user: User) -> set[int] | None:
    return visible_unit_ids(session, user)


def within(units: set[int] | None, unit_id: int) -> bool:
    return units is None or unit_id in units


def require(units: set[int] | None, unit_id: int) -> None:
    if not within(units, unit_id):
        raise Forbidden(NOT_ALLOWED)
