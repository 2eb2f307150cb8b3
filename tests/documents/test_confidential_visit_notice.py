"""A confidential visitor's refusal notice names the denouncer (name, identity number, address, phone) and holds the
summary of the visit: it opens only for whoever the desk shows that summary to (for a visit that opened no case,
the officer who recorded it, who heard the citizen and hands the notice over, and a head of the unit), never for
another reception officer of the unit, and each opening is recorded in
`visit_accesses`, as a case's reveals are in `identity_accesses` (Luật Tố cáo 2018, Điều 47)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from factories import NOW, PASSWORD
from sqlalchemy import select

from config import ROOT
from dvflow.models import VisitAccess
from dvflow.services.documents import session_docs
from dvflow.services.documents.flow import Settings
from dvflow.services.errors import Forbidden
from dvflow.services.org import accounts
from dvflow.services.reception import desk, refusals, visits

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reception"))
from helpers import make_session, visit  # noqa: E402

NAME, NUMBER = "Phạm Văn Dũng", "079000111222"


@pytest.fixture
def rules():
    return refusals.load(ROOT / "workflows")


@pytest.fixture
def notice(session, workflows, org, rules):
    """A denouncer refused at the desk, the notice issued, and a second reception officer of the unit."""
    settings = Settings(documents_dir=str(ROOT / "workflows" / "documents"), pdf=False)
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="refused", refusal_ground="persistent_resolved", result_note=None,
                            content_type="denunciation", citizen_name=NAME, identity_number=NUMBER), NOW)
    # the head issues it (NĐ 154/2026, Điều 4 khoản 3); the officer who recorded the visit hands it over
    doc = session_docs.issue_refusal_notice(session, settings, rules, org["users"]["head"], v.id, NOW)
    colleague = accounts.create_user(session, "reception2", PASSWORD, now=NOW, full_name="Cán bộ 2",
                                     email="r2@example.test")
    accounts.grant_role(session, colleague, org["dept"], "reception")
    session.flush()
    return v, doc, colleague


def openings(session) -> list[tuple[int, int, int]]:
    return [(a.user_id, a.visit_id, a.document_id) for a in session.scalars(select(VisitAccess).order_by(VisitAccess.id))]


def test_a_reception_officer_the_desk_withholds_the_summary_from_may_not_open_it(session, org, rules, notice):
    v, doc, colleague = notice
    assert desk.visit_rows(session, [v], rules, colleague)[0]["summary_withheld"]
    with pytest.raises(Forbidden):
        session_docs.open_document(session, colleague, doc.id, NOW)
    assert openings(session) == []


def test_the_officer_who_recorded_the_visit_opens_its_notice_and_it_is_recorded(session, org, rules, notice):
    v, doc, _colleague = notice
    recorder = org["users"]["reception"]
    assert not desk.visit_rows(session, [v], rules, recorder)[0]["summary_withheld"]
    assert session_docs.open_document(session, recorder, doc.id, NOW) is doc
    assert openings(session) == [(recorder.id, v.id, doc.id)]


def test_each_opening_by_the_head_is_recorded(session, org, notice):
    v, doc, _colleague = notice
    head = org["users"]["head"]
    assert session_docs.open_document(session, head, doc.id, NOW) is doc
    assert session_docs.open_document(session, head, doc.id, NOW) is doc
    assert openings(session) == [(head.id, v.id, doc.id)] * 2


def test_the_desk_lists_the_notice_without_a_link_for_whoever_may_not_open_it(session, org, rules, notice):
    v, doc, colleague = notice
    assert desk.desk_view(session, colleague, v.session_id, rules, NOW.date()).sealed == {doc.id}
    assert desk.desk_view(session, org["users"]["head"], v.session_id, rules, NOW.date()).sealed == set()


def test_the_download_page_refuses_the_colleague_and_records_the_head(app, session, org, notice):
    from web.conftest import Browser

    v, doc, _colleague = notice
    url = f"/tiep-nhan/phien/{v.session_id}/van-ban/{doc.id}.docx"
    colleague = Browser(app.test_client())
    colleague.login("reception2")
    assert colleague.get(url).status_code == 403
    head = Browser(app.test_client())
    head.login("head")
    assert head.get(url).status_code == 200
    assert openings(session) == [(org["users"]["head"].id, v.id, doc.id)]


def test_each_caseless_visit_is_asked_on_its_own_so_ones_own_visit_unlocks_no_colleagues(session, workflows, org,
                                                                                         rules, notice):
    v, _doc, colleague = notice  # v: recorded by the unit's reception officer
    mine = visits.record(session, workflows, rules, colleague, v.session_id,
                         visit(outcome="refused", refusal_ground="persistent_resolved", result_note=None,
                               content_type="denunciation", citizen_name="Lê Văn Em", summary="tóm tắt của tôi"), NOW)
    rows = desk.visit_rows(session, [mine, v], rules, colleague)
    assert [r["summary_withheld"] for r in rows] == [False, True]
