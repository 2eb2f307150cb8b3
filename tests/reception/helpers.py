"""Reception sessions for the tests: rows written directly (the planning service is another helper's)."""
from __future__ import annotations

from datetime import date, datetime, time

from factories import NOW

from dvflow.models import ReceptionBooking, ReceptionOfficial, ReceptionSession
from dvflow.services.reception.visits import VisitInput


def make_session(session, unit, *, day: date = date(2026, 11, 25), kind: str = "regular", mode: str = "in_person",
                 official: ReceptionOfficial | None = None, start: time = time(8, 0),
                 status: str = "published") -> ReceptionSession:
    rs = ReceptionSession(unit_id=unit.id, kind=kind, mode=mode, official_id=official.id if official else None,
                          day=day, start_time=start, end_time=time(11, 30), place="Trụ sở tiếp công dân",
                          status=status, created_at=NOW,
                          meeting_url="https://hop.example.test/phien" if mode == "online" else None)
    session.add(rs)
    session.flush()
    return rs


def make_official(session, unit, *, name: str = "Trần Văn Chủ", title: str = "Chủ tịch UBND tỉnh",
                  position: str = "province_chair") -> ReceptionOfficial:
    official = ReceptionOfficial(unit_id=unit.id, full_name=name, title=title, position=position,
                                 active_from=date(2026, 1, 1), created_at=NOW)
    session.add(official)
    session.flush()
    return official


def make_booking(session, rs, *, name: str = "Lê Thị Hẹn", code: str = "DK-0001",
                 slot: time = time(8, 20)) -> ReceptionBooking:
    booking = ReceptionBooking(session_id=rs.id, code=code, name=name, phone="0912345678",
                               content="Hỏi về bồi thường đất", slot_time=slot, status="booked", created_at=NOW)
    session.add(booking)
    session.flush()
    return booking


def visit(**kw) -> VisitInput:
    values = {"citizen_name": "Nguyễn Văn An", "summary": "Khiếu nại quyết định thu hồi đất", "address": "Hà Nội",
              "identity_number": "001086000123", "content_type": "complaint", "outcome": "answered",
              "result_note": "Đã giải thích quy định về bồi thường"}
    values.update(kw)
    return VisitInput(**values)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    from dvflow.timeutil import TZ

    return datetime.combine(day, time(hour, minute), TZ)
