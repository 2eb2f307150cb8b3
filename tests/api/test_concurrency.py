"""Two actions on one case at the same instant, through a real server on a committed PostgreSQL database:
one wins (200), the other gets 409, and exactly one history row is written."""
from __future__ import annotations

import contextlib
import json
import threading
import urllib.error
import urllib.request

import pytest
from factories import NOW
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import ROOT
from dvflow import migrate
from dvflow.db import make_engine
from dvflow.models import CaseEvent
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.org import accounts, tokens
from dvflow.workflows import load_registry


def _seed(url: str) -> tuple[int, str, int]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine, expire_on_commit=False) as s:
        dept = accounts.create_unit(s, "STNMT", "Sở NN&MT", level="department")
        head = accounts.create_user(s, "head", "password-123", now=NOW)
        accounts.grant_role(s, head, dept, "head")
        raw = tokens.create_token(s, head, "song song", NOW)[1]
        data = IntakeInput(kind="complaint_first", unit_id=dept.id, channel="walk_in", received_at=NOW,
                           subject="Khiếu nại", parties=[PartyInput(role="complainant", name="Lê Văn A")])
        case = register_case(s, load_registry(str(ROOT / "workflows")), head, data, NOW)
        s.commit()
        result = case.id, raw, case.version
    engine.dispose()
    return result


def _post(url: str, token: str, body: dict, results: list, barrier: threading.Barrier, headers: dict) -> None:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                          **headers})
    barrier.wait()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            results.append(resp.status)
    except urllib.error.HTTPError as err:
        results.append(err.code)


def _twice(url: str, token: str, body: dict, headers: dict | None = None) -> list[int]:
    """The same POST from two threads released at the same instant; the two statuses."""
    results: list[int] = []
    barrier = threading.Barrier(2)
    workers = [threading.Thread(target=_post, args=(url, token, body, results, barrier, headers or {}))
               for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    return results


@contextlib.contextmanager
def _served(url: str):
    """The app on a real threaded server over the database at `url`; yields its base address."""
    from werkzeug.serving import make_server

    from dvflow import create_app

    app = create_app({"ENV": "testing", "DATABASE_URL": url, "NOW": lambda: NOW, "RATELIMIT_ENABLED": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["dvflow.bind"].dispose()


@pytest.mark.parametrize("with_version", [True, False])
def test_parallel_actions_one_wins(scratch_postgres_url, with_version):
    case_id, token, version = _seed(scratch_postgres_url)
    body = {"fields": {"decision_date": "2026-11-25"}}  # the number: the register's
    if with_version:
        body["version"] = version
    with _served(scratch_postgres_url) as base:
        results = _twice(f"{base}/api/v1/cases/{case_id}/actions/accept", token, body)
    assert sorted(results) == [200, 409]
    engine = make_engine(scratch_postgres_url)
    with Session(engine) as s:
        count = s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id,
                                                                           CaseEvent.action == "accept"))
    engine.dispose()
    assert count == 1


def test_two_requests_with_the_same_idempotency_key_at_once_make_one_case(scratch_postgres_url):
    from dvflow.models import Case

    _case_id, token, _version = _seed(scratch_postgres_url)
    body = {"kind": "complaint_first", "unit": "STNMT", "channel": "walk_in", "received_at": "2026-11-25T08:00:00",
            "subject": "Khiếu nại gửi hai lần", "parties": [{"role": "complainant", "name": "Lê Văn B"}]}
    with _served(scratch_postgres_url) as base:
        results = _twice(f"{base}/api/v1/cases", token, body, {"Idempotency-Key": "retry-1"})
    engine = make_engine(scratch_postgres_url)
    with Session(engine) as s:
        count = s.scalar(select(func.count()).select_from(Case).where(Case.subject == "Khiếu nại gửi hai lần"))
    engine.dispose()
    assert sorted(results) == [200, 201] and count == 1
