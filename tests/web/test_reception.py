"""Registering through the intake form, the receipt, duplicate suggestions and the reception log."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dvflow.models import Case, Party
from dvflow.services.cases import tracking

from .helpers import make_case


def intake_form(org, **kw) -> dict:
    # many tests register alike cases of one citizen: each confirms it is not a mistaken repeat (the duplicate check
    # has its own tests, which drop this)
    data = {"confirm_duplicate": "1", "kind": "complaint_first", "unit_id": org["dept"].id, "channel": "walk_in",
            "received_date": "2026-11-25", "received_time": "08:30", "subject": "Khiếu nại bồi thường đất",
            "content": "Nội dung chi tiết", "party-0-role": "complainant", "party-0-name": "Nguyễn Thị Hoa",
            "party-0-identity": "001190000777", "party-0-address": "Phường Ba Đình"}
    data.update(kw)
    return data


def test_register_through_form_shows_receipt(session, login, org):
    b = login("reception")
    resp = b.post("/tiep-nhan/moi", intake_form(org), token_from="/tiep-nhan/moi")
    assert resp.status_code == 302 and "/phieu-hen" in resp.location
    case = session.scalar(select(Case).where(Case.subject == "Khiếu nại bồi thường đất"))
    assert case is not None and case.parties[0].party.name == "Nguyễn Thị Hoa"
    html = b.get(resp.location).get_data(as_text=True)
    secret = re.search(r'Mã bí mật</dt><dd><strong class="code">([A-Z0-9]{6})<', html).group(1)
    assert case.tracking_code in html and "25/11/2026" in html
    assert "/tra-cuu" in html and "PHIẾU HẸN" in html
    assert tracking.secret_matches(case.tracking_secret_hash, secret)  # the secret shown is the one stored hashed


def test_bad_input_rerenders_with_values_and_writes_nothing(session, login, org):
    b = login("reception")
    resp = b.post("/tiep-nhan/moi", intake_form(org, received_date="2026-12-30"), token_from="/tiep-nhan/moi")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "sau thời điểm hiện tại" in html and "Nguyễn Thị Hoa" in html and "Khiếu nại bồi thường đất" in html
    assert session.scalars(select(Case)).all() == []


def test_reception_of_another_unit_is_refused(session, login, org):
    b = login("other_head")
    resp = b.post("/tiep-nhan/moi", intake_form(org), token_from="/tiep-nhan/moi")
    assert resp.status_code == 403
    assert session.scalars(select(Case)).all() == []


def test_duplicates_by_identity_and_subject(app, session, login, org):
    case = make_case(app, session, org, subject="Khiếu nại thu hồi đất nông nghiệp")
    make_case(app, session, org, unit="other", user="other_head", subject="Khiếu nại thu hồi đất rừng")
    b = login("reception")
    by_id = b.post("/tiep-nhan/trung-lap", {"identity": "001086000123"}, token_from="/tiep-nhan/moi").get_json()
    assert [c["tracking_code"] for c in by_id] == [case.tracking_code]
    by_subject = b.post("/tiep-nhan/trung-lap", {"subject": "thu hoi dat"}, token_from="/tiep-nhan/moi").get_json()
    assert [c["tracking_code"] for c in by_subject] == [case.tracking_code]  # the other unit's case is not visible
    assert b.post("/tiep-nhan/trung-lap", {"subject": "", "identity": ""}, token_from="/tiep-nhan/moi").get_json() == []


def test_reception_log_lists_the_month(app, session, login, org):
    case = make_case(app, session, org)
    b = login("reception")
    html = b.get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)
    assert case.tracking_code in html and "Nguyễn Văn An" in html and "001086000123" in html and ">KN<" in html
    assert case.tracking_code not in b.get("/tiep-nhan/so?thang=2026-10").get_data(as_text=True)


def test_the_form_carries_a_one_time_token_and_sending_it_twice_registers_one_case(session, login, org):
    import re

    b = login("reception")
    html = b.get("/tiep-nhan/moi").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', html).group(1)
    assert token not in b.get("/tiep-nhan/moi").get_data(as_text=True)  # each form its own token
    first = b.post("/tiep-nhan/moi", intake_form(org, form_token=token), token_from="/tiep-nhan/moi")
    again = b.post("/tiep-nhan/moi", intake_form(org, form_token=token), token_from="/tiep-nhan/moi",
                   follow_redirects=True)
    cases = session.scalars(select(Case).where(Case.subject == "Khiếu nại bồi thường đất")).all()
    assert first.status_code == 302 and len(cases) == 1
    assert again.status_code == 200 and "đã được tiếp nhận từ lần gửi trước" in again.get_data(as_text=True)
    assert cases[0].tracking_code in again.get_data(as_text=True)  # the receipt of the first submission


def test_a_refused_form_keeps_its_token_and_can_then_be_sent(session, login, org):
    b = login("reception")
    bad = b.post("/tiep-nhan/moi", intake_form(org, form_token="f" * 32, received_date="2026-12-30"),
                 token_from="/tiep-nhan/moi")
    assert bad.status_code == 400 and 'value="' + "f" * 32 + '"' in bad.get_data(as_text=True)
    good = b.post("/tiep-nhan/moi", intake_form(org, form_token="f" * 32), token_from="/tiep-nhan/moi")
    assert good.status_code == 302 and len(session.scalars(select(Case)).all()) == 1


@pytest.mark.parametrize("override, message", [
    ({"party-0-identity": "0" * 66}, "Số giấy tờ tùy thân của đương sự thứ 1 quá dài (tối đa 40 ký tự)."),
    ({"subject": "Khiếu nại " + "x" * 600}, "Trích yếu quá dài (tối đa 500 ký tự)."),
    ({"party-0-name": "Nguyễn " + "x" * 300}, "Họ tên của đương sự thứ 1 quá dài (tối đa 255 ký tự)."),
    ({"party-0-phone": "09-abc-12345"}, "Số điện thoại của đương sự thứ 1 không hợp lệ"),
    ({"party-0-identity": "001-190-000777"}, "Số giấy tờ tùy thân của đương sự thứ 1 chỉ được gồm chữ cái và chữ số."),
    ({"party-0-name": ""}, "Hồ sơ khiếu nại lần đầu cần ít nhất một người khiếu nại."),
    ({"party-0-role": "respondent"}, "Hồ sơ khiếu nại lần đầu cần ít nhất một người khiếu nại."),
])
def test_refused_input_answers_400_with_the_message_and_writes_nothing(session, login, org, override, message):
    # a 66-character identity number used to be a raw 500 on PostgreSQL (and stored whole on SQLite)
    resp = login("reception").post("/tiep-nhan/moi", intake_form(org, **override), token_from="/tiep-nhan/moi")
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert session.scalars(select(Case)).all() == [] and session.scalars(select(Party)).all() == []


def test_a_refusal_on_the_english_page_is_translated_with_its_values(session, login, org):
    """The service's template, its field's name and the party's noun are translated, then filled with the number
    and the limit: the whole chain from ServiceError(template, **values) to the page (i18n.said)."""
    b = login("reception")
    b.get("/ngon-ngu/en")
    resp = b.post("/tiep-nhan/moi", intake_form(org, **{"party-0-name": "Nguyễn " + "x" * 300}),
                  token_from="/tiep-nhan/moi")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Full name of party 1 is too long (at most 255 characters)." in html
    assert "quá dài" not in html and session.scalars(select(Case)).all() == []


def test_anonymous_tip_needs_no_party(session, login, org):
    form = intake_form(org, kind="anonymous_tip", subject="Tin báo nặc danh", **{"party-0-name": ""})
    resp = login("reception").post("/tiep-nhan/moi", form, token_from="/tiep-nhan/moi")
    assert resp.status_code == 302
    assert session.scalar(select(Case).where(Case.subject == "Tin báo nặc danh")).parties == []


def test_a_supervisor_gets_403_on_the_intake_pages(session, login, org):
    b = login("supervisor")
    assert b.get("/tiep-nhan/moi").status_code == 403
    assert b.post("/tiep-nhan/trung-lap", {"identity": "001190000777"}).status_code == 403
    resp = b.post("/tiep-nhan/moi", intake_form(org), token_from="/trang-chu")
    assert resp.status_code == 403 and session.scalars(select(Case)).all() == []
    assert login("reception").get("/tiep-nhan/moi").status_code == 200


def test_a_received_date_more_than_30_days_back_asks_for_confirmation(session, login, org):
    b = login("reception")  # today is 25/11/2026 in these tests
    asked = b.post("/tiep-nhan/moi", intake_form(org, received_date="2026-10-20"), token_from="/tiep-nhan/moi")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 400 and "Ngày tiếp nhận 20/10/2026 đã cách đây 36 ngày" in html
    assert 'name="confirm_old_date"' in html and session.scalars(select(Case)).all() == []
    confirmed = b.post("/tiep-nhan/moi", intake_form(org, received_date="2026-10-20", confirm_old_date="1"),
                       token_from="/tiep-nhan/moi")
    assert confirmed.status_code == 302
    recent = b.post("/tiep-nhan/moi", intake_form(org, received_date="2026-10-26", subject="Đơn mới hơn"),
                    token_from="/tiep-nhan/moi")  # 30 days: no question
    assert recent.status_code == 302 and len(session.scalars(select(Case)).all()) == 2
    assert 'name="confirm_old_date"' not in b.get("/tiep-nhan/moi").get_data(as_text=True)
