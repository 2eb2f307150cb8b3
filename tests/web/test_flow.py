"""A complaint from reception to closure, entirely through the web forms."""
from __future__ import annotations

import re

import pytest
from documents.fixtures.template import write_documents_dir
from sqlalchemy import select

from dvflow.models import Case, CaseEvent

from .helpers import make_case


@pytest.fixture(autouse=True)
def document_templates(app, tmp_path):
    """The documents' fixture templates: the issuing actions number their documents (1/TB-STNMT …) whether or not
    the shipped templates are there."""
    app.config["DOCUMENTS_DIR"] = write_documents_dir(tmp_path / "documents")

VERSION_RE = re.compile(r'name="version" value="(\d+)"')


def fire(browser, case_id: int, trigger: str, data: dict):
    page = browser.get(f"/ho-so/{case_id}").get_data(as_text=True)
    assert f"/thao-tac/{trigger}" in page, f"{trigger} not offered"
    version = VERSION_RE.search(page).group(1)
    return browser.post(f"/ho-so/{case_id}/thao-tac/{trigger}", {**data, "version": version},
                        token_from=f"/ho-so/{case_id}")


def test_full_flow_through_forms(app, session, login, org, clock):
    reception, head, handler = login("reception"), login("head"), login("handler")
    resp = reception.post("/tiep-nhan/moi", {
        "kind": "complaint_first", "unit_id": org["dept"].id, "channel": "walk_in", "received_date": "2026-11-25",
        "received_time": "08:00", "subject": "Khiếu nại quyết định thu hồi đất", "party-0-role": "complainant",
        "party-0-name": "Lê Văn Cường"}, token_from="/tiep-nhan/moi")
    assert resp.status_code == 302
    case_id = session.scalar(select(Case.id).where(Case.subject == "Khiếu nại quyết định thu hồi đất"))
    # the head assigns the handler
    resp = head.post(f"/ho-so/{case_id}/giao-viec", {"assignee_id": org["users"]["handler"].id},
                     token_from=f"/ho-so/{case_id}")
    assert resp.status_code == 302
    steps = [
        (head, "accept", {"decision_date": "2026-11-25"}),
        (head, "verify", {"verifier": "Tổ xác minh"}),
        (handler, "verification_report", {"report_date": "2026-11-25", "summary": "Đúng một phần"}),
        (handler, "draft_decision", {}),
        (handler, "submit", {"result": "right", "legal_basis": "Luật Đất đai 2024", "disposition": "cancel_all",
                             "resolution": "Hủy bỏ quyết định thu hồi đất"}),
    ]
    for who, trigger, data in steps:
        clock.advance(minutes=10)
        resp = fire(who, case_id, trigger, data)
        assert resp.status_code == 302, (trigger, resp.get_data(as_text=True)[-3000:])
    # the head sees it awaiting approval
    assert f"/ho-so/{case_id}\"" in head.get("/ho-so?hang=approval").get_data(as_text=True)
    clock.advance(minutes=10)
    assert fire(head, case_id, "approve", {}).status_code == 302
    page = head.get(f"/ho-so/{case_id}").get_data(as_text=True)
    result = re.search(r'<select id="issue_decision-result"[^>]*>\s*<option value="" selected>[^<]*</option>\s*'
                       r'<option value="([^"]+)"', page, re.S).group(1)  # nothing chosen until the head chooses
    clock.advance(minutes=10)
    resp = fire(head, case_id, "issue_decision", {"decision_date": "2026-11-25",
                                                  "result": result})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-3000:]
    clock.advance(minutes=10)
    assert fire(handler, case_id, "send_decision", {"sent_on": "2026-11-25"}).status_code == 302
    session.expire_all()
    case = session.get(Case, case_id)
    assert case.status == "closed" and case.assignee_id == org["users"]["handler"].id
    actions = [e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                                 .order_by(CaseEvent.id))]
    assert actions == ["register", "assign", "accept", "verify", "verification_report", "draft_decision", "submit",
                       "approve", "issue_decision", "send_decision"]
    html = handler.get(f"/ho-so/{case_id}").get_data(as_text=True)
    # the series numbered the notice and the decision (what was typed in the number field does not count)
    assert "Đã kết thúc" in html and "1/TB-STNMT" in html and "05/QĐ" not in html


def test_stale_version_is_refused(app, session, login, org):
    case = make_case(app, session, org)
    b = login("head")
    resp = b.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_date": "2026-11-25",
                                                         "version": case.version + 5}, token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 409 and "người khác thay đổi" in resp.get_data(as_text=True)
    # the typed values are kept in the re-rendered form
    assert 'value="1"' in resp.get_data(as_text=True)


def test_handler_takes_a_case(app, session, login, org):
    case = make_case(app, session, org)
    b = login("handler")
    assert "Nhận xử lý" in b.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert b.post(f"/ho-so/{case.id}/giao-viec", {"assignee_id": org["users"]["handler"].id}).status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).assignee_id == org["users"]["handler"].id
    assert case.tracking_code in b.get("/ho-so?hang=mine").get_data(as_text=True)


def test_history_shows_field_labels_and_readable_values(app, session, login, org):
    from datetime import date, datetime, time

    from dvflow.services import cases
    from dvflow.timeutil import TZ

    case = make_case(app, session, org)
    workflows = app.extensions["dvflow.workflows"]
    cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                       {"decision_number": "77/QĐ", "decision_date": "2026-11-25"},
                       datetime.combine(date(2026, 11, 25), time(15), TZ))
    page = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Ngày thụ lý" in page and "25/11/2026" in page and "decision_date:" not in page
    assert "hoàn thành đúng hạn" in page  # the acceptance clock stopped in time, in words
