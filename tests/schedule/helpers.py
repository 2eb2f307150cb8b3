"""Sessions of the schedule tests: planned and published through the services, as an officer would."""
from __future__ import annotations

from datetime import date, time

from factories import NOW

from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.reception import schedule


def published_session(session, org, *, user="reception", unit="dept", publish=True, **kw):
    values = dict(unit_id=org[unit].id, kind="regular", mode="in_person", day=date(2026, 12, 3),
                  start_time=time(8, 0), end_time=time(11, 0), place="Phòng tiếp công dân, số 1 Lê Lợi",
                  booking_capacity=3, slot_minutes=30)
    values.update(kw)
    row = schedule.create_session(session, org["users"][user], load_calendar(session),
                                  schedule.SessionInput(**values), NOW)
    if publish:
        schedule.publish_session(session, org["users"][user], load_calendar(session), row.id, NOW)
    session.flush()
    return row
