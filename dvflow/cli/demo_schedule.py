"""Demo reception schedules: the province chair, a department director and a commune chair as officials, their
held sessions of the last three months (one delegated, one month missed), published sessions in the coming weeks
with slots to book, a few bookings, one session published and then cancelled, and one session planned but not yet
published (still editable). Everything is relative to `now`, like the rest of the demo."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from ..engine.calendar import local_date
from ..models import ReceptionSession, User
from ..services.deadlines.calendar import load_calendar
from ..services.org import accounts
from ..services.reception import bookings, compliance, officials, schedule

OFFICIALS = [  # unit, username, name, title, position
    ("TINH", "chutich", "Võ Minh Chủ Tịch", "Chủ tịch UBND tỉnh", "province_chair"),
    ("STNMT", "truongso", "Nguyễn Văn Trưởng", "Giám đốc Sở Nông nghiệp và Môi trường", "agency_head"),
    ("XA-BINHMINH", "chutichxa", "Bùi Văn Xã", "Chủ tịch UBND xã Bình Minh", "commune_chair"),
]
PLACES = {
    "TINH": "Trụ sở Ban Tiếp công dân tỉnh, số 3 đường Trần Hưng Đạo",
    "STNMT": "Phòng tiếp công dân Sở, số 12 đường Nguyễn Huệ",
    "XA-BINHMINH": "Phòng tiếp công dân UBND xã Bình Minh, Ấp 2",
    "BTCD": "Trụ sở Ban Tiếp công dân tỉnh, số 3 đường Trần Hưng Đạo",
}
CITIZENS = [("Trịnh Văn Hùng", "0912000111", "Hỏi về tiến độ bồi thường dự án đường tỉnh 741"),
            ("Phan Thị Lan", "0987000222", "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất"),
            ("Lại Văn Phúc", "0903000333", "Phản ánh tiếng ồn từ xưởng gỗ ban đêm")]

CANCEL_REASON = ("Phòng tiếp công dân của Sở đang sửa chữa; công dân đến Ban Tiếp công dân tỉnh, số 3 đường Trần "
                 "Hưng Đạo.")


def _nth_working_day(cal, first: date, n: int) -> date:
    """The n-th working day (1-based) of the month starting at `first`."""
    d = cal.first_working_day_on_or_after(first)
    return cal.add_working_days(d, n - 1)


def _past(session, official, unit_id, day, now, delegate=None, reason=None) -> None:
    session.add(ReceptionSession(unit_id=unit_id, kind="periodic", mode="in_person", official_id=official.id,
                                 day=day, start_time=time(8, 0), end_time=time(11, 30),
                                 place=PLACES[official.unit.code], status="held", booking_capacity=0,
                                 slot_minutes=20, delegate_name=delegate, delegation_reason=reason,
                                 created_at=now, published_at=now, closed_at=now))


def _held_history(session, cal, rows, today: date, now: datetime) -> None:
    months = []
    first = today.replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    chair, director, commune = rows
    for i, month in enumerate(months):
        day = _nth_working_day(cal, month, 8)
        if i == 1:  # the chair was away: a vice chair received in his place (not counted from 01/7/2026)
            _past(session, chair, chair.unit_id, day, now, "Phó Chủ tịch UBND tỉnh Trương Thị Hòa",
                  "Chủ tịch dự họp Chính phủ")
        else:
            _past(session, chair, chair.unit_id, day, now)
        if i != 1:  # the director missed one month
            _past(session, director, director.unit_id, _nth_working_day(cal, month, 5), now)
        _past(session, commune, commune.unit_id, _nth_working_day(cal, month, 3), now)
        if i == 0:
            _past(session, commune, commune.unit_id, _nth_working_day(cal, month, 13), now)


def _plan(session, cal, user: User, unit_code: str, day: date, now: datetime, publish: bool = True,
          **kw) -> ReceptionSession:
    unit = accounts.find_unit(session, unit_code)
    data = schedule.SessionInput(unit_id=unit.id, kind=kw.pop("kind", "regular"), mode="in_person", day=day,
                                 start_time=kw.pop("start", time(8, 0)), end_time=kw.pop("end", time(11, 0)),
                                 place=PLACES[unit_code], booking_capacity=kw.pop("capacity", 6), slot_minutes=30,
                                 **kw)
    row = schedule.create_session(session, user, cal, data, now)
    return schedule.publish_session(session, user, cal, row.id, now) if publish else row


def load_schedule_demo(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    rules = compliance.schedule_rules(str(getattr(workflows, "directory", Path(__file__).parents[2] / "workflows")))
    cal, today = load_calendar(session), local_date(now)
    rows = []
    for unit_code, username, name, title, position in OFFICIALS:
        unit = accounts.find_unit(session, unit_code)
        rows.append(officials.add_official(session, users["quantri"], rules, officials.OfficialInput(
            unit_id=unit.id, full_name=name, title=title, position=position, active_from=date(2025, 7, 1),
            username=username), now))
    _held_history(session, cal, rows, today, now)
    # the reception office every Tuesday and Thursday of the next four weeks, open for booking
    day = cal.add_working_days(today, 1)
    regular = []
    while day <= today + timedelta(days=28):
        if day.weekday() in (1, 3) and cal.is_working_day(day):
            regular.append(_plan(session, cal, users["tiepdan"], "BTCD", day, now, start=time(14, 0),
                                 end=time(17, 0)))
        day += timedelta(days=1)
    # each head's periodic day, published 5 working days ahead (LTCD Điều 24 khoản 4)
    first = cal.add_working_days(today, 6)
    chair, director, commune = rows
    _plan(session, cal, users["chutich"], "TINH", cal.add_working_days(first, 2), now, kind="periodic",
          official_id=chair.id, capacity=6)
    _plan(session, cal, users["tiepdan"], "STNMT", first, now, kind="periodic", official_id=director.id)
    _plan(session, cal, users["chutichxa"], "XA-BINHMINH", cal.add_working_days(first, 1), now, kind="periodic",
          official_id=commune.id, capacity=4)
    # next month's periodic day of the director, planned but not yet published: it can still be edited
    _plan(session, cal, users["tiepdan"], "STNMT", cal.add_working_days(first, 20), now, publish=False,
          kind="periodic", official_id=director.id, notes="Dự kiến; chờ Giám đốc xác nhận giờ trước khi công bố.")
    # a session published, then cancelled: the .ics feed tells the calendars that imported it (CANCELLED)
    called_off = _plan(session, cal, users["tiepdan"], "STNMT", cal.add_working_days(today, 3), now,
                       start=time(14, 0), end=time(17, 0))
    schedule.cancel_session(session, users["tiepdan"], called_off.id, CANCEL_REASON, now)
    for name, phone, content in CITIZENS:
        bookings.book(session, regular[0].id, bookings.BookingInput(name, phone, content), now)
    session.flush()
