"""Browser fixtures: the real app on a live port with the demo data, and Debian's Chromium through Playwright.

The server is a werkzeug `make_server` in a background thread over a fresh, migrated SQLite file with the demo data
loaded. It uses the real wall clock (no NOW override), so forms are filled with today's local date
(Asia/Ho_Chi_Minh). Playwright's own browser download is never used: Chromium comes from apt
(`apt-get install chromium`); without it every browser test is skipped with a message saying so.
"""
from __future__ import annotations

import os
import re
import threading
from datetime import datetime
from pathlib import Path

import pytest
from tools import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
NO_CHROMIUM = "Chromium không có: cài bằng apt-get install chromium"
DEMO_PASSWORD = "dvflow-demo-2026"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def today_local() -> str:
    """Today in Vietnam, as a date input wants it (YYYY-MM-DD)."""
    from dvflow.timeutil import TZ

    return datetime.now(TZ).date().isoformat()


@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    """Base URL of the app served on 127.0.0.1:<free port>, over a migrated SQLite file holding the demo data."""
    from sqlalchemy.orm import Session
    from werkzeug.serving import make_server

    from dvflow import create_app, migrate
    from dvflow.cli.demo_data import load_demo
    from dvflow.db import make_engine
    from dvflow.timeutil import utcnow

    tmp = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{tmp / 'live.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False,
                      "UPLOAD_DIR": str(tmp / "uploads")})
    with Session(engine) as session, session.begin():
        assert load_demo(session, app.extensions["dvflow.workflows"], utcnow())
    engine.dispose()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dvflow-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    app.extensions["dvflow.bind"].dispose()


@pytest.fixture(scope="package")
def browser():
    require(os.path.exists(CHROMIUM), NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright không có: pip install -r requirements-dev.txt")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): `new_page(viewport=PHONE)`."""
    contexts = []

    def _new_page(viewport: dict | None = None):
        context = browser.new_context(base_url=live_server, viewport=viewport or LAPTOP, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form by typing, and wait for the landing page."""
    page.goto("/dang-nhap")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/trang-chu$"))


def shot(page, name: str) -> Path:
    """A full-page screenshot under tests/artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
