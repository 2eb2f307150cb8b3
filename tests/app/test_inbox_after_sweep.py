"""`sweep --at` on the demo data puts reminders, overdue alerts and escalations in the right users' inboxes."""
from __future__ import annotations

import re

from sqlalchemy import select

from dvflow.cli.demo_data import DEMO_PASSWORD
from dvflow.models import EscalationRecord, Notification, User


def login(client, username):
    page = client.get("/dang-nhap").get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    token = re.search(r'value="([^"]+)"', tag).group(1)
    assert client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD,
                                           "csrf_token": token}).status_code == 302


def test_sweep_at_fills_the_inboxes(app, client, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["dvflow", "demo", "load"]).exit_code == 0
    result = runner.invoke(args=["dvflow", "sweep", "--at", "2026-11-26T08:00"])
    assert result.exit_code == 0, result.output
    assert session.scalars(select(EscalationRecord)).all()
    head = session.scalar(select(User).where(User.username == "truongso"))
    overdue = session.scalars(select(Notification).where(Notification.user_id == head.id,
                                                         Notification.channel == "inbox",
                                                         Notification.template == "clock_overdue")).all()
    assert overdue, "the unit head is told about the overdue complaint"
    supervisor = session.scalar(select(User).where(User.username == "giamsat"))
    escalated = session.scalars(select(Notification).where(Notification.user_id == supervisor.id,
                                                           Notification.template == "clock_escalated")).all()
    assert escalated, "the supervisors hear of the escalation"
    other = session.scalar(select(User).where(User.username == "chutichsoncao"))
    assert not session.scalars(select(Notification).where(Notification.user_id == other.id)).all()

    login(client, "truongso")
    page = client.get("/hop-thu").get_data(as_text=True)
    assert "Quá hạn" in page and overdue[0].subject in page
    token = re.search(r'value="([^"]+)"', re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)).group(1)
    assert client.post(f"/hop-thu/{overdue[0].id}/da-doc", data={"csrf_token": token}).status_code == 302
    # where it goes next: a path on this site only (a form's `next` is the client's word)
    targets = (("/ho-so/1", "/ho-so/1"), ("https://evil.example/", "/hop-thu"), ("//evil.example", "/hop-thu"))
    for target, expected in targets:
        r = client.post(f"/hop-thu/{overdue[0].id}/da-doc", data={"csrf_token": token, "next": target})
        assert r.headers["Location"].endswith(expected), target
    session.expire_all()
    assert session.get(Notification, overdue[0].id).read_at is not None
