"""The demo shows a time limit and a case that ended on a legal date before the day it was entered."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import Case, Clock
from dvflow.timeutil import local_date

from .test_cli import run


def test_the_demo_shows_a_limit_and_a_case_ended_on_a_legal_date_before_the_day_entered(app, session):
    """Features (b) and (c) of 2026-12-11/12 (clocks.closed_on, cases.closed_on: "đã dừng ngày …", the reports
    counting by the act's date) have nothing to show in the demo: every stopped limit and every ended case there has
    its legal date equal to the local day it was entered, so a newcomer never sees the difference."""
    run(app, "demo", "load")
    clocks = session.execute(select(Clock.closed_at, Clock.closed_on).where(Clock.closed_at.is_not(None))).all()
    cases = session.execute(select(Case.closed_at, Case.closed_on).where(Case.closed_at.is_not(None))).all()
    assert clocks and cases
    assert any(on != local_date(at) for at, on in clocks), "no demo limit stopped on a date before it was entered"
    assert any(on != local_date(at) for at, on in cases), "no demo case ended on a date before it was entered"


def test_the_demos_late_entered_reply_counts_last_month_and_shows_its_stop_date(app, session, client):
    """The commune's reply signed before this month began and entered in it (demo_features._entered_late): the case
    ended last month (its xong_tu/xong_den list of last month shows it, as the reports count it), and its page shows
    the reply time limit "đã dừng ngày" the date of the notice of acceptance, not the day it was entered."""
    from datetime import timedelta

    from dvflow.cli.demo_data import DEMO_PASSWORD
    from dvflow.services.cases import list_filters
    from dvflow.timeutil import TZ

    from .test_login import csrf

    run(app, "demo", "load")
    case = session.scalar(select(Case).where(Case.subject.like("Kiến nghị lắp đèn chiếu sáng%")))
    first = app.config["NOW"]().astimezone(TZ).date().replace(day=1)
    assert case.closed_on < first <= local_date(case.closed_at)
    last_month = (first - timedelta(days=1)).replace(day=1)
    filters, errors = list_filters.parse({"xong_tu": last_month.isoformat(),
                                          "xong_den": (first - timedelta(days=1)).isoformat()})
    assert errors == [] and case.id in session.scalars(filters.apply(session, select(Case.id), app.config["NOW"]()))
    clock = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "reply"))
    assert clock.closed_on < local_date(clock.closed_at)
    client.post("/dang-nhap", data={"username": "canboxa", "password": DEMO_PASSWORD, "csrf_token": csrf(client)})
    page = client.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert f"đã dừng ngày {clock.closed_on:%d/%m/%Y}" in page
