"""Case lists at any depth (issue #19): keyset pages in the lists' order, counts capped at 10,000, and a search that
PostgreSQL serves from its trigram indexes without ever matching a protected denouncer."""
from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text

from dvflow.models import Case, Party
from dvflow.services import keyset
from dvflow.services.cases import queries, search
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)


def _make(session, workflows, org, n: int) -> list[Case]:
    """n cases, three received at each instant: the id must break the ties of the order."""
    made = []
    for i in range(n):
        received = RECEIVED + timedelta(hours=i // 3)
        data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=received,
                           subject=f"Đơn số {i}", parties=[PartyInput(role="complainant", name=f"Người số {i}")])
        made.append(register_case(session, workflows, org["users"]["reception"], data, received + timedelta(hours=1)))
    session.flush()
    return made


def _newest_first(made: list[Case]) -> list[int]:
    return [c.id for c in sorted(made, key=lambda c: (c.received_at, c.id), reverse=True)]


def test_cursor_pages_walk_the_whole_list_once_in_order(session, workflows, org):
    made = _make(session, workflows, org, 11)
    query = queries.case_query(session, org["users"]["head"])
    seen, cursor, pages = [], None, 0
    while True:
        page = queries.slice_of(session, query, 4, cursor=cursor)
        seen += [c.id for c in page.items]
        pages += 1
        assert page.total == 11 and not page.capped
        if page.next_cursor is None:
            break
        assert page.by_cursor == (cursor is not None)
        cursor = page.next_cursor
    assert seen == _newest_first(made) and pages == 3


def test_the_cursor_is_the_last_case_shown(session, workflows, org):
    made = _make(session, workflows, org, 5)
    first = queries.slice_of(session, queries.case_query(session, org["users"]["head"]), 2)
    last = first.items[-1]
    assert queries.decode_cursor(first.next_cursor) == (last.received_at, last.id)
    assert queries.encode_cursor(last.received_at, last.id) == first.next_cursor
    assert len(made) == 5


@pytest.mark.parametrize("token", ["", "nonsense", "%%%", "A" * 200,
                                   base64.urlsafe_b64encode(b"x.y").decode(),
                                   base64.urlsafe_b64encode(b"-5.1").decode(),
                                   base64.urlsafe_b64encode(b"99999999999999999999999.1").decode(),
                                   base64.urlsafe_b64encode(b"1764000000000000.-3").decode()])
def test_a_bad_cursor_lists_the_first_page(session, workflows, org, token):
    made = _make(session, workflows, org, 4)
    assert queries.decode_cursor(token) is None
    page = queries.paginate(session, queries.case_query(session, org["users"]["head"]), 1, cursor=token)
    assert [c.id for c in page.items] == _newest_first(made) and page.page == 1 and not page.by_cursor


def test_offset_pages_stop_at_the_last_numbered_page(session, workflows, org, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    monkeypatch.setattr(queries, "MAX_OFFSET_PAGE", 2)
    made = _make(session, workflows, org, 7)
    query = queries.case_query(session, org["users"]["head"])
    deep = queries.paginate(session, query, 50)
    assert deep.page == 2 and [c.id for c in deep.items] == _newest_first(made)[2:4]
    # a cursor numbers its page as told, beyond the offset pages
    after = queries.paginate(session, query, 3, cursor=deep.next_cursor)
    assert after.page == 3 and [c.id for c in after.items] == _newest_first(made)[4:6]


def test_counts_stop_at_the_cap(session, workflows, org, monkeypatch):
    _make(session, workflows, org, 6)
    query = queries.case_query(session, org["users"]["head"])
    assert queries.paginate(session, query).total == 6 and queries.paginate(session, query).pages == 1
    monkeypatch.setattr(keyset, "CAP", 4)
    page = queries.paginate(session, query)
    assert page.total == 5 and page.capped and page.pages is None
    counts = queries.counts(session, org["users"]["supervisor"], date(2026, 11, 5), workflows)
    assert counts["total"] == 5 and counts["unit"] == 5


def _search(session, org, q: str) -> list[int]:
    return [c.id for c in session.scalars(queries.case_query(session, org["users"]["head"], q=q))]


def test_search_finds_code_subject_and_name_on_both_databases(session, workflows, org):
    made = _make(session, workflows, org, 4)
    assert _search(session, org, made[2].tracking_code[-4:].lower()) == [made[2].id]
    assert _search(session, org, "DON SO 3") == [made[3].id]
    assert _search(session, org, "nguoi so 1") == [made[1].id]
    assert _search(session, org, "người số 0") == [made[0].id]
    assert _search(session, org, "100%_") == []


def test_search_never_matches_a_confidential_cases_denouncer_even_with_a_search_name(session, workflows, org):
    """The search name of a protected denouncer is empty (party_search); should a row still hold one (data from
    before that rule, a restore), the search's own condition keeps it out, in both databases' paths."""
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=RECEIVED,
                       subject="Tố cáo cán bộ", confidential=True,
                       parties=[PartyInput(role="denouncer", name="Lê Văn Tố"),
                                PartyInput(role="accused", name="Phạm Văn Bị")])
    case = register_case(session, workflows, org["users"]["reception"], data, RECEIVED + timedelta(hours=1))
    session.flush()
    denouncer = next(cp.party for cp in case.parties if cp.role == "denouncer")
    denouncer.name_search = "le van to"
    session.flush()
    assert _search(session, org, "le van to") == []
    assert _search(session, org, "pham van bi") == [case.id]


