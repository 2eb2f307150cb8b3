"""The action forms carry the date an action took effect (issue #13, item 4)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from dvflow.models import CaseEvent

from .helpers import make_case
from .test_flow import fire

RECEIVED = datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc)
LATE = "Nhập muộn: quyết định giao xác minh ký ngày 14/11"


def accepted(app, session, login, org):
    case = make_case(app, session, org, received=RECEIVED)
    head = login("head")
    resp = fire(head, case.id, "accept", {"decision_date": "2026-11-12"})
    assert resp.status_code == 302
    return case, head


def test_the_form_asks_for_the_effective_date_only_when_the_action_has_no_date_of_its_own(app, session, login, org):
    case, head = accepted(app, session, login, org)
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert 'id="verify-effective_on"' in page and 'id="verify-effective_reason"' in page
    assert "Ngày thực hiện" in page
    assert 'id="suspend-effective_on"' not in page  # suspend has its decision date


def test_late_entry_keeps_the_real_date_and_a_later_report_is_accepted(app, session, login, org):
    case, head = accepted(app, session, login, org)
    resp = fire(head, case.id, "verify", {"verifier": "Tổ 1", "effective_on": "2026-11-14",
                                          "effective_reason": LATE})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    resp = fire(head, case.id, "verification_report", {"report_date": "2026-11-18", "summary": "Đúng một phần"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    dates = dict(session.execute(select(CaseEvent.action, CaseEvent.legal_date)
                                 .where(CaseEvent.case_id == case.id)).all())
    assert dates["verify"].isoformat() == "2026-11-14" and dates["verification_report"].isoformat() == "2026-11-18"
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "14/11/2026" in page and LATE in page


def test_an_earlier_date_without_a_reason_is_refused_on_the_form(app, session, login, org):
    case, head = accepted(app, session, login, org)
    resp = fire(head, case.id, "verify", {"verifier": "Tổ 1", "effective_on": "2026-11-14"})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Lý do ghi ngày thực hiện trước hôm nay" in page and 'value="2026-11-14"' in page
    assert session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id, CaseEvent.action == "verify")) is None
