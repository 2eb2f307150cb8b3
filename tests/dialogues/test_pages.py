"""The dialogue pages: planning a conference through the form, the list, and the compliance page that heads see over
their subtree and supervisors (the Fatherland Front, the inspectorate) see read-only everywhere."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from dvflow.models import Case

from .conftest import hold, plan

FORM = {"planned_on": "2026-12-18", "place": "Hội trường UBND xã", "topics": "Nông thôn mới\nĐất đai",
        "front_coorganiser": "Bà Võ Thị Hoa"}


def _now(app):
    return app.config["NOW"]()


def _row(html: str, code: str) -> dict:
    match = re.search(rf'data-unit="{code}" data-held="(\d+)" data-missing="(\d+)"', html)
    assert match, f"no row for {code}"
    return {"held": int(match.group(1)), "missing": int(match.group(2))}


def test_a_commune_plans_a_conference_through_the_form(app, session, login, communes):
    handler = login("a_handler")
    page = handler.get("/doi-thoai/hoi-nghi-moi").get_data(as_text=True)
    assert "UBND xã An Bình" in page and "UBND xã Bình Minh" not in page  # only its own commune
    resp = handler.post("/doi-thoai/hoi-nghi-moi", {**FORM, "unit_id": communes["xa_a"].id})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    case = session.scalars(select(Case).where(Case.kind == "dialogue")).one()
    assert case.state == "planned" and case.facts["planned_on"] == "2026-12-18"
    assert resp.headers["Location"].endswith(f"/ho-so/{case.id}")
    listing = handler.get("/doi-thoai?nam=2026").get_data(as_text=True)
    assert case.tracking_code in listing and "18/12/2026" in listing


def test_a_wrong_form_names_the_field_and_writes_nothing(app, session, login, communes):
    handler = login("a_handler")
    for data, words in (({**FORM, "front_coorganiser": ""}, "Mặt trận Tổ quốc"),
                        ({**FORM, "planned_on": "18/12/2026"}, "Ngày dự kiến tổ chức không hợp lệ"),
                        ({**FORM, "unit_id": communes["xa_b"].id}, "")):
        data.setdefault("unit_id", communes["xa_a"].id)
        resp = handler.post("/doi-thoai/hoi-nghi-moi", data)
        assert resp.status_code in (400, 403), resp.status_code
        assert words in resp.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_compliance_over_the_subtree_and_read_only_for_supervisors(app, session, login, communes):
    workflows = app.extensions["dvflow.workflows"]
    done = plan(session, workflows, communes, on=date(2026, 11, 20), now=_now(app))
    hold(session, workflows, communes, done, held_on=date(2026, 11, 20), now=_now(app))
    plan(session, workflows, communes, unit="xa_b", user="b_handler", on=date(2026, 12, 20), now=_now(app))
    session.flush()

    chair = login("chair").get("/doi-thoai/tuan-thu?nam=2026").get_data(as_text=True)
    assert _row(chair, "XA-AB") == {"held": 1, "missing": 0} and _row(chair, "XA-BM") == {"held": 0, "missing": 1}
    assert "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32" in chair and "SO-D" not in chair

    a_head = login("a_head").get("/doi-thoai/tuan-thu?nam=2026").get_data(as_text=True)
    assert _row(a_head, "XA-AB")["held"] == 1 and "XA-BM" not in a_head

    inspector = login("inspector")
    page = inspector.get("/doi-thoai/tuan-thu?nam=2026").get_data(as_text=True)
    assert _row(page, "XA-BM")["missing"] == 1 and _row(page, "XA-AB")["held"] == 1
    assert inspector.get("/doi-thoai/hoi-nghi-moi").status_code == 403
    case_page = inspector.get(f"/ho-so/{done.id}").get_data(as_text=True)
    assert done.tracking_code in case_page
    assert f"/ho-so/{done.id}/thao-tac/" not in case_page  # no action for a read-only supervisor
    head_page = login("a_head").get(f"/ho-so/{done.id}").get_data(as_text=True)
    assert 'class="action' in head_page and "Kết thúc hội nghị" in head_page

    assert login("a_handler").get("/doi-thoai/tuan-thu").status_code == 403
    last_year = login("chair").get("/doi-thoai/tuan-thu?nam=2025").get_data(as_text=True)
    assert _row(last_year, "XA-AB") == {"held": 0, "missing": 1}


def test_the_nav_links_to_the_dialogues(app, login, communes):
    html = login("a_handler").get("/doi-thoai").get_data(as_text=True)
    assert 'href="/doi-thoai"' in html and "Hội nghị đối thoại ở cơ sở" in html


def test_the_demo_has_a_dialogue_held_a_conference_held_and_a_commune_without_one(app, session):
    from dvflow.cli.demo_data import load_demo
    from dvflow.services.dialogues import compliance, rules
    from dvflow.timeutil import local_date

    now = app.config["NOW"]()
    assert load_demo(session, app.extensions["dvflow.workflows"], now)
    complaint = session.scalars(select(Case).where(Case.subject.like("%làm đường giao thông thôn 1%"))).one()
    assert complaint.state == "dialogue_held" and complaint.facts["attendance"] == "present"
    summary = compliance.per_commune(session, None, local_date(now).year, rules.load(app.config["WORKFLOWS_DIR"]))
    by_code = {r.unit.code: r for r in summary.rows}
    assert by_code["XA-BINHMINH"].compliant and len(by_code["XA-BINHMINH"].held) == 1
    assert by_code["XA-SONCAO"].missing == 1
    from dvflow.services import commitments

    [promise] = commitments.of_case(session, complaint.id)
    assert promise.source == "dialogue" and "thửa đất số 48" in session.get(Case, promise.case_id).subject
    [lights] = commitments.of_case(session, by_code["XA-BINHMINH"].held[0].id)
    assert lights.source == "conference"


def test_the_commitments_panel_of_a_complaint(app, session, login, communes):
    from .conftest import complaint_after_dialogue

    case = complaint_after_dialogue(session, app.extensions["dvflow.workflows"], communes, _now(app))
    session.flush()
    head = login("a_head")
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert 'id="cam-ket"' in page and "Cam kết khi đối thoại" in page and 'name="days"' in page
    bad = head.post(f"/ho-so/{case.id}/cam-ket", {"description": "Cấp lại giấy phép", "unit_id": communes["xa_a"].id,
                                                  "days": "0"})
    assert bad.status_code == 400 and "Thời hạn thực hiện từ 1 đến 365 ngày" in bad.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case).where(Case.kind == "follow_up")) == 0
    ok = head.post(f"/ho-so/{case.id}/cam-ket", {"description": "Cấp lại giấy phép", "unit_id": communes["xa_a"].id,
                                                 "days": "10", "promised_by": "Chủ tịch UBND xã"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/ho-so/{case.id}#cam-ket")
    follow = session.scalars(select(Case).where(Case.kind == "follow_up")).one()
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    panel = page[page.index('id="cam-ket"'):]
    # 10 days from the dialogue (Friday 20/11/2026, five days before it was recorded) end on Monday 30/11
    assert f'href="/ho-so/{follow.id}"' in panel and "Cấp lại giấy phép" in panel and "30/11/2026" in panel
    assert "Chủ tịch UBND xã" in panel and 'data-state="assigned"' in panel
    inspector = login("inspector").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert follow.tracking_code in inspector and 'name="days"' not in inspector  # read-only


def test_the_compliance_page_in_english(app, session, login, communes):
    chair = login("chair")
    chair.get("/ngon-ngu/en")
    html = chair.get("/doi-thoai/tuan-thu?nam=2026").get_data(as_text=True)
    assert "Dialogue conferences held, by commune" in html and "Not met" in html and "Required" in html
    assert "Chưa đạt" not in html and "Phải tổ chức" not in html


@pytest.mark.parametrize("field", ["place", "topics", "front_coorganiser"])
def test_the_conference_form_refuses_a_nul_naming_the_field(app, session, login, communes, field):
    """PostgreSQL text cannot hold NUL: refused by the pages' request boundary (a 500 on PostgreSQL before)."""
    resp = login("a_handler").post("/doi-thoai/hoi-nghi-moi", {**FORM, "unit_id": communes["xa_a"].id, field: "a\x00b"})
    text = html.unescape(resp.get_data(as_text=True))
    assert resp.status_code == 400 and f"“{field}” không được chứa ký tự NUL" in text
    assert session.scalars(select(Case).where(Case.kind == "dialogue")).first() is None
