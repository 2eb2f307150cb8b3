"""A refusal is its Vietnamese template and its values, not a finished text: `str()` is the Vietnamese the API and
the logs show, and a page translates the template and shows a workflow label in its own language."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dvflow.engine.message import Label, Msg
from dvflow.engine.types import Actor, CaseView, Rejection
from dvflow.engine.workflow import fire, load_all

KN = load_all(Path(__file__).resolve().parents[2] / "workflows").get("complaint_first")
NOW = datetime(2026, 8, 3, 2, 0, tzinfo=timezone.utc)  # 03/08/2026 in Hanoi
HANDLER = Actor(2, frozenset({"handler"}))
HEAD = Actor(1, frozenset({"head"}), is_head=True)


def _case(**facts) -> CaseView:
    return CaseView(kind="complaint_first", state="received", status="open", received_on=date(2026, 7, 20),
                    facts={"party_roles": ["complainant"], **facts})


def test_a_refusal_keeps_its_template_and_values_apart():
    r = fire(KN, _case(), "accept", HANDLER, {}, NOW)
    assert isinstance(r, Rejection) and r.code == "role" and isinstance(r.message, Msg)
    assert str(r.message) == r.text == "Vai trò của bạn không được thực hiện «Thụ lý»"
    assert r.message.template == "Vai trò của bạn không được thực hiện «%(action)s»"
    assert r.message.params == {"action": Label("Thụ lý", "Accept")}


def test_a_date_refusal_names_the_field_by_its_label_and_the_dates_as_written():
    r = fire(KN, _case(), "accept", HEAD, {"decision_number": "1/TB", "decision_date": "2026-08-10"}, NOW)
    assert r.code == "date" and r.field == "decision_date"
    assert r.text == "Ngày thụ lý (10/08/2026) không được sau ngày hiện tại (03/08/2026)"
    assert r.message.params == {"label": Label("Ngày thụ lý", "Acceptance date"), "date": "10/08/2026",
                                "today": "03/08/2026"}


def test_a_guards_reason_is_a_message_too():
    r = fire(KN, _case(party_roles=[]), "accept", HEAD, {"decision_number": "1/TB", "decision_date": "2026-08-01"},
             NOW)
    assert r.code == "guard" and r.text == "Hồ sơ chưa có thông tin người khiếu nại"
    assert r.message.template == "Hồ sơ chưa có thông tin %(role)s"
    assert r.message.params["role"] == Msg("người khiếu nại")


def test_a_disabled_action_carries_its_reason_as_a_message_for_the_page():
    """The case page shows why a button is disabled in its own language (`reason_msg`, through `said`); the API keeps
    the Vietnamese text (`reason`)."""
    from dvflow.engine.workflow.runtime import available_actions

    [accept] = [a for a in available_actions(KN, _case(party_roles=[]), HEAD) if a.trigger == "accept"]
    assert not accept.allowed and isinstance(accept.reason_msg, Msg) and accept.reason == str(accept.reason_msg)
