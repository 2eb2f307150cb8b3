"""Bad input on the pages must be a Vietnamese 400 (or the page with the field named, or a value
treated as absent), never a 500, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import html

import pytest

from .helpers import make_case

NUL = "a\x00b"


def assert_no_500(resp):
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]


def assert_refused_naming(resp, field: str, *words: str):
    """A Vietnamese 400 that names the field (and says what is wrong with it)."""
    text = html.unescape(resp.get_data(as_text=True))
    assert resp.status_code == 400, text[:300]
    assert field in text and all(w in text for w in words), text[:2000]


def assert_nul_refused(resp, field: str):
    assert_refused_naming(resp, field, "không được chứa ký tự NUL")


def post_or_fail(browser, url: str, form: dict, **kw):
    """The page's answer; a test failure (not an error) when the app's own error handler raised, which is what a WSGI
    server turns into its bare 500 (see test_a_failed_flush_still_gets_the_vietnamese_error_page)."""
    try:
        return browser.post(url, form, **kw)
    except Exception as exc:  # noqa: BLE001 - any exception escaping the app is the finding
        pytest.fail(f"{url}: the app's error handler itself raised {exc!r}")


@pytest.mark.parametrize("param", ["kind", "state", "status"])
def test_case_list_filter_with_nul_is_not_a_500(app, session, login, org, param):
    make_case(app, session, org)
    resp = login("head").get("/ho-so", query_string={param: NUL})
    assert_no_500(resp)
    assert resp.status_code == 200  # a query parameter holding NUL is treated as absent, as any bad filter value


@pytest.mark.parametrize("value", [NUL, "a\x07b"], ids=["nul", "bell"])
@pytest.mark.parametrize("param", ["kind", "state", "status"])
def test_case_excel_export_filter_with_a_control_character_is_not_a_500(app, session, login, org, param, value):
    """The filter is written into the sheet's header line (xlsx._sheet): openpyxl refuses control characters
    (IllegalCharacterError) on both backends; PostgreSQL refuses the NUL already in the query."""
    make_case(app, session, org)
    resp = login("head").get("/ho-so/xuat-excel", query_string={param: value})
    assert_no_500(resp)
    # the sheet is written: a parameter holding NUL treated as absent, another control character shown as U+FFFD
    assert resp.status_code == 200 and resp.data[:2] == b"PK"


@pytest.mark.parametrize("url", ["/tiep-nhan/so", "/tiep-nhan/so.xlsx", "/tiep-nhan/lich"])
def test_reception_month_december_of_year_9999_is_not_a_500(app, login, org, url):
    resp = login("head").get(url, query_string={"thang": "9999-12"})
    assert_no_500(resp)
    assert resp.status_code == 200  # a month out of the supported years is treated as absent: this month


def test_reception_compliance_last_day_of_year_9999_is_not_a_500(app, login, org):
    resp = login("head").get("/tiep-nhan/tuan-thu", query_string={"ngay": "9999-12-31"})
    assert_no_500(resp)
    assert_refused_naming(resp, "Ngày", "2000", "2100")


def test_calendar_admin_year_10000_is_not_a_500(app, login, org):
    resp = login("admin").get("/quan-tri/lich", query_string={"nam": "10000"})
    assert_no_500(resp)
    assert resp.status_code == 200  # as a year that is no number: this year's overrides


def test_receipt_reissue_reason_with_nul_is_not_a_500(app, session, login, org):
    case = make_case(app, session, org)
    resp = login("head").post(f"/tiep-nhan/{case.id}/phieu-hen/cap-lai", {"reason": NUL},
                              token_from=f"/tiep-nhan/{case.id}/phieu-hen")
    assert_no_500(resp)
    assert_nul_refused(resp, "reason")


def test_case_search_with_nul_is_not_a_500(app, session, login, org):
    make_case(app, session, org)
    resp = login("head").post("/ho-so", {"q": NUL}, token_from="/ho-so")
    assert_no_500(resp)
    assert_nul_refused(resp, "q")


@pytest.mark.parametrize("value", ["0001-01", "08:00+07:00"])
def test_new_session_time_with_an_offset_is_a_400_naming_the_field(app, login, org, value):

    admin = login("admin")
    form = {"unit_id": org["dept"].id, "kind": "regular", "mode": "in_person", "day": "2026-12-03",
            "start_time": value, "end_time": "11:00", "place": "Phòng tiếp dân", "booking_capacity": "0"}
    resp = admin.post("/tiep-nhan/lich/moi", form, token_from="/tiep-nhan/lich/moi")
    assert_no_500(resp)
    assert resp.status_code == 400 and "Giờ bắt đầu" in resp.get_data(as_text=True)


def test_case_action_reason_with_nul_is_not_a_500(app, session, login, org):
    case = make_case(app, session, org)
    resp = login("reception").post(f"/ho-so/{case.id}/thao-tac/record_known_date",
                                   {"version": case.version, "known_on": "2026-11-25", "effective_on": "2026-11-25",
                                    "effective_reason": NUL}, token_from=f"/ho-so/{case.id}")
    assert_no_500(resp)
    assert_nul_refused(resp, "effective_reason")


def test_login_with_nul_in_the_username_is_not_a_500(app, client, org):
    from .conftest import csrf_from
    token = csrf_from(client.get("/dang-nhap").get_data(as_text=True))
    resp = client.post("/dang-nhap", data={"username": NUL, "password": "x", "csrf_token": token})
    assert_no_500(resp)
    assert_nul_refused(resp, "username")


@pytest.mark.parametrize("field", ["code", "parent_code"])
def test_new_unit_code_with_nul_is_not_a_500(app, login, org, field):
    form = {"code": "XA1", "name": "Xã Một", "parent_code": "TINH", "level": "commune", field: NUL}
    resp = login("admin").post("/quan-tri/don-vi", form, token_from="/quan-tri/don-vi")
    assert_no_500(resp)
    assert_nul_refused(resp, field)


def test_calendar_override_on_the_first_day_of_year_1_is_not_a_500(app, login, org):
    resp = login("admin").post("/quan-tri/lich", {"day": "0001-01-01", "kind": "off", "note": "Nghỉ"},
                               token_from="/quan-tri/lich")
    assert_no_500(resp)
    assert_refused_naming(resp, "Ngày", "từ năm 2000 đến năm 2100")


def test_calendar_override_note_with_nul_is_not_a_500(app, login, org):
    resp = post_or_fail(login("admin"), "/quan-tri/lich", {"day": "2026-12-24", "kind": "off", "note": NUL},
                        token_from="/quan-tri/lich")
    assert_no_500(resp)
    assert_nul_refused(resp, "note")


def _flush_refused(session, _workflows, *, day, **_kw):
    """A use case whose flush the database refuses (created_at is NOT NULL): what a write-time DataError or a broken
    constraint does to the request's session on either backend. (A NUL in the calendar's note, the first way found,
    is now refused before the handler runs, and an overlong note by the service.)"""
    from dvflow.models import CalendarOverride
    session.add(CalendarOverride(day=day, kind="off", note="x", source="ui", created_at=None))
    session.flush()


def test_a_failed_flush_still_gets_the_vietnamese_error_page(app, login, org, monkeypatch):
    """error_pages._unexpected rendered the error page without rolling the request's session back: after a flush
    the database refused, the page's own query (current_user.is_active) raised PendingRollbackError inside the
    error handler, and the client got the server's bare 500 instead of the page."""
    from dvflow.services import deadlines
    monkeypatch.setattr(deadlines, "set_override", _flush_refused)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    admin = login("admin")
    try:
        resp = admin.post("/quan-tri/lich", {"day": "2026-12-24", "kind": "off", "note": "Nghỉ"}, token_from="/quan-tri/lich")
    except Exception as exc:  # noqa: BLE001 - what escapes the app reaches the WSGI server, which answers its own 500
        pytest.fail(f"the app's error handler itself raised {exc!r}")
    assert resp.status_code == 500
    assert "Đã có lỗi hệ thống" in resp.get_data(as_text=True), resp.get_data(as_text=True)[:300]


