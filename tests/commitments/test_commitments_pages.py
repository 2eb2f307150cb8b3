"""The commitments list (/cam-ket) and GET /api/v1/commitments: each follow-up with its source, unit, due date and
state; only the units the user sees; overdue ones flagged."""
from __future__ import annotations

from datetime import time, timedelta

from factories import API_ORG, WEB_ORG, make_org

from dvflow.models import ReceptionSession
from dvflow.services import commitments
from dvflow.services.commitments import CommitmentInput
from tests.web.conftest import Browser


def _task(app, session, org, description, *, days=10, unit="dept", ago=0):
    now = app.config["NOW"]()
    held = ReceptionSession(unit_id=org["province"].id, kind="periodic", mode="in_person",
                            day=(now - timedelta(days=ago)).date(), start_time=time(8), end_time=time(11),
                            place="Trụ sở", status="held", created_at=now)
    session.add(held)
    session.flush()
    data = CommitmentInput(source="reception_conclusion", unit_id=org[unit].id, session_id=held.id, days=days,
                           description=description, start_on=(now - timedelta(days=ago)).date(),
                           promised_by="Chủ tịch UBND tỉnh")
    row = commitments.create(session, app.extensions["dvflow.workflows"], org["users"]["chair"], data, now)
    session.flush()
    return row


def _org(session, spec):
    # the suites' trees, with the province's chair, who gives the tasks
    return make_org(session, **{**spec, "users": (*spec["users"], "chair")})


def test_the_list_shows_each_task_with_its_due_date_and_flags_the_late_one(app, session):
    org = _org(session, WEB_ORG)
    _task(app, session, org, "Trả lời bà Hoa về giấy chứng nhận", days=30)
    _task(app, session, org, "Kiểm tra việc cấp phép xây dựng", days=5, ago=20)
    _task(app, session, org, "Việc của Sở Y tế", unit="other", days=30)
    browser = Browser(app.test_client())
    browser.login("head")  # the department's head: its own unit only
    html = browser.get("/cam-ket").get_data(as_text=True)
    assert "Trả lời bà Hoa về giấy chứng nhận" in html and "Kiểm tra việc cấp phép xây dựng" in html
    assert "Việc của Sở Y tế" not in html
    assert "Thông báo kết luận tiếp công dân" in html and "Đang thực hiện" in html
    late = browser.get("/cam-ket?tinh-trang=overdue").get_data(as_text=True)
    assert "Kiểm tra việc cấp phép xây dựng" in late and "Trả lời bà Hoa" not in late
    assert browser.get("/cam-ket?tinh-trang=bogus&trang=-3").status_code == 200


def test_the_api_lists_the_same_and_refuses_a_bad_filter_by_name(app, session, client):
    org = _org(session, {**API_ORG})
    _task(app, session, org, "Trả lời ông Nam", days=30)
    token = org["tokens"]["head"]
    resp = client.get("/api/v1/commitments", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.get_json()
    [item] = resp.get_json()["items"]
    assert item["description"] == "Trả lời ông Nam" and item["source"] == "reception_conclusion"
    assert item["due_date"] and item["overdue"] is False and item["state"] == "assigned"
    bad = client.get("/api/v1/commitments?status=late", headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 400 and "status" in str(bad.get_json())
    other = client.get("/api/v1/commitments", headers={"Authorization": f"Bearer {org['tokens']['other_head']}"})
    assert other.get_json()["items"] == []
