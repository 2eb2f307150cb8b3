"""Planning reception sessions: create, edit before publishing, publish on the public schedule, cancel, record a
delegation or remove one recorded by mistake.

Each function is one use case: it checks everything first, then writes and flushes (never commits), so a refused
request changes nothing. Sources: Luật Tiếp công dân 2013 (LTCD) Điều 12, 15, 18, 24; Nghị định 154/2026/NĐ-CP
Điều 10, 23–24.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, joinedload

from ...engine.calendar import WorkCalendar, format_date, local_date
from ...models import (
    Commitment,
    Document,
    ReceptionBooking,
    ReceptionOfficial,
    ReceptionSession,
    ReceptionVisit,
    Unit,
    User,
)
from ...models.reception import SESSION_KINDS, SESSION_MODES
from ..errors import N_, NotFound, ServiceError
from .schedule_access import planning_units, require, viewing_units, within
from .text import check_length, check_text

#: publishing at least 5 working days before the day (LTCD Điều 24 khoản 4; NĐ 154/2026 Điều 23–24, online)
NOTICE_WORKING_DAYS = 5
NOTICE_BASIS = N_("Luật Tiếp công dân 2013, Điều 24 khoản 4; Nghị định 154/2026/NĐ-CP, Điều 23–24")
MAX_CAPACITY = 200
PLACE_ONLINE = "Trực tuyến"


@dataclass(frozen=True)
class SessionInput:
    unit_id: int | None
    kind: str
    mode: str
    day: date | None
    start_time: time | None
    end_time: time | None
    place: str = ""
    official_id: int | None = None
    meeting_url: str = ""
    booking_capacity: int = 0
    slot_minutes: int = 20
    notes: str = ""


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _check_basics(data: SessionInput, today: date) -> None:
    check_text("place", "Địa điểm", data.place)
    check_text("meeting_url", "Đường liên kết phiên trực tuyến", data.meeting_url)
    check_text("notes", "Ghi chú", data.notes)
    check_length("notes", "Ghi chú", data.notes)
    if data.kind not in SESSION_KINDS:
        raise ServiceError("Loại phiên: chọn thường xuyên, định kỳ hoặc đột xuất.", field="kind")
    if data.mode not in SESSION_MODES:
        raise ServiceError("Hình thức: chọn trực tiếp hoặc trực tuyến.", field="mode")
    if data.day is None:
        raise ServiceError("Ngày tiếp: không được để trống.", field="day")
    if data.day < today:
        raise ServiceError("Ngày tiếp: không được là ngày đã qua.", field="day")
    if data.start_time is None or data.end_time is None:
        raise ServiceError("Giờ bắt đầu và giờ kết thúc: không được để trống.", field="start_time")
    if data.end_time <= data.start_time:
        raise ServiceError("Giờ kết thúc: phải sau giờ bắt đầu.", field="end_time")
    if data.mode == "online" and not data.meeting_url.strip().lower().startswith(("https://", "http://")):
        raise ServiceError("Đường liên kết phiên trực tuyến: bắt buộc với phiên trực tuyến, bắt đầu bằng https:// "
                           "(Nghị định 154/2026/NĐ-CP, Điều 23–24).", field="meeting_url")
    if data.mode == "in_person" and not data.place.strip():
        raise ServiceError("Địa điểm: không được để trống.", field="place")
    if len(data.place) > 500 or len(data.meeting_url) > 500:
        raise ServiceError("Địa điểm, đường liên kết: tối đa 500 ký tự.", field="place")


def _check_booking(data: SessionInput) -> None:
    if not 0 <= data.booking_capacity <= MAX_CAPACITY:
        raise ServiceError("Số lượt đặt lịch: từ 0 đến %(max)s.", field="booking_capacity", max=MAX_CAPACITY)
    if not 5 <= data.slot_minutes <= 240:
        raise ServiceError("Thời lượng mỗi lượt: từ 5 đến 240 phút.", field="slot_minutes")
    span = _minutes(data.end_time) - _minutes(data.start_time)
    if data.booking_capacity * data.slot_minutes > span:
        raise ServiceError("Số lượt đặt lịch: %(n)s lượt × %(m)s phút vượt quá thời gian của phiên (%(span)s phút).",
                           field="booking_capacity", n=data.booking_capacity, m=data.slot_minutes, span=span)


def _check_official(session: Session, data: SessionInput) -> ReceptionOfficial | None:
    if data.official_id is None:
        if data.kind == "periodic":
            raise ServiceError("Người tiếp: phiên tiếp định kỳ phải chọn người đứng đầu tiếp công dân.",
                               field="official_id")
        return None
    official = session.get(ReceptionOfficial, data.official_id)
    if official is None or official.unit_id != data.unit_id:
        raise ServiceError("Người tiếp: chọn người tiếp công dân của đơn vị.", field="official_id")
    if data.day < official.active_from or (official.active_to is not None and data.day > official.active_to):
        raise ServiceError("Người tiếp: %(name)s không giữ chức vụ vào ngày %(day)s.", field="official_id",
                           name=official.full_name, day=format_date(data.day))
    return official


def _check(session: Session, calendar: WorkCalendar, data: SessionInput, today: date) -> None:
    """Everything a session's plan must satisfy, whether new or edited (its unit already checked)."""
    _check_basics(data, today)
    _check_booking(data)
    unit = session.get(Unit, data.unit_id)
    if unit is not None and not unit.exists_on(data.day):  # a commune dissolved in the 2025 mergers, or not yet made
        raise ServiceError("Ngày tiếp: đơn vị %(unit)s không hoạt động vào ngày %(day)s (đã giải thể hoặc chưa thành "
                           "lập).", field="day", unit=unit.name, day=format_date(data.day))
    _check_official(session, data)
    if data.kind in ("periodic", "regular") and not calendar.is_working_day(data.day):
        raise ServiceError("Ngày tiếp: %(day)s không phải ngày làm việc (%(reason)s); tiếp định kỳ và thường xuyên vào "
                           "ngày làm việc.", field="day", day=format_date(data.day),
                           reason=calendar.non_working_reason(data.day))


