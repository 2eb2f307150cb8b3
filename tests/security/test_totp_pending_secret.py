"""The TOTP secret being enrolled waits on the server, encrypted on the user row: the session cookie (signed, not
encrypted: its payload is base64 anyone holding it can read) carried it in clear (auth review #4)."""
from __future__ import annotations

import base64
import re
import zlib

import pyotp
import sqlalchemy as sa

from .conftest import Browser

ENROL = "/tai-khoan/xac-thuc-hai-buoc"


def _cookie_payload(browser: Browser) -> str:
    """The session cookie's readable part, as anyone who copies the cookie can read it."""
    value = browser.client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def _shown_secret(browser: Browser) -> str:
    return re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', browser.get(ENROL).get_data(as_text=True)).group(1)


def test_the_secret_being_enrolled_is_not_in_the_cookie(app, session, org, login, clock):
    handler = login("handler")
    secret = _shown_secret(handler)
    assert secret not in _cookie_payload(handler) and "totp_enrol" not in _cookie_payload(handler)
    assert _shown_secret(handler) == secret  # the same secret until the app proves it holds it
    stored = session.execute(sa.text("SELECT totp_pending_secret FROM users WHERE id = :id"),
                             {"id": org["users"]["handler"].id}).scalar()
    assert stored and secret not in stored  # encrypted at rest, like totp_secret
    wrong = handler.post(ENROL, {"code": "000000"}, token_from=ENROL)
    assert wrong.status_code == 400 and secret not in _cookie_payload(handler)
    done = handler.post(ENROL, {"code": pyotp.TOTP(secret).at(clock())}, token_from=ENROL)
    assert done.status_code == 200
    session.expire_all()
    user = org["users"]["handler"]
    assert (user.totp_secret, user.totp_pending_secret) == (secret, None)  # enrolled: nothing left pending


def test_a_reset_starts_enrolment_with_a_new_secret(app, session, org, login, clock):
    handler, admin = login("handler"), login("admin")
    secret = _shown_secret(handler)
    assert handler.post(ENROL, {"code": pyotp.TOTP(secret).at(clock())}, token_from=ENROL).status_code == 200
    page = f"/quan-tri/nguoi-dung/{org['users']['handler'].id}"
    assert admin.post(f"{page}/dat-lai-xac-thuc", token_from=page).status_code == 302
    session.expire_all()
    assert org["users"]["handler"].totp_pending_secret is None
    assert _shown_secret(login("handler")) != secret
