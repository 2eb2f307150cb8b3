"""A very common search word in a long list (issue #19): the page is walked row by row, and its number of matches
is estimated from the share found among the list's newest cases ("khoảng …") instead of counted row by row."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from dvflow.services import keyset
from dvflow.services.cases import queries, search

from .test_list_paging import _people

#: oldest first; with the confidential denunciation made last, newest first they read: denunciation, H, G*, E*, D,
#: C*, B, A* (* "nguyen"): the 3rd match is the 6th newest case
NAMES = ["Nguyễn Văn A", "Trần Thị B", "Nguyễn Thị C", "Lê Văn D", "Nguyễn Văn E", "Nguyễn Văn G", "Hồ Văn H"]


@pytest.fixture
def small_probe(monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 6)
    monkeypatch.setattr(search, "COMMON", 3)


@pytest.mark.parametrize("window, common, sample, expected", [
    (6, 3, 400, (3 / 6, 3)), (7, 3, 400, (3 / 7, 3)),  # the matches over the window, when fewer than the sample
    (7, 1, 1, (1 / 3, 1)), (7, 1, 2, (2 / 4, 2)),  # the sample over the newest cases it took to find it
    (7, 4, 400, None),  # fewer matches in the window than make a term common
])
def test_the_share_is_the_matches_over_the_newest_cases_read(session, workflows, org, postgres_only, monkeypatch,
                                                              window, common, sample, expected):
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "COMMON", common)
    monkeypatch.setattr(search, "SAMPLE", sample)
    _people(session, workflows, org, NAMES, confidential_denouncer="Nguyễn Văn Tố")
    listed = queries.case_query(session, org["users"]["supervisor"])
    # the denouncer's name is never a match, so the newest case does not count as one
    found = search.common_share(session, listed, "nguyen")
    assert found == (expected and (pytest.approx(expected[0]), expected[1]))


def test_a_common_term_in_a_long_list_is_estimated(session, workflows, org, postgres_only, small_probe, monkeypatch):
    made = _people(session, workflows, org, NAMES, confidential_denouncer="Nguyễn Văn Tố")
    session.execute(text("ANALYZE cases"))  # the planner's statistics, which the estimate of the list's size reads
    listed = queries.case_query(session, org["users"]["supervisor"])
    assert keyset.estimated_count(session, listed) == len(made) + 1  # and the denunciation
    monkeypatch.setattr(keyset, "CAP", 4)  # 8 cases: a list "too long" to count its matches row by row
    query, estimate = queries.searched(session, listed, "nguyen")
    assert estimate == 4  # half of the 8
    page = queries.paginate(session, query, estimate=estimate)
    assert page.estimated and page.total == 4 and not page.capped and page.pages is None
    assert len(page.items) == 4  # the page itself is exact: the four "Nguyễn" complainants
    # a list short enough is counted exactly, and a rare term is looked up and counted
    monkeypatch.setattr(keyset, "CAP", 10)
    assert queries.searched(session, listed, "nguyen")[1] is None
    monkeypatch.setattr(keyset, "CAP", 4)
    assert queries.searched(session, listed, "tran")[1] is None


def test_sqlite_counts_every_search(session, workflows, org, small_probe, monkeypatch):
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's behaviour is the tests above
    _people(session, workflows, org, NAMES)
    monkeypatch.setattr(keyset, "CAP", 4)
    query, estimate = queries.searched(session, queries.case_query(session, org["users"]["supervisor"]), "nguyen")
    assert estimate is None and queries.paginate(session, query).total == 4


@pytest.mark.parametrize("n, shown", [(183_456.2, 180_000), (12_345, 12_000), (987, 990), (54.4, 54), (1_050, 1_000)])
def test_an_estimate_keeps_two_significant_digits(n, shown):
    assert search.rounded(n) == shown


def test_an_estimate_rests_on_what_is_known_when_the_planner_is_far_off(session, workflows, org, postgres_only,
                                                                      small_probe, monkeypatch):
    """The list holds more than CAP cases (it was counted that far), and the probe's matches are certain: a planner
    that sizes the list at 1 row moves the estimate to neither below them."""
    _people(session, workflows, org, NAMES, confidential_denouncer="Nguyễn Văn Tố")
    monkeypatch.setattr(keyset, "estimated_count", lambda s, q: 1)
    listed = queries.case_query(session, org["users"]["supervisor"])
    monkeypatch.setattr(keyset, "CAP", 4)
    assert queries.searched(session, listed, "nguyen")[1] == 3  # the 3 matches the probe saw (half of 5 is fewer)
    monkeypatch.setattr(keyset, "CAP", 7)  # the 8 cases are more than the cap: sized at CAP + 1 = 8, not at 1
    monkeypatch.setattr(search, "WINDOW", 7)
    monkeypatch.setattr(search, "COMMON", 1)
    monkeypatch.setattr(search, "SAMPLE", 1)
    assert queries.searched(session, listed, "nguyen")[1] == round(8 / 3)  # share 1/3 of at least CAP + 1 cases


def test_a_page_number_past_the_estimate_is_still_reachable(session, workflows, org, postgres_only, small_probe,
                                                            monkeypatch):
    _people(session, workflows, org, NAMES, confidential_denouncer="Nguyễn Văn Tố")
    monkeypatch.setattr(queries, "PAGE_SIZE", 1)
    listed = queries.case_query(session, org["users"]["supervisor"])
    query = listed.where(search.row_condition("nguyen"))
    page = queries.paginate(session, query, 3, estimate=2)  # an estimate of 2 matches where there are 4
    assert page.page == 3 and len(page.items) == 1 and page.estimated
