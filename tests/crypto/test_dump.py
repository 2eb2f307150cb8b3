"""A database dump shows no denouncer's identity: every text column of every table, read with plain SQL (not
through the models, which would decrypt), holds neither the name (as written or as a search key) nor the identity
number, address, phone or e-mail of the denouncer of a confidential case (Luật Tố cáo 2018, Điều 47(1)(b))."""
from __future__ import annotations

import json

import pytest
from factories import NOW, make_org
from sqlalchemy import text

from dvflow.models import Base, Party
from dvflow.services.cases import assign
from dvflow.services.cases.corrections import CorrectionInput, PartyEdit, correct_case
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.search import search_key

DENOUNCER = {"name": "Quách Thị Zường", "identity_number": "079188054321", "address": "Số 77 ngõ Xuân Khuê, Hà Nội",
             "phone": "0987654321", "email": "zuong.quach@example.vn"}
#: what must appear nowhere: each value as entered, the name as the search key, and plain-ASCII parts
SECRETS = [*DENOUNCER.values(), search_key(DENOUNCER["name"]), "Xuân Khuê", "xuan khue", "Zường", "zuong"]


@pytest.fixture
def org(session):
    return make_org(session, units=("province", "dept"), users=("reception", "handler", "head"))


def register(session, workflows, org, **denouncer):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Tố cáo cán bộ địa chính nhận tiền", content="Nội dung tố cáo", parties=[
                           PartyInput(role="denouncer", **{**DENOUNCER, **denouncer}),
                           PartyInput(role="accused", name="Ông Bị Tố")])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case


def dump(session) -> str:
    """Every value of every column of every table, as the database holds it (a JSON value also decoded, so that a
    "\\u1eddng" escape is seen as the letter it is)."""
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(text(f"SELECT * FROM {table.name}")):
            for value in row:
                if value is None:
                    continue
                parts.append(str(value))
                if isinstance(value, (dict, list)):
                    parts.append(json.dumps(value, ensure_ascii=False))
                elif isinstance(value, str) and value[:1] in "[{":
                    try:
                        parts.append(json.dumps(json.loads(value), ensure_ascii=False))
                    except ValueError:
                        pass
    return "\n".join(parts).lower()


def leaks(session) -> list[str]:
    everything = dump(session)
    return [s for s in SECRETS if s.lower() in everything]


def test_a_registered_denunciation_leaves_no_plaintext_identity(session, workflows, org):
    case = register(session, workflows, org)
    raw = session.execute(text("SELECT * FROM parties")).mappings().all()
    assert len(raw) == 2 and all(r["name"].startswith("e1:") for r in raw)
    assert leaks(session) == []
    # and the application still reads it as it was written
    session.expire_all()
    party = session.get(Party, case.parties[0].party_id)
    assert {k: getattr(party, k) for k in DENOUNCER} == DENOUNCER
    assert party.name_search == ""  # a hidden party has no plaintext search name


def test_the_history_of_assignment_and_corrections_stays_without_plaintext(session, workflows, org):
    case = register(session, workflows, org, name="Quách Thị Cũ")
    users = org["users"]
    assign(session, users["head"], case.id, users["handler"].id, NOW)
    party_id = case.parties[0].party_id
    correct_case(session, workflows, users["head"], case.id, CorrectionInput(
        reason="Sửa họ tên người tố cáo theo CCCD",
        parties=[PartyEdit(party_id=party_id, name=DENOUNCER["name"], phone="0987654322")]), NOW)
    session.flush()
    assert case.parties[0].party.name == DENOUNCER["name"]
    assert leaks(session) == []
    assert "0987654322" not in dump(session)


def test_a_letter_becoming_confidential_by_a_correction_hides_the_added_denouncer(session, workflows, org):
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=NOW,
                       subject="Đơn về đường giao thông", parties=[PartyInput(role="complainant", name="Lê Bình")])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    correct_case(session, workflows, org["users"]["head"], case.id, CorrectionInput(
        reason="Đơn có nội dung tố cáo, bổ sung người tố cáo",
        parties=[PartyEdit(role="denouncer", **DENOUNCER)]), NOW)
    session.flush()
    assert case.confidential
    assert leaks(session) == []


def test_a_denunciation_registered_through_the_api_leaves_no_plaintext_identity(client, session):
    from api.conftest import Api
    from factories import API_ORG

    org = make_org(session, **API_ORG)
    body = {"kind": "denunciation", "unit": "STNMT", "channel": "walk_in", "received_at": "2026-11-25T08:00:00",
            "subject": "Tố cáo cán bộ địa chính", "content": "Nội dung",
            "parties": [{"role": "denouncer", **DENOUNCER}, {"role": "accused", "name": "Ông Bị Tố"}]}
    response = Api(client, org["tokens"]["reception"]).post("/cases", body)
    assert response.status_code == 201, response.json
    assert leaks(session) == []


def test_a_sender_corrected_before_the_letter_became_a_denunciation_leaves_no_plaintext(session, workflows, org):
    """The correction is made while the letter is not confidential (its sender is not hidden yet); the letter is
    then classified a denunciation, its sender a hidden denouncer: nothing the correction wrote names them."""
    from dvflow.services import cases

    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel="letter", received_at=NOW,
                       subject="Đơn về đất đai", content="Nội dung", parties=[
                           PartyInput(role="complainant", name="Quách Thị Z")])
    letter = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    correct_case(session, workflows, org["users"]["reception"], letter.id, CorrectionInput(
        reason="Bổ sung thông tin người gửi theo đơn",
        parties=[PartyEdit(party_id=letter.parties[0].party_id, **DENOUNCER)]), NOW)
    cases.perform(session, workflows, org["users"]["head"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": True}, NOW)
    session.flush()
    assert letter.confidential and cases.is_hidden(letter, "complainant")
    assert leaks(session) == []
