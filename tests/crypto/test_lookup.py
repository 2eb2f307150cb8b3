"""With the identity encrypted, lookups still work: an identity number through its keyed hash (the reception's
duplicate suggestions, the likely duplicates at intake), a name through the search column, which a confidential
case's denouncer does not have (Luật Tố cáo 2018, Điều 47)."""
from __future__ import annotations

import pytest
from factories import API_ORG, NOW, make_org
from sqlalchemy import text

from dvflow import crypto
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.intake_duplicates import LikelyDuplicate
from dvflow.services.cases.queries import case_query
from dvflow.services.reception.book import duplicates

NUMBER = "079188054321"


@pytest.fixture
def org(session):
    return make_org(session, **API_ORG)


def register(session, workflows, org, kind, role, name, number=NUMBER, subject="Đơn thứ nhất", **kw):
    parties = [PartyInput(role=role, name=name, identity_number=number)]
    parties.append(PartyInput(role="accused" if kind == "denunciation" else "respondent", name="UBND xã"))
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=NOW, subject=subject,
                       parties=parties, **kw)
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case


def test_the_identity_hash_is_stored_and_the_number_is_not(session, workflows, org):
    case = register(session, workflows, org, "complaint_first", "complainant", "Quách Văn Lộc")
    row = session.execute(text("SELECT identity_number, identity_hash FROM parties WHERE id = :id"),
                          {"id": case.parties[0].party_id}).one()
    assert NUMBER not in row.identity_number and row.identity_hash == crypto.identity_hash(NUMBER)


def test_reception_suggests_a_case_by_identity_number_but_never_a_confidential_denouncers(session, workflows, org):
    complaint = register(session, workflows, org, "complaint_first", "complainant", "Quách Văn Lộc")
    register(session, workflows, org, "denunciation", "denouncer", "Quách Thị Kín", number="079188099999")
    user = org["users"]["head"]
    assert duplicates(session, user, NUMBER, "", NOW) == [complaint]
    assert duplicates(session, user, f" {NUMBER[:6]} {NUMBER[6:]} ", "", NOW) == [complaint]  # normalised
    assert duplicates(session, user, "079188099999", "", NOW) == []
    assert duplicates(session, user, "079188000000", "", NOW) == []


def test_intake_refuses_a_likely_duplicate_by_identity_number(session, workflows, org):
    first = register(session, workflows, org, "complaint_first", "complainant", "Quách Văn Lộc")
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Một việc khác hẳn", parties=[
                           PartyInput(role="complainant", name="Quách Văn Lộc", identity_number=NUMBER)])
    with pytest.raises(LikelyDuplicate) as err:
        register_case(session, workflows, org["users"]["reception"], data, NOW, check_duplicates=True)
    assert err.value.candidates == [first]


def test_case_search_finds_a_complainant_by_name_and_not_a_confidential_denouncer(session, workflows, org):
    complaint = register(session, workflows, org, "complaint_first", "complainant", "Quách Văn Lộc")
    denunciation = register(session, workflows, org, "denunciation", "denouncer", "Quách Thị Kín",
                            number="079188099999", subject="Tố cáo cán bộ")
    head = org["users"]["head"]

    def found(q):
        return list(session.scalars(case_query(session, head, queue="unit", q=q)))

    assert found("quach van loc") == [complaint] and found("Lộc") == [complaint]
    assert found("kin") == [] and found("Quách Thị Kín") == []
    raw = session.execute(text("SELECT name_search FROM parties WHERE id = :id"),
                          {"id": denunciation.parties[0].party_id}).scalar_one()
    assert raw == ""


def test_the_api_search_by_name(client, session, workflows, org):
    from api.conftest import Api

    register(session, workflows, org, "complaint_first", "complainant", "Quách Văn Lộc")
    register(session, workflows, org, "denunciation", "denouncer", "Quách Thị Kín", number="079188099999",
             subject="Tố cáo cán bộ")
    api = Api(client, org["tokens"]["head"])
    assert api.get("/cases?q=quach van loc").json["total"] == 1
    assert api.get("/cases?q=quach thi kin").json["total"] == 0


def test_a_correction_making_a_party_a_denouncer_takes_its_search_name_away(session, workflows, org):
    from dvflow.services.cases.corrections import (
        CorrectionInput,
        PartyEdit,
        correct_case,
    )

    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=NOW,
                       subject="Đơn phản ánh", parties=[PartyInput(role="petitioner", name="Quách Văn Lộc")])
    letter = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    head = org["users"]["head"]
    assert list(session.scalars(case_query(session, head, queue="unit", q="quach van loc"))) == [letter]
    correct_case(session, workflows, head, letter.id, CorrectionInput(
        reason="Đơn có nội dung tố cáo cán bộ", parties=[
            PartyEdit(party_id=letter.parties[0].party_id, role="denouncer")]), NOW)
    session.flush()
    assert letter.confidential and letter.parties[0].party.name_search == ""
    assert list(session.scalars(case_query(session, head, queue="unit", q="quach van loc"))) == []
