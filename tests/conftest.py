"""Fixtures shared by the whole suite.

Database tests take the `db_engine` fixture (directly or through `session` / `app`) and run once per backend:
SQLite always, PostgreSQL when DVFLOW_TEST_POSTGRES_URL is set. The schema is built once per backend by the
real Alembic migrations; each test runs inside a transaction that is rolled back at its end. Under pytest-xdist
(`make test` runs two workers) each worker is a process of its own, with its own SQLite file and PostgreSQL database.

Layout: tests/<domain> beside dvflow/services/<domain> (cases, deadlines, inbox, org, workflows), tests/<package>
beside the other packages (api, db, engine, notify, scheduler, web; bench), tests/app for the app as a whole,
tests/browser for Chromium. factories.py holds NOW and the organisation factory; deadlines/helpers.py the sweep's
world; mailserver.py the SMTP server.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta

import pytest
from factories import NOW, SERVICE_ORG, make_org
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from dvflow import migrate
from dvflow.db import make_engine

POSTGRES_URL = os.environ.get("DVFLOW_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


class FrozenClock:
    """An injectable `now`: tests set and advance it; nothing reads the wall clock."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = instant

    def advance(self, **kwargs) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


def ensure_postgres_database(url: str) -> None:
    """Create the test database if it does not exist yet (trust auth on the CI machine)."""
    import psycopg

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def reset_postgres_schema(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def drop_postgres_database(url: str) -> None:
    import psycopg

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


@pytest.fixture
def postgres_only(db_backend):
    """Names a test of the PostgreSQL half only (it runs in CI): row locks between two real connections or processes
    (FOR UPDATE, SKIP LOCKED), trigram indexes. pytest_collection_modifyitems never collects its SQLite variant."""
    return db_backend


def pytest_collection_modifyitems(config, items):
    """The SQLite variant of a test that needs PostgreSQL (the postgres_only fixture or marker) is not collected at
    all, rather than collected and skipped: there is nothing of it to run on SQLite."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("db_backend") == "sqlite"
        needs_postgres = ("postgres_only" in getattr(item, "fixturenames", ())
                          or item.get_closest_marker("postgres_only") is not None)
        (dropped if on_sqlite and needs_postgres else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def scratch_postgres_url(postgres_only):
    """An empty PostgreSQL database of the test's own, dropped at its end: for tests that open several connections or
    processes, which the rolled-back `connection` of the other tests cannot serve."""
    base = make_url(POSTGRES_URL)
    url = base.set(database=f"{base.database}_scratch_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    url = url.render_as_string(hide_password=False)
    ensure_postgres_database(url)
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def scratch_engine(scratch_postgres_url):
    """An engine on the scratch database, migrated to the newest revision."""
    engine = make_engine(scratch_postgres_url)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def private_postgres_url() -> str:
    """A database of this test run's own, beside the configured one, so concurrent runs never collide."""
    base = make_url(POSTGRES_URL)
    return base.set(database=f"{base.database}_{os.getpid()}").render_as_string(hide_password=False)


def backend_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = private_postgres_url()
    ensure_postgres_database(url)
    return url


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Hash with the testing configuration's cheap argon2 parameters, also where no app exists (fixtures that
    create users with only a session); every create_app() sets them again from its own configuration."""
    from config import TestingConfig
    from dvflow import security

    security.configure_from(vars(TestingConfig))
    yield
    security.configure()


@pytest.fixture(autouse=True)
def identity_keys():
    """The testing configuration's identity keys (dvflow.crypto), also where no app exists (fixtures and the
    migrations write and read parties with only a session); installed again before each test, since a test may
    create an app with other keys (production configurations, rotation)."""
    from config import TestingConfig
    from dvflow import crypto

    crypto.install_from({k: getattr(TestingConfig, k) for k in ("IDENTITY_KEYS", "IDENTITY_HASH_KEY")})
    yield


@pytest.fixture(scope="session", autouse=True)
def workflow_files_compiled_once():
    """create_app() compiles every workflow file (seconds); the `app` fixture creates an app per test. Compile each
    directory once per content: the Registry and its Definitions are frozen, and their compiled machines keep no
    state per call, so apps can share them as one app's threads do. A file edited or added makes a new entry."""
    import hashlib
    from pathlib import Path

    from dvflow import workflows as app_workflows

    original = getattr(app_workflows, "load_all", None)
    if original is None:  # moved elsewhere: compile per app as before
        yield
        return
    compiled: dict = {}

    def load_all_once(directory):
        path = Path(directory).resolve()
        digest = hashlib.sha256()
        for file in sorted(path.glob("*.y*ml")) if path.is_dir() else ():
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
        key = (str(path), digest.hexdigest())
        if key not in compiled:
            compiled[key] = original(directory)
        return compiled[key]

    app_workflows.load_all = load_all_once
    yield
    app_workflows.load_all = original


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def db_url(db_backend, tmp_path_factory) -> str:
    return backend_url(db_backend, tmp_path_factory)


