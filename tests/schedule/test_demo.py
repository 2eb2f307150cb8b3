"""The demo's reception schedules: officials, published sessions ahead with bookings, and a compliance history with
a delegated day and a missed month."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from factories import NOW
from sqlalchemy import select

from config import ROOT
from dvflow.cli.demo_data import load_demo
from dvflow.engine.calendar import local_date
from dvflow.models import ReceptionBooking, ReceptionOfficial, ReceptionSession, User
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.reception import compliance, public_schedule


@pytest.mark.parametrize("now", [NOW, datetime(2026, 12, 6, 3, 0, tzinfo=timezone.utc)])
def test_demo_schedule(session, workflows, now):
    assert load_demo(session, workflows, now)
    today = local_date(now)
    assert {o.position for o in session.scalars(select(ReceptionOfficial))} == {
        "province_chair", "agency_head", "commune_chair"}
    rows = public_schedule.published_sessions(session, today)
    assert len({r.unit_code for r in rows}) == 4 and any(r.bookable for r in rows)
    assert len(session.scalars(select(ReceptionBooking)).all()) == 3
    assert session.scalar(select(ReceptionSession.id).where(ReceptionSession.delegate_name.is_not(None)))
    # one session planned and not yet published, which the officer may still edit
    planned = session.scalars(select(ReceptionSession).where(ReceptionSession.status == "planned")).all()
    assert len(planned) == 1 and planned[0].kind == "periodic" and planned[0].day > today
    supervisor = session.scalar(select(User).where(User.username == "giamsat"))
    end = today.replace(day=1) - timedelta(days=1)  # the last three months, all over
    start = (end.replace(day=1) - timedelta(days=40)).replace(day=1)
    items = compliance.unit_compliance(session, supervisor, compliance.schedule_rules(str(ROOT / "workflows")),
                                       load_calendar(session), start, end, today)
    by_position = {i.official.position: i.compliance for i in items}
    assert by_position["agency_head"].total("missed") >= 1
    assert by_position["province_chair"].total("delegated") == 1
