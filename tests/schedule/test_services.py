"""Officials, planning sessions (create, publish 5 working days ahead, cancel, delegate), bookings and reminders,
compliance from the database: services/reception/{officials,schedule,bookings,compliance}.py, on both databases."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from factories import NOW, SERVICE_ORG, make_org
from sqlalchemy import select

from config import ROOT
from dvflow.models import Notification, ReceptionBooking
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.errors import Forbidden, NotFound, ServiceError
from dvflow.services.reception import bookings, compliance, officials, schedule

RULES = compliance.schedule_rules(str(ROOT / "workflows"))


@pytest.fixture
def org(session):
    """The services' tree (with the province's chair and a remote commune), not the pages' one of conftest.py."""
    return make_org(session, **SERVICE_ORG)
# NOW is Wednesday 25/11/2026: a session on Thursday 3/12 may still be published today, one on Wednesday 2/12 not


def add_official(session, org, user="head", unit="dept", position="agency_head", **kw):
    data = officials.OfficialInput(unit_id=org[unit].id, full_name=kw.get("full_name", "Nguyễn Văn An"),
                                   title=kw.get("title", "Giám đốc Sở"), position=position,
                                   active_from=kw.get("active_from", date(2025, 1, 1)),
                                   active_to=kw.get("active_to"), username=kw.get("username", ""))
    return officials.add_official(session, org["users"][user], RULES, data, NOW)


def plan(session, org, user="reception", **kw):
    values = dict(unit_id=org["dept"].id, kind="regular", mode="in_person", day=date(2026, 12, 3),
                  start_time=time(8, 0), end_time=time(11, 0), place="Trụ sở Sở, số 1 Lê Lợi", booking_capacity=3,
                  slot_minutes=30)
    values.update(kw)
    return schedule.create_session(session, org["users"][user], load_calendar(session),
                                   schedule.SessionInput(**values), NOW)


def test_a_head_adds_an_official_with_a_login_and_others_may_not(session, org):
    official = add_official(session, org, username="head")
    assert official.user_id == org["users"]["head"].id
    assert officials.officials_of_user(session, org["users"]["head"]) == [official]
    with pytest.raises(Forbidden):
        add_official(session, org, user="reception")
    with pytest.raises(Forbidden):
        add_official(session, org, user="other_head")
    add_official(session, org, user="chair", full_name="Trần Thị Bình")  # a head above may


@pytest.mark.parametrize("change, field", [
    ({"full_name": " "}, "full_name"), ({"title": ""}, "title"), ({"position": "king"}, "position"),
    ({"active_from": None}, "active_from"), ({"active_to": date(2024, 1, 1)}, "active_to"),
    ({"username": "nobody"}, "username"), ({"unit_id": None}, "unit_id"),
])
def test_official_errors_name_the_field(session, org, change, field):
    data = dict(unit_id=org["dept"].id, full_name="A", title="Giám đốc", position="agency_head",
                active_from=date(2025, 1, 1), active_to=None, username="")
    data.update(change)
    with pytest.raises(ServiceError) as exc:
        officials.add_official(session, org["users"]["head"], RULES, officials.OfficialInput(**data), NOW)
    assert exc.value.field == field and exc.value.message


def test_a_position_with_no_rule_in_force_while_in_office_is_refused(session, org):
    # the district level was abolished from 01/7/2025: a district chair from 2026 would owe nothing, ever
    with pytest.raises(ServiceError) as exc:
        add_official(session, org, user="chair", unit="remote", position="district_chair",
                     active_from=date(2026, 1, 1))
    assert exc.value.field == "position" and "Chức danh theo quy định" in exc.value.message
    # one in office before then is a record of the past, as is a head in office before a rule began
    past = add_official(session, org, user="chair", unit="remote", position="district_chair",
                        active_from=date(2024, 1, 1), active_to=date(2025, 6, 30))
    add_official(session, org, position="public_service_unit_head", active_from=date(2010, 1, 1))
    changed = officials.OfficialInput(unit_id=org["remote"].id, full_name=past.full_name, title=past.title,
                                      position="district_chair", active_from=date(2025, 7, 1), active_to=None)
    with pytest.raises(ServiceError) as exc:
        officials.update_official(session, org["users"]["chair"], RULES, past.id, changed)
    assert exc.value.field == "position" and past.active_from == date(2024, 1, 1)


def test_periodic_session_needs_an_official_in_office_and_a_working_day(session, org):
    with pytest.raises(ServiceError) as exc:
        plan(session, org, kind="periodic")
    assert exc.value.field == "official_id"
    official = add_official(session, org, active_to=date(2026, 12, 1))
    with pytest.raises(ServiceError, match="không giữ chức vụ"):
        plan(session, org, kind="periodic", official_id=official.id)
    other = add_official(session, org, full_name="Lê Văn C")
    with pytest.raises(ServiceError) as exc:
        plan(session, org, kind="periodic", official_id=other.id, day=date(2026, 12, 5))  # a Saturday
    assert exc.value.field == "day"
    assert plan(session, org, kind="ad_hoc", official_id=other.id, day=date(2026, 12, 5)).status == "planned"


