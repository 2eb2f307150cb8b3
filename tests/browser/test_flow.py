"""A first-instance complaint from the reception desk to closure, clicked and typed through a real Chromium."""
from __future__ import annotations

import re

import pytest

from .conftest import LAPTOP, PHONE, login, shot, today_local

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser

STATE = "dt:text-is('Trạng thái') + dd"
STATUS = "dt:text-is('Tình trạng') + dd"
ASSIGNEE = "dt:text-is('Người xử lý') + dd"


def act(page, trigger: str, state_label: str, fields: dict[str, str] | None = None,
        choices: dict[str, str] | None = None) -> None:
    """Fill the action form of `trigger` on the open case page, submit it, and check the new state."""
    form = page.locator(f'form[action$="/thao-tac/{trigger}"]')
    expect(form).to_have_count(1)
    for name, value in (fields or {}).items():
        form.locator(f"#{trigger}-{name}").fill(value)
    for name, label in (choices or {}).items():
        form.locator(f"#{trigger}-{name}").select_option(label=label)
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.info")).to_have_text("Đã thực hiện thao tác.")
    expect(page.locator(STATE)).to_have_text(state_label)


def open_case(page, queue_link: str, code: str) -> None:
    """Go to a queue through the top navigation and open the case by its tracking code."""
    page.locator("header.topbar nav").get_by_role("link", name=queue_link, exact=True).click()
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.locator("main h1")).to_contain_text(code)


