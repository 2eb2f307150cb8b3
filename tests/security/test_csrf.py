"""CSRF on the new forms: a post without the page's token is refused (400) and changes nothing."""
from __future__ import annotations

import pytest

from dvflow.security import verify_password

from .conftest import post_login


def _forms(org) -> list[tuple[str, dict]]:
    uid = org["users"]["handler"].id
    return [
        ("/tai-khoan/mat-khau", {"old_password": "password-123", "new_password": "so-tay-xanh-2027",
                                 "confirm": "so-tay-xanh-2027"}),
        ("/tai-khoan/xac-thuc-hai-buoc", {"code": "123456"}),
        (f"/quan-tri/nguoi-dung/{uid}", {"full_name": "Kẻ gian", "email": "x@evil.example"}),
        (f"/quan-tri/nguoi-dung/{uid}/vai-tro", {"unit_code": "STNMT", "role": "admin"}),
        (f"/quan-tri/nguoi-dung/{uid}/khoa", {}),
        (f"/quan-tri/nguoi-dung/{uid}/dat-lai-mat-khau", {}),
        (f"/quan-tri/nguoi-dung/{uid}/dat-lai-xac-thuc", {}),
    ]


@pytest.mark.parametrize("index", range(7))
def test_new_forms_refuse_a_post_without_csrf(app, session, org, login, index):
    admin = login("admin")
    url, data = _forms(org)[index]
    response = admin.client.post(url, data=data)
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    session.expire_all()
    user = org["users"]["handler"]
    assert user.active and user.full_name == "Cán bộ handler" and not user.must_change_password
    assert verify_password(user.password_hash, "password-123")
    assert {m.role for m in user.memberships} == {"handler"}


def test_second_factor_step_refuses_a_post_without_csrf(app, session, org):
    client = app.test_client()
    post_login(client, "handler")
    assert client.post("/dang-nhap/ma-xac-thuc", data={"code": "123456"}).status_code == 400