def _apply(row: ReceptionSession, data: SessionInput) -> None:
    row.kind, row.mode, row.official_id, row.day = data.kind, data.mode, data.official_id, data.day
    row.start_time, row.end_time = data.start_time, data.end_time
    row.place, row.meeting_url = data.place.strip() or PLACE_ONLINE, data.meeting_url.strip() or None
    row.booking_capacity, row.slot_minutes = data.booking_capacity, data.slot_minutes
    row.notes = data.notes.strip() or None


def create_session(session: Session, user: User, calendar: WorkCalendar, data: SessionInput,
                   now: datetime) -> ReceptionSession:
    if data.unit_id is None or session.get(Unit, data.unit_id) is None:
        raise ServiceError("Đơn vị: chọn đơn vị tổ chức tiếp công dân.", field="unit_id")
    require(planning_units(session, user), data.unit_id)
    _check(session, calendar, data, local_date(now))
    row = ReceptionSession(unit_id=data.unit_id, status="planned", created_by_id=user.id, created_at=now)
    _apply(row, data)
    session.add(row)
    session.flush()
    return row


def update_session(session: Session, user: User, calendar: WorkCalendar, session_id: int, data: SessionInput,
                   now: datetime) -> ReceptionSession:
    """Edit a planned session before it is published: the same checks as planning it. A published one is on the
    public schedule and may hold citizens' bookings: it is cancelled (they are told) and planned again instead."""
    row = load_session(session, user, session_id, manage=True)
    if row.status != "planned":
        raise ServiceError("Chỉ sửa được phiên dự kiến, chưa công bố. Phiên đã công bố: hủy phiên (công dân đã đặt "
                           "lịch được báo) rồi lập phiên mới.", field="status")
    if not may_edit(session, row, local_date(now)):
        # the day's regular session opens as planned at the desk: once it has begun or received citizens, its day,
        # hours and official are what the reception book and the officials' compliance already rest on
        raise ServiceError("Phiên đã bắt đầu hoặc đã tiếp công dân: không sửa được ngày, giờ, người tiếp; ghi chú "
                           "vào sổ tiếp công dân nếu cần.", field="status")
    if data.unit_id is not None and data.unit_id != row.unit_id:
        raise ServiceError("Đơn vị: không đổi được đơn vị của phiên; hãy lập phiên mới cho đơn vị kia.",
                           field="unit_id")
    data = replace(data, unit_id=row.unit_id)
    _check(session, calendar, data, local_date(now))
    if data.official_id != row.official_id:  # a delegation stood in for the official the session no longer has
        row.delegate_name = row.delegation_reason = None
    _apply(row, data)
    session.flush()
    return row