def test_complaint_from_reception_to_closure(new_page):
    today = today_local()
    subject = "Khiếu nại quyết định bồi thường khi thu hồi đất ở thửa 57 (thử nghiệm trình duyệt)"

    # --- the reception officer registers the complaint and gets the receipt ------------------------------------
    desk = new_page(LAPTOP)
    desk.goto("/dang-nhap")
    shot(desk, "laptop-login")
    login(desk, "tiepdan")
    expect(desk.locator("main h2", has_text="Tiếp công dân")).to_be_visible()
    desk.get_by_role("link", name="Tiếp nhận đơn, lượt tiếp mới").click()
    expect(desk.locator("main h1")).to_have_text("Tiếp nhận đơn, lượt tiếp công dân")
    form = desk.locator("#intake-form")
    form.locator("select[name=kind]").select_option(label="Khiếu nại lần đầu")
    form.locator("select[name=unit_id]").select_option(label="Sở Nông nghiệp và Môi trường")
    form.locator("select[name=channel]").select_option(label="Trực tiếp")
    expect(form.locator("input[name=received_date]")).to_have_value(today)
    form.locator("#subject").fill(subject)
    form.locator("textarea[name=content]").fill("Ông đề nghị xem xét lại đơn giá bồi thường đất nông nghiệp.")
    form.locator("select[name='party-0-role']").select_option(label="Người khiếu nại")
    form.locator("input[name='party-0-name']").fill("Hoàng Văn Thử")
    form.locator("input[name='party-0-identity']").fill("001092009999")
    form.locator("input[name='party-0-address']").fill("Thôn 4, xã Bình Minh")
    shot(desk, "laptop-reception-form")
    form.get_by_role("button", name="Tiếp nhận").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/\d+/phieu-hen$"))
    expect(desk.locator(".flash.info")).to_have_text("Đã tiếp nhận hồ sơ.")
    expect(desk.locator("main h1")).to_have_text("PHIẾU HẸN")
    code = desk.locator("dt:text-is('Mã hồ sơ') + dd .code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9./-]+", code), code
    expect(desk.locator("dt:text-is('Mã bí mật') + dd .code")).not_to_be_empty()
    secret = desk.locator("dt:text-is('Mã bí mật') + dd .code").inner_text().strip()
    expect(desk.locator(".receipt")).to_contain_text(subject)
    expect(desk.locator(".receipt")).to_contain_text("Sở Nông nghiệp và Môi trường")
    shot(desk, "laptop-receipt")
    desk.get_by_role("link", name="Mở hồ sơ").click()
    expect(desk.locator(STATE)).to_have_text("Đã tiếp nhận")
    expect(desk.locator("table.grid").first).to_contain_text("Hoàng Văn Thử")

    # --- the head assigns the handler, accepts and orders the verification ------------------------------------
    head = new_page(LAPTOP)
    login(head, "truongso")
    expect(head.locator("main h2", has_text="Chờ phê duyệt")).to_be_visible()
    open_case(head, "Hồ sơ", code)
    expect(head.locator(STATE)).to_have_text("Đã tiếp nhận")
    expect(head.locator(ASSIGNEE)).to_have_text("Chưa giao")
    assign = head.locator('form[action$="/giao-viec"]')
    assign.locator("select[name=assignee_id]").select_option(label="Trần Văn Xử Lý")
    assign.get_by_role("button", name="Giao xử lý").click()
    expect(head.locator(".flash.info")).to_have_text("Đã giao xử lý hồ sơ.")
    expect(head.locator(ASSIGNEE)).to_have_text("Trần Văn Xử Lý")
    act(head, "accept", "Đã thụ lý, đang giải quyết", {"decision_date": today})  # the number: the register's
    act(head, "verify", "Đang xác minh", {"verifier": "Tổ xác minh Phòng Đất đai"})

    # --- the handler reports the verification, drafts and submits the decision --------------------------------
    handler = new_page(LAPTOP)
    login(handler, "chuyenvien")
    expect(handler.locator("main h2", has_text="Hồ sơ của tôi")).to_be_visible()
    open_case(handler, "Của tôi", code)
    act(handler, "verification_report", "Đã có báo cáo xác minh",
        {"report_date": today, "summary": "Khiếu nại đúng một phần về đơn giá bồi thường."})
    act(handler, "draft_decision", "Đang dự thảo quyết định")
    act(handler, "submit", "Đã trình ký",
        {"note": "Kính trình Giám đốc Sở xem xét, ký ban hành.", "legal_basis": "Luật Đất đai 2024, Điều 91",
         "resolution": "Sửa đổi đơn giá bồi thường tại Quyết định số 12/QĐ-UBND"},
        {"result": "Khiếu nại đúng một phần", "disposition": "Sửa đổi, bổ sung quyết định hành chính bị khiếu nại"})
    # a handler gets no approve (nor return) button on a submitted case
    expect(handler.locator('form[action$="/thao-tac/approve"]')).to_have_count(0)
    expect(handler.get_by_role("button", name="Phê duyệt dự thảo")).to_have_count(0)
    expect(handler.locator('form[action$="/thao-tac/return"]')).to_have_count(0)

    # --- the head approves from the approval queue and issues the decision ------------------------------------
    open_case(head, "Chờ duyệt", code)
    expect(head.locator(STATE)).to_have_text("Đã trình ký")
    act(head, "approve", "Đã được phê duyệt")
    act(head, "issue_decision", "Đã ban hành quyết định, chờ gửi",
        {"decision_date": today}, {"result": "Khiếu nại đúng một phần"})

    # --- the handler sends the decision: the case is closed ---------------------------------------------------
    handler.reload()
    expect(handler.locator(STATE)).to_have_text("Đã ban hành quyết định, chờ gửi")
    act(handler, "send_decision", "Đã giải quyết", {"sent_on": today})
    expect(handler.locator(STATUS)).to_have_text("Đã kết thúc")
    history = handler.locator("section.card", has=handler.locator("h2", has_text="Quá trình xử lý"))
    # the numbers typed, or those the series gave where the document templates are installed
    for text in (re.compile(r"\d+/TB-STNMT"), re.compile(r"\d+/QĐ-STNMT"), "Gửi quyết định giải quyết",
                 "→ Đã giải quyết"):
        expect(history).to_contain_text(text)
    expect(handler.get_by_text("Bạn không có thao tác nào trên hồ sơ này ở trạng thái hiện tại.")).to_be_visible()
    shot(handler, "laptop-case-closed")
    # the reception officer, too, sees it closed
    desk.reload()
    expect(desk.locator(STATE)).to_have_text("Đã giải quyết")
    expect(desk.locator(STATUS)).to_have_text("Đã kết thúc")

    # --- the citizen, with only the receipt, opens the closed case on /tra-cuu and rates it ----------------------
    citizen = new_page(PHONE)
    citizen.goto("/tra-cuu")
    citizen.fill("#tracking_code", code)
    citizen.fill("#secret", secret)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("section.result")).to_contain_text("Đã giải quyết")
    for personal in ("Hoàng Văn Thử", "001092009999", "Thôn 4"):  # nothing personal
        expect(citizen.locator("main")).not_to_contain_text(personal)
    shot(citizen, "phone-public-tracking")
    citizen.locator("input[name='score'][value='5']").check()
    citizen.fill("#comment", "Cán bộ giải quyết nhanh, đúng hẹn.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_text("Hồ sơ đã được đánh giá. Cảm ơn ông/bà.")).to_be_visible()


def test_back_and_submit_again_registers_one_case(new_page):
    subject = "Kiến nghị sửa đường liên thôn (gửi lại bằng nút Quay lại)"
    desk = new_page(LAPTOP)
    desk.goto("/dang-nhap")
    login(desk, "tiepdan")
    desk.goto("/tiep-nhan/moi")
    form = desk.locator("#intake-form")
    form.locator("select[name=kind]").select_option(label="Khiếu nại lần đầu")
    form.locator("select[name=unit_id]").select_option(label="Sở Nông nghiệp và Môi trường")
    form.locator("#subject").fill(subject)
    form.locator("select[name='party-0-role']").select_option(label="Người khiếu nại")
    form.locator("input[name='party-0-name']").fill("Trịnh Văn Gửi Lại")
    form.get_by_role("button", name="Tiếp nhận").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/\d+/phieu-hen$"))
    first = desk.url
    code = desk.locator("dt:text-is('Mã hồ sơ') + dd .code").inner_text().strip()

    desk.go_back()  # the filled form again, with the token it was sent with
    expect(desk.locator("#subject")).to_have_value(subject)
    desk.locator("#intake-form").get_by_role("button", name="Tiếp nhận").click()
    desk.wait_for_url(re.compile(r"/tiep-nhan/\d+/phieu-hen$"))
    assert desk.url == first
    expect(desk.locator(".flash.info")).to_have_text("Hồ sơ này đã được tiếp nhận từ lần gửi trước.")
    expect(desk.locator("dt:text-is('Mã hồ sơ') + dd .code")).to_have_text(code)  # the first case, no second one

    desk.goto("/tiep-nhan/moi")  # a fresh form is a new request
    expect(desk.locator("#subject")).to_have_value("")
