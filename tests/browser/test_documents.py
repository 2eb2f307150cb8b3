"""The head's approval queue: the drafted decision is shown in the case page before it is approved."""
from __future__ import annotations

import re

import pytest

from dvflow.services.documents import pdf

from .conftest import LAPTOP, login, shot

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser

SUBJECT = "Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất thửa 112"


def test_the_head_sees_the_draft_decision_before_approving(new_page):
    page = new_page(LAPTOP)
    page.goto("/dang-nhap")
    login(page, "truongso")
    page.locator("header.topbar nav").get_by_role("link", name="Chờ duyệt", exact=True).click()
    page.locator("tr", has_text=SUBJECT).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Dự thảo chờ phê duyệt"))).to_be_visible()
    if pdf.available():  # the draft itself, in the page
        frame = page.locator("iframe.document-preview")
        expect(frame).to_have_count(1)
        answer = page.request.get(frame.get_attribute("src"))
        assert answer.status == 200 and answer.body().startswith(b"%PDF")
        assert answer.headers["x-frame-options"] == "SAMEORIGIN"  # framable by this site, and no other
    else:  # the text preview, and why
        page.get_by_role("link", name="Xem dự thảo").click()
        expect(page.locator("main")).to_contain_text("DỰ THẢO")
    expect(page.locator("form[action$='/thao-tac/approve']")).to_have_count(1)
    shot(page, "laptop-head-draft-decision")
