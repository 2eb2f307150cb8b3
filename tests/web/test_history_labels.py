"""The case history's details name what the system recorded in words, not by its keys and codes (review F2): a
registration at the desk (channel, parties, people) and a follow-up task opened by the services (source, days)."""
from __future__ import annotations

import re
from datetime import time

import pytest
from factories import WEB_ORG, make_org

from dvflow.models import ReceptionSession
from dvflow.services import commitments
from dvflow.services.commitments import CommitmentInput

from .conftest import Browser
from .helpers import make_case

#: what the details showed before: the payload's keys and codes
RAW = ("channel:", "parties:", "people:", "source:", "days:", "walk_in", "assigned", "reception_conclusion")


def raw_keys(text: str) -> list[str]:
    """The payload's own keys and codes left in the text (a key as a whole word: "Number of parties:" is a label)."""
    return [raw for raw in RAW if re.search(rf"(?<!\w)(?<!\w ){re.escape(raw)}", text)]


@pytest.fixture
def org(session):
    # the web tree and the province's chair, who gives the follow-up tasks
    return make_org(session, **{**WEB_ORG, "users": (*WEB_ORG["users"], "chair")})


def _history(browser: Browser, case_id: int) -> str:
    """The text of the case page's history table (tags dropped, spaces collapsed)."""
    html = browser.get(f"/ho-so/{case_id}").get_data(as_text=True)
    table = re.search(r"<h2>(?:Quá trình xử lý|Case history)</h2>(.*?)</table>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def _login(app, username: str, lang: str = "vi") -> Browser:
    browser = Browser(app.test_client())
    browser.login(username)
    if lang != "vi":
        browser.get(f"/ngon-ngu/{lang}")
    return browser


def _follow_up(app, session, org) -> int:
    now = app.config["NOW"]()
    held = ReceptionSession(unit_id=org["province"].id, kind="periodic", mode="in_person", day=now.date(),
                            start_time=time(8), end_time=time(11), place="Trụ sở", status="held", created_at=now)
    session.add(held)
    session.flush()
    data = CommitmentInput(source="reception_conclusion", unit_id=org["dept"].id, session_id=held.id, days=15,
                           description="Trả lời bà Hoa về giấy chứng nhận", start_on=now.date())
    row = commitments.create(session, app.extensions["dvflow.workflows"], org["users"]["chair"], data, now)
    session.flush()
    return row.case_id


def test_a_registration_names_its_channel_and_counts(app, session, org):
    case = make_case(app, session, org)
    text = _history(_login(app, "head"), case.id)
    assert "Hình thức tiếp nhận: Trực tiếp" in text and "Số đương sự: 1" in text
    assert not raw_keys(text)
    english = _history(_login(app, "head", "en"), case.id)
    assert "Channel: In person" in english
    assert not raw_keys(english)


def test_a_follow_up_names_its_source_and_days(app, session, org):
    case_id = _follow_up(app, session, org)
    text = _history(_login(app, "head"), case_id)
    assert "Hình thức tiếp nhận: Giao theo kết luận, cam kết" in text
    assert "Nguồn: Thông báo kết luận tiếp công dân" in text and "Số ngày: 15" in text
    assert not raw_keys(text)
    english = _history(_login(app, "head", "en"), case_id)
    assert "Channel: Assigned by a conclusion or commitment" in english
    assert "Source: Citizen-reception conclusion notice" in english and "Days: 15" in english
    assert not raw_keys(english)
