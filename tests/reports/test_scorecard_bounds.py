"""The scorecard's on-time counts read the cases from the oldest one with a time limit stopped in the year (so as
not to read every case at a province's scale): that bound must never leave out an older case's clock, whatever
kind, unit or state the clocks around it have."""
from __future__ import annotations

from datetime import date, datetime, timezone

from dvflow.services.reports import scorecard_facts as facts

from . import scorecard_fixtures as fx
from .fixtures import World, local

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def test_a_long_running_cases_clock_stopped_this_year_is_counted(session, workflows, org):
    w, units = World(session, workflows, org), {org["dept"].id}
    # the oldest case (lowest id), received years ago, stops its time limit late this year
    ancient = w.case("complaint_first", local(date(2019, 5, 6)), closed=local(date(2026, 6, 1)))
    w.clock(ancient, due=date(2019, 7, 1), state="missed", closed=local(date(2026, 6, 1)))
    # newer cases of the year, one in another unit, one a follow-up task (the commitments' criterion)
    recent = w.case("petition", local(date(2026, 2, 2)), closed=local(date(2026, 3, 2)))
    w.clock(recent, due=date(2026, 3, 10), state="met", closed=local(date(2026, 3, 2)))
    other = w.case("petition", local(date(2026, 2, 2)), unit="other", closed=local(date(2026, 3, 2)))
    w.clock(other, due=date(2026, 3, 10), state="met", closed=local(date(2026, 3, 2)))
    y, ctx = facts.Year(2026, NOW), fx.context()
    on_time = facts.on_time_rate(session, org["dept"].id, units, y, ctx)
    assert [n for _label, n in on_time.counts] == [1, 1, 0, 1, 1, 0] and on_time.value == 50
    # the bound read once for the computation (the commitments' criterion reuses it) and it is the oldest case's
    assert list(ctx.memo.values()) == [ancient.id]
    assert facts.commitments_on_time_rate(session, org["dept"].id, units, y, ctx).value is None
    assert list(ctx.memo.values()) == [ancient.id]


def test_a_year_without_stopped_clocks_counts_nothing(session, workflows, org):
    w = World(session, workflows, org)
    running = w.case("petition", local(date(2026, 2, 2)))
    w.clock(running, due=date(2026, 12, 20))
    on_time = facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert on_time.value is None and [n for _label, n in on_time.counts] == [0, 0, 0, 0, 0, 0]


def _plan_of(session, run) -> str:
    """The plan of the statement `run()` sends that reads the cases of conferences."""
    from sqlalchemy import event

    seen = []
    conn = session.connection()

    def grab(_conn, _cursor, statement, parameters, _context, _executemany):
        if "FROM cases" in statement and "held_on" in str(parameters) + statement:
            seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(conn, "before_cursor_execute", grab)
    statement, parameters = seen[-1]
    return "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))


def test_a_years_conferences_are_read_through_their_index(session, workflows, org, postgres_only):
    """PostgreSQL uses an expression index only for the very expression it was built on: should the query's way of
    reading the year change, the index (migration 0029) would silently stop serving it."""
    from sqlalchemy import text

    from config import ROOT
    from dvflow.services.dialogues import compliance
    from dvflow.services.dialogues.rules import load as load_rules

    session.execute(text("SET LOCAL enable_seqscan = off"))  # a small table would be read whole otherwise
    session.execute(text("SET LOCAL enable_bitmapscan = off"))
    plan = _plan_of(session, lambda: compliance.per_commune(session, None, 2026, load_rules(ROOT / "workflows")))
    assert "ix_cases_conference_year" in plan
