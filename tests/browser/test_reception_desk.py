"""The session desk in a real Chromium: an officer opens today's regular session, records a citizen whose letter is
handed into a complaint, reaches its appointment slip; the reception book prints without navigation or filters."""
from __future__ import annotations

import re

import pytest

from .conftest import LAPTOP, login

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser


def test_an_officer_hands_a_letter_into_a_complaint_from_the_desk(new_page):
    desk = new_page(LAPTOP)
    login(desk, "tiepdan")
    desk.get_by_role("link", name="Phiên tiếp dân").click()
    opener = desk.locator("form", has_text="Sở Nông nghiệp và Môi trường")
    opener.get_by_role("button", name="Mở phiên tiếp công dân thường xuyên hôm nay").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/phien/\d+$"))
    form = desk.locator("#visit-form")
    form.locator("input[name=citizen_name]").fill("Quách Văn Trình")
    form.locator("input[name=identity_number]").fill("001090004321")
    form.locator("textarea[name=summary]").fill("Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    form.get_by_label("Nhận đơn, chuyển xử lý").check()
    form.locator("select[name=case_kind]").select_option("complaint_first")
    form.get_by_role("button", name="Lưu vào Sổ tiếp công dân").click()
    expect(desk.locator(".flash.info")).to_contain_text("vào Sổ tiếp công dân")
    row = desk.locator("#visits tr", has_text="Quách Văn Trình")
    expect(row).to_contain_text("Nhận đơn, chuyển xử lý")
    row.get_by_role("link", name="Phiếu hẹn").click()
    expect(desk.locator("main")).to_contain_text("Quách Văn Trình")


def test_the_book_prints_without_navigation_filters_or_buttons(new_page):
    page = new_page(LAPTOP)
    login(page, "truongso")
    page.goto("/tiep-nhan/so")
    expect(page.locator("table.book")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("table.book")).to_be_visible()
