"""Login with every demo account; bad logins and CSRF-less posts fail cleanly."""
from __future__ import annotations

import re

import pytest

from dvflow.cli.demo_data import DEMO_PASSWORD, USERS


def csrf(client, url="/dang-nhap") -> str:
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["dvflow", "demo", "load"])
    assert result.exit_code == 0, result.output


def test_login_page_renders_in_vietnamese(client):
    page = client.get("/dang-nhap")
    assert page.status_code == 200
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_every_demo_login_works(client, demo):
    for username, _name, _ms in USERS:
        response = client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD,
                                                   "csrf_token": csrf(client)})
        assert response.status_code == 302, username
        home = client.get(response.headers["Location"], follow_redirects=True)
        assert home.status_code == 200 and "Đăng xuất" in home.get_data(as_text=True), username
        client.post("/dang-xuat", data={"csrf_token": csrf(client, "/")})


def test_wrong_password_refused(client, demo):
    response = client.post("/dang-nhap", data={"username": "quantri", "password": "sai",
                                               "csrf_token": csrf(client)})
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)


def test_post_without_csrf_refused(client, demo):
    response = client.post("/dang-nhap", data={"username": "quantri", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


def test_demo_heads_and_admin_enrol_the_second_factor_at_the_first_login(app, client, demo):
    from config import DevelopmentConfig

    app.config["TOTP_REQUIRED_ROLES"] = DevelopmentConfig.TOTP_REQUIRED_ROLES  # what `make run` requires
    for username, _name, memberships in USERS:
        client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf(client)})
        needs = any(role in ("head", "admin") for _unit, role in memberships)
        home = client.get("/trang-chu")
        assert (home.headers.get("Location") == "/tai-khoan/xac-thuc-hai-buoc") is needs, username
        client.post("/dang-xuat", data={"csrf_token": csrf(client, "/tai-khoan/xac-thuc-hai-buoc")})
