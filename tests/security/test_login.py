"""Issue #14 item 4: `next` stays on the site; per-account lockout with a progressive delay and one message for
every refusal; unknown users cost the same argon2 work; per-address limits counted in the configured storage."""
from __future__ import annotations

import uuid

import pytest
from factories import PRODUCTION_IDENTITY_ENV

from config import load_config
from dvflow import security
from dvflow.web.org.auth import safe_next

from .conftest import HOME, LOGIN, csrf_from, flashes, post_login, redis_up

OFF_SITE = [
    "/%09/evil.example/", "//evil.example", "/\\evil.example", "/%5Cevil.example", "%2F%2Fevil.example",
    "/%2F/evil.example", "/%252F%252Fevil.example", "https://evil.example/", "javascript:alert(1)",
    "/%0a/evil.example", "%20//evil.example", "http:/evil.example", "evil.example",
]


@pytest.mark.parametrize("raw", OFF_SITE)
def test_login_never_redirects_off_site(app, session, org, raw):
    response = post_login(app.test_client(), "handler", next_=raw)
    assert response.status_code == 302
    assert response.headers["Location"] == HOME, raw


def test_login_goes_back_to_a_page_of_the_site(app, session, org):
    response = post_login(app.test_client(), "handler", next_="/ho-so%3Fhang%3Dmine")
    assert response.headers["Location"] == "/ho-so?hang=mine"


@pytest.mark.parametrize("target", ["/", "/ho-so?hang=due", "/ho-so/12#lich-su"])
def test_safe_next_keeps_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", ["/\t/evil.example/", "//evil", "/\\evil", "https://evil", "/\u3000/x", "", None,
                                    "/%2F%2Fevil", "/%5c%5cevil", "/" + "a" * 2001])
def test_safe_next_refuses(target):
    assert safe_next(target) is None


def _refusal(client, username, password):
    response = post_login(client, username, password)
    assert response.status_code == 200
    return flashes(response.get_data(as_text=True))


def test_lockout_with_progressive_delay(app, session, org, clock):
    client = app.test_client()
    for _ in range(5):
        _refusal(client, "handler", "sai-mat-khau-roi")
    assert _refusal(client, "handler", "password-123")  # locked: even the right password is refused
    clock.advance(seconds=61)
    assert post_login(client, "handler").status_code == 302  # the lock (1 minute) is over; the counter resets
    client = app.test_client()
    for _ in range(5):
        _refusal(client, "handler", "sai-mat-khau-roi")
    clock.advance(seconds=61)
    _refusal(client, "handler", "sai-mat-khau-roi")  # the 6th failure in a row locks for 2 minutes
    clock.advance(seconds=119)
    assert _refusal(client, "handler", "password-123")
    clock.advance(seconds=2)
    _refusal(client, "handler", "sai-mat-khau-roi")  # the 7th: 4 minutes
    clock.advance(minutes=3, seconds=59)
    assert _refusal(client, "handler", "password-123")
    clock.advance(seconds=2)
    assert post_login(client, "handler").status_code == 302
    assert org["users"]["handler"].failed_logins == 0


