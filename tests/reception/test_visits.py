"""Recording citizens at a session desk (services, SQLite and PostgreSQL): the book number, each outcome, the letter
handed into intake with the session's day as its receipt date, refusals and their notice's due day, bookings."""
from __future__ import annotations

from datetime import date, time

import pytest
from factories import NOW
from sqlalchemy import select

from dvflow.models import Case, Clock, ReceptionVisit
from dvflow.services.errors import Conflict, NotFound, ServiceError
from dvflow.services.reception import refusals, visits
from dvflow.timeutil import local_date

from .helpers import local, make_booking, make_session, visit


def test_a_session_hands_a_letter_into_a_complaint_received_on_the_session_day(session, workflows, org, rules):
    """Issue #17: the case's receipt date is the session's, and its clocks count from it, not from the recording."""
    rs = make_session(session, org["dept"], day=date(2026, 11, 20), start=time(8, 0))
    recorded_at = local(date(2026, 11, 25), 9)  # five days later, the officer enters what was received
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="case_opened", case_kind="complaint_first", result_note=None), recorded_at)
    case = session.get(Case, v.case_id)
    assert case.kind == "complaint_first" and case.channel == "walk_in"
    assert case.received_at == local(date(2026, 11, 20), 8)
    assert local_date(case.received_at) == rs.day
    assert [cp.role for cp in case.parties] == ["complainant"]
    assert case.parties[0].party.name == "Nguyễn Văn An"
    first = session.scalars(select(Clock).where(Clock.case_id == case.id).order_by(Clock.id)).first()
    assert first is not None and first.start_date == date(2026, 11, 20)
    assert v.within_competence and v.outcome == "case_opened"


def test_book_numbers_run_per_unit_and_year(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    other = make_session(session, org["other"])
    numbers = [visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(), NOW).seq
               for _ in range(3)]
    assert numbers == [1, 2, 3]
    other_head = org["users"]["other_head"]
    assert visits.record(session, workflows, rules, other_head, other.id, visit(), NOW).seq == 1
    next_year = make_session(session, org["dept"], day=date(2027, 1, 4))
    at = local(date(2027, 1, 4), 9)
    assert visits.record(session, workflows, rules, org["users"]["reception"], next_year.id, visit(), at).seq == 1


def test_guided_needs_the_body_and_the_letter_number(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="guided", guided_to="UBND xã Tân Lập"), NOW)
    assert err.value.field == "guidance_number"
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="guided", guided_to="UBND xã Tân Lập", guidance_number="15/HD-TCD"), NOW)
    assert (v.guided_to, v.guidance_number) == ("UBND xã Tân Lập", "15/HD-TCD")


@pytest.mark.parametrize("change, field", [
    ({"citizen_name": " "}, "citizen_name"), ({"summary": ""}, "summary"), ({"content_type": "x"}, "content_type"),
    ({"outcome": "x"}, "outcome"), ({"people_count": 0}, "people_count"), ({"result_note": None}, "result_note"),
    ({"outcome": "case_opened", "case_kind": "nope"}, "case_kind"), ({"outcome": "refused"}, "refusal_ground"),
    ({"address": "x" * 501}, "address"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, workflows, org, rules, change, field):
    rs = make_session(session, org["dept"])
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(**change), NOW)
    assert err.value.field == field
    session.rollback()
    assert session.scalar(select(ReceptionVisit.id)) is None


def test_a_session_not_yet_come_or_closed_takes_no_visit(session, workflows, org, rules):
    future = make_session(session, org["dept"], day=date(2026, 11, 30))
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["reception"], future.id, visit(), NOW)
    assert err.value.field == "session"
    held = make_session(session, org["dept"], status="held")
    with pytest.raises(Conflict):
        visits.record(session, workflows, rules, org["users"]["reception"], held.id, visit(), NOW)


def test_only_the_units_desk_records(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    with pytest.raises(NotFound):
        visits.record(session, workflows, rules, org["users"]["other_head"], rs.id, visit(), NOW)
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["supervisor"], rs.id, visit(), NOW)
    assert err.value.status == 403
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["handler"], rs.id, visit(), NOW)
    assert err.value.status == 404


