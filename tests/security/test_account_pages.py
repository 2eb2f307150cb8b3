"""Issue #14 item 6 through the pages: administrators edit users, add and remove roles, deactivate and reactivate,
reset passwords (a forced change at the next login); users change their own password; the account menu."""
from __future__ import annotations

import re

from dvflow.models import Membership
from dvflow.security import verify_password

from .conftest import HOME, flashes, is_login_redirect, post_login

PASSWORD_PAGE = "/tai-khoan/mat-khau"


def _page(org, name="handler") -> str:
    return f"/quan-tri/nguoi-dung/{org['users'][name].id}"


def test_only_administrators_reach_a_users_page(app, session, org, login):
    assert login("head").get(_page(org)).status_code == 403
    assert login("head").client.post(_page(org) + "/khoa").status_code in (400, 403)
    assert login("admin").get(_page(org)).status_code == 200
    assert login("admin").get("/quan-tri/nguoi-dung/999999").status_code == 404


def test_edit_full_name_and_email(app, session, org, login):
    admin, page = login("admin"), _page(org)
    done = admin.post(page, {"full_name": "Nguyễn Thị Mới", "email": "moi@donvi.gov.vn"}, token_from=page)
    assert done.status_code == 302
    session.expire_all()
    user = org["users"]["handler"]
    assert (user.full_name, user.email) == ("Nguyễn Thị Mới", "moi@donvi.gov.vn")
    bad = admin.post(page, {"full_name": "X", "email": "khong-phai-thu"}, token_from=page)
    assert bad.status_code == 400 and "Thư điện tử không hợp lệ" in bad.get_data(as_text=True)
    session.expire_all()
    assert user.full_name == "Nguyễn Thị Mới"  # nothing of the refused form was kept


def test_add_and_remove_roles(app, session, org, login):
    admin, page = login("admin"), _page(org)
    assert admin.post(page + "/vai-tro", {"unit_code": "SYT", "role": "reception"}, token_from=page).status_code == 302
    session.expire_all()
    user = org["users"]["handler"]
    assert {(m.unit.code, m.role) for m in user.memberships} == {("STNMT", "handler"), ("SYT", "reception")}
    bad = admin.post(page + "/vai-tro", {"unit_code": "SYT", "role": "vua"}, token_from=page)
    assert bad.status_code == 400 and "Vai trò không hợp lệ" in bad.get_data(as_text=True)
    membership = next(m for m in user.memberships if m.role == "reception")
    assert admin.post(f"{page}/vai-tro/{membership.id}/bo", token_from=page).status_code == 302
    session.expire_all()
    assert {m.role for m in user.memberships} == {"handler"}
    other = session.query(Membership).filter_by(user_id=org["users"]["head"].id).one()
    assert admin.post(f"{page}/vai-tro/{other.id}/bo", token_from=page).status_code == 404


def test_an_admin_keeps_their_own_admin_role_and_account(app, session, org, login):
    admin, page = login("admin"), _page(org, "admin")
    own = session.query(Membership).filter_by(user_id=org["users"]["admin"].id).one()
    refused = admin.post(f"{page}/vai-tro/{own.id}/bo", token_from=page)
    assert refused.status_code == 400 and "vai trò quản trị của chính mình" in refused.get_data(as_text=True)
    refused = admin.post(f"{page}/khoa", token_from=page)
    assert refused.status_code == 400 and "chính mình" in refused.get_data(as_text=True)


def test_deactivate_then_reactivate(app, session, org, login):
    admin, page = login("admin"), _page(org)
    assert admin.post(page + "/khoa", token_from=page).status_code == 302
    session.expire_all()
    assert org["users"]["handler"].active is False and org["users"]["handler"] in session  # never deleted
    assert post_login(app.test_client(), "handler").status_code == 200  # refused
    assert "Đã khóa" in admin.get(page).get_data(as_text=True)
    assert admin.post(page + "/mo-khoa", token_from=page).status_code == 302
    assert post_login(app.test_client(), "handler").status_code == 302


def test_reset_password_forces_a_change_before_anything_else(app, session, org, login):
    handler = login("handler")
    admin, page = login("admin"), _page(org)
    shown = admin.post(page + "/dat-lai-mat-khau", token_from=page)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    temporary = re.search(r'<code id="temporary-password">([^<]+)</code>', shown.get_data(as_text=True)).group(1)
    assert is_login_redirect(handler.get(HOME))  # the user's sessions ended
    assert post_login(app.test_client(), "handler").status_code == 200  # the old password is gone

    client = app.test_client()
    assert post_login(client, "handler", temporary).status_code == 302
    for url in (HOME, "/ho-so", "/tai-khoan/ma-api"):
        assert client.get(url).headers["Location"] == PASSWORD_PAGE
    from .conftest import csrf_from

    form = client.get(PASSWORD_PAGE).get_data(as_text=True)
    assert "đã đặt lại mật khẩu" in form
    changed = client.post(PASSWORD_PAGE, data={"old_password": temporary, "new_password": "so-tay-xanh-2027",
                                               "confirm": "so-tay-xanh-2027", "csrf_token": csrf_from(form)})
    assert changed.status_code == 302
    assert client.get(HOME).status_code == 200
    session.expire_all()
    assert not org["users"]["handler"].must_change_password


def test_change_own_password_errors_name_the_field(app, session, org, login):
    handler = login("handler")

    def change(old, new, confirm):
        return handler.post(PASSWORD_PAGE, {"old_password": old, "new_password": new, "confirm": confirm},
                            token_from=PASSWORD_PAGE)

    cases = [("sai-mat-khau-cu", "so-tay-xanh-2027", "so-tay-xanh-2027", "Mật khẩu hiện tại không đúng"),
             ("password-123", "so-tay-xanh-2027", "so-tay-do-2027", "không khớp"),
             ("password-123", "ngan-qua", "ngan-qua", "ít nhất 12 ký tự"),
             ("password-123", "Qwerty123456", "Qwerty123456", "quá phổ biến"),
             ("password-123", "handler-cua-toi", "handler-cua-toi", "không được chứa tên đăng nhập")]
    for old, new, confirm, message in cases:
        response = change(old, new, confirm)
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
    session.expire_all()
    assert verify_password(org["users"]["handler"].password_hash, "password-123")
    ok = change("password-123", "so-tay-xanh-2027", "so-tay-xanh-2027")
    assert ok.status_code == 302
    assert flashes(handler.get(HOME).get_data(as_text=True))


def test_account_menu_links(app, session, org, login):
    page = login("handler").get(HOME).get_data(as_text=True)
    for url in ("/tai-khoan/mat-khau", "/tai-khoan/xac-thuc-hai-buoc", "/tai-khoan/ma-api"):
        assert f'href="{url}"' in page