def _plan(session, stmt) -> str:
    compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    return "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))


def test_postgresql_serves_the_search_from_its_trigram_indexes(session, workflows, org, postgres_only):
    _make(session, workflows, org, 3)
    session.execute(text("SET LOCAL enable_seqscan = off"))  # tables of three rows would be scanned otherwise
    query = queries.case_query(session, org["users"]["supervisor"], q="nguoi so")
    plan = _plan(session, query.order_by(Case.received_at.desc()).limit(25))
    # the single-table lookups of the union: their trigram index is the only index that serves them
    for index in ("ix_cases_subject_search_trgm", "ix_cases_tracking_code_trgm", "ix_documents_number_symbol_trgm"):
        assert index in plan
    # the names: the union's party lookup joins parties to cases, and on a table of three rows the planner may start
    # from either side; its condition on the names is served by the trigram index
    assert "ix_parties_name_search_trgm" in _plan(session, select(Party.id).where(search.name_condition("%nguoi so%")))


def _people(session, workflows, org, names: list[str], confidential_denouncer: str | None = None) -> list[Case]:
    made = []
    for i, name in enumerate(names):
        received = RECEIVED + timedelta(hours=i)
        data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="letter", received_at=received,
                           subject=f"Đơn số {i}", parties=[PartyInput(role="complainant", name=name)])
        made.append(register_case(session, workflows, org["users"]["reception"], data, received + timedelta(hours=1)))
    if confidential_denouncer:
        received = RECEIVED + timedelta(hours=len(names))
        data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=received,
                           subject="Tố cáo cán bộ", confidential=True,
                           parties=[PartyInput(role="denouncer", name=confidential_denouncer),
                                    PartyInput(role="accused", name="Phạm Văn Bị")])
        case = register_case(session, workflows, org["users"]["reception"], data, received + timedelta(hours=1))
        session.flush()
        next(cp.party for cp in case.parties if cp.role == "denouncer").name_search = search.search_key(
            confidential_denouncer)  # as a row from before the empty-search-name rule would hold it
    session.flush()
    return made


@pytest.mark.parametrize("term, common", [("nguyen", True), ("tran", False)])
def test_a_common_term_walks_the_list_and_a_rare_one_uses_the_lookups(session, workflows, org, postgres_only,
                                                                      monkeypatch, term, common):
    """PostgreSQL: a term found in many of the newest cases is tested row by row as the list is walked; a rare one
    is the union of indexed lookups. Both find the same cases, and neither ever the confidential denouncer."""
    monkeypatch.setattr(search, "WINDOW", 6)
    monkeypatch.setattr(search, "COMMON", 3)
    names = ["Nguyễn Văn A", "Trần Thị B", "Nguyễn Thị C", "Lê Văn D", "Nguyễn Văn E", "Nguyễn Văn G", "Hồ Văn H"]
    made = _people(session, workflows, org, names, confidential_denouncer="Nguyễn Văn Tố")
    lookups = []
    original = search.case_condition
    monkeypatch.setattr(search, "case_condition", lambda q, d: lookups.append(q) or original(q, d))
    found = _search(session, org, term)
    expected = [c.id for c, n in zip(made, names) if term in search.search_key(n)]
    assert sorted(found) == sorted(expected) and found
    assert (lookups == []) == common


def test_both_ways_of_searching_find_the_same_cases(session, workflows, org, postgres_only):
    names = ["Nguyễn Văn A", "Trần Thị B", "Nguyễn Thị C", "Lê Văn D"]
    _people(session, workflows, org, names, confidential_denouncer="Nguyễn Văn Tố")
    listed = queries.case_query(session, org["users"]["supervisor"])
    for term in ("nguyen", "van", "don so 2", "pham van bi", "nobody"):
        walked = set(session.scalars(listed.where(search.row_condition(term)).with_only_columns(Case.id)))
        looked_up = set(session.scalars(listed.where(search.case_condition(term, "postgresql"))
                                        .with_only_columns(Case.id)))
        assert walked == looked_up, term


@pytest.mark.parametrize("q, probed", [("Nguyễn", True), (" dat ", True), ("Nguyễn Văn An", False),
                                       ("KN-2026-000123", False), ("12/TB-STNMT", False), ("2026", False)])
def test_only_a_single_word_of_letters_is_probed_for_being_common(q, probed):
    assert search.may_be_common(q) is probed