@pytest.fixture(scope="session")
def db_engine(db_backend, db_url):
    engine = make_engine(db_url)
    if db_backend == "postgres":
        reset_postgres_schema(engine)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
    if db_backend == "postgres":
        drop_postgres_database(db_url)


@pytest.fixture
def connection(db_engine):
    with db_engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection) -> Session:
    s = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield s
    s.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def app(connection, clock, tmp_path):
    from dvflow import create_app

    application = create_app({
        "ENV": "testing",
        "DB_BIND": connection,
        "NOW": clock,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    })
    yield application


@pytest.fixture
def client(app):
    return app.test_client()


# --- the shipped workflows and a small unit tree with users (tests/api and tests/web have their own `org`) --------
@pytest.fixture(scope="session")
def workflows():
    from config import ROOT
    from dvflow.workflows import load_registry

    return load_registry(str(ROOT / "workflows"))


@pytest.fixture
def org(session):
    """Province > department (STNMT), a remote commune and another department (SYT); a user per role."""
    return make_org(session, **SERVICE_ORG)


# --- the deadline sweep's world, the scheduler's small app and a real SMTP server ------------------------------------
@pytest.fixture
def world(session):
    from deadlines.helpers import World

    return World(session)


@pytest.fixture
def mini_app(connection, clock):
    """The pieces of the real app the scheduler uses (sessions on the rolled-back test connection, NOW, CLI)."""
    from deadlines.helpers import FakeWorkflows
    from flask import Flask

    from dvflow.cli import dvflow_cli
    from dvflow.cli import (
        scheduler as _scheduler_commands,  # noqa: F401  (attaches sweep / scheduler)
    )
    from dvflow.db import make_session_factory

    app = Flask("dvflow-scheduler-test")
    app.config.update(TESTING=True, NOW=clock, SWEEP_INTERVAL_SECONDS=60, MAIL_HOST="", MAIL_PORT=25,
                      MAIL_SENDER="dvflow@example.vn", MAIL_TLS=False)
    app.extensions["dvflow.bind"] = connection
    app.extensions["dvflow.sessionmaker"] = make_session_factory(connection)
    app.extensions["dvflow.workflows"] = FakeWorkflows()
    app.cli.add_command(dvflow_cli)
    return app


# --- an S3-compatible object store (moto's server, in this process, on a free port) -----------------------------
@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of an S3 server for the whole run: the app reaches it over HTTP as it would reach MinIO."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_config(s3_endpoint, monkeypatch) -> dict:
    """The app's configuration of a new, empty bucket of its own on that server (credentials: boto3's variables)."""
    from dvflow.storage import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "dvflow-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "dvflow-test-secret")
    bucket = f"dvflow-{uuid.uuid4().hex[:12]}"
    S3Storage(bucket, s3_endpoint).create_bucket()
    return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": "us-east-1", "S3_PREFIX": "ho-so/"}


@pytest.fixture
def smtp_server():
    from mailserver import start_smtp

    controller, server = start_smtp(refuse=False)
    yield server
    controller.stop()


@pytest.fixture
def refusing_smtp_server():
    from mailserver import start_smtp

    controller, server = start_smtp(refuse=True)
    yield server
    controller.stop()


# --- a closing line saying how the PostgreSQL half went, so CI output shows it ran --------------------------------
_pg_outcomes: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if "postgres" not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        key = report.outcome if report.outcome in _pg_outcomes else "failed"
        _pg_outcomes[key] += 1


def pytest_terminal_summary(terminalreporter):
    if POSTGRES_URL:
        o = _pg_outcomes
        terminalreporter.write_line(
            f"PostgreSQL half ({make_url(POSTGRES_URL).render_as_string()}): "
            f"{o['passed']} tests passed, {o['failed']} failed, {o['skipped']} skipped")
    else:
        terminalreporter.write_line("PostgreSQL half not run: set DVFLOW_TEST_POSTGRES_URL to run it")
