"""Intake refuses over-long and malformed text and a case without the party its kind needs, writing nothing.

On PostgreSQL an over-long value used to be a raw database error (a 500); on SQLite it was stored beyond the column.
"""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from dvflow.models import Case, CaseParty, Party
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import ServiceError
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 2), time(10), TZ)


def complainant(**kw) -> PartyInput:
    return PartyInput(**{"role": "complainant", "name": "Nguyễn Văn An", "identity_number": "001086000123", **kw})


def intake(org, parties=None, kind="complaint_first", **kw) -> IntakeInput:
    return IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=RECEIVED,
                       subject=kw.pop("subject", "Khiếu nại thu hồi đất"),
                       parties=[complainant()] if parties is None else parties, **kw)


def refused(session, workflows, org, data: IntakeInput) -> ServiceError:
    with pytest.raises(ServiceError) as err:
        register_case(session, workflows, org["users"]["reception"], data, NOW)
    for model in (Case, Party, CaseParty):  # the service raised before anything reached the database
        assert session.scalar(select(func.count()).select_from(model)) == 0
    return err.value


def test_long_identity_number_names_the_party_and_its_field(session, workflows, org):
    parties = [complainant(), PartyInput(role="respondent", name="UBND huyện", identity_number="1" * 66)]
    err = refused(session, workflows, org, intake(org, parties))
    assert err.field == "parties[1].identity_number"
    assert err.message == "Số giấy tờ tùy thân của đương sự thứ 2 quá dài (tối đa 40 ký tự)."


def test_long_subject_and_content(session, workflows, org):
    err = refused(session, workflows, org, intake(org, subject="Khiếu nại " + "x" * 600))
    assert (err.field, err.message) == ("subject", "Trích yếu quá dài (tối đa 500 ký tự).")
    err = refused(session, workflows, org, intake(org, content="x" * 20_001))
    assert (err.field, err.message) == ("content", "Nội dung đơn quá dài (tối đa 20000 ký tự).")


@pytest.mark.parametrize("attr, limit, label", [("name", 255, "Họ tên"), ("address", 500, "Địa chỉ"),
                                                 ("email", 255, "Thư điện tử")])
def test_long_party_fields(session, workflows, org, attr, limit, label):
    value = "a" * (limit - 8) + "@mail.vn" if attr == "email" else "Nguyễn " * 50 + "a" * limit
    err = refused(session, workflows, org, intake(org, [complainant(**{attr: value + "x"})]))
    assert err.field == f"parties[0].{attr}"
    assert err.message == f"{label} của đương sự thứ 1 quá dài (tối đa {limit} ký tự)."


def test_a_value_at_the_limit_is_stored_whole(session, workflows, org):
    data = intake(org, [complainant(name="Ư" * 255, address="Đ" * 500, identity_number="C" + "1" * 39)],
                  subject="Ệ" * 500, content="Nội dung\n\tdòng hai")
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    session.expire_all()
    party = session.get(Case, case.id).parties[0].party
    assert (len(party.name), len(party.address), len(party.identity_number)) == (255, 500, 40)
    assert len(session.get(Case, case.id).subject) == 500


@pytest.mark.parametrize("attr, value, message", [
    ("phone", "0912-abc-678", "Số điện thoại của đương sự thứ 1 không hợp lệ"),
    ("phone", "0912", "Số điện thoại của đương sự thứ 1 không hợp lệ"),  # fewer than 8 digits
    ("phone", "0" * 16, "Số điện thoại của đương sự thứ 1 không hợp lệ"),  # more than 15
    ("phone", "09+12345678", "Số điện thoại của đương sự thứ 1 không hợp lệ"),  # + only in front
    ("email", "an.nguyen", "Thư điện tử của đương sự thứ 1 không hợp lệ"),
    ("email", "an@mail", "Thư điện tử của đương sự thứ 1 không hợp lệ"),
    ("email", "an nguyen@mail.vn", "Thư điện tử của đương sự thứ 1 không hợp lệ"),
    ("identity_number", "001-086-000123", "Số giấy tờ tùy thân của đương sự thứ 1 chỉ được gồm chữ cái và chữ số"),
    ("identity_number", "0010860'; --", "Số giấy tờ tùy thân của đương sự thứ 1 chỉ được gồm chữ cái và chữ số"),
    ("name", "Nguyễn\x00An", "Họ tên của đương sự thứ 1 chứa ký tự điều khiển"),
    ("name", "Nguyễn\nAn", "Họ tên của đương sự thứ 1 chứa ký tự điều khiển"),
    ("address", "Thôn 2\x1b[31m", "Địa chỉ của đương sự thứ 1 chứa ký tự điều khiển"),
])
def test_bad_formats(session, workflows, org, attr, value, message):
    err = refused(session, workflows, org, intake(org, [complainant(**{attr: value})]))
    assert err.field == f"parties[0].{attr}" and err.message.startswith(message)


def test_control_characters_in_the_case_text(session, workflows, org):
    err = refused(session, workflows, org, intake(org, subject="Khiếu nại\x00"))
    assert err.field == "subject" and "ký tự điều khiển" in err.message
    err = refused(session, workflows, org, intake(org, content="Nội dung\x07"))
    assert err.field == "content" and "ký tự điều khiển" in err.message


@pytest.mark.parametrize("phone, email, identity", [
    ("0912345678", "an.nguyen@mail.gov.vn", "001086000123"),  # CCCD, 12 digits
    ("+84 (24) 3825.1234", "an+kn@example.com", "012345678"),  # CMND, 9 digits
    ("024-3825-1234", None, "C1234567"),  # passport
    (None, None, "0101234567"),  # tax code
])
def test_good_formats_are_accepted(session, workflows, org, phone, email, identity):
    data = intake(org, [complainant(phone=phone, email=email, identity_number=identity)])
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    assert case.id is not None


@pytest.mark.parametrize("kind, parties, message", [
    ("complaint_first", [], "Hồ sơ khiếu nại lần đầu cần ít nhất một người khiếu nại."),
    ("complaint_first", [PartyInput(role="respondent", name="UBND huyện")],
     "Hồ sơ khiếu nại lần đầu cần ít nhất một người khiếu nại."),
    ("petition", [], "Hồ sơ kiến nghị, phản ánh cần ít nhất một người kiến nghị, phản ánh."),
    ("denunciation", [], "Hồ sơ tố cáo cần ít nhất một người tố cáo."),
    ("triage", [], "Hồ sơ xử lý đơn cần ít nhất một người khiếu nại, người tố cáo hoặc người kiến nghị, phản ánh."),
])
def test_the_party_the_kind_needs(session, workflows, org, kind, parties, message):
    err = refused(session, workflows, org, intake(org, parties, kind=kind))
    assert (err.field, err.message) == ("parties", message)


def test_every_kind_but_the_anonymous_tip_needs_someone(workflows):
    # a kind added without requires_party would accept a case nobody brought; the anonymous tip is the exception
    # (a follow-up task is not brought by anybody: the services open it, never the reception desk)
    for defn in (d for d in workflows.kinds() if d.intake):
        assert bool(defn.requires_party) == (defn.id != "anonymous_tip"), defn.id


def test_anonymous_tip_without_parties_is_accepted(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"],
                         intake(org, [], kind="anonymous_tip", subject="Tin báo nặc danh"), NOW)
    session.flush()
    assert case.parties == []
