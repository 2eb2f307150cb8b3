"""Where the per-address limits are counted in production, and what happens when Redis is gone or stuck; the proxy
whose forwarded addresses are ignored. A web node is run as gunicorn runs it: `import wsgi` in a process whose root
logger has no handler. From a review's reproductions (limits); Redis tests use DB 13 only."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading

import pytest
from tools import require

from config import ROOT, ConfigError, load_config
from deploy.e2e.layout import random_keys
from dvflow import migrate
from dvflow.db import make_engine
from dvflow.extensions import limiter

from .conftest import redis_up

LOOKUP = {"tracking_code": "KN-2026-000001", "secret": "ABCDEF"}
REDIS_13 = "redis://127.0.0.1:6379/13"

#: a web node as gunicorn loads it (wsgi.app, nothing configures logging), answering `n` tracking lookups
NODE = """
import sys
from wsgi import app
client = app.test_client()
for _ in range(int(sys.argv[1])):
    print(client.post("/api/v1/public/track", json=%r, environ_base={"REMOTE_ADDR": "198.51.100.77"}).status_code)
""" % (LOOKUP,)


def _production_node(tmp_path, storage: str, n: int = 2, **env) -> subprocess.CompletedProcess:
    url = f"sqlite:///{tmp_path / 'node.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    environ = {**{k: v for k, v in os.environ.items() if not k.startswith("DVFLOW_")}, **random_keys(),
               "DVFLOW_ENV": "production", "DVFLOW_DATABASE_URL": url, "DVFLOW_UPLOAD_DIR": str(tmp_path / "files"),
               "DVFLOW_RATELIMIT_STORAGE_URI": storage, "DVFLOW_TRUSTED_PROXIES": "1", **env}
    return subprocess.run([sys.executable, "-c", NODE, str(n)], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=120)


def test_a_node_whose_redis_is_down_says_so(tmp_path):
    """Redis unreachable: each process counts alone (the documented choice), and the node's output says so, at start
    and when the limiter falls back (Flask-Limiter's logger held only a NullHandler)."""
    run = _production_node(tmp_path, "redis://:s3cret@127.0.0.1:1/0")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["404", "404"]
    assert "rate limit storage unreachable at start-up" in run.stderr
    assert "falling back to in-memory storage" in run.stderr
    assert "s3cret" not in run.stderr  # the URI's password is not logged


def test_production_refuses_memory_limits(tmp_path):
    run = _production_node(tmp_path, "memory://")
    assert run.returncode != 0 and run.stdout == ""
    refusal = run.stderr.strip().splitlines()[-1]
    assert refusal.startswith("dvflow (production): DVFLOW_RATELIMIT_STORAGE_URI=memory://")
    assert "DVFLOW_RATELIMIT_SINGLE_PROCESS=1" in refusal


def test_production_takes_memory_limits_when_told_it_runs_one_process(tmp_path):
    run = _production_node(tmp_path, "memory://", DVFLOW_RATELIMIT_SINGLE_PROCESS="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["404", "404"] and "counted in this process's memory" in run.stderr


def test_the_memory_refusal_is_production_only():
    from factories import PRODUCTION_IDENTITY_ENV

    env = {"DVFLOW_SECRET_KEY": "k" * 40, "DVFLOW_AUDIT_SIGNING_KEY": "k" * 40, **PRODUCTION_IDENTITY_ENV,
           "DVFLOW_RATELIMIT_STORAGE_URI": "memory://"}
    with pytest.raises(ConfigError, match="DVFLOW_RATELIMIT_SINGLE_PROCESS"):
        load_config(env, {"ENV": "production"})
    assert load_config({**env, "DVFLOW_RATELIMIT_SINGLE_PROCESS": "1"}, {"ENV": "production"})
    assert load_config(env, {"ENV": "development"})["RATELIMIT_STORAGE_URI"] == "memory://"


class StuckRedis:
    """A TCP port that accepts connections and never answers: a Redis paused, swapping, or behind a link that
    drops packets (as seen from its clients)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def stuck(connection, clock, tmp_path):
    server = StuckRedis()
    yield server
    server.close()
    from dvflow import create_app

    # the limiter is one object per process: leave it on memory, and not marked dead, for the next tests
    create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                "UPLOAD_DIR": str(tmp_path)})
    limiter._storage_dead = False
    limiter.reset()


def test_a_stuck_redis_does_not_hang_the_request(connection, clock, tmp_path, stuck):
    """Without a socket timeout a lookup (or a login, a booking) waited for ever on the limiter's Redis, and gunicorn's
    gthread workers never time a thread out: four such requests stopped a 4-thread worker answering anything."""
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{stuck.port}/13", "UPLOAD_DIR": str(tmp_path),
                      "WTF_CSRF_ENABLED": False})
    answers: list = []

    def lookups():
        client = app.test_client()
        answers.extend(client.post("/api/v1/public/track", json=LOOKUP).status_code for _ in range(2))
        answers.append(client.post("/dang-nhap", data={"username": "ai-do", "password": "sai"}).status_code)

    worker = threading.Thread(target=lookups, daemon=True)
    worker.start()
    worker.join(timeout=8)
    assert not worker.is_alive(), "the requests still wait on the stuck Redis after 8 seconds"
    assert answers == [404, 404, 200]  # the login too: its per-address lock is kept in the same Redis


def test_two_nodes_share_the_tracking_counts_in_redis(tmp_path):
    """The lookup limit, like the login's, is counted once for every node (DB 13, emptied before and after)."""
    require(redis_up(), "Redis không chạy tại 127.0.0.1:6379: cài và chạy redis-server")
    import redis

    store = redis.Redis.from_url(REDIS_13)
    store.flushdb()
    try:
        first = _production_node(tmp_path, REDIS_13, n=15)
        (tmp_path / "b").mkdir()
        second = _production_node(tmp_path / "b", REDIS_13, n=10)
        assert first.stdout.split() == ["404"] * 15, first.stderr
        assert second.stdout.split() == ["404"] * 5 + ["429"] * 5, second.stderr
    finally:
        store.flushdb()


def _limited_app(connection, clock, tmp_path, **config):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "UPLOAD_DIR": str(tmp_path), **config})
    limiter.reset()
    return app


