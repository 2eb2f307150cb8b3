"""The .ics feed of the public schedule: a VTIMEZONE for its TZID, and a cancelled session kept with
STATUS:CANCELLED so calendars that imported it are told (review of the public side, F7)."""
from __future__ import annotations

from datetime import date

from factories import NOW
from icalendar import Calendar

from dvflow.services.reception import schedule

from .helpers import published_session


def feed(client) -> Calendar:
    answer = client.get("/lich-tiep-cong-dan.ics")
    assert answer.status_code == 200
    return Calendar.from_ical(answer.data)


def test_the_feed_carries_the_vtimezone_of_its_tzid(app, client, session, org):
    published_session(session, org)
    text = client.get("/lich-tiep-cong-dan.ics").data.decode("utf-8")
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20261203T080000" in text
    [zone] = Calendar.from_ical(text.encode()).walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Ho_Chi_Minh" and "+0700" in zone.to_ical().decode()


def test_a_cancelled_session_stays_in_the_feed_and_on_the_page_as_cancelled(app, client, session, org):
    kept = published_session(session, org)
    gone = published_session(session, org, place="Phòng hủy", day=date(2026, 12, 4))
    never_public = published_session(session, org, place="Phòng chưa công bố", publish=False, day=date(2026, 12, 7))
    for row in (gone, never_public):
        schedule.cancel_session(session, org["users"]["reception"], row.id, "Lãnh đạo đi công tác", NOW)
    session.flush()
    events = {str(e["location"]): e for e in feed(client).walk("VEVENT")}
    assert set(events) == {"Phòng tiếp công dân, số 1 Lê Lợi", "Phòng hủy"}  # never the one never published
    assert str(events["Phòng hủy"]["status"]) == "CANCELLED" and int(events["Phòng hủy"]["sequence"]) == 1
    assert str(events["Phòng hủy"]["uid"]).startswith(f"reception-session-{gone.id}@")
    assert str(events["Phòng hủy"]["summary"]).startswith("[Đã hủy] ")
    assert str(events["Phòng tiếp công dân, số 1 Lê Lợi"]["status"]) == "CONFIRMED" and kept.id
    page = client.get("/lich-tiep-cong-dan").get_data(as_text=True)
    assert "Phòng chưa công bố" not in page  # never public, never shown
    card = page[page.index("Phòng hủy") - 600:page.index("Phòng hủy") + 600]
    assert "Đã hủy" in card and "Lý do: Lãnh đạo đi công tác" in card  # citizens who planned to come are told
    assert f"/lich-tiep-cong-dan/{gone.id}" not in page  # no booking link
