"""Refusing work for a unit outside its lifetime (models.Unit.active_from, active_to): nothing is received into,
assigned in or planned for a unit dissolved in the 2025 mergers, nor dated before a new unit existed. The checks read
the process's cached unit tree (org_tree), so a use case pays no statement for them."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Unit
from ..errors import ServiceError


def _name(session: Session, unit_id: int) -> str:
    with session.no_autoflush:
        unit = session.get(Unit, unit_id)
    return unit.name if unit is not None else str(unit_id)


def refuse_dissolved(session: Session, unit_id: int, field: str) -> None:
    """ServiceError on `field` when the unit has been dissolved (a dissolution is never entered ahead of its day, so
    a dissolved unit is dissolved as of today), naming the unit that took over its work."""
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
