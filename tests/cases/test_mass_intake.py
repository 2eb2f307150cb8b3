"""Mass cases at intake: the number of people, the signers, the representatives and their written appointment are
recorded; acceptance waits for valid representatives; the head is told at once; representatives can be completed."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Notification
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.mass import SignerInput
from dvflow.services.cases.representatives import (
    RepresentativesInput,
    update_representatives,
)
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 2), time(10), TZ)
ACCEPT = {"decision_number": "01/TB", "decision_date": "2026-11-04"}
PETITION_ACCEPT = {"reply_date": "2026-11-04", "reply_form": "written"}


def people(n: int) -> list[SignerInput]:
    return [SignerInput(name=f"Người ký {i}", identity_number=f"0010860001{i:02d}") for i in range(n)]


def mass_intake(org, *, kind="complaint_first", role="complainant", signers=6, reps=1, **kw) -> IntakeInput:
    parties = [PartyInput(role=role, name="Nguyễn Văn An")]
    parties += [PartyInput(role="representative", name=f"Đại diện {i}") for i in range(reps)]
    return IntakeInput(kind=kind, unit_id=org["dept"].id, channel="letter", received_at=RECEIVED,
                       subject="Khiếu nại bồi thường của 7 hộ dân", parties=parties, signers=people(signers), **kw)


def accept(session, workflows, org, case):
    payload = PETITION_ACCEPT if case.kind == "petition" else ACCEPT
    return cases.perform(session, workflows, org["users"]["head"], case.id, "accept", payload,
                         datetime.combine(date(2026, 11, 4), time(9), TZ))


def test_intake_records_people_signers_representatives_and_appointment(session, workflows, org):
    data = mass_intake(org, people_count=40, appointment_reference="01/VB-CD", appointment_date=date(2026, 10, 30))
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    roles = [cp.role for cp in case.parties]
    assert roles.count("complainant") == 7 and roles.count("representative") == 1
    assert (case.mass, case.people_count, case.appointment_reference) == (True, 40, "01/VB-CD")
    assert case.facts["people_count"] == 40 and case.facts["representatives_count"] == 1
    assert case.facts["appointment_recorded"] is True


def test_the_number_of_people_defaults_to_those_listed_and_five_make_a_mass_case(session, workflows, org):
    few = register_case(session, workflows, org["users"]["reception"], mass_intake(org, signers=3, reps=0), NOW)
    five = register_case(session, workflows, org["users"]["reception"], mass_intake(org, signers=4, reps=0), NOW)
    assert (few.mass, few.people_count, "people_count" in few.facts) == (False, 4, False)
    assert (five.mass, five.people_count) == (True, 5)


@pytest.mark.parametrize("kw, field", [
    ({"people_count": 3}, "people_count"),  # fewer than the seven listed
    ({"people_count": 0}, "people_count"),
    ({"appointment_reference": "x" * 101}, "appointment_reference"),
    ({"appointment_date": date(2026, 11, 3)}, "appointment_date"),  # after today
])
def test_bad_mass_input_is_refused_naming_the_field(session, workflows, org, kw, field):
    with pytest.raises(ServiceError) as err:
        register_case(session, workflows, org["users"]["reception"], mass_intake(org, **kw), NOW)
    assert err.value.field == field
    assert session.scalars(select(Case)).all() == []


def test_a_signer_is_checked_like_a_party_and_named_by_its_place(session, workflows, org):
    data = mass_intake(org)
    data.signers[2] = SignerInput(name="Người ký", identity_number="1" * 66)
    with pytest.raises(ServiceError) as err:
        register_case(session, workflows, org["users"]["reception"], data, NOW)
    assert err.value.field == "signers[2].identity_number" and "người ký đơn thứ 3" in err.value.message


@pytest.mark.parametrize("kind, role", [("complaint_first", "complainant"), ("complaint_second", "complainant"),
                                        ("denunciation", "denouncer"), ("petition", "petitioner")])
def test_acceptance_waits_for_the_written_appointment(session, workflows, org, kind, role):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org, kind=kind, role=role), NOW)
    with pytest.raises(ServiceError) as err:
        accept(session, workflows, org, case)
    assert "chưa có văn bản cử người đại diện" in err.value.message and "Điều 29" in err.value.message
    assert session.get(Case, case.id).state == "received"


def test_too_many_representatives_are_refused_at_acceptance_with_the_reason(session, workflows, org):
    data = mass_intake(org, reps=3, appointment_reference="01/VB")
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    with pytest.raises(ServiceError) as err:
        accept(session, workflows, org, case)
    assert "tối đa 2 người đại diện" in err.value.message


def test_valid_representatives_let_the_case_be_accepted(session, workflows, org):
    data = mass_intake(org, reps=2, appointment_date=date(2026, 10, 30))
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    assert accept(session, workflows, org, case).state == "accepted"


def test_the_head_is_told_at_once_of_a_mass_case(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org), NOW)
    sent = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                      Notification.template == "mass_case_registered")).all()
    assert {n.user_id for n in sent} == {org["users"]["head"].id}
    assert "7 người" in sent[0].body and case.tracking_code in sent[0].subject


def test_representatives_completed_after_intake_then_accepted(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org, reps=0), NOW)
    data = RepresentativesInput(representatives=[PartyInput(role="complainant", name="Trần Văn Đại Diện",
                                                            identity_number="001086000777", identity_type="cccd")],
                                people_count=12, appointment_reference="02/VB-CD", appointment_date=date(2026, 11, 1))
    update_representatives(session, workflows, org["users"]["handler"], case.id, data, NOW)
    session.expire_all()
    case = session.get(Case, case.id)
    reps = [cp.party for cp in case.parties if cp.role == "representative"]
    assert [p.name for p in reps] == ["Trần Văn Đại Diện"] and reps[0].identity_type == "cccd"
    assert (case.people_count, case.facts["representatives_count"], case.facts["appointment_recorded"]) == (12, 1, True)
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                    CaseEvent.action == "update_representatives")).one()
    assert event.payload["before"]["representatives"] == 0 and event.payload["after"]["people_count"] == 12
    assert "Trần" not in str(event.payload)  # names stay out of the history
    assert accept(session, workflows, org, case).state == "accepted"


def test_updating_replaces_the_representatives(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org, reps=2), NOW)
    data = RepresentativesInput(representatives=[PartyInput(role="representative", name="Mới")],
                                appointment_reference="03/VB")
    update_representatives(session, workflows, org["users"]["reception"], case.id, data, NOW)
    assert [cp.party.name for cp in case.parties if cp.role == "representative"] == ["Mới"]


@pytest.mark.parametrize("reps, people, field", [(3, None, "representatives"), (6, 11, "representatives"),
                                                 (1, 2, "people_count")])
def test_update_refuses_what_the_law_or_the_list_does_not_allow(session, workflows, org, reps, people, field):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org), NOW)
    data = RepresentativesInput(representatives=[PartyInput(role="representative", name=f"Đ{i}") for i in range(reps)],
                                people_count=people, appointment_reference="01")
    with pytest.raises(ServiceError) as err:
        update_representatives(session, workflows, org["users"]["head"], case.id, data, NOW)
    assert err.value.field == field


def test_update_names_the_bad_representative_field(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org), NOW)
    data = RepresentativesInput(representatives=[PartyInput(role="representative", name="A"),
                                                 PartyInput(role="representative", name=" ")])
    with pytest.raises(ServiceError) as err:
        update_representatives(session, workflows, org["users"]["head"], case.id, data, NOW)
    assert err.value.field == "representatives[1].name"


def test_only_the_receiving_unit_updates_an_open_mass_case(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org), NOW)
    plain = register_case(session, workflows, org["users"]["reception"], mass_intake(org, signers=0), NOW)
    data = RepresentativesInput(representatives=[PartyInput(role="representative", name="A")])
    with pytest.raises(Forbidden):
        update_representatives(session, workflows, org["users"]["chair"], case.id, data, NOW)  # a unit above
    with pytest.raises(Forbidden):
        update_representatives(session, workflows, org["users"]["head"], plain.id, data, NOW)  # not a mass case


def test_an_attached_file_records_the_appointment(session, workflows, org):
    from dvflow.models import Attachment

    case = register_case(session, workflows, org["users"]["reception"], mass_intake(org), NOW)
    other = register_case(session, workflows, org["users"]["reception"], mass_intake(org, signers=0), NOW)
    files = [Attachment(case_id=c.id, filename="van-ban-cu.pdf", stored_path=f"{c.id}/x", sha256="0" * 64, size=1,
                        content_type="application/pdf", uploaded_at=NOW) for c in (case, other)]
    session.add_all(files)
    session.flush()
    wrong = RepresentativesInput(representatives=[PartyInput(role="representative", name="A")],
                                 appointment_attachment_id=files[1].id)
    with pytest.raises(ServiceError) as err:
        update_representatives(session, workflows, org["users"]["head"], case.id, wrong, NOW)
    assert err.value.field == "appointment_attachment_id"
    data = RepresentativesInput(representatives=[PartyInput(role="representative", name="A")],
                                appointment_attachment_id=files[0].id)
    update_representatives(session, workflows, org["users"]["head"], case.id, data, NOW)
    assert files[0].purpose == "appointment" and case.facts["appointment_recorded"] is True
    assert accept(session, workflows, org, case).state == "accepted"
