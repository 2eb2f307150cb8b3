"""The secret offered while enrolling a second factor never travels in the session cookie (signed, but readable):
the cookie keeps a random nonce, the secret is derived from it with the hash key held outside the cookie and the
database, and the page that shows it (a GET) writes nothing (a review's finding, 2026-12-06)."""
from __future__ import annotations

import base64
import json
import re
import zlib

import pyotp
from sqlalchemy import func, select

from dvflow.models import RecoveryCode

ENROL = "/tai-khoan/xac-thuc-hai-buoc"


def _cookie(client) -> str:
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8")


def test_the_enrolment_secret_is_not_in_the_cookie_and_still_enrols(app, session, org, login, clock):
    head = login("head")
    page = head.get(ENROL).get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    cookie = _cookie(head.client)
    assert secret not in cookie and "totp_enrol_nonce" in json.dumps(json.loads(cookie))
    again = head.get(ENROL).get_data(as_text=True)
    assert secret in again  # the same secret until the user proves their app holds it
    done = head.post(ENROL, {"code": pyotp.TOTP(secret).at(clock())}, token_from=ENROL)
    assert done.status_code == 200
    assert session.scalar(select(func.count()).select_from(RecoveryCode)) > 0
    assert "totp_enrol_nonce" not in _cookie(head.client)
