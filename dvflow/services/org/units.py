"""A unit's lifetime: dissolving a unit into the unit that takes over its work.

From 01/07/2025 the district level was abolished and communes (and provinces) were merged (Luật Tổ chức chính quyền
địa phương 2025; Nghị quyết 202/2025/QH15): the dissolved unit's pending matters go to its successor. `dissolve_unit`
is one use case, one transaction: the unit's last day and successor, its children moved under the successor when
asked, and every open case moved (services/cases/unit_merger.py) with its clocks as they were. Nothing is deleted:
the unit, its closed cases and its memberships stay as history (a membership of the dissolved unit gives no access to
the successor: access follows the unit a role is held in).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Case, ReceptionSession, Unit, User
from ...timeutil import local_date
from ..cases import unit_merger
from ..errors import ServiceError
from . import admin_log

ONE_DAY = timedelta(days=1)


@dataclass
class Dissolution:
    """What a dissolution did."""
    unit: Unit
    successor: Unit
    on: date
    cases: list[Case] = field(default_factory=list)
    #: the moved cases left unassigned (their assignee holds no role in the successor)
    unassigned: int = 0
    children: list[Unit] = field(default_factory=list)


def unit_by_code(session: Session, code: str | None, field_name: str) -> Unit:
    code = (code or "").strip()
    unit = session.scalar(select(Unit).where(Unit.code == code)) if code else None
    if unit is None:
        raise ServiceError("Không có đơn vị mã «%(unit)s».", field=field_name, unit=code)
    return unit


def dissolve_unit(session: Session, actor: User | None, code: str, on: date | None, into_code: str, now: datetime,
                  *, move_children: bool = False) -> Dissolution:
    """Dissolve unit `code` into `into_code` from the day `on` (the first day the successor does its work; the unit's
    last day is the day before). With `move_children`, its units still existing go under the successor; without, they
    refuse the dissolution. Refused, naming the field, with nothing written: an unknown code, a unit already
    dissolved, a successor that is the unit, one of its units, dissolved or not yet existing on `on`, a day after today
    or not after the unit's first day."""
    unit = unit_by_code(session, code, "code")
    # the row locked first: work entered for the unit meanwhile (lifetime.hold, FOR SHARE) commits before and is
    # moved below, or waits and is refused; a second dissolution waits and finds the unit dissolved
    session.refresh(unit, with_for_update=True)
    if not (into_code or "").strip():
        raise ServiceError("Nhập mã đơn vị kế thừa (đơn vị nhận công việc của đơn vị giải thể).", field="into")
    successor = unit_by_code(session, into_code, "into")
    _check_day(unit, on, local_date(now))
    _check_successor(session, unit, successor, on)
    _refuse_sessions_ahead(session, unit, max(on, local_date(now)))
    children = _living_children(session, unit, on)
    if children and not move_children:
        raise ServiceError("Đơn vị «%(unit)s» còn đơn vị trực thuộc đang hoạt động (%(children)s): giải thể các đơn vị "
                           "này trước, hoặc chuyển chúng sang đơn vị kế thừa (--move-children).", field="code",
                           unit=unit.code, children=", ".join(c.code for c in children))
    unit.active_to, unit.successor_id = on - ONE_DAY, successor.id
    for child in children:
        _reparent(session, actor, child, unit, successor)
    session.flush()
    org_tree.forget(session)  # the rest of the transaction (and the outbox's recipients) sees the new tree
    cases = unit_merger.move_open_cases(session, unit, successor, on, actor, now)
    unassigned = sum(1 for c in cases if c.assignee_id is None)
    admin_log.record(session, actor, "unit_dissolved", unit=unit, code=unit.code, successor=successor.code,
                     on=on.isoformat(), cases=len(cases), unassigned=unassigned,
                     children=[c.code for c in children])
    return Dissolution(unit, successor, on, cases, unassigned, children)


def _check_day(unit: Unit, on: date | None, today: date) -> None:
    if on is None:
        raise ServiceError("Nhập ngày giải thể, sáp nhập (ngày đơn vị kế thừa bắt đầu thực hiện nhiệm vụ).",
                           field="on")
    if on.year < 2000:
        # no unit of this register was dissolved before 2000, and the day before 0001-01-01 is no date at all
        raise ServiceError("Ngày giải thể, sáp nhập không hợp lệ (từ năm 2000 trở đi).", field="on")
    if unit.active_to is not None:
        raise ServiceError("Đơn vị «%(unit)s» đã giải thể từ ngày %(day)s.", field="code", unit=unit.code,
                           day=(unit.active_to + ONE_DAY).strftime("%d/%m/%Y"))
    if on > today:
        # its open cases move now: a dissolution is entered on or after the day it takes effect
        raise ServiceError("Ngày giải thể, sáp nhập không được sau hôm nay.", field="on")
    if unit.active_from is not None and on <= unit.active_from:
        raise ServiceError("Ngày giải thể, sáp nhập phải sau ngày đơn vị «%(unit)s» bắt đầu hoạt động (%(day)s).",
                           field="on", unit=unit.code, day=unit.active_from.strftime("%d/%m/%Y"))


def _check_successor(session: Session, unit: Unit, successor: Unit, on: date) -> None:
    if successor.id == unit.id:
        raise ServiceError("Đơn vị kế thừa phải khác đơn vị giải thể.", field="into")
    if successor.id in org_tree.descendants(org_tree.unit_tree(session), unit.id):
        raise ServiceError("Đơn vị kế thừa «%(unit)s» là đơn vị trực thuộc của đơn vị giải thể.", field="into",
                           unit=successor.code)
    if successor.active_to is not None:
        raise ServiceError("Đơn vị kế thừa «%(unit)s» đã giải thể.", field="into", unit=successor.code)
    if not successor.exists_on(on):
        raise ServiceError("Đơn vị kế thừa «%(unit)s» chỉ hoạt động từ ngày %(day)s.", field="into",
                           unit=successor.code, day=successor.active_from.strftime("%d/%m/%Y"))


def _refuse_sessions_ahead(session: Session, unit: Unit, first: date) -> None:
    """Reception sessions still planned or published for the unit from `first` on would stay on the public schedule,
    bookable, for a unit that no longer receives anyone: they are cancelled first (telling those who booked), or
    planned again by the successor."""
    days = list(session.scalars(select(ReceptionSession.day).where(
        ReceptionSession.unit_id == unit.id, ReceptionSession.day >= first,
        ReceptionSession.status.in_(("planned", "published"))).order_by(ReceptionSession.day)))
    if days:
        raise ServiceError("Đơn vị «%(unit)s» còn %(count)s phiên tiếp công dân đã lập từ ngày %(day)s: hủy các phiên "
                           "này (trang Lịch tiếp công dân) trước khi giải thể.", field="code", unit=unit.code,
                           count=len(days), day=days[0].strftime("%d/%m/%Y"))


def _living_children(session: Session, unit: Unit, on: date) -> list[Unit]:
    """The units directly under `unit` that still exist on `on`."""
    children = session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code))
    return [c for c in children if c.active_to is None or c.active_to >= on]


def _reparent(session: Session, actor: User | None, child: Unit, unit: Unit, successor: Unit) -> None:
    child.parent_id = successor.id
    admin_log.record(session, actor, "unit_parent_changed", unit=child, code=child.code,
                     parent=[unit.code, successor.code])
