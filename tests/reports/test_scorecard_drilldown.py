"""Each computed criterion's drill-down lists the cases the criterion counted: the case list's filters (with
`pham_vi` leaving out what the criterion leaves out) give back the counted cases and no other."""
from __future__ import annotations

from datetime import date

from factories import NOW

from dvflow.models import Case, Commitment
from dvflow.services.cases import list_filters, queries
from dvflow.services.reports import scorecard_facts as facts

from . import scorecard_fixtures as fx
from .fixtures import World, local


def listed(session, org, filters: dict, now=NOW) -> set[int]:
    """The case ids the case list shows for the drill-down's query string (as a supervisor, who sees all)."""
    extra, errors = list_filters.parse(filters)
    assert not errors
    query = queries.case_query(session, org["users"]["supervisor"])
    return set(session.scalars(extra.apply(session, query, now).with_only_columns(Case.id)))


def test_on_time_links_list_the_limits_met_and_missed_in_the_year(session, workflows, org):
    w = World(session, workflows, org)
    met = w.case("petition", local(date(2026, 2, 2)), closed=local(date(2026, 3, 2)))
    w.clock(met, due=date(2026, 3, 10), state="met", closed=local(date(2026, 3, 2)))
    missed = w.case("complaint_first", local(date(2026, 2, 2)), closed=local(date(2026, 4, 2)))
    w.clock(missed, due=date(2026, 3, 10), state="missed", closed=local(date(2026, 4, 2)))
    old = w.case("petition", local(date(2020, 2, 3)), closed=local(date(2020, 3, 2)))
    w.clock(old, due=date(2020, 3, 10), state="met", closed=local(date(2020, 3, 2)))
    task = w.case("follow_up", local(date(2026, 2, 2)), closed=local(date(2026, 3, 2)))  # internal: not counted
    w.clock(task, due=date(2026, 3, 10), state="met", closed=local(date(2026, 3, 2)))
    late = w.case("petition", local(date(2026, 9, 1)))
    w.clock(late, due=date(2026, 10, 15))
    fact = facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert [n for _l, n in fact.counts] == [1, 1, 1, 1, 1, 1] and fact.case_filters is None
    links = fact.count_filters
    assert listed(session, org, links["Hồ sơ đúng hạn"]) == {met.id}  # not the limit that ended in 2020
    assert listed(session, org, links["Hồ sơ trễ hạn"]) == {missed.id}
    assert listed(session, org, links["Hồ sơ quá hạn cuối năm"]) == {late.id}


def test_a_case_with_two_limits_met_is_one_case_in_its_list(session, workflows, org):
    """The rate counts time limits (acceptance and resolution: 2 met); the list shows cases: the count linked to it
    counts the one case, so the figure a user clicks is the number of rows they get."""
    w = World(session, workflows, org)
    case = w.case("complaint_first", local(date(2026, 2, 2)), closed=local(date(2026, 4, 2)))
    w.clock(case, due=date(2026, 2, 20), state="met", closed=local(date(2026, 2, 10)))
    w.clock(case, due=date(2026, 4, 20), state="met", closed=local(date(2026, 4, 2)))
    fact = facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert dict(fact.counts)["Đúng hạn"] == 2 and dict(fact.counts)["Hồ sơ đúng hạn"] == 1
    assert listed(session, org, fact.count_filters["Hồ sơ đúng hạn"]) == {case.id}


def test_a_past_year_has_no_list_of_its_overdue(session, workflows, org):
    fact = facts.on_time_rate(session, org["dept"].id, {org["dept"].id}, facts.Year(2025, NOW), fx.context())
    assert set(fact.count_filters) == {"Hồ sơ đúng hạn", "Hồ sơ trễ hạn"}
    overdue = facts.overdue_at_year_end(session, org["dept"].id, {org["dept"].id}, facts.Year(2025, NOW),
                                        fx.context())
    assert overdue.case_filters is None


def test_overdue_link_lists_only_the_cases_counted(session, workflows, org):
    w = World(session, workflows, org)
    citizen = w.case("petition", local(date(2026, 9, 1)))
    w.clock(citizen, due=date(2026, 10, 15))
    task = w.case("follow_up", local(date(2026, 9, 1)))  # internal work: not counted by the criterion
    w.clock(task, due=date(2026, 10, 15))
    session.add(Commitment(case_id=task.id, source="dialogue", created_at=NOW))
    session.flush()
    fact = facts.overdue_at_year_end(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert fact.value == 1
    assert listed(session, org, fact.case_filters) == {citizen.id}


def test_mass_link_lists_only_the_mass_matters_counted(session, workflows, org):
    w = World(session, workflows, org)
    matter = w.case("petition", local(date(2026, 3, 10)), mass=True, people=6)
    w.case("triage", local(date(2026, 3, 11)), mass=True, people=6)  # a mass letter: not a matter (matters.py)
    fact = facts.mass_cases(session, org["dept"].id, {org["dept"].id}, facts.Year(2026, NOW), fx.context())
    assert fact.value == 1
    assert listed(session, org, fact.case_filters) == {matter.id}


def test_the_scope_filter_refuses_an_unknown_value():
    extra, errors = list_filters.parse({"pham_vi": "tat_ca"})
    assert extra.scope == "" and [e.field for e in errors] == ["pham_vi"]
    assert list_filters.parse({"pham_vi": "vu_viec"})[0].as_args() == {"pham_vi": "vu_viec"}