def test_the_error_page_that_cannot_be_rendered_is_still_a_vietnamese_page(app, login, org, monkeypatch):
    """When the error page itself fails (the database gone: its rollback or its queries raise), a plain page."""
    from dvflow import error_pages
    from dvflow.services import deadlines

    def broken(*_a, **_kw):
        raise RuntimeError("database gone")
    monkeypatch.setattr(deadlines, "set_override", broken)
    monkeypatch.setattr(error_pages, "respond", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = login("admin").post("/quan-tri/lich", {"day": "2026-12-24", "kind": "off"}, token_from="/quan-tri/lich")
    assert resp.status_code == 500
    assert "Đã có lỗi hệ thống" in resp.get_data(as_text=True)


def test_template_upload_file_name_with_nul_is_not_a_500(app, session, login, org):
    import io

    from documents.fixtures.template import template_bytes

    from config import ROOT
    app.config["DOCUMENTS_DIR"] = str(ROOT / "workflows" / "documents")
    admin = login("admin")
    url = f"/van-ban/mau/{org['province'].id}/notice_of_acceptance"
    resp = post_or_fail(admin, url, {"file": (io.BytesIO(template_bytes("{{ doc.year }}")), "mau\x00.docx")},
                        token_from="/van-ban/mau", content_type="multipart/form-data")
    assert_no_500(resp)
    assert_nul_refused(resp, "file")


def test_template_type_with_nul_in_the_address_is_not_a_500(app, login, org):
    from config import ROOT
    app.config["DOCUMENTS_DIR"] = str(ROOT / "workflows" / "documents")
    resp = login("admin").post(f"/van-ban/mau/{org['province'].id}/a%00b", {"remove": "1"}, token_from="/van-ban/mau")
    assert_no_500(resp)
    assert_nul_refused(resp, "URL")


def test_reception_book_month_0001_01_is_not_a_500(app, login, org):
    resp = login("head").get("/tiep-nhan/so", query_string={"thang": "0001-01"})
    assert_no_500(resp)
    assert resp.status_code == 200


def test_reception_compliance_quarter_of_year_9999_is_not_a_500(app, login, org):
    resp = login("head").get("/tiep-nhan/tuan-thu", query_string={"ky": "quarter", "ngay": "9999-12-31"})
    assert_no_500(resp)
    assert_refused_naming(resp, "Ngày", "2000", "2100")


@pytest.mark.parametrize("field", ["ten", "linh_vuc", "ket_qua"])
def test_dan_van_kheo_model_with_nul_is_not_a_500(app, login, org, field):
    form = {"don_vi": org["dept"].id, "nam": "2026", "ten": "Mô hình", "linh_vuc": "Đất đai", "bat_dau": "2026-01-05",
            "ket_qua": "Tốt", field: NUL}
    head = login("head")
    resp = post_or_fail(head, "/bang-dieu-khien/dan-van-kheo", form, token_from="/bang-dieu-khien/dan-van-kheo")
    assert_no_500(resp)
    assert_nul_refused(resp, field)


ADMIN_UNIT = {"code": "XA1", "name": "Xã Một", "parent_code": "TINH", "level": "commune"}
ADMIN_USER = {"username": "moi", "full_name": "Người Mới", "email": "moi@example.test",
              "password": "Mat-khau-dai-123!", "unit_code": "STNMT", "role": "handler"}
ADMIN_FORMS = [  # the admin's forms pass these fields to the account services unchecked (the others are checked)
    ("/quan-tri/don-vi", ADMIN_UNIT, "name"),
    ("/quan-tri/don-vi", ADMIN_UNIT, "address"),
    ("/quan-tri/don-vi/STNMT/lien-he", {"address": "Số 1", "phone": "0241"}, "address"),
    ("/quan-tri/nguoi-dung", ADMIN_USER, "full_name"),
    ("/quan-tri/nguoi-dung", ADMIN_USER, "unit_code"),
    ("/quan-tri/nguoi-dung/{uid}", {"full_name": "Cán bộ", "email": "cb@example.test"}, "full_name"),
    ("/quan-tri/nguoi-dung/{uid}/vai-tro", {"unit_code": "STNMT", "role": "head"}, "unit_code"),
]


@pytest.mark.parametrize("url,form,field", ADMIN_FORMS, ids=[f"{u}:{f}" for u, _, f in ADMIN_FORMS])
def test_admin_forms_with_nul_are_not_a_500(app, login, org, url, form, field):
    url = url.format(uid=org["users"]["handler"].id)
    admin = login("admin")
    resp = post_or_fail(admin, url, {**form, field: NUL}, token_from="/quan-tri/don-vi")
    assert resp.status_code < 500, f"{url} {field}"
    assert_nul_refused(resp, field)


DESK_VISIT = {"citizen_name": "Nguyễn Văn An", "address": "Thôn 3, xã Tân Lập", "identity_number": "001086000123",
              "summary": "Khiếu nại quyết định thu hồi đất", "content_type": "complaint", "people_count": "1",
              "outcome": "guided", "result_note": "Đã giải thích", "guided_to": "UBND xã", "guidance_number": "12/HD"}


@pytest.mark.parametrize("field", ["citizen_name", "address", "summary", "result_note", "guided_to", "guidance_number"])
def test_reception_desk_visit_with_nul_is_not_a_500(session, login, org, field):
    from reception.helpers import make_session
    rs = make_session(session, org["dept"])
    desk = f"/tiep-nhan/phien/{rs.id}"
    head = login("head")
    resp = post_or_fail(head, f"{desk}/luot", {**DESK_VISIT, field: NUL}, token_from=desk)
    assert_no_500(resp)
    assert_nul_refused(resp, field)


@pytest.mark.parametrize("field", ["recording_ref", "delegate_name", "delegation_reason", "notes"])
def test_reception_desk_close_with_nul_is_not_a_500(session, login, org, field):
    from reception.helpers import make_session
    rs = make_session(session, org["dept"])
    desk = f"/tiep-nhan/phien/{rs.id}"
    head = login("head")
    resp = post_or_fail(head, f"{desk}/ket-thuc", {field: NUL}, token_from=desk)
    assert_no_500(resp)
    assert_nul_refused(resp, field)


@pytest.mark.parametrize("field", ["summary", "task-0-description"])
def test_reception_conclusion_with_nul_is_not_a_500(session, login, org, field):
    from reception.helpers import make_official, make_session
    official = make_official(session, org["dept"], title="Giám đốc Sở", position="agency_head")
    rs = make_session(session, org["dept"], kind="periodic", official=official)
    desk = f"/tiep-nhan/phien/{rs.id}"
    head = login("head")
    head.post(f"{desk}/luot", {**DESK_VISIT, "outcome": "answered"}, token_from=desk)
    form = {"summary": "Ghi nhận ý kiến công dân", "task-0-unit_id": str(org["dept"].id),
            "task-0-description": "Rà soát hồ sơ đất", "task-0-days": "10", field: NUL}
    resp = post_or_fail(head, f"{desk}/ket-luan", form, token_from=desk)
    assert_no_500(resp)
    assert_nul_refused(resp, field)


def test_the_citizen_rating_form_refuses_a_nul_naming_the_field(app, session, client, org):
    from .conftest import csrf_from
    case = make_case(app, session, org)
    token = csrf_from(client.get("/tra-cuu").get_data(as_text=True))
    resp = client.post("/tra-cuu/danh-gia", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                                  "score": "4", "comment": NUL, "csrf_token": token})
    assert_nul_refused(resp, "comment")


@pytest.mark.parametrize("url", ["/tai-khoan/xac-thuc-hai-buoc", "/dang-nhap/ma-xac-thuc"])
def test_the_second_factor_forms_refuse_a_nul_naming_the_field(app, login, org, url):
    handler = login("handler")
    resp = post_or_fail(handler, url, {"code": NUL}, token_from="/tai-khoan/xac-thuc-hai-buoc")
    assert_nul_refused(resp, "code")


@pytest.mark.parametrize("field,value,message", [("code", "X" * 41, "Mã đơn vị: tối đa 40 ký tự"),
                                                 ("name", "X" * 256, "Tên đơn vị: tối đa 255 ký tự")])
def test_new_unit_code_or_name_longer_than_its_column_is_a_400_naming_it(app, login, org, field, value, message):
    """The same check as the command's (services.org.accounts): the page's maxlength binds only a browser."""
    resp = login("admin").post("/quan-tri/don-vi", {**ADMIN_UNIT, field: value}, token_from="/quan-tri/don-vi")
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
