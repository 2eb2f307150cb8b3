"""Each page renders for the right roles; visibility, CSRF and role checks hold through the web."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dvflow.models import Case, CaseEvent
from dvflow.services.cases.intake import PartyInput

from .helpers import make_case


@pytest.mark.parametrize("username", ["reception", "handler", "head", "supervisor", "admin", "other_head"])
def test_home_and_queues_render(login, org, username):
    b = login(username)
    assert b.get("/trang-chu").status_code == 200
    for queue in ("mine", "unit", "due", "approval"):
        assert b.get(f"/ho-so?hang={queue}").status_code == 200


@pytest.mark.parametrize("username", ["reception", "handler", "head"])
def test_reception_pages_render(login, org, username):
    b = login(username)
    assert b.get("/tiep-nhan/moi").status_code == 200
    assert b.get("/tiep-nhan/so").status_code == 200
    assert b.post("/tiep-nhan/trung-lap", {"subject": "dat"}, token_from="/tiep-nhan/moi").status_code == 200


def test_case_page_renders_with_clock_explanation_and_diagram(app, session, login, org):
    case = make_case(app, session, org)
    for who in ("reception", "handler", "head", "supervisor"):
        html = login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert case.tracking_code in html and "<svg" in html and "Nguyễn Văn An" in html
    html = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Thụ lý" in html or "thụ lý" in html
    assert "Giao xử lý" in html


def test_other_units_case_is_404(app, session, login, org):
    case = make_case(app, session, org)
    b = login("other_head")
    assert b.get(f"/ho-so/{case.id}").status_code == 404
    assert b.get(f"/tiep-nhan/{case.id}/phieu-hen").status_code == 404
    found = b.post("/ho-so", {"q": case.tracking_code}, token_from="/ho-so").get_data(as_text=True)
    assert f"/ho-so/{case.id}\"" not in found
    resp = b.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_number": "1", "decision_date": "2026-11-25"})
    assert resp.status_code == 404


def test_post_without_csrf_is_400_and_changes_nothing(app, session, login, org):
    case = make_case(app, session, org)
    b = login("head")
    resp = b.client.post(f"/ho-so/{case.id}/thao-tac/accept",
                         data={"decision_number": "1", "decision_date": "2026-11-25", "version": case.version})
    assert resp.status_code == 400
    session.expire_all()
    assert session.get(Case, case.id).state == case.state
    assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)) == 1


def test_handler_cannot_fire_head_only_action(app, session, login, org):
    case = make_case(app, session, org)
    state = case.state
    b = login("handler")
    assert "decision_number" not in b.get(f"/ho-so/{case.id}").get_data(as_text=True)
    resp = b.post(f"/ho-so/{case.id}/thao-tac/accept",
                  {"decision_number": "1", "decision_date": "2026-11-25", "version": case.version})
    assert resp.status_code == 403
    assert "danger" in resp.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).state == state
    assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)) == 1


def test_supervisor_sees_every_case_but_cannot_act(app, session, login, org):
    mine = make_case(app, session, org)
    other = make_case(app, session, org, unit="other", user="other_head", subject="Phản ánh bệnh viện")
    b = login("supervisor")
    listing = b.get("/ho-so").get_data(as_text=True)
    assert mine.tracking_code in listing and other.tracking_code in listing
    html = b.get(f"/ho-so/{other.id}").get_data(as_text=True)
    assert "/thao-tac/" not in html and "giao-viec" not in html
    resp = b.post(f"/ho-so/{mine.id}/thao-tac/accept",
                  {"decision_number": "1", "decision_date": "2026-11-25", "version": mine.version})
    assert resp.status_code == 403
    assert b.post(f"/ho-so/{mine.id}/giao-viec", {"assignee_id": org["users"]["handler"].id}).status_code == 302
    session.expire_all()
    assert session.get(Case, mine.id).state == mine.state and session.get(Case, mine.id).assignee_id is None


def test_search_without_accents(app, session, login, org):
    found = make_case(app, session, org, subject="Đề nghị cấp giấy chứng nhận")
    make_case(app, session, org, subject="Tranh chấp ranh giới",
              parties=[PartyInput(role="complainant", name="Trần Thị Bình")])
    b = login("head")
    def search(q: str) -> str:
        return b.post("/ho-so", {"q": q}, token_from="/ho-so").get_data(as_text=True)

    html = search("nguyen")
    assert found.tracking_code in html and "Trần Thị Bình" not in html and "Tranh chấp" not in html
    html = search("giay chung nhan")
    assert found.tracking_code in html and "Tranh chấp" not in html
    assert found.tracking_code in search(found.tracking_code.lower())


def test_admin_pages_for_admin_only(app, session, login, org):
    admin = login("admin")
    for url in ("/quan-tri/lich", "/quan-tri/don-vi", "/quan-tri/nguoi-dung"):
        assert admin.get(url).status_code == 200
        assert login("head").get(url).status_code == 403
    resp = admin.post("/quan-tri/lich", {"day": "2026-12-31", "kind": "off", "note": "Nghỉ bù"},
                      token_from="/quan-tri/lich")
    assert resp.status_code == 302
    assert "31/12/2026" in admin.get("/quan-tri/lich?nam=2026").get_data(as_text=True)
    resp = admin.post("/quan-tri/nguoi-dung", {"username": "moi", "password": "ngan", "unit_code": "STNMT",
                                               "role": "handler"}, token_from="/quan-tri/nguoi-dung")
    assert resp.status_code == 400 and "12 ký tự" in resp.get_data(as_text=True)
    resp = admin.post("/quan-tri/nguoi-dung", {"username": "moi", "password": "so-tay-can-bo-9", "unit_code": "STNMT",
                                               "role": "handler", "full_name": "Cán bộ mới"},
                      token_from="/quan-tri/nguoi-dung")
    assert resp.status_code == 302
    resp = admin.post("/quan-tri/don-vi", {"code": "XA1", "name": "Xã Một", "level": "commune",
                                           "parent_code": "TINH"}, token_from="/quan-tri/don-vi")
    assert resp.status_code == 302 and "Xã Một" in admin.get("/quan-tri/don-vi").get_data(as_text=True)


def test_a_choice_that_decides_an_outcome_starts_empty(app, session, login, org):
    from dvflow.services.cases.intake import PartyInput

    case = make_case(app, session, org, kind="triage", subject="Đơn thư cần phân loại",
                     parties=[PartyInput(role="petitioner", name="Phan Văn Đơn")])
    html = login("handler").get(f"/ho-so/{case.id}").get_data(as_text=True)
    select = html[html.index('id="classify-content_type"'):]
    select = select[:select.index("</select>")]
    assert '<option value="" selected>— Chọn —</option>' in select
    assert select.count("selected") == 1  # no content type is chosen for the officer


def test_the_case_page_says_when_the_complainant_is_in_a_remote_area(app, session, login, org):
    """The flag lengthens the limits (Luật Khiếu nại 2011, Điều 28, 33, 37, 44): the page shows it, as complexity."""
    case = make_case(app, session, org)
    tag = '<span class="tag">Vùng sâu, vùng xa</span>'
    assert tag not in login("handler").get(f"/ho-so/{case.id}").get_data(as_text=True)
    case.remote_area = True
    session.flush()
    assert tag in login("handler").get(f"/ho-so/{case.id}").get_data(as_text=True)
