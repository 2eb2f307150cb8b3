"""The case list's pages: "next" goes by cursor (the search's pages by POST, its term out of the address), a bad
cursor or page number shows a page, and a count beyond 10,000 reads "hơn 10.000"."""
from __future__ import annotations

import re
from datetime import timedelta

from dvflow.services import keyset
from dvflow.services.cases import queries

from .helpers import make_case

NEXT_RE = re.compile(r'href="([^"]*cursor=[^"]*)" rel="next"')


def _cases(app, session, org, n: int) -> list:
    start = app.config["NOW"]() - timedelta(days=1)
    return [make_case(app, session, org, subject=f"Đơn số {i}", received=start + timedelta(minutes=i))
            for i in range(n)]


def _codes(html: str, made) -> list[str]:
    return [c.tracking_code for c in made if c.tracking_code in html]


def test_next_link_goes_by_cursor(app, session, login, org, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    made = _cases(app, session, org, 5)
    b = login("head")
    html = b.get("/ho-so").get_data(as_text=True)
    assert _codes(html, made) == [c.tracking_code for c in made[3:]]
    second = b.get(NEXT_RE.search(html).group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert _codes(second, made) == [c.tracking_code for c in made[1:3]] and "Trang 2 / 3" in second
    third = b.get(NEXT_RE.search(second).group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert _codes(third, made) == [made[0].tracking_code] and not NEXT_RE.search(third)


def test_bad_cursor_and_page_show_a_page(app, session, login, org, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    made = _cases(app, session, org, 3)
    b = login("head")
    for url in ("/ho-so?cursor=nonsense", "/ho-so?cursor=%00%00", "/ho-so?trang=999999", "/ho-so?trang=-3",
                "/ho-so?trang=abc&cursor="):
        resp = b.get(url)
        assert resp.status_code == 200, url
        assert _codes(resp.get_data(as_text=True), made), url


def test_search_pages_by_post_with_the_cursor(app, session, login, org, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    made = _cases(app, session, org, 3)
    b = login("head")
    html = b.post("/ho-so", {"q": "don so"}, token_from="/ho-so").get_data(as_text=True)
    assert "rel=\"next\"" not in html  # the search's pages are forms: the term stays out of any address
    cursor = re.search(r'name="cursor" value="([^"]+)"', html).group(1)
    second = b.post("/ho-so", {"q": "don so", "cursor": cursor, "trang": "2"}, token_from="/ho-so")
    assert _codes(second.get_data(as_text=True), made) == [made[0].tracking_code]


def test_counts_beyond_the_cap_read_more_than(app, session, login, org, monkeypatch):
    _cases(app, session, org, 3)
    monkeypatch.setattr(keyset, "CAP", 2)
    assert "hơn 10.000" in login("head").get("/ho-so").get_data(as_text=True)
    assert "hơn 10.000" in login("supervisor").get("/trang-chu").get_data(as_text=True)


def test_inbox_page_with_a_bad_cursor_or_page(login, org):
    b = login("handler")
    for url in ("/hop-thu?cursor=nonsense", "/hop-thu?trang=999999", "/hop-thu?trang=0&cursor=%00"):
        assert b.get(url).status_code == 200, url


def test_a_very_common_word_in_a_long_list_shows_an_estimated_total(app, session, login, org, postgres_only,
                                                                    monkeypatch):
    """PostgreSQL: a word in half of the list's newest cases, in a list longer than the cap, is not counted row by
    row: the total reads "khoảng N" (the share found times the list's size), and the page lists the matches."""
    from sqlalchemy import text

    from dvflow.services.cases import search

    start = app.config["NOW"]() - timedelta(days=1)
    made = [make_case(app, session, org, subject=f"Đơn {'đất' if i % 2 == 0 else 'nhà'} {i}",
                      received=start + timedelta(minutes=i)) for i in range(8)]
    session.execute(text("ANALYZE cases"))
    monkeypatch.setattr(search, "WINDOW", 6)
    monkeypatch.setattr(search, "COMMON", 3)
    monkeypatch.setattr(keyset, "CAP", 4)
    html = login("head").post("/ho-so", {"q": "dat"}, token_from="/ho-so").get_data(as_text=True)
    assert '<span id="tong-so">khoảng 4</span>' in html
    assert sorted(_codes(html, made)) == sorted(c.tracking_code for c in made[::2])
    monkeypatch.setattr(keyset, "CAP", 10_000)  # a list short enough to count: the exact number
    html = login("head").post("/ho-so", {"q": "dat"}, token_from="/ho-so").get_data(as_text=True)
    assert '<span id="tong-so">4</span>' in html
