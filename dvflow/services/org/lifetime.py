"""Refusing work for a unit outside its lifetime (models.Unit.active_from, active_to): nothing is received into,
assigned in or planned for a unit dissolved in the 2025 mergers, nor dated before a new unit existed. The checks read
the process's cached unit tree (org_tree); refusing a dissolved unit first holds the unit's row (`hold`: one
statement), so that work entered for it never races its dissolution."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree, read_mostly
from ...models import Unit
from ..errors import ServiceError


def _name(session: Session, unit_id: int) -> str:
    with session.no_autoflush:
        unit = session.get(Unit, unit_id)
    return unit.name if unit is not None else str(unit_id)


def hold(session: Session, unit_id: int) -> None:
    """Lock the unit's row FOR SHARE until the transaction ends, and see its lifetime as committed now.

    A dissolution locks the row FOR UPDATE before it moves the unit's open cases (units.dissolve_unit): work entered
    for the unit (a case received, assigned, a commitment, a conference) either commits first, and is moved with the
    others, or waits for the dissolution and is then refused; without the lock it could pass the check while the
    dissolution ran and stay open in a unit nobody may assign in. Several such use cases share the lock, and they
    block none of each other. (SQLite has no row locks: its writers are serialised anyway.)"""
    row = session.execute(select(Unit.active_to, read_mostly.TOKEN_COLUMN).where(Unit.id == unit_id)
                          .with_for_update(read=True, of=Unit)).one_or_none()
    if row is None:
        return
    read_mostly.seed(session, row.read_mostly_token)  # the token rides on the lock: the transaction needs no other
    if row.active_to != org_tree.org(session).lifetime(unit_id).active_to:
        org_tree.forget(session)  # dissolved since the transaction read the tree: the rest of it reads it again


def refuse_dissolved(session: Session, unit_id: int, field: str) -> None:
    """ServiceError on `field` when the unit has been dissolved (a dissolution is never entered ahead of its day, so
    a dissolved unit is dissolved as of today), naming the unit that took over its work. Holds the unit's row
    (`hold`) first."""
    hold(session, unit_id)
    life = org_tree.org(session).lifetime(unit_id)
    if life.active_to is None:
        return
    day = (life.active_to + timedelta(days=1)).strftime("%d/%m/%Y")
    heir = org_tree.heir(session, unit_id)
    if heir is None:
        raise ServiceError("Đơn vị «%(unit)s» đã giải thể từ ngày %(day)s.", field=field,
                           unit=_name(session, unit_id), day=day)
    raise ServiceError("Đơn vị «%(unit)s» đã giải thể từ ngày %(day)s; công việc của đơn vị chuyển sang «%(heir)s».",
                       field=field, unit=_name(session, unit_id), day=day, heir=_name(session, heir))


def refuse_before(session: Session, unit_id: int, day: date, field: str) -> None:
    """ServiceError on `field` when `day` is before the unit existed and no unit it took over from existed then."""
    if org_tree.answers_for(session, unit_id, day):
        return
    life = org_tree.org(session).lifetime(unit_id)
    raise ServiceError("Đơn vị «%(unit)s» chỉ hoạt động từ ngày %(first)s: ngày %(day)s không thuộc thời gian hoạt "
                       "động của đơn vị.", field=field, unit=_name(session, unit_id),
                       first=life.active_from.strftime("%d/%m/%Y") if life.active_from else "",
                       day=day.strftime("%d/%m/%Y"))
