"""GET /cases pages by cursor: each answer links the next page (its filters kept), a bad cursor lists the first
page, and the total stops at 10,000 (total_capped)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from dvflow.services import keyset

from .conftest import complaint_body


def _register(api, n: int) -> list[int]:
    return [api("reception").post("/cases", complaint_body(subject=f"Đơn số {i}")).json["id"] for i in range(n)]


def test_next_links_walk_every_case_once(api, client):
    ids = _register(api, 5)
    first = api("handler").get("/cases?limit=2&kind=complaint_first").json
    assert first["total"] == 5 and not first["total_capped"]
    seen, body, hops = [c["id"] for c in first["items"]], first, 0
    while body["next"]:
        link = urlsplit(body["next"])
        assert link.path == "/api/v1/cases" and parse_qs(link.query)["kind"] == ["complaint_first"]
        assert "offset" not in parse_qs(link.query)
        body = api("handler").client.get(body["next"], headers=api("handler")._headers()).json
        seen += [c["id"] for c in body["items"]]
        hops += 1
    assert hops == 2 and sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert seen == [c["id"] for c in api("handler").get("/cases?limit=10").json["items"]]


def test_a_bad_cursor_answers_the_first_page(api):
    _register(api, 3)
    first = api("handler").get("/cases?limit=2").json
    for token in ("nonsense", "%25%25", "MTIz"):
        resp = api("handler").get(f"/cases?limit=2&cursor={token}")
        assert resp.status_code == 200 and resp.json["items"] == first["items"]
    too_long = api("handler").get("/cases?cursor=" + "A" * 65)
    assert too_long.status_code == 400 and "cursor" in str(too_long.json)


def test_the_total_is_capped(api, monkeypatch):
    _register(api, 3)
    monkeypatch.setattr(keyset, "CAP", 2)
    body = api("handler").get("/cases").json
    assert body["total"] == 2 and body["total_capped"] and len(body["items"]) == 3


def test_a_very_common_word_in_a_long_list_has_an_estimated_total(api, session, postgres_only, monkeypatch):
    """PostgreSQL: total_estimated, and total the estimate (the share of matches among the newest cases times the
    list's size), when counting the matches would read the list row by row."""
    from sqlalchemy import text

    from dvflow.services.cases import search

    for i in range(8):
        api("reception").post("/cases", complaint_body(subject=f"Đơn {'đất' if i % 2 == 0 else 'nhà'} {i}",
                                                       received_at=f"2026-11-2{i // 3 + 1}T08:0{i}:00"))
    session.execute(text("ANALYZE cases"))
    monkeypatch.setattr(search, "WINDOW", 6)
    monkeypatch.setattr(search, "COMMON", 3)
    monkeypatch.setattr(keyset, "CAP", 4)
    body = api("handler").get("/cases?q=dat&limit=10").json
    assert body["total_estimated"] and not body["total_capped"] and body["total"] == 4
    assert sorted(c["subject"] for c in body["items"]) == [f"Đơn đất {i}" for i in (0, 2, 4, 6)]
    monkeypatch.setattr(keyset, "CAP", 10_000)
    body = api("handler").get("/cases?q=dat&limit=10").json
    assert not body["total_estimated"] and body["total"] == 4
