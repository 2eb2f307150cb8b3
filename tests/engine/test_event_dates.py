"""The day the denouncer was told of the forwarding (Luật Tố cáo 2018, Điều 24 khoản 2: forward and tell the
denouncer within 5 working days of receipt) is a date of the case: never before its receipt, never in the future."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from dvflow.engine.types import Actor, CaseView, ClockView, Outcome, Rejection
from dvflow.engine.workflow import fire, load_all, load_text

TC = load_all(Path(__file__).resolve().parents[2] / "workflows").get("denunciation")
HEAD = Actor(1, frozenset({"head"}), is_head=True)
NOW = datetime(2026, 12, 6, 2, tzinfo=timezone.utc)  # 06/12/2026
CASE = CaseView(kind="denunciation", state="not_competent", status="open", received_on=date(2026, 11, 2),
                last_event_on=date(2026, 11, 3), facts={"party_roles": ["denouncer"]},
                clocks={"forward": ClockView("forward", "running", date(2026, 11, 2), due_on=date(2026, 11, 9))})


def forward(notified: str) -> Outcome | Rejection:
    return fire(TC, CASE, "forward", HEAD, {"to_body": "UBND tỉnh", "forwarded_on": "2026-11-05",
                                            "denouncer_notified_on": notified}, NOW)


@pytest.mark.parametrize("notified, says", [("2026-10-01", "trước ngày tiếp nhận hồ sơ (02/11/2026)"),
                                            ("2027-03-01", "sau ngày hiện tại (06/12/2026)")])
def test_a_notice_date_before_receipt_or_in_the_future_is_refused(notified, says):
    refused = forward(notified)
    assert isinstance(refused, Rejection) and refused.code == "date"
    assert refused.field == "denouncer_notified_on" and says in refused.text


@pytest.mark.parametrize("notified", ["2026-11-02", "2026-11-04", "2026-12-06"])
def test_a_notice_date_from_receipt_to_today_is_taken(notified):
    o = forward(notified)
    assert isinstance(o, Outcome), o
    assert ("stop", "forward") in [(x.op, x.clock) for x in o.clock_ops]


def test_an_event_date_must_be_a_date_field_other_than_the_legal_date():
    text = (Path(__file__).resolve().parents[2] / "workflows" / "petition.yaml").read_text(encoding="utf-8")
    bad = text.replace("{type: date, required: true, legal_date: true,",
                       "{type: date, required: true, legal_date: true, event_date: true,", 1)
    assert bad != text
    with pytest.raises(Exception, match="event_date"):
        load_text(bad, "petition.yaml")