@pytest.mark.parametrize("change, field", [
    ({"end_time": time(8, 0)}, "end_time"), ({"mode": "online"}, "meeting_url"), ({"place": ""}, "place"),
    ({"day": date(2026, 11, 24)}, "day"), ({"booking_capacity": 7}, "booking_capacity"),
    ({"kind": "weekly"}, "kind"), ({"slot_minutes": 2}, "slot_minutes"), ({"unit_id": None}, "unit_id"),
])
def test_session_errors_name_the_field(session, org, change, field):
    with pytest.raises(ServiceError) as exc:
        plan(session, org, **change)
    assert exc.value.field == field


def test_only_the_units_reception_and_heads_plan(session, org):
    with pytest.raises(Forbidden):
        plan(session, org, user="handler")
    with pytest.raises(Forbidden):
        plan(session, org, user="xa_reception")
    assert plan(session, org, user="chair").unit_id == org["dept"].id


def test_publishing_needs_five_working_days_for_periodic_and_online_not_ad_hoc(session, org):
    official = add_official(session, org)
    cal = load_calendar(session)
    late = plan(session, org, kind="periodic", official_id=official.id, day=date(2026, 12, 2))
    with pytest.raises(ServiceError) as exc:
        schedule.publish_session(session, org["users"]["reception"], cal, late.id, NOW)
    assert exc.value.code == "notice_too_short" and "Điều 24 khoản 4" in exc.value.message
    assert "24/11/2026" in exc.value.message
    assert late.status == "planned"
    ok = plan(session, org, kind="periodic", official_id=official.id, day=date(2026, 12, 3))
    assert schedule.publish_session(session, org["users"]["reception"], cal, ok.id, NOW).status == "published"
    online = plan(session, org, mode="online", meeting_url="https://hop.example.vn/x", place="",
                  day=date(2026, 12, 1))
    with pytest.raises(ServiceError, match="154/2026"):
        schedule.publish_session(session, org["users"]["reception"], cal, online.id, NOW)
    assert online.place == schedule.PLACE_ONLINE
    urgent = plan(session, org, kind="ad_hoc", day=date(2026, 11, 26))
    assert schedule.publish_session(session, org["users"]["reception"], cal, urgent.id, NOW).published_at == NOW
    with pytest.raises(ServiceError):
        schedule.publish_session(session, org["users"]["reception"], cal, urgent.id, NOW)  # not twice


def test_cancel_needs_a_reason_and_cancels_the_bookings_with_an_email(session, org):
    row = plan(session, org)
    schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)
    booking = bookings.book(session, row.id, bookings.BookingInput("Phạm Thị Dân", "0912345678", "Đất đai",
                                                                   "dan@example.test"), NOW)
    with pytest.raises(ServiceError) as exc:
        schedule.cancel_session(session, org["users"]["reception"], row.id, " ", NOW)
    assert exc.value.field == "reason"
    schedule.cancel_session(session, org["users"]["reception"], row.id, "Lãnh đạo họp đột xuất", NOW)
    assert (row.status, row.cancel_reason, booking.status) == ("cancelled", "Lãnh đạo họp đột xuất", "cancelled")
    mails = session.scalars(select(Notification).where(Notification.booking_id == booking.id)
                            .order_by(Notification.id)).all()
    assert [m.template for m in mails] == ["booking_confirmed", "booking_cancelled"]
    assert "Lãnh đạo họp đột xuất" in mails[1].body


def test_delegation_is_recorded_only_on_an_officials_session(session, org):
    official = add_official(session, org)
    regular = plan(session, org)
    with pytest.raises(ServiceError):
        schedule.record_delegation(session, org["users"]["head"], regular.id, "Phó Giám đốc", "Họp")
    row = plan(session, org, kind="periodic", official_id=official.id)
    with pytest.raises(ServiceError) as exc:
        schedule.record_delegation(session, org["users"]["head"], row.id, "Phó Giám đốc", "")
    assert exc.value.field == "delegation_reason"
    schedule.record_delegation(session, org["users"]["head"], row.id, "Phó Giám đốc Lê Văn D", "Đi công tác")
    assert (row.delegate_name, row.delegation_reason) == ("Phó Giám đốc Lê Văn D", "Đi công tác")
    assert bookings.who_receives(row) == "Phó Giám đốc Lê Văn D"


