"""The case page shows the complainant's windows (information clocks) with their meaning, apart from the body's
time limits and never as overdue; and the first-instance dialogue rule (LKN Art 30(1)) as a disabled action."""
from __future__ import annotations

from dvflow.services import cases

from .helpers import make_case
from .test_flow import fire


def test_the_limitation_window_is_shown_with_its_meaning(app, session, login, org):
    handler = login("handler")
    case = make_case(app, session, org)
    case.assignee_id = org["users"]["handler"].id
    session.flush()
    resp = fire(handler, case.id, "record_known_date", {"known_on": "2026-08-26"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    html = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    section = html[html.index('id="windows"'):]
    # 90 days from 26/08/2026 end on 24/11 (Vietnamese Culture Day): the window runs to the next working day
    assert "Thời hiệu khiếu nại" in section and "25/11/2026" in section
    assert "không bị tính quá hạn" in section and "Luật Khiếu nại 2011, Điều 9" in section
    assert "quá hạn 0" not in section and 'class="overdue"' not in section


def test_drafting_waits_for_the_dialogue_when_the_verification_differs(app, session, login, org):
    handler, u = login("handler"), org["users"]
    case = make_case(app, session, org)
    workflows, now = app.extensions["dvflow.workflows"], app.config["NOW"]()
    cases.perform(session, workflows, u["head"], case.id, "accept", {"decision_number": "1", "decision_date":
                                                                    "2026-11-25"}, now)
    cases.perform(session, workflows, u["head"], case.id, "verify", {"verifier": "Tổ xác minh"}, now)
    case.assignee_id = u["handler"].id
    session.flush()
    resp = fire(handler, case.id, "verification_report", {"report_date": "2026-11-25", "summary": "Còn khác nhau",
                                                          "request_differs": "true"})
    assert resp.status_code == 302
    html = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "phải tổ chức đối thoại trước khi dự thảo" in html  # the refused action shows why
