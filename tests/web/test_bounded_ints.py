"""Ids and whole numbers beyond the database's INTEGER range (PostgreSQL's int4; on SQLite past 64 bits) are refused
before any query sees them: an id in the path is a 404 (every URL rule's int converter carries the bound), a number
in a form a Vietnamese 400 naming the field, with nothing written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.routing.converters import IntegerConverter

from dvflow.models import CaseEvent, DanVanKheoModel
from dvflow.request import MAX_INT, bounded_int, int_field, int_or_none
from dvflow.services.errors import ServiceError

from .conftest import Browser
from .helpers import make_case

BIG = "99999999999999999999"  # past SQLite's 64 bits
INT4 = str(MAX_INT + 1)  # past PostgreSQL's INTEGER


def test_every_int_converter_carries_the_databases_bound(app):
    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 for conv in rule._converters.values()
                 if isinstance(conv, IntegerConverter) and conv.max != MAX_INT]
    assert unbounded == []
    # the walk does see the web and public pages' rules, not just the API's
    ruled = {rule.rule for rule in app.url_map.iter_rules() if rule._converters}
    assert {"/ho-so/<int:case_id>", "/lich-tiep-cong-dan/<int:session_id>"} <= ruled  # the app's <int:…> is bounded


def test_the_bounded_parsers():
    assert bounded_int(str(MAX_INT)) == MAX_INT and bounded_int("-3") == -3
    for bad in (INT4, BIG, "abc", ""):
        with pytest.raises(ValueError):
            bounded_int(bad)
    assert int_or_none(BIG) is None and int_or_none(" 7 ") == 7 and int_or_none(None) is None
    assert int_field({"n": ""}, "n", "Số", 5) == 5
    with pytest.raises(ServiceError) as err:
        int_field({"n": INT4}, "n", "Số người")
    assert err.value.field == "n" and "Số người" in err.value.message and err.value.status == 400
    with pytest.raises(ServiceError):
        int_field({"n": "-1"}, "n", "Số người", minimum=0)


@pytest.mark.parametrize("big", [BIG, INT4])
def test_an_id_out_of_range_in_the_path_is_a_404(app, login, org, big):
    anonymous = app.test_client()
    assert anonymous.get(f"/lich-tiep-cong-dan/{big}").status_code == 404
    # werkzeug weighs the GET rule's method before the POST rule's converter refuses the id: 405, never a 500
    assert anonymous.post(f"/lich-tiep-cong-dan/{big}", data={"name": "A"}).status_code in (404, 405)
    b = login("head")
    for url in (f"/ho-so/{big}", f"/tiep-nhan/lich/{big}", f"/tiep-nhan/phien/{big}", f"/ho-so/1/tep/{big}",
                f"/bang-dieu-khien/cham-diem/tep/{big}"):
        assert b.get(url).status_code == 404, url
    assert b.post(f"/hop-thu/{big}/da-doc").status_code == 404


@pytest.mark.parametrize("big", [BIG, INT4])
def test_a_query_number_out_of_range_is_read_as_absent(login, org, big):
    b = login("head")
    for url in (f"/tiep-nhan/lich?unit={big}", f"/cam-ket?trang={big}", f"/hop-thu?trang={big}",
                f"/bang-dieu-khien/dan-van-kheo?nam={big}", f"/ho-so?trang={big}"):
        assert b.get(url).status_code == 200, url


def test_an_assignee_out_of_range_is_a_400_naming_the_field(app, session, login, org):
    case = make_case(app, session, org)
    events = session.scalar(select(func.count(CaseEvent.id)))
    resp = login("head").post(f"/ho-so/{case.id}/giao-viec", {"assignee_id": BIG, "version": case.version})
    assert resp.status_code == 400 and "Người được giao" in resp.get_data(as_text=True)
    assert session.scalar(select(func.count(CaseEvent.id))) == events
    assert session.get(type(case), case.id).assignee_id is None


def test_a_model_registered_for_a_unit_out_of_range_names_the_unit(login, session, org):
    resp = login("handler").post("/bang-dieu-khien/dan-van-kheo",
                                 {"don_vi": BIG, "nam": "2026", "ten": "Mô hình", "linh_vuc": "Đất đai",
                                  "bat_dau": "2026-02-01"}, token_from="/bang-dieu-khien/dan-van-kheo")
    assert resp.status_code == 400 and "Đơn vị" in resp.get_data(as_text=True)
    assert session.scalar(select(func.count(DanVanKheoModel.id))) == 0


def test_a_schedule_form_number_out_of_range_names_the_field(login, org):
    resp = login("head").post("/tiep-nhan/lich/moi", {"unit_id": str(org["dept"].id), "booking_capacity": INT4},
                              token_from="/tiep-nhan/lich/moi")
    assert resp.status_code == 400 and "Số lượt đặt lịch" in resp.get_data(as_text=True)


LONG = "x" * 10_000


@pytest.mark.parametrize("url, data, message", [
    ("/dang-nhap", {"username": LONG, "password": "x"}, "Tên đăng nhập: tối đa 80 ký tự."),
    ("/tra-cuu", {"tracking_code": LONG, "secret": LONG}, "Mã hồ sơ: tối đa 32 ký tự."),
    ("/tra-cuu", {"tracking_code": "ABC", "secret": LONG}, "Mã bí mật: tối đa 16 ký tự."),
    ("/lich-tiep-cong-dan/huy-dat-lich", {"code": LONG, "phone": LONG}, "Mã đặt lịch: tối đa 20 ký tự."),
    ("/lich-tiep-cong-dan/huy-dat-lich", {"code": "ABC", "phone": LONG}, "Số điện thoại: tối đa 20 ký tự."),
])
def test_an_overlong_value_gets_a_vietnamese_message_naming_the_field(app, url, data, message):
    resp = Browser(app.test_client()).post(url, data, token_from=url)
    html = resp.get_data(as_text=True)
    assert message in html and "cannot be longer" not in html
