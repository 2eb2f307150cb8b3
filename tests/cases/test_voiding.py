"""Voiding a mistaken or duplicate case (issue #13, item 3): a head's decision with a reason; the case is kept, its
clocks close, it leaves queues, counts, statistics and search, shows as void to the public, and takes no action."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Clock, Notification
from dvflow.services import cases
from dvflow.services.cases import public_view, queries
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.voiding import void_case
from dvflow.services.errors import Conflict, Forbidden, ServiceError
from dvflow.services.reports import dashboard
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)
REASON = "Nhập trùng với hồ sơ đã tiếp nhận trước"


def make(session, workflows, org, subject="Khiếu nại thu hồi đất", received=RECEIVED, kind="complaint_first"):
    role = "complainant" if kind.startswith("complaint") else "petitioner"
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=received,
                       subject=subject, parties=[PartyInput(role=role, name="Nguyễn Văn An")])
    case = register_case(session, workflows, org["users"]["reception"], data, received + timedelta(hours=1))
    session.flush()
    return case


def test_a_head_voids_with_a_reason_and_the_case_is_kept(session, workflows, org):
    original = make(session, workflows, org, subject="Đơn gốc")
    case = make(session, workflows, org)
    version = case.version
    void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW, duplicate_of=original.tracking_code,
              expected_version=version)
    session.expire_all()
    kept = session.get(Case, case.id)
    assert kept.voided and kept.voided_at is not None and kept.voided_by_id == org["users"]["head"].id
    assert kept.void_reason == REASON and kept.duplicate_of_id == original.id and kept.version > version
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "void")).one()
    assert event.payload["reason"] == REASON and event.payload["duplicate_of_code"] == original.tracking_code
    assert event.actor_id == org["users"]["head"].id


def test_the_assignee_is_told(session, workflows, org):
    case = make(session, workflows, org)
    cases.assign(session, org["users"]["head"], case.id, org["users"]["handler"].id, NOW)
    void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW)
    sent = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                      Notification.template == "case_voided")).all()
    assert sent and {n.user_id for n in sent} == {org["users"]["handler"].id} and REASON in sent[0].body


def test_its_open_clocks_close_so_the_sweep_never_picks_them(session, workflows, org):
    case = make(session, workflows, org)
    assert session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.closed_at.is_(None))).all()
    void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW)
    rows = session.scalars(select(Clock).where(Clock.case_id == case.id)).all()
    assert rows and all(c.closed_at is not None and c.state == "cancelled" for c in rows)
    assert all(c.next_escalation_at is None and c.next_step_key is None for c in rows)


@pytest.mark.parametrize("user, reason, error", [
    ("handler", REASON, Forbidden), ("reception", REASON, Forbidden), ("head", "", ServiceError),
    ("head", "trùng", ServiceError), ("head", "x" * 1001, ServiceError)])
def test_refusals_write_nothing(session, workflows, org, user, reason, error):
    case = make(session, workflows, org)
    with pytest.raises(error) as raised:
        void_case(session, workflows, org["users"][user], case.id, reason, NOW)
    if error is ServiceError:
        assert raised.value.field == "reason" and "Lý do hủy" in raised.value.message
    assert case.voided_at is None


def test_a_stale_version_or_a_bad_original_is_refused(session, workflows, org):
    case = make(session, workflows, org)
    with pytest.raises(Conflict):
        void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW, expected_version=case.version + 1)
    for ref in ("KN-1999-000001", case.tracking_code, case.id):
        with pytest.raises(ServiceError) as raised:
            void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW, duplicate_of=ref)
        assert raised.value.field == "duplicate_of"


def test_the_original_is_a_case_of_the_same_kind_family(session, workflows, org):
    """A complaint duplicates a complaint (of any tier), not a petition: voided as its duplicate, the complaint would
    hand its commitments and its place in the figures to a matter of another kind."""
    petition = make(session, workflows, org, subject="Kiến nghị về đường", kind="petition")
    second = make(session, workflows, org, subject="Khiếu nại lần hai", kind="complaint_second")
    case = make(session, workflows, org)
    with pytest.raises(ServiceError) as raised:
        void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW, duplicate_of=petition.tracking_code)
    assert raised.value.field == "duplicate_of" and "cùng loại" in raised.value.message and case.voided_at is None
    void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW, duplicate_of=second.tracking_code)
    assert case.duplicate_of_id == second.id


def test_a_voided_case_takes_no_more_action(session, workflows, org):
    case = make(session, workflows, org)
    head = org["users"]["head"]
    void_case(session, workflows, head, case.id, REASON, NOW)
    assert cases.actions_for(session, workflows, head, case) == []
    for attempt in (lambda: cases.perform(session, workflows, head, case.id, "accept",
                                          {"decision_number": "1", "decision_date": "2026-11-03"}, NOW),
                    lambda: cases.assign(session, head, case.id, org["users"]["handler"].id, NOW),
                    lambda: void_case(session, workflows, head, case.id, REASON, NOW)):
        with pytest.raises(Conflict) as raised:
            attempt()
        assert "đã bị hủy" in raised.value.message


def test_it_leaves_queues_counts_search_and_statistics(session, workflows, org):
    keep, gone = make(session, workflows, org, subject="Đơn còn giữ"), make(session, workflows, org, subject="Đơn hủy")
    head = org["users"]["head"]
    before = queries.counts(session, head, NOW.date(), workflows)
    void_case(session, workflows, head, gone.id, REASON, NOW)
    ids = lambda **kw: {c.id for c in session.scalars(queries.case_query(session, head, **kw))}  # noqa: E731
    assert ids() == {keep.id} and ids(q="don huy") == set() and ids(queue="due", today=NOW.date()) <= {keep.id}
    assert ids(show_voided=True) == {keep.id, gone.id} and ids(q="don huy", show_voided=True) == {gone.id}
    after = queries.counts(session, head, NOW.date(), workflows)
    assert after["unit"] == before["unit"] - 1 and after["total"] == before["total"] - 1
    rows = dashboard.open_cases_by_kind_state(session, None)
    assert sum(n for _k, _s, n in rows) == 1
    weeks = dashboard.weekly_flow(session, None, NOW.date())
    assert sum(w.received for w in weeks) == 1


def test_public_tracking_shows_only_that_it_is_void(session, workflows, org):
    case = make(session, workflows, org)
    void_case(session, workflows, org["users"]["head"], case.id, REASON, NOW)
    view = public_view.public_view(session, workflows, case, NOW.date())
    assert view["voided"] and view["status_label"] == "Hồ sơ đã bị hủy" and view["tracking_code"] == case.tracking_code
    assert not view["deadlines"] and not view["unit_name"] and not view["received_on"] and not view["kind_label"]


def test_a_voided_case_leaves_the_reception_book_and_the_duplicate_suggestions(session, workflows, org):
    from dvflow.services.cases.intake_duplicates import likely
    from dvflow.services.reception import book

    kept, voided = make(session, workflows, org, "Khiếu nại thu hồi đất nông nghiệp"), make(session, workflows, org)
    reception = org["users"]["reception"]
    assert {c.id for c in book.month_log(session, reception, date(2026, 11, 1))} == {kept.id, voided.id}
    void_case(session, workflows, org["users"]["head"], voided.id, REASON, NOW)
    assert [c.id for c in book.month_log(session, reception, date(2026, 11, 1))] == [kept.id]
    subject = "Khiếu nại thu hồi đất"
    assert [c.id for c in book.duplicates(session, reception, "", subject, NOW)] == [kept.id]
    assert [c.id for c in likely(session, reception, org["dept"].id, subject + " nông nghiệp", [])] == [kept.id]
