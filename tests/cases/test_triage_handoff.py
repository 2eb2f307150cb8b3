"""What a letter's hand-off carries into the case it becomes: a mass letter's people and representatives'
appointment, each party's identity document, the sender in the new kind's role (and a denouncer's protection), the
signers counted at classification; and a correction of the letter's receipt moving the case's clocks."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Clock
from dvflow.services.cases.corrections import CorrectionInput, correct_case
from dvflow.services.cases.intake import IntakeInput, register_case

from .test_triage import NOW, RECEIVED, act, at, classify, letter, open_clocks, sender


def mass_letter(session, workflows, org, people=20):
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=at(RECEIVED),
                       subject="Đơn của 20 hộ dân về thu hồi đất", content="Nội dung",
                       parties=[sender(identity_type="cccd"),
                                sender("representative", "Trần Văn Bình", "001086000456")],
                       mass=True, people_count=people, appointment_reference="01/GCĐD",
                       appointment_date=date(2026, 10, 30))
    return register_case(session, workflows, org["users"]["reception"], data, NOW)


def hand_off(session, workflows, org, doc, kind, **classified) -> Case:
    act(session, workflows, org, doc, "classify", content_type=kind, competent=True, **classified)
    act(session, workflows, org, doc, "accept", target_kind=kind)
    return session.get(Case, doc.handed_off_to_id)


def test_a_mass_letter_becomes_a_mass_case_that_can_be_accepted(session, workflows, org):
    doc = mass_letter(session, workflows, org)
    case = hand_off(session, workflows, org, doc, "complaint_first")
    assert (case.mass, case.people_count, case.appointment_reference, case.appointment_date) == (
        True, 20, "01/GCĐD", date(2026, 10, 30))
    assert case.facts["people_count"] == 20 and case.facts["appointment_recorded"] is True
    # the representatives' appointment is on file: acceptance is no longer refused for lacking it (LTCD Art 29)
    act(session, workflows, org, case, "accept", user="head", decision_number="5/TB", decision_date="2026-11-06")
    assert case.state == "accepted"


def test_each_party_keeps_its_identity_document_type(session, workflows, org):
    doc = mass_letter(session, workflows, org)
    case = hand_off(session, workflows, org, doc, "complaint_first")
    assert [(cp.role, cp.party.identity_type) for cp in case.parties] == [("complainant", "cccd"),
                                                                        ("representative", None)]


@pytest.mark.parametrize("role, kind, becomes", [
    ("complainant", "denunciation", "denouncer"), ("petitioner", "denunciation", "denouncer"),
    ("denouncer", "complaint_first", "complainant"), ("complainant", "petition", "petitioner")])
def test_the_sender_takes_the_sender_role_of_the_new_kind(session, workflows, org, role, kind, becomes):
    other = [sender("respondent", "Ông B", None)]
    doc = letter(session, workflows, org, [sender(role), *other, sender("representative", "Trần Văn Bình", None)])
    case = hand_off(session, workflows, org, doc, kind)
    target = {"denunciation": ["accused"], "complaint_first": ["respondent"], "petition": []}[kind]
    assert sorted(cp.role for cp in case.parties) == sorted([becomes, "representative", *target])
    assert case.facts["party_roles"] == sorted({becomes, "representative", *target})


def test_a_sender_become_denouncer_is_protected_in_the_new_case(session, workflows, org):
    doc = letter(session, workflows, org, [sender("complainant"), sender("respondent", "Ông B", None)])
    case = hand_off(session, workflows, org, doc, "denunciation")
    denouncer = next(cp for cp in case.parties if cp.role == "denouncer")
    assert case.confidential and denouncer.party.name_search in (None, "")  # found by no name search


def test_an_anonymous_tip_keeps_only_the_accused(session, workflows, org):
    doc = letter(session, workflows, org, [sender("petitioner", name="Không rõ", identity=None),
                                           sender("accused", "Ông B", None)])
    case = hand_off(session, workflows, org, doc, "anonymous_tip")
    assert [cp.role for cp in case.parties] == ["accused"]


def test_five_signers_make_the_letter_and_its_case_mass(session, workflows, org):
    doc = letter(session, workflows, org, subject="Đơn của 8 hộ dân")
    classify(session, workflows, org, doc, "complaint_first")
    assert not doc.mass
    act(session, workflows, org, doc, "classify", content_type="complaint_first", competent=True, signers=8)
    assert (doc.mass, doc.people_count, doc.facts["people_count"]) == (True, 8, 8)
    act(session, workflows, org, doc, "accept", target_kind="complaint_first")
    case = session.get(Case, doc.handed_off_to_id)
    assert (case.mass, case.people_count) == (True, 8)
    few = letter(session, workflows, org, subject="Đơn của 3 hộ dân")
    act(session, workflows, org, few, "classify", content_type="petition", competent=True, signers=3)
    assert not few.mass and few.people_count == 3


def test_a_reclassification_replaces_a_mistyped_signers_count_never_the_desks(session, workflows, org):
    doc = letter(session, workflows, org, subject="Đơn của ông A")
    act(session, workflows, org, doc, "classify", content_type="complaint_first", competent=True, signers=8)
    act(session, workflows, org, doc, "classify", content_type="complaint_first", competent=True, signers=1)
    assert (doc.mass, doc.people_count) == (False, 1) and "people_count" not in doc.facts
    case = hand_off(session, workflows, org, doc, "complaint_first")
    assert (case.mass, case.people_count) == (False, 1)
    act(session, workflows, org, case, "accept", user="head", decision_number="5/TB", decision_date="2026-11-06")
    assert case.state == "accepted"  # a one-person complaint, not refused for lacking representatives
    desk = mass_letter(session, workflows, org)  # the desk counted 20: a classification of 3 signers keeps them
    act(session, workflows, org, desk, "classify", content_type="complaint_first", competent=True, signers=3)
    assert (desk.mass, desk.people_count) == (True, 20)


def test_correcting_the_letters_receipt_moves_the_case_and_its_clocks(session, workflows, org):
    doc = letter(session, workflows, org)
    case = hand_off(session, workflows, org, doc, "complaint_first")
    assert open_clocks(session, case)["accept"].due_date == date(2026, 11, 11)  # 7 wd from Mon 02/11
    earlier = at(date(2026, 10, 26))
    correct_case(session, workflows, org["users"]["handler"], doc.id,
                 CorrectionInput(reason="Nhập sai ngày nhận đơn theo dấu bưu điện", received_at=earlier), NOW)
    assert case.received_at == doc.received_at == earlier
    accept = open_clocks(session, case)["accept"]
    assert (accept.start_date, accept.due_date) == (date(2026, 10, 26), date(2026, 11, 4))  # 7 wd from Mon 26/10
    rows = {e.action: e.payload for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))}
    assert rows["correct"]["field"] == "received_at" and doc.tracking_code in rows["correct"]["reason"]
    assert rows["recompute_due"]["new_due_date"] == "2026-11-04"


def test_a_case_corrected_on_its_own_keeps_its_date(session, workflows, org):
    doc = letter(session, workflows, org)
    case = hand_off(session, workflows, org, doc, "complaint_first")
    own = at(date(2026, 10, 30))
    correct_case(session, workflows, org["users"]["handler"], case.id,
                 CorrectionInput(reason="Ngày nhận theo sổ tiếp nhận của phòng", received_at=own), NOW)
    correct_case(session, workflows, org["users"]["handler"], doc.id,
                 CorrectionInput(reason="Nhập sai ngày nhận đơn theo dấu bưu điện", received_at=at(date(2026, 10, 26))),
                 NOW)
    assert case.received_at == own
    clock = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "accept"))
    assert clock.start_date == date(2026, 10, 30)