def may_edit(session: Session, row: ReceptionSession, today: date) -> bool:
    """A planned session whose day has not come and that holds no visit, commitment or notice yet."""
    if row.status != "planned" or row.day <= today:
        return False
    used = [exists().where(model.session_id == row.id) for model in (ReceptionVisit, Commitment, Document)]
    return not session.scalar(select(or_(*used)))


def load_session(session: Session, user: User, session_id: int, *, manage: bool = False) -> ReceptionSession:
    row = session.get(ReceptionSession, session_id)
    if row is None:
        raise NotFound("Không tìm thấy phiên tiếp công dân.")
    if not within(viewing_units(session, user), row.unit_id):  # another unit's session: as if it did not exist
        raise NotFound("Không tìm thấy phiên tiếp công dân.")
    if manage:
        require(planning_units(session, user), row.unit_id)
    return row


def needs_notice(row: ReceptionSession) -> bool:
    """Periodic and online sessions go on the schedule at least 5 working days ahead; ad hoc ones cannot wait."""
    return row.kind != "ad_hoc" and (row.kind == "periodic" or row.mode == "online")


def last_publish_day(calendar: WorkCalendar, day: date) -> date:
    """The last day the session may be published: 5 whole working days must pass between it and the session day
    (counted from the day after, as every time limit)."""
    return calendar.subtract_working_days(day, NOTICE_WORKING_DAYS) - timedelta(days=1)


def publish_session(session: Session, user: User, calendar: WorkCalendar, session_id: int,
                    now: datetime) -> ReceptionSession:
    row = load_session(session, user, session_id, manage=True)
    if row.status != "planned":
        raise ServiceError("Chỉ công bố được phiên đang ở trạng thái dự kiến.", field="status")
    today = local_date(now)
    if needs_notice(row) and today > last_publish_day(calendar, row.day):
        raise ServiceError(
            "Không thể công bố: lịch tiếp công dân phải được công bố trước ít nhất %(days)s ngày làm việc (%(basis)s); "
            "phiên ngày %(day)s phải công bố chậm nhất ngày %(last)s. Hãy chọn ngày khác hoặc tổ chức tiếp đột xuất.",
            field="day", code="notice_too_short", days=NOTICE_WORKING_DAYS, basis=NOTICE_BASIS,
            day=format_date(row.day), last=format_date(last_publish_day(calendar, row.day)))
    if row.day < today:
        raise ServiceError("Không thể công bố phiên của ngày đã qua.", field="day")
    row.status, row.published_at = "published", now
    session.flush()
    return row


