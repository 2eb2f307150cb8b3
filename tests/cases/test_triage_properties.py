"""Property: a case handed off from a letter has the clocks of a direct intake of its kind registered with the
letter's receipt date, whatever that date (weekends, holidays, either side of 01/07/2026) and whatever the kind."""
from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dvflow.models import Case, Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ

NOW = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
#: the senders a letter of each kind names, and the other parties the kind takes
PARTIES = {
    "complaint_first": [("complainant", "Nguyễn Văn An"), ("respondent", "UBND xã")],
    "complaint_second": [("complainant", "Nguyễn Văn An")],
    "complaint_discipline": [("complainant", "Nguyễn Văn An"), ("respondent", "Sở Nội vụ")],
    "denunciation": [("denouncer", "Phạm Văn Dũng"), ("accused", "Ông B")],
    "anonymous_tip": [("petitioner", "Không rõ"), ("accused", "Ông B")],
    "petition": [("petitioner", "Trần Thị Hoa")],
}


def _clocks(session, case: Case) -> list[tuple]:
    rows = session.scalars(select(Clock).where(Clock.case_id == case.id).order_by(Clock.name))
    return [(c.name, c.start_date, c.due_date, c.days, c.unit, c.state, c.basis) for c in rows]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(received=st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 11, 26)),
       hour=st.integers(min_value=0, max_value=23), kind=st.sampled_from(sorted(PARTIES)))
def test_hand_off_clocks_equal_direct_intake(session, workflows, org, received, hour, kind):
    user = org["users"]["handler"]
    received_at = datetime.combine(received, time(hour), TZ)
    parties = [PartyInput(role=role, name=name) for role, name in PARTIES[kind]]
    savepoint = session.begin_nested()  # each example starts from the same empty database
    try:
        letter = register_case(session, workflows, user, IntakeInput(
            kind="triage", unit_id=org["dept"].id, channel="letter", received_at=received_at, subject="Đơn",
            parties=parties), NOW)
        cases.perform(session, workflows, user, letter.id, "classify", {"content_type": kind, "competent": True}, NOW)
        cases.perform(session, workflows, user, letter.id, "accept", {"target_kind": kind}, NOW)
        handed = session.get(Case, letter.handed_off_to_id)
        kept = set(workflows.latest(kind).party_roles)
        direct = register_case(session, workflows, user, IntakeInput(
            kind=kind, unit_id=org["dept"].id, channel="letter", received_at=received_at, subject="Đơn",
            parties=[p for p in parties if p.role in kept]), NOW)
        assert handed.kind == direct.kind == kind
        assert _clocks(session, handed) == _clocks(session, direct)
        assert _clocks(session, handed) or kind == "anonymous_tip"  # a tip has no statutory clock (UNCONFIRMED)
    finally:
        savepoint.rollback()
