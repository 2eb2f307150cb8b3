"""Removing a delegation recorded on a session by mistake (service and session page): the day counts again as held
by the official in person; the rights of recording one; never on a cancelled session."""
from __future__ import annotations

from datetime import date

import pytest
from factories import NOW, SERVICE_ORG, make_org

from config import ROOT
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.errors import Forbidden, NotFound, ServiceError
from dvflow.services.reception import compliance, officials, schedule

from .helpers import published_session

RULES = compliance.schedule_rules(str(ROOT / "workflows"))
DELEGATE = ("Phó Giám đốc Lê Văn Cường", "Đi công tác")


def _official(session, org, username: str = ""):
    data = officials.OfficialInput(unit_id=org["dept"].id, full_name="Nguyễn Văn An", title="Giám đốc Sở",
                                   position="agency_head", active_from=date(2025, 1, 1), active_to=None,
                                   username=username)
    return officials.add_official(session, org["users"]["head"], RULES, data, NOW)


def _november(session, org, official):
    start, end = compliance.period_bounds("month", date(2026, 11, 1))
    return compliance.official_compliance(session, RULES, load_calendar(session), official, start, end,
                                          date(2026, 12, 1))


@pytest.fixture
def service_org(session):
    return make_org(session, **SERVICE_ORG)


def test_a_delegation_recorded_by_mistake_is_removed_and_the_day_counts_as_held(session, service_org):
    org = service_org
    official = _official(session, org)
    row = published_session(session, org, publish=False, kind="periodic", official_id=official.id,
                            day=date(2026, 11, 26))
    schedule.record_delegation(session, org["users"]["head"], row.id, *DELEGATE)
    row.status = "held"  # closed at the desk, the delegation kept
    session.flush()
    assert (_november(session, org, official).total("held"),
            _november(session, org, official).total("delegated")) == (0, 1)
    with pytest.raises(Forbidden):
        schedule.remove_delegation(session, org["users"]["handler"], row.id)
    with pytest.raises(NotFound):
        schedule.remove_delegation(session, org["users"]["other_head"], row.id)
    assert row.delegate_name == DELEGATE[0]
    schedule.remove_delegation(session, org["users"]["head"], row.id)
    assert (row.delegate_name, row.delegation_reason, row.status) == (None, None, "held")
    result = _november(session, org, official)
    assert (result.total("held"), result.total("delegated"), result.total("missed")) == (1, 0, 0)
    with pytest.raises(ServiceError) as exc:  # nothing left to remove
        schedule.remove_delegation(session, org["users"]["head"], row.id)
    assert exc.value.field == "delegate_name"


def test_a_cancelled_sessions_delegation_stays(session, service_org):
    org = service_org
    row = published_session(session, org, kind="periodic", official_id=_official(session, org).id)
    schedule.record_delegation(session, org["users"]["head"], row.id, *DELEGATE)
    schedule.cancel_session(session, org["users"]["head"], row.id, "Trùng họp HĐND", NOW)
    with pytest.raises(ServiceError) as exc:
        schedule.remove_delegation(session, org["users"]["head"], row.id)
    assert exc.value.field == "status" and row.delegate_name == DELEGATE[0]


def test_the_session_page_removes_a_delegation(app, session, org, login):
    official = _official(session, org, username="head")
    row = published_session(session, org, kind="periodic", official_id=official.id)
    schedule.record_delegation(session, org["users"]["head"], row.id, *DELEGATE)
    session.flush()
    page = f"/tiep-nhan/lich/{row.id}"
    head = login("head")
    assert 'id="bo-uy-quyen"' in head.get(page).get_data(as_text=True)
    read = login("supervisor").get(page)  # reads the session, may not manage it
    assert read.status_code == 200 and 'id="bo-uy-quyen"' not in read.get_data(as_text=True)
    assert head.post(f"{page}/bo-uy-quyen", token_from=page).status_code == 302
    session.expire_all()
    assert (row.delegate_name, row.delegation_reason) == (None, None)
    html = head.get(page).get_data(as_text=True)
    assert 'id="bo-uy-quyen"' not in html and DELEGATE[0] not in html
    again = head.post(f"{page}/bo-uy-quyen", token_from=page)
    assert again.status_code == 400 and "Phiên không có ủy quyền để gỡ." in again.get_data(as_text=True)