def cancel_session(session: Session, user: User, session_id: int, reason: str, now: datetime) -> ReceptionSession:
    from .bookings import queue_booking_mail

    row = load_session(session, user, session_id, manage=True)
    if row.status not in ("planned", "published"):
        raise ServiceError("Chỉ hủy được phiên chưa diễn ra.", field="status")
    check_text("reason", "Lý do hủy", reason)
    check_length("reason", "Lý do hủy", reason)
    if not reason.strip():
        raise ServiceError("Lý do hủy: không được để trống.", field="reason")
    row.status, row.cancel_reason = "cancelled", reason.strip()
    for booking in session.scalars(select(ReceptionBooking).where(ReceptionBooking.session_id == row.id,
                                                                  ReceptionBooking.status == "booked")):
        booking.status = "cancelled"
        queue_booking_mail(session, booking, row, "booking_cancelled", now, reason=reason.strip()[:300])
    session.flush()
    return row


def record_delegation(session: Session, user: User, session_id: int, delegate_name: str, reason: str,
                      ) -> ReceptionSession:
    row = load_session(session, user, session_id, manage=True)
    if row.official_id is None:
        raise ServiceError("Chỉ ghi nhận ủy quyền cho phiên có người đứng đầu tiếp.", field="delegate_name")
    if row.status == "cancelled":
        raise ServiceError("Phiên đã bị hủy.", field="status")
    check_text("delegate_name", N_("Người được ủy quyền"), delegate_name)
    check_text("delegation_reason", "Lý do ủy quyền", reason)
    check_length("delegation_reason", "Lý do ủy quyền", reason)
    if not delegate_name.strip() or len(delegate_name) > 255:
        raise ServiceError("Người được ủy quyền: họ tên và chức vụ, không để trống, tối đa 255 ký tự.",
                           field="delegate_name")
    if not reason.strip():
        raise ServiceError("Lý do ủy quyền: không được để trống.", field="delegation_reason")
    row.delegate_name, row.delegation_reason = delegate_name.strip(), reason.strip()
    session.flush()
    return row


def remove_delegation(session: Session, user: User, session_id: int) -> ReceptionSession:
    """Remove a delegation recorded by mistake (the official received citizens in person after all): compliance
    counts the day as held by the official again. The same rights as recording it; a cancelled session is left as
    it was cancelled. The session keeps no record of who changed a delegation, so none is written here either."""
    row = load_session(session, user, session_id, manage=True)
    if row.status == "cancelled":
        raise ServiceError("Phiên đã bị hủy.", field="status")
    if not row.delegate_name and not row.delegation_reason:
        raise ServiceError("Phiên không có ủy quyền để gỡ.", field="delegate_name")
    row.delegate_name = row.delegation_reason = None
    session.flush()
    return row


def month_sessions(session: Session, units: set[int] | None, year: int, month: int,
                   unit_id: int | None = None) -> list[ReceptionSession]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    query = (select(ReceptionSession).options(joinedload(ReceptionSession.official), joinedload(ReceptionSession.unit))
             .where(ReceptionSession.day >= first, ReceptionSession.day < nxt)
             .order_by(ReceptionSession.day, ReceptionSession.start_time, ReceptionSession.id))
    if units is not None:
        query = query.where(ReceptionSession.unit_id.in_(units or {-1}))
    if unit_id is not None:
        query = query.where(ReceptionSession.unit_id == unit_id)
    return list(session.scalars(query))


def session_bookings(session: Session, row: ReceptionSession) -> list[ReceptionBooking]:
    return list(session.scalars(select(ReceptionBooking).where(ReceptionBooking.session_id == row.id)
                                .order_by(ReceptionBooking.slot_time, ReceptionBooking.id)))


def _units_list(session: Session, units: set[int] | None) -> list[Unit]:
    query = select(Unit).order_by(Unit.name)
    return list(session.scalars(query if units is None else query.where(Unit.id.in_(units or {-1}))))


def plannable_units(session: Session, user: User) -> list[Unit]:
    """The units the user plans sessions for, those dissolved left out (a plan for them is refused)."""
    return [u for u in _units_list(session, planning_units(session, user)) if u.existing]


def visible_units(session: Session, user: User) -> list[Unit]:
    return _units_list(session, viewing_units(session, user))
