"""A report's figure and the case list it links to agree after a merger moved a case (unit_on.py), with time limits
counted by their legal stop date (clocks.closed_on) and cases' ends by their legal date (cases.closed_on). Each test
failed on main at 1d2411a."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from factories import NOW
from sqlalchemy import select

from dvflow.models import Case
from dvflow.services.cases import list_filters
from dvflow.services.org import access, accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.services.reports import dashboard, periodic, periods

from .fixtures import World, local

MERGED = date(2026, 7, 1)


@pytest.fixture
def merged(session, workflows, org):
    """Xã Xa (remote) is merged into Xã Mới on 01/07/2026. Before it: a petition received on 10/04 (its limit met
    on 10/05) and a letter received on 10/06; both open at the merger, so both move to Xã Mới. The letter is
    guided on 10/08, after the merger."""
    org["new"] = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                                      active_from=MERGED)
    w = World(session, workflows, org)
    petition = w.case("petition", local(date(2026, 4, 10)), unit="remote")
    w.clock(petition, due=date(2026, 5, 20), state="met", closed=local(date(2026, 5, 10)))
    letter = w.case("triage", local(date(2026, 6, 10)), unit="remote", channel="letter", state="classified")
    dissolve_unit(session, None, "XA-XA", MERGED, "XA-MOI", NOW)
    assert petition.unit_id == letter.unit_id == org["new"].id
    # guided after the merger (by the successor)
    letter.state, letter.status = "guided", "closed"
    letter.closed_at, letter.closed_on = local(date(2026, 8, 10)), date(2026, 8, 10)
    session.flush()
    return {**org, "petition": petition, "letter": letter, "world": w}


def _listed(session, args: dict, base=None, visible=None) -> list[int]:
    """The ids the case list shows for `args` (`base`: the user's list, `visible`: their units, as the page passes)."""
    filters, errors = list_filters.parse({k: v for k, v in args.items() if k not in ("kind", "state")})
    assert errors == []
    query = base if base is not None else select(Case.id)
    if "kind" in args:
        query = query.where(Case.kind == args["kind"])
    if "state" in args:
        query = query.where(Case.state == args["state"])
    return [r if isinstance(r, int) else r.id for r in session.scalars(filters.apply(session, query, NOW, visible))]


def test_letters_handled_after_a_merger_list_in_the_row_that_counts_them(session, merged):
    """Periodic report of 2026 (calendar year) for the province. The letters section places each letter in the row
    of the unit it was in when received (or at the period's start), including the "handled"/"guided" columns; but
    those columns link to the case list's xong_tu/xong_den, which places a case in the unit it was in on the day it
    ended (list_filters._in_unit: attribution by closed_on). Xã Xa's row counted 1 guided letter whose list was
    empty, and Xã Mới's row 0 whose list showed the letter: the links now say the list places a letter as the rows
    do (don_vi_ngay)."""
    report = periodic.build(session, unit_id=merged["province"].id, visible=None, now=NOW,
                            period=periods.bounds("year", 2026, 1, "calendar"))
    rows = {r.label: r for r in next(s for s in report.sections if s.key == "don").rows}
    xa, moi = rows["Xã Xa"], rows.get("Xã Mới")
    assert xa.values["guided"] == 1 and xa.values["handled"] == 1
    assert moi is None or moi.values.get("handled", 0) == 0
    # the figure 1 of Xã Xa's "handled" must list the letter it counted
    assert _listed(session, xa.links["handled"]) == [merged["letter"].id]
    assert _listed(session, xa.links["guided"]) == [merged["letter"].id]


def test_the_dashboards_met_count_and_its_list_agree_for_the_successors_user(session, merged):
    """A user of Xã Mới opens the dashboard for May 2026: on_time counts by the unit the case was in on the day its
    limit stopped (Xã Xa), so 'Đúng hạn' is 0 for the units they see; its link (thoi_han=met, thoi_han_tu/den,
    pham_vi, no don_vi) was filtered only by what the user sees now (cases.unit_id) and listed the moved petition:
    the list now places a dated fact's case in the user's units by the unit on that date, as the count does."""
    user = accounts.create_user(session, "xamoi.handler", "a-long-password-1", now=NOW)
    accounts.grant_role(session, user, merged["new"], "handler")
    session.flush()
    units = access.visible_unit_ids(session, user)
    assert units is not None and merged["new"].id in units
    first, end = date(2026, 5, 1), date(2026, 6, 1)
    met = dashboard.on_time(session, units, first, end, NOW, 0).met
    link = {"thoi_han": "met", "thoi_han_tu": first.isoformat(),
            "thoi_han_den": (end - timedelta(days=1)).isoformat(), "pham_vi": "tru_noi_bo"}
    listed = _listed(session, link, access.visible_cases(session, user).with_only_columns(Case.id), units)
    assert len(listed) == met, (met, listed)


def test_the_dashboards_received_bar_and_its_list_agree_for_the_successors_user(session, merged):
    """The same user's monthly chart: April's received bar counts 0 (the petition was Xã Xa's then), and the bar's
    link (nhan_tu/nhan_den) listed it."""
    user = accounts.create_user(session, "xamoi.reception", "a-long-password-1", now=NOW)
    accounts.grant_role(session, user, merged["new"], "reception")
    session.flush()
    units = access.visible_unit_ids(session, user)
    april = next(m for m in dashboard.monthly_flow(session, units, date(2026, 11, 25)) if m.start == date(2026, 4, 1))
    link = {"nhan_tu": "2026-04-01", "nhan_den": "2026-04-30", "pham_vi": "vu_viec"}
    listed = _listed(session, link, access.visible_cases(session, user).with_only_columns(Case.id), units)
    assert len(listed) == april.received, (april.received, listed)


def test_the_charts_resolved_bar_lists_only_what_it_counts(session, workflows, org, app):
    """Pre-existing (not today's): the chart counts citizens' matters only (matters.citizen_matter), but its bars'
    links (web/reports/routes._chart_link) carried no pham_vi=vu_viec, so the list of December's resolved bar showed
    a letter guided in December that the bar does not count."""
    from urllib.parse import parse_qsl, urlsplit

    from dvflow.web.reports.routes import _chart_link

    w = World(session, workflows, org)
    letter = w.case("triage", local(date(2026, 11, 20)), channel="letter", state="guided",
                    closed=local(date(2026, 12, 3)))
    month = next(m for m in dashboard.monthly_flow(session, None, date(2026, 12, 20)) if m.start == date(2026, 12, 1))
    with app.test_request_context("/"):
        link = dict(parse_qsl(urlsplit(_chart_link("resolved", month)).query))
    listed = _listed(session, link)
    assert letter.id not in listed or month.resolved >= len(listed), (month.resolved, listed, link)


def test_a_letter_carried_over_lists_in_the_row_of_its_unit_at_the_periods_start(session, workflows, org):
    """A letter received by Xã Xa in 2025, still open at the start of 2026, moved by the merger and forwarded by Xã
    Mới on 20/08/2026: 2026 carries it over in Xã Xa's row (its unit on 01/01/2026) and counts it handled there, so
    its lists place it by the period's start, not by the day it was handled (Xã Mới's); the row's identity holds."""
    org["new"] = accounts.create_unit(session, "XA-MOI", "Xã Mới", parent_code="TINH", level="commune",
                                      active_from=MERGED)
    w = World(session, workflows, org)
    old = w.case("triage", local(date(2025, 12, 10)), unit="remote", channel="letter", state="classified")
    new = w.case("triage", local(date(2026, 6, 10)), unit="remote", channel="letter", state="classified")
    dissolve_unit(session, None, "XA-XA", MERGED, "XA-MOI", NOW)
    assert old.unit_id == new.unit_id == org["new"].id
    old.state, old.status = "forwarded", "closed"
    old.closed_at, old.closed_on = local(date(2026, 8, 20)), date(2026, 8, 20)
    session.flush()
    report = periodic.build(session, unit_id=org["province"].id, visible=None, now=NOW,
                            period=periods.bounds("year", 2026, 1, "calendar"))
    rows = {r.label: r for r in next(s for s in report.sections if s.key == "don").rows}
    xa = rows["Xã Xa"]
    assert (xa.values["carried"], xa.values["received"], xa.values["handled"], xa.values["waiting"]) == (1, 1, 1, 1)
    assert _listed(session, xa.links["handled"]) == [old.id]
    assert _listed(session, xa.links["forwarded"]) == [old.id]
    assert _listed(session, xa.links["received"]) == [new.id]
    moi = rows.get("Xã Mới")
    assert moi is None or not moi.values.get("handled")
