"""The public reception schedule (no login): published sessions with their day, hours, place, mode and who
receives — never anything about the citizens who booked — as rows for the page and as an iCalendar feed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...engine.calendar import TZ
from ...models import ReceptionSession, Unit
from .bookings import bookable, free_slots, who_receives

#: how far ahead the public schedule reaches, and how far back it may look (the sessions held lately)
HORIZON = timedelta(days=120)
PAST = timedelta(days=14)


@dataclass(frozen=True)
class PublicSession:
    id: int
    unit_code: str
    unit_name: str
    kind: str
    mode: str
    day: date
    start_time: time
    end_time: time
    place: str
    meeting_url: str | None
    receiver: str
    delegated: bool
    free_slots: int
    bookable: bool
    published_at: datetime | None
    status: str = "published"
    cancel_reason: str | None = None


def public_units(session: Session) -> list[Unit]:
    """Units with a published session ahead (the page's filter)."""
    return list(session.scalars(select(Unit).where(Unit.id.in_(
        select(ReceptionSession.unit_id).where(ReceptionSession.status == "published"))).order_by(Unit.name)))


def published_sessions(session: Session, today: date, unit_code: str | None = None,
                       past: bool = False, cancelled: bool = False) -> list[PublicSession]:
    """The published sessions from today on; with `past`, also those of the last two weeks (published or held);
    with `cancelled`, also those cancelled after being published (the page says so, with the reason, to citizens who
    planned to come; the feed tells calendars that imported them)."""
    since = today - PAST if past else today
    statuses = ("published", "held") if past else ("published",)
    if cancelled:
        statuses += ("cancelled",)
    query = (select(ReceptionSession).join(Unit, Unit.id == ReceptionSession.unit_id)
             .options(joinedload(ReceptionSession.unit), joinedload(ReceptionSession.official))
             .where(ReceptionSession.status.in_(statuses), ReceptionSession.day >= since,
                    ReceptionSession.day <= today + HORIZON)
             .order_by(ReceptionSession.day, ReceptionSession.start_time, Unit.name, ReceptionSession.id))
    if cancelled:  # a session cancelled while still planned was never public: it stays out
        query = query.where(or_(ReceptionSession.status != "cancelled", ReceptionSession.published_at.is_not(None)))
    if unit_code:
        if "\x00" in unit_code:  # PostgreSQL cannot compare it: no unit has such a code
            return []
        query = query.where(Unit.code == unit_code)
    out = []
    for row in session.scalars(query).unique():
        free = len(free_slots(session, row)) if row.booking_capacity else 0
        out.append(PublicSession(
            id=row.id, unit_code=row.unit.code, unit_name=row.unit.name, kind=row.kind, mode=row.mode, day=row.day,
            start_time=row.start_time, end_time=row.end_time, place=row.place,
            # the meeting link is for the citizens invited, not for the public page
            meeting_url=None, receiver=who_receives(row), delegated=bool(row.delegate_name), free_slots=free,
            bookable=bookable(row, today) and free > 0, published_at=row.published_at, status=row.status,
            cancel_reason=row.cancel_reason if row.status == "cancelled" else None))
    return out


def public_session(session: Session, session_id: int, today: date) -> PublicSession | None:
    row = session.get(ReceptionSession, session_id)
    if row is None or row.status != "published" or row.day < today:
        return None
    return next((s for s in published_sessions(session, today, row.unit.code) if s.id == session_id), None)


KIND_TEXT = {"regular": "Tiếp công dân thường xuyên", "periodic": "Tiếp công dân định kỳ",
             "ad_hoc": "Tiếp công dân đột xuất"}
MODE_TEXT = {"in_person": "trực tiếp", "online": "trực tuyến"}


def ical(rows: list[PublicSession], *, base_url: str, now: datetime) -> bytes:
    """An iCalendar (RFC 5545) feed of the sessions, in Vietnamese, times in Asia/Ho_Chi_Minh."""
    cal = Calendar()
    cal.add("prodid", "-//dvflow//Lich tiep cong dan//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Lịch tiếp công dân")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "dvflow"
    for r in rows:
        event = Event()
        event.add("uid", f"reception-session-{r.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", datetime.combine(r.day, r.start_time, TZ))
        event.add("dtend", datetime.combine(r.day, r.end_time, TZ))
        cancelled = r.status == "cancelled"
        # a calendar that imported the session updates it only from a higher SEQUENCE; CANCELLED strikes it out
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", 1 if cancelled else 0)
        event.add("summary", f"{'[Đã hủy] ' if cancelled else ''}{KIND_TEXT[r.kind]} – {r.unit_name}")
        event.add("location", r.place)
        event.add("description", f"Người tiếp: {r.receiver}. Hình thức: {MODE_TEXT[r.mode]}. "
                                 f"Xem và đặt lịch: {base_url}/lich-tiep-cong-dan")
        event.add("url", f"{base_url}/lich-tiep-cong-dan/{r.id}")
        cal.add_component(event)
    # RFC 5545 §3.2.19: each TZID used needs its VTIMEZONE; without it Outlook reads 08:00 as floating or UTC
    cal.add_missing_timezones()
    return cal.to_ical()
