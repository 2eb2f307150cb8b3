"""Issue #14 item 5: security headers on a page, the API, a static file and an error page; HSTS in production only;
no template holds an inline script or an event-handler attribute (the CSP would block it)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from factories import PRODUCTION_IDENTITY_KEYS

from config import ROOT

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
ANSWERS = {"page": ("/dang-nhap", 200), "api": ("/api/v1/cases", 401), "static": ("/static/app.css", 200),
           "error page": ("/khong-co-trang-nay", 404), "citizen page": ("/tra-cuu", None)}


def _check(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("what", ANSWERS)
def test_every_answer_has_the_headers(client, what):
    url, status = ANSWERS[what]
    response = client.get(url)
    if status is not None:
        assert response.status_code == status
    _check(response)
    assert "Strict-Transport-Security" not in response.headers  # not over plain HTTP in development


def test_hsts_in_production(connection, clock, tmp_path):
    from dvflow import create_app

    app = create_app({"ENV": "production", "SECRET_KEY": "k", "AUDIT_SIGNING_KEY": "k", **PRODUCTION_IDENTITY_KEYS,
                      "DB_BIND": connection, "NOW": clock,
                      "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_SINGLE_PROCESS": True,
                      "UPLOAD_DIR": str(tmp_path)})
    response = app.test_client().get("/dang-nhap", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    _check(response)


def test_account_pages_are_not_cached(app, session, org, login):
    handler = login("handler")
    for url in ("/tai-khoan/mat-khau", "/tai-khoan/ma-api", "/tai-khoan/xac-thuc-hai-buoc", "/dang-nhap"):
        assert handler.get(url).headers["Cache-Control"] == "no-store", url


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_no_template_has_inline_script():
    templates = sorted(Path(ROOT, "dvflow", "templates").rglob("*.html"))
    assert templates
    found = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>') and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert HANDLER.search('<button type="button" onclick="window.print()">')
    assert JS_URL.search('<a href="javascript:void(0)">')


def test_every_administration_page_is_not_cached(app, session, org, login):
    """Every page under /quan-tri (units, users, the legal calendar) answers no-store: the calendar's lacked it."""
    app.config["TOTP_REQUIRED_ROLES"] = ()  # the pages themselves, not the enrolment they would ask for first
    admin = login("admin")
    for url in ("/quan-tri/nguoi-dung", "/quan-tri/lich"):
        response = admin.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", url