def test_lock_delay_grows_and_is_capped():
    from datetime import timedelta

    from dvflow.services.org.login import lock_for

    assert [lock_for(n) for n in (1, 4)] == [None, None]
    assert [lock_for(n) for n in (5, 6, 7, 8)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert lock_for(11) == lock_for(500) == timedelta(minutes=60)


def test_one_message_whether_the_account_exists_is_wrong_or_locked(app, session, org):
    client = app.test_client()
    wrong = _refusal(client, "handler", "sai-mat-khau-roi")
    unknown = _refusal(client, "khong-ton-tai", "sai-mat-khau-roi")
    for _ in range(5):
        _refusal(client, "handler", "sai-mat-khau-roi")
    locked = _refusal(client, "handler", "password-123")
    assert wrong == unknown == locked and len(wrong) == 1


@pytest.mark.parametrize("who", ["nobody-at-all", "inactive"])
def test_unknown_and_inactive_users_verify_against_the_dummy_hash(app, session, org, monkeypatch, who):
    """No timing oracle: a login for a user who cannot log in runs the same argon2 verification (structural
    check: which hash was verified, not wall-clock time)."""
    org["users"]["handler"].active = False
    session.flush()
    verified: list[str] = []
    real = security.verify_password

    def spy(password_hash, password):
        verified.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(security, "verify_password", spy)
    username = "handler" if who == "inactive" else who
    _refusal(app.test_client(), username, "password-123")
    assert verified == [security.dummy_hash()]


def test_a_known_user_verifies_against_their_own_hash(app, session, org, monkeypatch):
    verified: list[str] = []
    real = security.verify_password
    monkeypatch.setattr(security, "verify_password", lambda h, p: verified.append(h) or real(h, p))
    post_login(app.test_client(), "handler")
    assert verified == [org["users"]["handler"].password_hash]


def test_per_address_limit(app, session, org):
    app.config["RATELIMIT_ENABLED"] = True
    from dvflow.extensions import limiter

    limiter.init_app(app)  # the fixture's app was built with limits off
    limiter.reset()
    client = app.test_client()
    statuses = [post_login(client, f"ai-do-{i}", "sai-mat-khau-roi").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_limit_storage_from_the_configuration():
    env = {"DVFLOW_SECRET_KEY": "k", "DVFLOW_AUDIT_SIGNING_KEY": "k", **PRODUCTION_IDENTITY_ENV}
    assert load_config(env, {"ENV": "production"})["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
    assert load_config(env, {"ENV": "development"})["RATELIMIT_STORAGE_URI"] == "memory://"
    assert load_config(env, {"ENV": "testing"})["RATELIMIT_STORAGE_URI"] == "memory://"
    chosen = load_config({**env, "DVFLOW_RATELIMIT_STORAGE_URI": "redis://10.0.0.5:6379/2"}, {"ENV": "production"})
    assert chosen["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.5:6379/2"


@pytest.mark.skipif(not redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_limits_are_counted_in_redis(connection, clock, tmp_path, session, org):
    """With the production storage the counts live in Redis, where every worker and node sees them."""
    import redis

    from dvflow import create_app

    # the limiter is one object per process whose init_app keeps the first app's key prefix: tell this test's
    # counts apart by a client address of its own instead (they are keyed by address)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "UPLOAD_DIR": str(tmp_path)})
    store = redis.Redis(host="127.0.0.1", port=6379)
    try:
        statuses = []
        for _ in range(11):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            statuses.append(post_login(client, "ai-do", "sai-mat-khau-roi").status_code)
        assert statuses[:10] == [200] * 10 and statuses[10] == 429
        assert store.keys(f"*{address}*")
    finally:
        for key in store.scan_iter(f"*{address}*"):
            store.delete(key)


def _limited_app(connection, clock, tmp_path, **config):
    from dvflow import create_app
    from dvflow.extensions import limiter

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "UPLOAD_DIR": str(tmp_path), **config})
    if app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        limiter.reset()
    return app


def _attempt(client, forwarded_for: str) -> int:
    """A wrong login from a client behind a proxy at 10.0.0.1 that forwards `forwarded_for`."""
    where = {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}, "headers": {"X-Forwarded-For": forwarded_for}}
    page = client.get(LOGIN, **where).get_data(as_text=True)
    return client.post(LOGIN, data={"username": "ai-do", "password": "sai-mat-khau-roi",
                                    "csrf_token": csrf_from(page)}, **where).status_code


def test_behind_a_trusted_proxy_each_client_is_counted(connection, clock, tmp_path, session, org):
    client = _limited_app(connection, clock, tmp_path, TRUSTED_PROXIES=1).test_client()
    statuses = [_attempt(client, "203.0.113.7") for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert _attempt(client, "203.0.113.8") == 200  # another citizen behind the same proxy


def test_forwarded_addresses_are_ignored_without_a_trusted_proxy(connection, clock, tmp_path, session, org):
    client = _limited_app(connection, clock, tmp_path).test_client()
    statuses = [_attempt(client, f"203.0.113.{i}") for i in range(11)]
    assert statuses[10] == 429  # a forged header does not buy a new address


def test_an_unreachable_limit_storage_does_not_refuse_logins(connection, clock, tmp_path, session, org):
    app = _limited_app(connection, clock, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
                       RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True)
    assert post_login(app.test_client(), "handler").status_code == 302
