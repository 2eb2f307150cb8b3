"""Two web nodes share the login defences: the per-address limit is counted in one Redis (the second node here is
another process, with a limiter and a Redis connection of its own), and the per-account lockout lives in the `users`
table, so a node never lets through what the other refused."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

from factories import PASSWORD
from tools import require

from config import ROOT
from dvflow import migrate
from dvflow.db import make_engine

from .conftest import LOGIN, post_login, redis_up

REDIS = "redis://127.0.0.1:6379"

#: the second node: its own process, its own app; it tries `n` wrong logins from `address` and prints the statuses
NODE = """
import json, sys
from dvflow import create_app
config, address, n = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
client = create_app(config).test_client()
statuses = [client.post("/dang-nhap", data={"username": "ai-do", "password": "sai-mat-khau-roi"},
                        environ_base={"REMOTE_ADDR": address}).status_code for _ in range(n)]
print(json.dumps(statuses))
"""


def _wrong_login(client, address: str) -> int:
    return client.post(LOGIN, data={"username": "ai-do", "password": "sai-mat-khau-roi"},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_two_nodes_count_one_address_together_in_redis(tmp_path):
    require(redis_up(), "Redis không chạy tại 127.0.0.1:6379: cài và chạy redis-server")
    import redis

    from dvflow import create_app

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    config = {"ENV": "testing", "DATABASE_URL": url, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS,
              "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "files")}
    # the counts are keyed by address: an address of this test's own keeps them apart from any other run's
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    store = redis.Redis(host="127.0.0.1", port=6379)
    try:
        node_a = create_app(config).test_client()
        assert [_wrong_login(node_a, address) for _ in range(6)] == [200] * 6
        env = {**os.environ, "DVFLOW_ENV": "testing"}
        run = subprocess.run([sys.executable, "-c", NODE, json.dumps(config), address, "5"], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
        # the limit is 10 a minute: the second node saw the first node's 6 and refuses its own 5th
        assert json.loads(run.stdout.strip().splitlines()[-1]) == [200, 200, 200, 200, 429]
        assert _wrong_login(node_a, address) == 429
        other = f"{address.rsplit('.', 1)[0]}.{(int(address.rsplit('.', 1)[1]) % 250) + 2}"
        assert _wrong_login(node_a, other) == 200  # another address is counted apart
    finally:
        for key in store.scan_iter(f"*{address.rsplit('.', 1)[0]}.*"):
            store.delete(key)


def test_an_account_locked_on_one_node_is_locked_on_the_other(connection, clock, tmp_path, session, org):
    """The whole account's lock (many addresses' failures) is a column of `users`: every node sees it."""
    from dvflow import create_app
    from dvflow.services.org import login

    def node(name: str):
        return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                           "UPLOAD_DIR": str(tmp_path / name)}).test_client()

    node_a, node_b = node("a"), node("b")
    for i in range(login.ACCOUNT_MAX_FAILURES // login.MAX_FAILURES):
        node_a.environ_base["REMOTE_ADDR"] = f"203.0.113.{i + 1}"
        for _ in range(login.MAX_FAILURES):
            post_login(node_a, "handler", "sai-mat-khau-roi")
    node_b.environ_base["REMOTE_ADDR"] = "198.51.100.2"  # an address that never failed
    refused = post_login(node_b, "handler", PASSWORD)
    assert refused.status_code == 200 and "Location" not in refused.headers
    clock.advance(minutes=2)
    assert post_login(node_b, "handler", PASSWORD).status_code == 302


def test_an_address_locked_on_one_node_is_locked_on_the_other(connection, clock, tmp_path, session, org):
    """The per-address lock is kept in the limits' Redis (DB 13 here, emptied before and after): a node does not let
    an address through that another node locked."""
    require(redis_up(), "Redis không chạy tại 127.0.0.1:6379: cài và chạy redis-server")
    import redis

    from dvflow import create_app

    store = redis.Redis.from_url(f"{REDIS}/13")
    store.flushdb()

    def node(name: str):
        return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": False,
                           "RATELIMIT_STORAGE_URI": f"{REDIS}/13", "UPLOAD_DIR": str(tmp_path / name)}).test_client()

    try:
        node_a, node_b = node("a"), node("b")
        for client in (node_a, node_b):
            client.environ_base["REMOTE_ADDR"] = "203.0.113.66"
        for _ in range(5):
            post_login(node_a, "handler", "sai-mat-khau-roi")
        refused = post_login(node_b, "handler", PASSWORD)
        assert refused.status_code == 200 and "Location" not in refused.headers
        node_b.environ_base["REMOTE_ADDR"] = "198.51.100.2"  # the owner, elsewhere
        assert post_login(node_b, "handler", PASSWORD).status_code == 302
    finally:
        store.flushdb()
