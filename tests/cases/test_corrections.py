"""Correcting a case's intake data (issue #13, item 3): one history row per changed field with old and new values,
the intake checks, a moved received date recomputes the clocks counting from it, confidential parties redacted."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, CaseParty, Clock, Party
from dvflow.services import cases
from dvflow.services.cases import queries
from dvflow.services.cases.corrections import (
    CorrectionInput,
    PartyEdit,
    correct_case,
    shown,
)
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Conflict, Forbidden, NotFound, ServiceError
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)  # a Monday
NOW = datetime.combine(date(2026, 11, 5), time(9), TZ)
REASON = "Cán bộ nhập sai khi tiếp nhận"


def make(session, workflows, org, kind="complaint_first", parties=None):
    parties = parties or [PartyInput(role="complainant", name="Nguyễn Văn An", identity_number="001086000123")]
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=RECEIVED,
                       subject="Khiếu nại thu hồi đất", content="Nội dung", parties=parties)
    case = register_case(session, workflows, org["users"]["reception"], data, RECEIVED + timedelta(hours=1))
    session.flush()
    return case


def corrections(session, case) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "correct")
                                .order_by(CaseEvent.id)))


def test_each_changed_field_is_a_history_row_with_old_and_new_values(session, workflows, org):
    case = make(session, workflows, org)
    version = case.version
    done = correct_case(session, workflows, org["users"]["reception"], case.id,
                        CorrectionInput(reason=REASON, subject="Khiếu nại quyết định bồi thường", channel="letter",
                                        content="Nội dung"), NOW, expected_version=version)
    rows = corrections(session, case)
    assert [(r.payload["field"], r.payload["old"], r.payload["new"]) for r in rows] == [
        ("subject", "Khiếu nại thu hồi đất", "Khiếu nại quyết định bồi thường"), ("channel", "walk_in", "letter")]
    assert all(r.payload["reason"] == REASON and r.actor_id == org["users"]["reception"].id for r in rows)
    assert done.case.version > version and not done.recomputed
    assert case.subject_search == "khieu nai quyet dinh boi thuong"
    head = org["users"]["head"]
    assert {c.id for c in session.scalars(queries.case_query(session, head, q="boi thuong"))} == {case.id}


def test_parties_are_corrected_added_and_removed_and_name_search_follows(session, workflows, org):
    case = make(session, workflows, org)
    first = case.parties[0].party_id
    correct_case(session, workflows, org["users"]["handler"], case.id, CorrectionInput(reason=REASON, parties=[
        PartyEdit(party_id=first, name="Nguyễn Văn Ân", phone="0912345678", identity_number=""),
        PartyEdit(role="respondent", name="Chủ tịch UBND huyện Đông Anh")]), NOW)
    payloads = [r.payload for r in corrections(session, case)]
    rows = [(p["field"], p["old"], p["new"]) for p in payloads]
    # identity fields: that they changed, never their values (a sender may become a hidden denouncer later)
    assert rows[:3] == [("name", None, None), ("identity_number", None, None), ("phone", None, None)]
    assert all(p["withheld"] and "hidden" not in p for p in payloads)
    assert rows[3] == ("party_added", None, {"role": "respondent", "kind": "person", "identity_type": None,
                                             "identity_type_name": None})
    party = session.get(Party, first)
    assert party.name_search == "nguyen van an" and party.identity_number is None
    assert sorted(case.facts["party_roles"]) == ["complainant", "respondent"]
    added = next(cp for cp in case.parties if cp.role == "respondent")
    correct_case(session, workflows, org["users"]["handler"], case.id,
                 CorrectionInput(reason=REASON, parties=[PartyEdit(party_id=added.party_id, remove=True)]), NOW)
    assert [cp.role for cp in session.get(Case, case.id).parties] == ["complainant"]
    assert corrections(session, case)[-1].payload["field"] == "party_removed"


@pytest.mark.parametrize("data, field", [
    (CorrectionInput(reason="sai"), "reason"),
    (CorrectionInput(reason=REASON), "reason"),  # nothing changes
    (CorrectionInput(reason=REASON, subject="x" * 600), "subject"),
    (CorrectionInput(reason=REASON, subject="   "), "subject"),
    (CorrectionInput(reason=REASON, channel="pigeon"), "channel"),
    (CorrectionInput(reason=REASON, parties=[PartyEdit(role="complainant", name="x" * 300)]), "parties[0].name"),
    (CorrectionInput(reason=REASON, parties=[PartyEdit(role="complainant", name="Lê C",
                                                       identity_number="1" * 66)]), "parties[0].identity_number"),
    (CorrectionInput(reason=REASON, parties=[PartyEdit(role="complainant", name="Lê C", email="khong-phai")]),
     "parties[0].email"),
    (CorrectionInput(reason=REASON, received_at=NOW + timedelta(days=1)), "received_at"),
])
def test_the_intake_checks_apply_and_nothing_is_written(session, workflows, org, data, field):
    case = make(session, workflows, org)
    with pytest.raises(ServiceError) as raised:
        correct_case(session, workflows, org["users"]["reception"], case.id, data, NOW)
    assert raised.value.field == field
    session.rollback()
    assert corrections(session, case) == []


def test_removing_the_only_complainant_is_refused(session, workflows, org):
    case = make(session, workflows, org)
    edit = PartyEdit(party_id=case.parties[0].party_id, remove=True)
    with pytest.raises(ServiceError) as raised:
        correct_case(session, workflows, org["users"]["reception"], case.id,
                     CorrectionInput(reason=REASON, parties=[edit]), NOW)
    assert raised.value.field == "parties" and "người khiếu nại" in raised.value.message


def test_who_may_correct(session, workflows, org):
    case = make(session, workflows, org)
    data = CorrectionInput(reason=REASON, subject="Trích yếu mới")
    for user, error in (("supervisor", Forbidden), ("other_head", NotFound)):
        with pytest.raises(error):
            correct_case(session, workflows, org["users"][user], case.id, data, NOW)
    with pytest.raises(Conflict):
        correct_case(session, workflows, org["users"]["head"], case.id, data, NOW, expected_version=case.version + 5)
    with pytest.raises(ServiceError) as err:  # an id of the body: bad input naming the field, not a missing page
        correct_case(session, workflows, org["users"]["head"], case.id,
                     CorrectionInput(reason=REASON, parties=[PartyEdit(party_id=999_999, name="X")]), NOW)
    assert (err.value.status, err.value.field) == (400, "parties[0].id")


def test_a_changed_received_date_recomputes_the_clocks_counting_from_it(session, workflows, org):
    case = make(session, workflows, org)
    clock = session.scalars(select(Clock).where(Clock.case_id == case.id)).one()
    old_due, old_next = clock.due_date, clock.next_escalation_at
    new = datetime.combine(date(2026, 10, 30), time(15), TZ)  # the Friday before
    done = correct_case(session, workflows, org["users"]["reception"], case.id,
                        CorrectionInput(reason=REASON, received_at=new), NOW)
    assert clock.start_date == date(2026, 10, 30) and clock.due_date < old_due
    assert clock.next_escalation_at is not None and clock.next_escalation_at < old_next
    assert done.recomputed[0]["old_due_date"] == old_due.isoformat()
    assert done.recomputed[0]["new_due_date"] == clock.due_date.isoformat()
    assert "Thời hạn thụ lý" in done.recomputed_text and old_due.strftime("%d/%m/%Y") in done.recomputed_text
    assert case.received_at == new and case.last_legal_date == date(2026, 10, 30)
    moves = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                    CaseEvent.action == "recompute_due")).all()
    assert len(moves) == 1 and moves[0].payload["new_due_date"] == clock.due_date.isoformat()
    assert corrections(session, case)[0].payload["field"] == "received_at"


def test_a_received_date_after_a_recorded_action_is_refused(session, workflows, org):
    case = make(session, workflows, org)
    cases.perform(session, workflows, org["users"]["head"], case.id, "accept",
                  {"decision_number": "01", "decision_date": "2026-11-03"}, NOW)
    with pytest.raises(ServiceError) as raised:
        correct_case(session, workflows, org["users"]["reception"], case.id,
                     CorrectionInput(reason=REASON, received_at=datetime.combine(date(2026, 11, 4), time(9), TZ)),
                     NOW)
    assert raised.value.field == "received_at" and "03/11/2026" in raised.value.message
    # an earlier date leaves the resolution clock (counted from the acceptance) alone
    correct_case(session, workflows, org["users"]["reception"], case.id,
                 CorrectionInput(reason=REASON, received_at=datetime.combine(date(2026, 11, 1), time(9), TZ)), NOW)
    resolve = session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve")).one()
    assert resolve.start_date == date(2026, 11, 3) and case.last_legal_date == date(2026, 11, 3)


def test_a_confidential_party_is_corrected_only_by_those_who_may_reveal_and_redacted_in_history(
        session, workflows, org):
    case = make(session, workflows, org, kind="denunciation",
                parties=[PartyInput(role="denouncer", name="Trần Thị Bí Mật", identity_number="001186000777")])
    pid = case.parties[0].party_id
    data = CorrectionInput(reason=REASON, parties=[PartyEdit(party_id=pid, name="Trần Thị Bí Mật Mới")])
    with pytest.raises(Forbidden):
        correct_case(session, workflows, org["users"]["reception"], case.id, data, NOW)
    correct_case(session, workflows, org["users"]["head"], case.id, data, NOW)
    row = corrections(session, case)[0]
    # a hidden party's identity is not stored in the history (identity at rest, issue #14 item 2: tests/crypto)
    assert row.payload["hidden"] and row.payload["old"] is None and row.payload["new"] is None
    assert shown(row.payload)["old"] is None and shown(row.payload)["new"] is None and shown(row.payload)["redacted"]


def test_a_party_shared_with_another_case_is_copied_not_changed_there(session, workflows, org):
    case, other = make(session, workflows, org), make(session, workflows, org)
    shared = case.parties[0].party
    other.parties[0].party = shared  # as a hand-off may link the same person
    session.flush()
    correct_case(session, workflows, org["users"]["reception"], case.id, CorrectionInput(
        reason=REASON, parties=[PartyEdit(party_id=shared.id, name="Tên đã sửa")]), NOW)
    assert case.parties[0].party.name == "Tên đã sửa" and case.parties[0].party_id != shared.id
    assert shared.name == "Nguyễn Văn An"
    assert session.scalars(select(CaseParty).where(CaseParty.party_id == shared.id)).one().case_id == other.id


def test_a_party_correction_is_hidden_once_the_case_becomes_confidential(session, workflows, org):
    case = make(session, workflows, org, kind="triage",  # a letter: its parties may be of any role
                parties=[PartyInput(role="petitioner", name="Người Kiến Nghị")])
    assert not case.confidential
    pid = case.parties[0].party_id
    correct_case(session, workflows, org["users"]["reception"], case.id,
                 CorrectionInput(reason=REASON, parties=[PartyEdit(party_id=pid, role="denouncer")]), NOW)
    row = corrections(session, case)[0]
    assert case.confidential  # a letter naming a denouncer is confidential from that moment (W3)
    # hidden from this correction on: the history row it writes is already redacted (the role is no identity)
    assert row.payload["hidden"] and (row.payload["old"], row.payload["new"]) == ("petitioner", "denouncer")
    assert shown(row.payload, case)["redacted"] and shown(row.payload, case)["old"] is None


def test_a_denouncer_added_to_a_letter_makes_it_confidential(session, workflows, org):
    letter = make(session, workflows, org, kind="triage",
                  parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    assert not letter.confidential
    correct_case(session, workflows, org["users"]["reception"], letter.id, CorrectionInput(reason=REASON, parties=[
        PartyEdit(role="denouncer", name="Trần Thị Kín", identity_number="001190000444")]), NOW)
    assert session.get(Case, letter.id).confidential  # audit W3, as if the denouncer had been typed at intake


def test_an_identity_document_is_corrected_with_its_type_checked(session, workflows, org):
    case = make(session, workflows, org)
    pid = case.parties[0].party_id
    with pytest.raises(ServiceError) as err:  # a tax code is an organisation's
        correct_case(session, workflows, org["users"]["reception"], case.id, CorrectionInput(reason=REASON, parties=[
            PartyEdit(party_id=pid, identity_type="tax_code", identity_number="0101234567-001")]), NOW)
    assert err.value.field == "parties[0].identity_type"
    correct_case(session, workflows, org["users"]["reception"], case.id, CorrectionInput(reason=REASON, parties=[
        PartyEdit(party_id=pid, identity_type="passport", identity_number="C1234567")]), NOW)
    party = session.get(Party, pid)
    assert (party.identity_type, party.identity_number) == ("passport", "C1234567")
    assert ("identity_type", None, "passport") in [(r.payload["field"], r.payload["old"], r.payload["new"])
                                                   for r in corrections(session, case)]


def test_no_identity_value_of_any_party_enters_the_history(session, workflows, org):
    """A letter's sender corrected while the letter is not confidential, then classified a denunciation: the
    sender is a hidden denouncer, and the hash-chained history (in every dump and backup) holds none of the values
    the correction wrote (Luật Tố cáo 2018, Điều 47(1)(b))."""
    import json

    from sqlalchemy import text

    values = {"name": "Lê Văn Bình", "identity_number": "079188054321", "phone": "0987654321",
              "address": "Số 77 ngõ Xuân Khuê", "email": "binh.le@example.vn"}
    letter = make(session, workflows, org, kind="triage", parties=[PartyInput(role="complainant", name="Lê Bình")])
    pid = letter.parties[0].party_id
    correct_case(session, workflows, org["users"]["reception"], letter.id, CorrectionInput(
        reason="Bổ sung thông tin người gửi theo đơn", parties=[PartyEdit(party_id=pid, **values),
                                                                PartyEdit(role="complainant", **{
                                                                    **values, "name": "Lê Thị Cùng Ký"})]), NOW)
    cases.perform(session, workflows, org["users"]["head"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": True}, NOW)
    session.flush()
    assert letter.confidential and cases.is_hidden(letter, "complainant")
    stored = [p if isinstance(p, str) else json.dumps(p, ensure_ascii=False) for (p,) in session.execute(
        text("SELECT payload FROM case_events WHERE case_id = :c"), {"c": letter.id})]
    assert [v for v in (*values.values(), "Lê Bình", "Lê Thị Cùng Ký") if any(v in row for row in stored)] == []

