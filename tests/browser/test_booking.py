"""A citizen books a reception slot on the public schedule; the reception officer logs in and sees the booking on
the session's page."""
from __future__ import annotations

import re

import pytest

from .conftest import LAPTOP, PHONE, login, shot

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser


def test_a_citizen_books_and_the_officer_sees_it(new_page):
    citizen = new_page(PHONE)
    citizen.goto("/lich-tiep-cong-dan")
    citizen.locator("#unit").select_option(label="Ban Tiếp công dân tỉnh")
    citizen.get_by_role("button", name="Lọc").click()
    table = citizen.locator("#public-schedule")
    expect(table).to_contain_text("Trụ sở Ban Tiếp công dân tỉnh")
    expect(table).not_to_contain_text("Trịnh Văn Hùng")  # the demo's bookings are never public
    shot(citizen, "phone-public-schedule")
    table.get_by_role("link", name=re.compile(r"^Đặt lịch")).first.click()
    citizen.wait_for_url(re.compile(r"/lich-tiep-cong-dan/\d+$"))
    session_id = citizen.url.rsplit("/", 1)[1]
    form = citizen.locator("#booking-form")
    form.locator("#name").fill("Quách Thị Đặt Lịch")
    form.locator("#phone").fill("0934 567 890")
    form.locator("#content").fill("Hỏi về hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất")
    form.get_by_role("button", name="Đặt lịch").click()
    result = citizen.locator("#booking-result")
    expect(result).to_contain_text("LH-")
    code = citizen.locator("#booking-code").inner_text().strip()
    slot = citizen.locator("#booking-time").inner_text().split()[0]
    assert re.fullmatch(r"\d\d:\d\d", slot)

    officer = new_page(LAPTOP)
    login(officer, "tiepdan")
    officer.goto(f"/tiep-nhan/lich/{session_id}")
    row = officer.locator("#bookings tr", has_text="Quách Thị Đặt Lịch")
    expect(row).to_contain_text("0934567890")
    expect(row).to_contain_text(slot)
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("Hỏi về hồ sơ cấp đổi giấy chứng nhận")
    shot(officer, "laptop-reception-session")
    officer.goto("/tiep-nhan/tuan-thu?ky=quarter")
    expect(officer.locator("table.compliance")).to_contain_text("Nguyễn Văn Trưởng")
    shot(officer, "laptop-reception-compliance")
