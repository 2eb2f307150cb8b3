"""After a merger, a user of the successor sees on the dashboard only what their units did on each fact's day, and
each figure's link lists those cases: the case list places a dated fact's case in the user's units by the unit it
was in on that date (list_filters), as the dashboard counts it, not by the unit it is in now."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

from dvflow.services.org import accounts
from dvflow.services.org.units import dissolve_unit
from dvflow.timeutil import TZ

from .helpers import make_case
from .test_dashboard import add_clock

MAY = datetime(2026, 5, 12, 9, 0, tzinfo=TZ)


def _world(app, session, org):
    """Sở NN&MT (dept) received a complaint on 10/04/2026 whose limit was met on 12/05; Sở Y tế (other) one on
    15/04, met on 12/05 too. Sở NN&MT is merged into Sở Y tế on 01/07/2026: both complaints are Sở Y tế's now."""
    accounts.grant_role(session, org["users"]["other_head"], org["other"], "reception")
    moved = make_case(app, session, org, received=datetime(2026, 4, 10, 9, 0, tzinfo=TZ), subject="Chuyển sang")
    own = make_case(app, session, org, unit="other", user="other_head", received=datetime(2026, 4, 15, 9, 0, tzinfo=TZ),
                    subject="Của Sở Y tế")
    for case in (moved, own):
        add_clock(session, case, due_at=MAY + timedelta(days=5), state="met", closed_at=MAY)
    dissolve_unit(session, None, "STNMT", date(2026, 7, 1), "SYT", app.config["NOW"]())
    assert moved.unit_id == own.unit_id == org["other"].id
    return moved, own


def _href(page: str, pattern: str) -> str:
    found = re.search(r'href="(/ho-so\?[^"]*' + pattern + r'[^"]*)"', page)
    assert found, pattern
    return html.unescape(found.group(1))


def test_the_met_figure_of_the_successors_user_lists_the_cases_it_counts(app, session, org, login):
    moved, own = _world(app, session, org)
    browser = login("other_head")
    page = browser.get("/bang-dieu-khien?ky=nam").get_data(as_text=True)
    assert 'data-met="1"' in page  # the moved complaint's limit was met by Sở NN&MT
    listed = browser.get(_href(page, "thoi_han=met")).get_data(as_text=True)
    assert own.tracking_code in listed and moved.tracking_code not in listed


def test_the_received_bar_of_the_successors_user_lists_the_cases_it_counts(app, session, org, login):
    moved, own = _world(app, session, org)
    browser = login("other_head")
    page = browser.get("/bang-dieu-khien?bieu_do=thang").get_data(as_text=True)
    link = _href(page, "nhan_tu=2026-04-01")
    assert "pham_vi=vu_viec" in link
    listed = browser.get(link).get_data(as_text=True)
    assert own.tracking_code in listed and moved.tracking_code not in listed


def test_the_supervisor_still_lists_both(app, session, org, login):
    """Seeing every unit, the list of the same link shows both complaints, as the figure counts both."""
    moved, own = _world(app, session, org)
    browser = login("supervisor")
    page = browser.get("/bang-dieu-khien?ky=nam").get_data(as_text=True)
    assert 'data-met="2"' in page
    listed = browser.get(_href(page, "thoi_han=met")).get_data(as_text=True)
    assert own.tracking_code in listed and moved.tracking_code in listed
