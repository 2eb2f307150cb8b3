"""How many tracking-secret guesses a client gets, and what a refused one is told: one budget per address across the
four answers that tell a right secret from a wrong one, a cap of wrong secrets per tracking code, IPv6 clients by
their /64, and Retry-After on every 429. From a review's reproductions (limits)."""
from __future__ import annotations

import re

import pytest

from dvflow.extensions import client_key, limiter
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case

GUESS = {"tracking_code": "KN-2026-000001", "secret": "ABCDEF"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def limited(connection, clock, tmp_path):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": str(tmp_path)})
    limiter.reset()
    yield app
    limiter.reset()


def _guesses_from(client, address: str, n: int = 25) -> list[int]:
    """`n` wrong guesses of the same code through each of the four answers; their statuses."""
    env = {"REMOTE_ADDR": address}
    out = [client.post("/tra-cuu", data=GUESS, environ_base=env).status_code for _ in range(n)]
    out += [client.post("/tra-cuu/danh-gia", data={**GUESS, "score": "5"}, environ_base=env).status_code
            for _ in range(n)]
    out += [client.post("/api/v1/public/track", json=GUESS, environ_base=env).status_code for _ in range(n)]
    out += [client.post("/api/v1/public/rate", json={**GUESS, "score": 5}, environ_base=env).status_code
            for _ in range(n)]
    return out


def test_one_address_gets_20_secret_guesses_a_minute_in_all(limited, clock):
    """README: 20 lookups a minute per address. Each of the four endpoints had a budget of its own: 80."""
    client = limited.test_client()
    statuses = _guesses_from(client, "198.51.100.7", n=10)
    assert statuses == [404] * 20 + [429] * 20
    clock.advance(minutes=1)  # the limiter's own clock is the wall clock: the count is per minute of real time
    assert client.post("/api/v1/public/track", json=GUESS,
                       environ_base={"REMOTE_ADDR": "198.51.100.8"}).status_code == 404  # another address


def _case(app, session, org):
    workflows = app.extensions["dvflow.workflows"]
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter",
                       received_at=app.config["NOW"](), subject="Khiếu nại quyết định thu hồi đất", content="Nội dung",
                       parties=[PartyInput(role="complainant", name="Lê Văn An")])
    case = register_case(session, workflows, org["users"]["head"], data, app.config["NOW"]())
    session.flush()
    return case


def test_wrong_secrets_on_one_code_are_capped_across_addresses(limited, session, org):
    """A code's secret cannot be guessed from many addresses at once: 30 wrong secrets a day per code, whoever
    sends them; right ones do not count; another code keeps its own count."""
    case = _case(limited, session, org)
    client = limited.test_client()
    right = {"tracking_code": case.tracking_code, "secret": case.tracking_secret}
    wrong = {"tracking_code": case.tracking_code.lower(), "secret": "ABCDEF"}  # the same code in another form

    def track(body, i):
        return client.post("/api/v1/public/track", json=body, environ_base={"REMOTE_ADDR": f"198.51.100.{i}"})

    assert [track(right, 200).status_code for _ in range(5)] == [200] * 5
    statuses = [track(wrong, i).status_code for i in range(1, 41)]
    assert statuses == [404] * 30 + [429] * 10
    # spent for the day: the page refuses it too, even with the right secret (README says so)
    assert client.post("/tra-cuu", data=right, environ_base={"REMOTE_ADDR": "198.51.100.99"}).status_code == 429
    assert track({**GUESS, "tracking_code": "KN-2026-000002"}, 120).status_code == 404


@pytest.mark.parametrize("address, key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:abcd:12::1", "2001:db8:abcd:12::/64"),
    ("2001:DB8:ABCD:12:ffff:1:2:3", "2001:db8:abcd:12::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("not an address", "not an address"),
    (None, "-"),
])
def test_client_key(address, key):
    assert client_key(address) == key


def test_one_ipv6_network_is_counted_as_one_client(limited):
    """An IPv6 subscriber holds a whole /64 (2^64 addresses): counted alone, each address had a fresh budget."""
    client = limited.test_client()

    def track(address):
        return client.post("/api/v1/public/track", json={**GUESS, "tracking_code": f"KN-2026-{len(address):06d}"},
                           environ_base={"REMOTE_ADDR": address}).status_code

    statuses = [track(f"2001:db8:abcd:12::{i:x}") for i in range(1, 22)]
    assert statuses == [404] * 20 + [429]
    assert track("2001:db8:abcd:13::1") == 404  # the next /64 is another subscriber


def test_a_refused_lookup_says_when_to_come_back(limited):
    client = limited.test_client()
    for _ in range(20):
        client.post("/api/v1/public/track", json=GUESS, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    api = client.post("/api/v1/public/track", json=GUESS, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    for _ in range(20):
        client.post("/tra-cuu", data=GUESS, environ_base={"REMOTE_ADDR": "198.51.100.10"})
    page = client.post("/tra-cuu", data=GUESS, environ_base={"REMOTE_ADDR": "198.51.100.10"})
    assert api.status_code == 429 and api.json["error"]["code"] == 429
    assert "quá nhiều" in api.json["error"]["message"]
    assert page.status_code == 429 and "quá nhiều" in page.get_data(as_text=True)
    for answer in (api, page):
        assert 1 <= int(answer.headers["Retry-After"]) <= 61, dict(answer.headers)  # the window, rounded up


def test_the_wrong_secret_cap_says_when_to_come_back(limited):
    client = limited.test_client()
    for i in range(30):
        client.post("/api/v1/public/track", json=GUESS, environ_base={"REMOTE_ADDR": f"198.51.100.{i + 1}"})
    refused = client.post("/api/v1/public/track", json=GUESS, environ_base={"REMOTE_ADDR": "198.51.100.200"})
    assert refused.status_code == 429 and 61 < int(refused.headers["Retry-After"]) <= 24 * 3600 + 1


def test_no_retry_after_outside_a_429(limited):
    answer = limited.test_client().post("/api/v1/public/track", json=GUESS)
    assert answer.status_code == 404 and "Retry-After" not in answer.headers