def test_booking_assigns_slots_in_order_until_capacity_and_validates(session, org):
    row = plan(session, org)  # 3 slots of 30 minutes from 08:00
    with pytest.raises(NotFound):
        bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "x"), NOW)  # not published
    schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)
    for bad, field in [(("", "0912345678", "x"), "name"), (("A", "12ab", "x"), "phone"),
                       (("A", "0912345678", ""), "content"), (("A", "0912345678", "x" * 501), "content")]:
        with pytest.raises(ServiceError) as exc:
            bookings.book(session, row.id, bookings.BookingInput(*bad), NOW)
        assert exc.value.field == field
    with pytest.raises(ServiceError) as exc:
        bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "x", "not-an-address"), NOW)
    assert exc.value.field == "email"
    made = [bookings.book(session, row.id, bookings.BookingInput(f"Dân {i}", f"0912 345 67{i}", "Nội dung"), NOW)
            for i in range(3)]
    assert [b.slot_time for b in made] == [time(8, 0), time(8, 30), time(9, 0)]
    assert made[0].phone == "0912345670" and made[0].code.startswith("LH-")
    with pytest.raises(ServiceError, match="hết lượt"):
        bookings.book(session, row.id, bookings.BookingInput("D", "0911111111", "x"), NOW)
    made[1].status = "cancelled"
    session.flush()
    assert bookings.book(session, row.id, bookings.BookingInput("E", "0922222222", "x"), NOW).slot_time == time(8, 30)
    assert session.scalar(select(Notification.id).where(Notification.booking_id.is_not(None))) is None  # no e-mail


def test_reminders_are_queued_once_the_day_before_for_bookings_with_an_address(session, org):
    row = plan(session, org, day=date(2026, 11, 27))
    schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)
    with_mail = bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "x", "a@example.test"), NOW)
    bookings.book(session, row.id, bookings.BookingInput("B", "0987654321", "x"), NOW)
    assert bookings.queue_reminders(session, NOW) == 0  # 27/11 is not tomorrow yet
    next_day = datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc)
    assert bookings.queue_reminders(session, next_day) == 1
    assert bookings.queue_reminders(session, next_day) == 0  # once
    reminder = session.scalars(select(Notification).where(Notification.template == "booking_reminder")).one()
    assert reminder.booking_id == with_mail.id and "08:00 ngày 27/11/2026" in reminder.body
    assert with_mail.reminded_at == next_day


def test_compliance_from_the_database_for_the_heads_subtree(session, org):
    official = add_official(session, org, position="agency_head")
    xa = add_official(session, org, user="xa_head", unit="remote", position="commune_chair",
                      full_name="Võ Văn Xã", title="Chủ tịch UBND xã")
    row = plan(session, org, kind="periodic", official_id=official.id, day=date(2026, 11, 26))
    row.status = "held"
    session.flush()
    cal = load_calendar(session)
    start, end = compliance.period_bounds("month", date(2026, 11, 1))
    seen = compliance.unit_compliance(session, org["users"]["head"], RULES, cal, start, end, date(2026, 12, 1))
    assert [i.official.id for i in seen] == [official.id]
    values = compliance.compliance_row(seen[0])
    assert (values["required"], values["held"], values["missed"]) == (1, 1, 0)
    everyone = compliance.unit_compliance(session, org["users"]["supervisor"], RULES, cal, start, end,
                                          date(2026, 12, 1))
    assert {i.official.id for i in everyone} == {official.id, xa.id}
    xa_row = next(i for i in everyone if i.official.id == xa.id)
    assert (xa_row.compliance.total("required"), xa_row.compliance.total("missed")) == (2, 2)


def test_period_bounds():
    assert compliance.period_bounds("quarter", date(2026, 11, 5)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert compliance.period_bounds("quarter", date(2026, 2, 5)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert compliance.period_bounds("year", date(2026, 2, 5)) == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ServiceError) as exc:
        compliance.period_bounds("range", date(2026, 2, 5), date(2026, 1, 1))
    assert exc.value.field == "to"


def test_two_bookings_never_share_a_slot(session, org):
    row = plan(session, org)
    schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)
    bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "x"), NOW)
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(ReceptionBooking(session_id=row.id, code="LH-SAME", name="B", phone="0912345678",
                                         content="x", slot_time=time(8, 0), status="booked", created_at=NOW))
            session.flush()


def test_a_slot_taken_meanwhile_makes_the_booking_take_the_next_one(session, org, monkeypatch):
    row = plan(session, org)
    schedule.publish_session(session, org["users"]["reception"], load_calendar(session), row.id, NOW)
    # another citizen's booking of 08:00 lands between reading the free slots and inserting
    real = bookings.free_slots

    def stale(s, r):
        slots = real(s, r)
        if not s.info.get("raced"):
            s.info["raced"] = True
            s.add(ReceptionBooking(session_id=r.id, code="LH-RACE", name="B", phone="0912345678", content="x",
                                   slot_time=slots[0], status="booked", created_at=NOW))
            s.flush()
        return slots
    monkeypatch.setattr(bookings, "free_slots", stale)
    booking = bookings.book(session, row.id, bookings.BookingInput("A", "0912345678", "x"), NOW)
    assert booking.slot_time == time(8, 30)