def _proxy_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "DVFLOW_TRUSTED_PROXIES is 0" in r.getMessage()]


def test_forwarded_headers_from_a_proxy_with_trusted_proxies_0_are_reported_once(connection, clock, tmp_path, caplog):
    """Behind nginx with DVFLOW_TRUSTED_PROXIES forgotten, every client is counted as nginx's address (20 lookups a
    minute for the whole province). The requests show it: they come from the proxy carrying X-Forwarded-For."""
    client = _limited_app(connection, clock, tmp_path).test_client()
    with caplog.at_level(logging.WARNING):
        statuses = [client.post("/api/v1/public/track", json=LOOKUP, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(1, 22)]
    limiter.reset()
    assert statuses[-1] == 429  # 21 different citizens behind nginx: the 21st is refused
    assert len(_proxy_warnings(caplog)) == 1


@pytest.mark.parametrize("case", ["public peer", "trusted proxy", "no header"])
def test_no_proxy_warning_where_nothing_is_amiss(connection, clock, tmp_path, caplog, case):
    config = {"TRUSTED_PROXIES": 1} if case == "trusted proxy" else {}
    client = _limited_app(connection, clock, tmp_path, **config).test_client()
    peer = "93.184.216.34" if case == "public peer" else "127.0.0.1"  # only a WSGI value: no traffic
    headers = {} if case == "no header" else {"X-Forwarded-For": "198.51.100.1"}
    with caplog.at_level(logging.WARNING):
        client.post("/api/v1/public/track", json=LOOKUP, environ_base={"REMOTE_ADDR": peer}, headers=headers)
    limiter.reset()
    assert _proxy_warnings(caplog) == []
