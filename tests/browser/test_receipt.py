"""The receipt's QR code: scanning it opens the tracking page with the case already looked up."""
from __future__ import annotations

import re

import pytest

from .conftest import LAPTOP, PHONE, login

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser


def test_the_qr_link_opens_the_case_without_typing(new_page, live_server):
    desk = new_page(LAPTOP)
    desk.goto("/dang-nhap")
    login(desk, "tiepdan")
    desk.goto("/tiep-nhan/moi")
    form = desk.locator("#intake-form")
    form.locator("select[name=kind]").select_option(label="Kiến nghị, phản ánh")
    form.locator("select[name=unit_id]").select_option(label="Sở Nông nghiệp và Môi trường")
    form.locator("select[name=channel]").select_option(value="letter")
    form.locator("#subject").fill("Phản ánh đèn đường hỏng ở tổ 3 (thử mã QR)")
    form.locator("select[name='party-0-role']").select_option(label="Người kiến nghị, phản ánh")
    form.locator("input[name='party-0-name']").fill("Đỗ Thị Quét Mã")
    form.get_by_role("button", name="Tiếp nhận").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/\d+/phieu-hen$"))
    receipt = desk.locator(".receipt")
    expect(receipt.locator("h1")).to_have_text("GIẤY BIÊN NHẬN ĐƠN")  # a letter gets a receipt notice
    expect(receipt.locator("figure.qr svg")).to_have_count(1)
    expect(receipt).to_contain_text("Đỗ Thị Quét Mã")
    expect(receipt).to_contain_text("Lê Thị Tiếp Dân")  # the receiving officer
    expect(receipt).to_contain_text("Số 12 đường Nguyễn Huệ")  # the unit's address
    code = receipt.locator("dt:text-is('Mã hồ sơ') + dd .code").inner_text().strip()
    secret = receipt.locator("dt:text-is('Mã bí mật') + dd .code").inner_text().strip()
    expect(receipt.locator(".url")).to_have_text(f"{live_server}/tra-cuu")

    # the phone opens what the QR code holds: the page fills the form from the fragment and looks the case up
    citizen = new_page(PHONE)
    citizen.goto(f"/tra-cuu#ma={code}&bm={secret}")
    expect(citizen.locator("section.result h2")).to_have_text(f"Hồ sơ {code}")
    expect(citizen.locator("section.result")).to_contain_text("Sở Nông nghiệp và Môi trường")
    assert "#" not in citizen.url  # the secret is taken out of the address bar
    expect(citizen.locator("main")).not_to_contain_text("Đỗ Thị Quét Mã")
