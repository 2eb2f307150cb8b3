"""Opening today's regular session and closing a session (services, SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, time

import pytest
from factories import NOW

from dvflow.services.errors import Conflict, ServiceError
from dvflow.services.reception import sessions
from dvflow.services.reception.sessions import CloseInput

from .helpers import make_official, make_session


def test_today_regular_session_is_opened_once(session, org):
    first = sessions.open_regular_today(session, org["users"]["reception"], org["dept"].id, NOW)
    again = sessions.open_regular_today(session, org["users"]["reception"], org["dept"].id, NOW)
    assert first.id == again.id and (first.kind, first.day, first.status) == ("regular", date(2026, 11, 25), "planned")
    with pytest.raises(ServiceError) as err:
        sessions.open_regular_today(session, org["users"]["supervisor"], org["dept"].id, NOW)
    assert err.value.status == 403


def test_a_session_closes_on_its_day_not_before(session, org):
    early = make_session(session, org["dept"], day=date(2026, 11, 26))
    with pytest.raises(ServiceError) as err:
        sessions.close(session, org["users"]["reception"], early.id, CloseInput(), NOW)
    assert err.value.field == "session"
    rs = make_session(session, org["dept"])
    sessions.close(session, org["users"]["reception"], rs.id, CloseInput(notes="Tiếp 3 lượt"), NOW)
    assert (rs.status, rs.closed_at, rs.closed_by_id) == ("held", NOW, org["users"]["reception"].id)
    with pytest.raises(Conflict):
        sessions.close(session, org["users"]["reception"], rs.id, CloseInput(), NOW)


def test_an_online_session_needs_its_recording(session, org):
    rs = make_session(session, org["dept"], mode="online")
    with pytest.raises(ServiceError) as err:
        sessions.close(session, org["users"]["reception"], rs.id, CloseInput(recording_ref="  "), NOW)
    assert err.value.field == "recording_ref" and rs.status == "published"
    sessions.close(session, org["users"]["reception"], rs.id, CloseInput(recording_ref="NAS-TCD/2026/11/25-01"), NOW)
    assert rs.status == "held" and rs.recording_ref == "NAS-TCD/2026/11/25-01"


def test_a_periodic_session_may_be_received_by_a_delegate(session, org):
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    regular = make_session(session, org["dept"])
    with pytest.raises(ServiceError) as err:
        sessions.close(session, org["users"]["head"], regular.id,
                       CloseInput(delegate_name="Phó Giám đốc", delegation_reason="Đi công tác"), NOW)
    assert err.value.field == "delegate_name"
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    with pytest.raises(ServiceError) as err:
        sessions.close(session, org["users"]["head"], rs.id, CloseInput(delegate_name="Phó Giám đốc"), NOW)
    assert err.value.field == "delegation_reason"
    sessions.close(session, org["users"]["head"], rs.id,
                   CloseInput(delegate_name="Phó Giám đốc Lê Văn B", delegation_reason="Họp HĐND tỉnh"), NOW)
    assert (rs.status, rs.delegate_name, rs.delegation_reason) == ("held", "Phó Giám đốc Lê Văn B", "Họp HĐND tỉnh")


def test_closing_at_the_desk_keeps_a_delegation_recorded_on_the_schedule(session, org):
    """The desk's close form may leave the delegate empty: the delegation recorded earlier on the schedule page
    stays (it decides whether the day counts for the head), as the recording reference does; one typed replaces it."""
    from dvflow.services.reception import schedule

    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    schedule.record_delegation(session, org["users"]["head"], rs.id, "Phó Giám đốc Lê Văn B", "Đi công tác")
    sessions.close(session, org["users"]["reception"], rs.id, CloseInput(delegate_name=" ", notes="Tiếp 2 lượt"), NOW)
    assert (rs.status, rs.delegate_name, rs.delegation_reason) == ("held", "Phó Giám đốc Lê Văn B", "Đi công tác")
    other = make_session(session, org["dept"], kind="periodic", official=official, start=time(14, 0))
    schedule.record_delegation(session, org["users"]["head"], other.id, "Phó Giám đốc Lê Văn B", "Đi công tác")
    sessions.close(session, org["users"]["reception"], other.id, CloseInput(delegate_name="Phó Giám đốc Trần C"), NOW)
    assert (other.delegate_name, other.delegation_reason) == ("Phó Giám đốc Trần C", "Đi công tác")
    # an ad hoc session with the head may carry one recorded on the schedule too: it closes, the delegation kept
    ad_hoc = make_session(session, org["dept"], kind="ad_hoc", official=official, start=time(16, 0))
    schedule.record_delegation(session, org["users"]["head"], ad_hoc.id, "Phó Giám đốc Lê Văn B", "Ốm")
    sessions.close(session, org["users"]["reception"], ad_hoc.id, CloseInput(), NOW)
    assert (ad_hoc.status, ad_hoc.delegate_name) == ("held", "Phó Giám đốc Lê Văn B")


def test_readers_and_strangers(session, org):
    rs = make_session(session, org["dept"])
    assert sessions.load_for(session, org["users"]["supervisor"], rs.id) is rs
    assert sessions.load_for(session, org["users"]["chair"], rs.id, run=True) is rs  # a head above runs it too
    with pytest.raises(ServiceError) as err:
        sessions.close(session, org["users"]["supervisor"], rs.id, CloseInput(), NOW)
    assert err.value.status == 403
    with pytest.raises(ServiceError) as err:
        sessions.load_for(session, org["users"]["other_head"], rs.id)
    assert err.value.status == 404


def test_recent_sessions_of_the_desk_or_of_every_unit_for_a_supervisor(session, org):
    mine = make_session(session, org["dept"], day=date(2026, 11, 20))
    other = make_session(session, org["other"])
    make_session(session, org["dept"], day=date(2026, 10, 1))  # too old to list
    make_session(session, org["dept"], status="cancelled")
    today = date(2026, 11, 25)
    assert sessions.recent_sessions(session, org["users"]["reception"], today) == [mine]
    assert sessions.recent_sessions(session, org["users"]["supervisor"], today) == [other, mine]
