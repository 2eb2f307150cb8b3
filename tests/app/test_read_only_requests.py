"""GET and HEAD requests run in read-only sessions: on SQLite a plain BEGIN instead of BEGIN IMMEDIATE, so a read
never queues behind a writer; and a read-only session refuses any write.

These tests use a real SQLite file (not the shared test connection), so the request sessions begin their own
transactions exactly as in production.
"""
from __future__ import annotations

import sqlite3
from datetime import timedelta, timezone

import pytest
from factories import NOW
from sqlalchemy import event, select

from dvflow import create_app, migrate
from dvflow.cli.demo_data import DEMO_PASSWORD
from dvflow.db import ReadOnlyViolation
from dvflow.models import ApiToken, Case, Unit, User
from dvflow.services.org import tokens


@pytest.fixture
def file_app(tmp_path):
    path = tmp_path / "dvflow.sqlite3"
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{path}", "NOW": lambda: NOW,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "up")})
    migrate.upgrade(app.extensions["dvflow.bind"])
    result = app.test_cli_runner().invoke(args=["dvflow", "demo", "load"])
    assert result.exit_code == 0, result.output
    app.config["SQLITE_PATH"] = str(path)
    yield app
    app.extensions["dvflow.bind"].dispose()


@pytest.fixture
def begins(file_app):
    """The BEGIN statements the app's engine sends, in order."""
    seen: list[str] = []
    engine = file_app.extensions["dvflow.bind"]
    listener = lambda conn, cursor, statement, *rest: seen.append(statement) if statement.startswith("BEGIN") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def _token(app, username: str) -> str:
    with app.extensions["dvflow.sessionmaker"]() as s:
        user = s.scalar(select(User).where(User.username == username))
        _row, raw = tokens.create_token(s, user, "test", NOW)
        s.commit()
    return raw


def _case_ids(app) -> list[int]:
    with app.extensions["dvflow.sessionmaker"]() as s:
        return list(s.scalars(select(Case.id).order_by(Case.id)))


def _get_urls(app, case_id: int, unit_id: int) -> list[str]:
    """Every GET page of the app: rules without arguments, and those taking a case or unit id."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        args = set(rule.arguments)
        if not args:
            urls.append(rule.rule)
        elif args == {"case_id"}:
            urls.append(rule.rule.replace("<int:case_id>", str(case_id)))
        elif args == {"unit_id"}:
            urls.append(rule.rule.replace("<int:unit_id>", str(unit_id)))
    return urls


@pytest.mark.parametrize("username", ["tiepdan", "chuyenvien", "truongso", "giamsat", "quantri"])
def test_no_page_writes_on_get(file_app, username):
    """A write under a GET raises ReadOnlyViolation, which would show as a 500: every page must answer < 500."""
    client = file_app.test_client()
    assert client.post("/dang-nhap", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    with file_app.extensions["dvflow.sessionmaker"]() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.code == "STNMT"))
    urls = [u for case_id in _case_ids(file_app)[:3] for u in _get_urls(file_app, case_id, unit_id)]
    assert len(urls) > 15
    for url in urls:
        status = client.get(url).status_code
        assert status < 500, (username, url, status)


def test_api_reads_begin_deferred_and_writes_begin_immediate(file_app, begins):
    raw = _token(file_app, "truongso")
    client = file_app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    case_id = client.get("/api/v1/cases", headers=headers).get_json()["items"][0]["id"]  # also notes the token's use
    begins.clear()
    for path in (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}/events", f"/api/v1/cases/{case_id}/clocks"):
        assert client.get(path, headers=headers).status_code == 200, path
    assert begins and set(begins) == {"BEGIN"}
    begins.clear()
    response = client.post(f"/api/v1/cases/{case_id}/actions/no_such_action", headers=headers, json={"fields": {}})
    assert response.status_code in (400, 404, 409) and response.get_json()["error"]
    assert "BEGIN IMMEDIATE" in begins


def test_a_get_does_not_wait_for_a_writer(file_app):
    """Another process holds SQLite's write lock; an API read still answers (it would otherwise wait out
    busy_timeout and fail with 'database is locked')."""
    raw = _token(file_app, "truongso")
    client = file_app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    case_id = client.get("/api/v1/cases", headers=headers).get_json()["items"][0]["id"]  # token use noted now
    writer = sqlite3.connect(file_app.config["SQLITE_PATH"], isolation_level=None, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE cases SET subject = 'đang sửa' WHERE id = ?", (case_id,))
        response = client.get(f"/api/v1/cases/{case_id}", headers=headers)
        assert response.status_code == 200
        assert response.get_json()["subject"] != "đang sửa"  # the reader sees the last committed state
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_token_use_is_noted_under_a_get(file_app):
    raw = _token(file_app, "truongso")
    file_app.config["NOW"] = lambda: NOW + timedelta(hours=1)
    assert file_app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    with file_app.extensions["dvflow.sessionmaker"]() as s:
        token = s.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.hash_token(raw)))
        assert token.last_used_at.replace(tzinfo=timezone.utc) == NOW + timedelta(hours=1)


def test_a_read_only_session_refuses_to_write(file_app):
    with file_app.extensions["dvflow.read_sessionmaker"]() as s:
        unit = s.scalar(select(Unit).where(Unit.code == "STNMT"))
        unit.name = "Đổi tên"
        with pytest.raises(ReadOnlyViolation):
            s.flush()
        s.rollback()
    with file_app.extensions["dvflow.sessionmaker"]() as s:
        assert s.scalar(select(Unit.name).where(Unit.code == "STNMT")) != "Đổi tên"

