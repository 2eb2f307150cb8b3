"""The officials a unit must have receive citizens periodically (ReceptionOfficial): added, changed, listed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...engine.reception.rules import ScheduleRules
from ...models import ReceptionOfficial, Unit, User
from ..errors import N_, NotFound, ServiceError
from .schedule_access import official_units, require, viewing_units, within
from .text import check_text


@dataclass(frozen=True)
class OfficialInput:
    unit_id: int | None
    full_name: str
    title: str
    position: str
    active_from: date | None
    active_to: date | None = None
    username: str = ""  # the official's login, optional


def _check(session: Session, rules: ScheduleRules, data: OfficialInput) -> User | None:
    check_text("full_name", "Họ và tên", data.full_name)
    check_text("title", "Chức vụ", data.title)
    check_text("username", N_("Tài khoản"), data.username)
    if data.unit_id is None or session.get(Unit, data.unit_id) is None:
        raise ServiceError("Đơn vị: chọn đơn vị của người tiếp công dân.", field="unit_id")
    if not data.full_name.strip():
        raise ServiceError("Họ và tên: không được để trống.", field="full_name")
    if len(data.full_name) > 255 or len(data.title) > 255:
        raise ServiceError("Họ và tên, chức vụ: tối đa 255 ký tự.", field="full_name")
    if not data.title.strip():
        raise ServiceError("Chức vụ: không được để trống (ví dụ \"Chủ tịch UBND tỉnh\").", field="title")
    _check_office(rules, data)
    if not data.username.strip():
        return None
    user = session.scalar(select(User).where(User.username == data.username.strip()))
    if user is None:
        raise ServiceError("Tài khoản: không có tài khoản \"%(username)s\".", field="username",
                           username=data.username.strip())
    return user


def _check_office(rules: ScheduleRules, data: OfficialInput) -> None:
    """The position and the dates in office: a position whose rules are in force on some day of them."""
    if data.position not in rules.positions:
        raise ServiceError("Chức danh theo quy định: chọn một chức danh trong danh sách.", field="position")
    if data.active_from is None:
        raise ServiceError("Giữ chức vụ từ ngày: không được để trống.", field="active_from")
    if data.active_to is not None and data.active_to < data.active_from:
        raise ServiceError("Giữ chức vụ đến ngày: phải sau ngày bắt đầu.", field="active_to")
    if not rules.positions[data.position].in_force_during(data.active_from, data.active_to):
        # such an official would owe nothing, ever, and the compliance pages would show them as always in order
        raise ServiceError("Chức danh theo quy định: chức danh này không có quy định tần suất tiếp công dân áp dụng "
                           "trong thời gian giữ chức vụ (ví dụ cấp huyện chấm dứt hoạt động từ 01/7/2025); chọn chức "
                           "danh khác hoặc sửa ngày giữ chức vụ.", field="position")


def add_official(session: Session, user: User, rules: ScheduleRules, data: OfficialInput,
                 now: datetime) -> ReceptionOfficial:
    account = _check(session, rules, data)
    require(official_units(session, user), data.unit_id)
    row = ReceptionOfficial(unit_id=data.unit_id, user_id=account.id if account else None,
                            full_name=data.full_name.strip(), title=data.title.strip(), position=data.position,
                            active_from=data.active_from, active_to=data.active_to, created_at=now)
    session.add(row)
    session.flush()
    return row


def update_official(session: Session, user: User, rules: ScheduleRules, official_id: int,
                    data: OfficialInput) -> ReceptionOfficial:
    row = load_official(session, user, official_id, manage=True)
    account = _check(session, rules, data)
    require(official_units(session, user), data.unit_id)
    row.unit_id, row.full_name, row.title = data.unit_id, data.full_name.strip(), data.title.strip()
    row.position, row.active_from, row.active_to = data.position, data.active_from, data.active_to
    row.user_id = account.id if account else None
    session.flush()
    return row


def load_official(session: Session, user: User, official_id: int, *, manage: bool = False) -> ReceptionOfficial:
    row = session.get(ReceptionOfficial, official_id)
    if row is None:
        raise NotFound("Không tìm thấy người tiếp công dân.")
    if not within(viewing_units(session, user), row.unit_id):  # another unit's official: as if they did not exist
        raise NotFound("Không tìm thấy người tiếp công dân.")
    if manage:
        require(official_units(session, user), row.unit_id)
    return row


def list_officials(session: Session, units: set[int] | None, on: date | None = None) -> list[ReceptionOfficial]:
    """The officials of `units` (None: all), those in office on `on` when given, by unit and name."""
    query = select(ReceptionOfficial).join(Unit).order_by(Unit.name, ReceptionOfficial.full_name)
    if units is not None:
        query = query.where(ReceptionOfficial.unit_id.in_(units or {-1}))
    if on is not None:
        query = query.where(ReceptionOfficial.active_from <= on,
                            (ReceptionOfficial.active_to.is_(None)) | (ReceptionOfficial.active_to >= on))
    return list(session.scalars(query))


def officials_of_user(session: Session, user: User) -> list[ReceptionOfficial]:
    """The official rows linked to a login (a head sees their own schedule and compliance)."""
    return list(session.scalars(select(ReceptionOfficial).where(ReceptionOfficial.user_id == user.id)
                                .order_by(ReceptionOfficial.active_from)))


def managed_units(session: Session, user: User, keep: int | None = None) -> list[Unit]:
    """The units whose officials the user manages, those dissolved left out but `keep` (the unit of the official being
    corrected, so that correcting a past head's dates keeps their unit)."""
    units = official_units(session, user)
    query = select(Unit).where(Unit.existing | (Unit.id == (keep or -1))).order_by(Unit.name)
    return list(session.scalars(query if units is None else query.where(Unit.id.in_(units or {-1}))))


def account_name(session: Session, official: ReceptionOfficial) -> str:
    """The username of the official's login, or ""."""
    user = session.get(User, official.user_id) if official.user_id else None
    return user.username if user else ""
