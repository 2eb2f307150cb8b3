"""The intake form in a real Chromium: the party roles follow the kind chosen, rows are added and removed, and a
case registered with an added row keeps every party; a mass case's representatives are completed on their page."""
from __future__ import annotations

import re

import pytest

from .conftest import LAPTOP, login

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser


def role_options(row) -> list[str]:
    return row.locator("select.role option").evaluate_all("(os) => os.map((o) => o.value)")


def test_party_rows_follow_the_kind_and_can_be_added_and_removed(new_page):
    desk = new_page(LAPTOP)
    login(desk, "tiepdan")
    desk.goto("/tiep-nhan/moi")
    form = desk.locator("#intake-form")
    rows = form.locator("#party-rows tr.party-row")
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator(".remove-party")).to_be_hidden()  # a single row cannot be removed

    form.locator("select[name=kind]").select_option(label="Tố cáo")
    assert role_options(rows.nth(0)) == ["denouncer", "accused", "representative"]
    expect(rows.nth(0).locator("select.role")).to_have_value("denouncer")  # the role the kind requires

    form.locator("select[name=kind]").select_option(label="Khiếu nại lần đầu")
    expect(rows.nth(0).locator("select.role")).to_have_value("complainant")
    form.get_by_role("button", name="Thêm đương sự").click()
    form.get_by_role("button", name="Thêm đương sự").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(2).locator("select.role")).to_have_value("complainant")
    rows.nth(1).locator(".remove-party").click()
    expect(rows).to_have_count(2)

    subject = "Khiếu nại việc cấp phép xây dựng nhà xưởng sát khu dân cư (thử hàng đương sự)"
    form.locator("select[name=unit_id]").select_option(label="Sở Nông nghiệp và Môi trường")
    form.locator("#subject").fill(subject)
    rows.nth(0).locator("input[name$='-name']").fill("Đinh Văn Hàng Một")
    rows.nth(1).locator("select.role").select_option("respondent")
    rows.nth(1).locator("input[name$='-name']").fill("Chi nhánh Công ty Xây dựng B")
    rows.nth(1).locator("select[name$='-identity_type']").select_option("tax_code")
    rows.nth(1).locator("input.identity").fill("0101234567-001")
    form.get_by_role("button", name="Tiếp nhận").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/\d+/phieu-hen$"))
    desk.get_by_role("link", name="Mở hồ sơ").click()
    parties = desk.locator("section.card", has=desk.locator("h2", has_text="Đương sự"))
    expect(parties).to_contain_text("Đinh Văn Hàng Một")
    expect(parties).to_contain_text("Chi nhánh Công ty Xây dựng B")
    expect(parties).to_contain_text("Mã số thuế: 0101234567-001")


def test_a_mass_case_representatives_are_completed_on_their_page(new_page):
    head = new_page(LAPTOP)
    login(head, "truongso")
    # the demo's mass complaint came by post: it is in the unit's cases, not in the reception book (which lists the
    # citizens received: tests/web/test_reception_mass.py checks the book's number of people for a walk-in)
    head.goto("/ho-so")
    row = head.locator("table.grid tr", has_text="12 hộ dân")
    row.get_by_role("link").first.click()
    expect(head.locator("main")).to_contain_text("Đông người (12 người)")
    head.get_by_role("link", name="Cập nhật người đại diện").click()
    form = head.locator("#representatives-form")
    expect(form.locator("input[name='rep-0-name']")).to_have_value("Hà Văn Mười")
    form.locator("input[name='rep-2-name']").fill("Người Thứ Ba")
    form.get_by_role("button", name="Lưu người đại diện").click()
    expect(head.locator(".flash.info")).to_have_text("Đã cập nhật người đại diện.")
    expect(head.locator("main")).to_contain_text("Người Thứ Ba")
