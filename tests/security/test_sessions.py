"""Issue #14 item 3: logout ends the session on the server; idle and absolute timeouts; deactivation and password
changes end the sessions and revoke the API tokens; flask-login's remember cookie does not get around any of it."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import ApiToken
from dvflow.services.org import tokens

from .conftest import HOME, csrf_from, is_login_redirect


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A new browser holding a copy of a saved session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_cookie_saved_before_logout_opens_nothing_and_mints_no_token(app, session, org, login):
    handler = login("handler")
    page = handler.get("/tai-khoan/ma-api")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    saved = _session_cookie(handler.client)
    assert handler.post("/dang-xuat").status_code == 302

    thief = _replay(app, saved)
    assert is_login_redirect(thief.get(HOME))
    thief = _replay(app, saved)
    minted = thief.post("/tai-khoan/ma-api", data={"name": "trộm", "csrf_token": token})
    assert is_login_redirect(minted)
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == org["users"]["handler"].id)).all() == []


def test_logout_ends_only_by_logging_in_again(app, session, org, login):
    handler = login("handler")
    handler.post("/dang-xuat")
    again = login("handler")
    assert again.get(HOME).status_code == 200


def test_idle_timeout(app, session, org, login, clock):
    handler = login("handler")
    for _ in range(3):  # a request every 29 minutes keeps the session alive
        clock.advance(minutes=29)
        assert handler.get(HOME).status_code == 200
    clock.advance(minutes=31)
    assert is_login_redirect(handler.get(HOME))


def test_idle_timeout_from_the_configuration(app, session, org, login, clock):
    app.config["SESSION_IDLE_MINUTES"] = 5
    handler = login("handler")
    clock.advance(minutes=6)
    assert is_login_redirect(handler.get(HOME))


def test_absolute_timeout_even_when_active(app, session, org, login, clock):
    handler = login("handler")
    for _ in range(35):  # 11 h 40 min of activity
        clock.advance(minutes=20)
        assert handler.get(HOME).status_code == 200
    clock.advance(minutes=21)  # 12 h 01 min after the login
    assert is_login_redirect(handler.get(HOME))


def test_deactivation_ends_the_sessions_and_revokes_the_tokens(app, session, org, login):
    user = org["users"]["handler"]
    _row, raw = tokens.create_token(session, user, "phần mềm", app.config["NOW"]())
    handler = login("handler")
    admin = login("admin")
    assert admin.post(f"/quan-tri/nguoi-dung/{user.id}/khoa", token_from=f"/quan-tri/nguoi-dung/{user.id}"
                      ).status_code == 302
    assert is_login_redirect(handler.get(HOME))
    api = app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    assert session.scalars(select(ApiToken.revoked_at).where(ApiToken.user_id == user.id)).one() is not None


def test_own_password_change_ends_the_other_sessions_keeps_this_one(app, session, org, login):
    user = org["users"]["handler"]
    _row, raw = tokens.create_token(session, user, "phần mềm", app.config["NOW"]())
    laptop, phone = login("handler"), login("handler")
    resp = laptop.post("/tai-khoan/mat-khau", {"old_password": "password-123", "new_password": "so-tay-xanh-2027",
                                                "confirm": "so-tay-xanh-2027"}, token_from="/tai-khoan/mat-khau")
    assert resp.status_code == 302
    assert laptop.get(HOME).status_code == 200
    assert is_login_redirect(phone.get(HOME))
    assert app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_remember_cookie_does_not_bypass_the_session_version(app, session, org):
    from flask_login.utils import encode_cookie

    user = org["users"]["handler"]
    with app.test_request_context():
        remember = encode_cookie(str(user.id))
    client = app.test_client()
    client.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert is_login_redirect(client.get(HOME))
