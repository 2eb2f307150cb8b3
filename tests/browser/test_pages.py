"""Each demo login lands on a home page made for its roles, and screenshots of the main pages on a phone and a laptop."""
from __future__ import annotations

import re

import pytest

from dvflow.cli.demo_data import USERS
from dvflow.cli.demo_schedule import OFFICIALS

from .conftest import LAPTOP, PHONE, login, shot

expect = pytest.importorskip("playwright.sync_api", reason="playwright không có").expect

pytestmark = pytest.mark.browser

# the home page's section headings, by role
SECTIONS = {"reception": {"Tiếp công dân"}, "handler": {"Hồ sơ của tôi"}, "head": {"Chờ phê duyệt"},
            "supervisor": {"Tổng quan"}, "admin": {"Tổng quan", "Quản trị"}}
ROLE_LABELS = {"reception": "Cán bộ tiếp công dân", "handler": "Chuyên viên xử lý", "head": "Thủ trưởng đơn vị",
               "supervisor": "Giám sát", "admin": "Quản trị hệ thống"}
ONE_PER_ROLE = {"tiepdan", "chuyenvien", "truongso", "giamsat", "quantri"}
# a head linked to a reception official also finds their own reception days
OFFICIAL_LOGINS = {username for _unit, username, *_rest in OFFICIALS}


def headings(page) -> set[str]:
    """The home page's section headings, without the counts in brackets."""
    return {re.sub(r"\s*\(\d+\)$", "", t.strip()) for t in page.locator("main section.card h2").all_inner_texts()}


@pytest.mark.parametrize("username,full_name,memberships", USERS, ids=[u[0] for u in USERS])
def test_each_demo_login_lands_on_its_role_home(new_page, username, full_name, memberships):
    page = new_page(LAPTOP)
    login(page, username)
    expect(page.locator("main h1")).to_have_text(f"Xin chào, {full_name}")
    roles = {role for _unit, role in memberships}
    expected = set().union(*(SECTIONS[r] for r in roles))
    if username in OFFICIAL_LOGINS:
        expected.add("Lịch tiếp công dân định kỳ của tôi")
    assert headings(page) == expected, (username, headings(page))
    roles_table = page.locator("main > table.grid")
    for role in roles:
        expect(roles_table).to_contain_text(ROLE_LABELS[role])
    nav = page.locator("header.topbar nav")
    expect(nav.get_by_role("link", name="Quản trị")).to_have_count(1 if "admin" in roles else 0)
    expect(nav.get_by_role("link", name="Chờ duyệt")).to_have_count(1 if "head" in roles else 0)
    if username in ONE_PER_ROLE:
        shot(page, f"laptop-home-{username}")


@pytest.mark.parametrize("device,viewport", [("phone", PHONE), ("laptop", LAPTOP)])
def test_main_pages_render(new_page, device, viewport):
    page = new_page(viewport)
    page.goto("/dang-nhap")
    expect(page.locator("main h1")).to_have_text("Đăng nhập")
    shot(page, f"{device}-login")
    login(page, "truongso")
    shot(page, f"{device}-home-truongso")
    page.goto("/ho-so")
    expect(page.locator("main h1")).to_have_text("Hồ sơ của đơn vị")
    expect(page.locator("main table.grid tbody tr").first).to_contain_text("Sở Nông nghiệp và Môi trường")
    shot(page, f"{device}-queue")
    # a demo case in progress (verification ordered), so the page shows its action forms
    page.locator("main table.grid tbody tr", has_text="giải phóng mặt bằng").get_by_role("link").click()
    expect(page.locator("dt:text-is('Trạng thái') + dd")).to_have_text("Đang xác minh")
    expect(page.locator('form[action$="/thao-tac/verification_report"]')).to_be_visible()
    expect(page.locator("main h2", has_text="Quá trình xử lý")).to_be_visible()
    expect(page.locator("main h2", has_text="Sơ đồ quy trình")).to_be_visible()
    shot(page, f"{device}-case")
    page.goto("/tiep-nhan/moi")
    expect(page.locator("main h1")).to_have_text("Tiếp nhận đơn, lượt tiếp công dân")
    shot(page, f"{device}-reception-form")
    if page.request.get("/bang-dieu-khien").ok:
        page.goto("/bang-dieu-khien")
        shot(page, f"{device}-dashboard")
    admin = new_page(viewport)
    login(admin, "quantri")
    admin.locator("header.topbar nav").get_by_role("link", name="Quản trị").click()
    expect(admin.locator("main h1")).to_be_visible()
    shot(admin, f"{device}-admin-calendar")
    admin.locator("main nav.tabs").get_by_role("link", name="Người dùng").click()
    expect(admin.locator("main")).to_contain_text("tiepdan")
    shot(admin, f"{device}-admin-users")