def test_a_denunciation_visit_is_confidential_and_its_case_too(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(content_type="denunciation", outcome="case_opened", case_kind="denunciation"), NOW)
    assert v.confidential
    case = session.get(Case, v.case_id)
    assert case.confidential and case.parties[0].role == "denouncer"


def test_a_refusal_notice_falls_due_three_working_days_after_the_session(session, workflows, org, rules):
    """Friday 20/11/2026: Monday 23, (Tuesday 24 is Vietnamese Culture Day), Wednesday 25, Thursday 26."""
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="refused", refusal_ground="persistent_resolved", result_note=None), NOW)
    assert v.refusal_ground == "persistent_resolved" and v.refusal_notice_due == date(2026, 11, 26)
    assert refusals.overdue(session, [org["dept"].id], date(2026, 11, 26)) == []
    assert refusals.overdue(session, [org["dept"].id], date(2026, 11, 27)) == [v]


def test_an_admins_day_off_moves_the_notice(session, workflows, org, rules):
    from dvflow.services.deadlines.calendar import set_override

    set_override(session, workflows, day=date(2026, 11, 25), kind="off", note="Nghỉ bù", now=NOW)
    rs = make_session(session, org["dept"], day=date(2026, 11, 20))
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="refused", refusal_ground="repeat_petition", content_type="petition",
                            result_note=None), local(date(2026, 11, 26), 9))
    assert v.refusal_notice_due == date(2026, 11, 27)


def test_grounds_explained_in_person_need_no_notice(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="refused", refusal_ground="weapons", result_note=None), NOW)
    assert v.refusal_notice_due is None


def test_a_ground_not_yet_in_force_is_refused(session, workflows, org, rules):
    rs = make_session(session, org["dept"], day=date(2026, 6, 30))
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["reception"], rs.id,
                      visit(outcome="refused", refusal_ground="weapons"), NOW)
    assert err.value.field == "refusal_ground"


def test_every_ground_cites_its_basis_and_dates(rules):
    assert rules.notice_days == 3 and "Điều 4 khoản 3" in rules.notice_basis
    for ground in rules.grounds.values():
        assert ground.label and ground.label_en and ground.effective_from
        assert ground.basis.startswith(("Luật Tiếp công dân 2013, Điều 9", "Nghị định 154/2026/NĐ-CP, Điều 4"))
    assert {g.key for g in rules.grounds.values() if g.notice} == {"persistent_resolved", "repeat_petition"}


def test_a_booking_received_or_absent(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    came, absent = make_booking(session, rs), make_booking(session, rs, name="Vắng Mặt", code="DK-0002", slot=time(8, 40))
    v = visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(booking_id=came.id), NOW)
    assert came.status == "received" and v.booking_id == came.id
    with pytest.raises(Conflict):
        visits.record(session, workflows, rules, org["users"]["reception"], rs.id, visit(booking_id=came.id), NOW)
    visits.mark_no_show(session, org["users"]["reception"], rs.id, absent.id, NOW)
    assert absent.status == "no_show"
    other = make_session(session, org["dept"])
    with pytest.raises(NotFound):
        visits.mark_no_show(session, org["users"]["reception"], other.id, absent.id, NOW)


def test_a_head_above_who_may_not_register_the_units_letters_is_told_so(session, workflows, org, rules):
    rs = make_session(session, org["dept"])
    with pytest.raises(ServiceError) as err:
        visits.record(session, workflows, rules, org["users"]["chair"], rs.id,
                      visit(outcome="case_opened", case_kind="complaint_first"), NOW)
    assert (err.value.status, err.value.field) == (400, "outcome")


def test_a_wrong_grounds_file_fails_loudly_naming_the_key():
    from config import ROOT
    from dvflow.services.reception.refusals import RefusalRulesError, parse

    text = (ROOT / "workflows" / "reception" / "refusal_grounds.yaml").read_text(encoding="utf-8")
    assert parse(text).grounds  # the shipped file
    for bad, key in ((text.replace("notice: false", "notice: \"sometimes\"", 1), "notice"),
                     (text.replace("    basis: ", "    basiss: ", 1), "basiss"),
                     (text.replace("notice_days: 3", "notice_days: 0"), "notice_days")):
        with pytest.raises(RefusalRulesError) as refused:
            parse(bad, "refusal_grounds.yaml")
        assert "refusal_grounds.yaml" in str(refused.value) and key in str(refused.value), key
