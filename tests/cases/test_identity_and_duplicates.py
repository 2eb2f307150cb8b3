"""Identity documents are validated by their type and the type is stored; a likely duplicate (an open case of the
unit with the same identity number or a similar subject) is refused until the officer confirms it."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from dvflow.models import Case, Party
from dvflow.services.cases.idempotency import register_once
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.cases.intake_duplicates import LikelyDuplicate
from dvflow.services.errors import ServiceError
from dvflow.timeutil import TZ

RECEIVED = datetime.combine(date(2026, 11, 2), time(9), TZ)
NOW = datetime.combine(date(2026, 11, 2), time(10), TZ)


def intake(org, party: PartyInput | None = None, subject="Khiếu nại thu hồi đất", **kw) -> IntakeInput:
    party = party or PartyInput(role="complainant", name="Nguyễn Văn An", identity_number="001086000123")
    return IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=RECEIVED,
                       subject=subject, parties=[PartyInput(role="complainant", name="Lê Bình"), party], **kw)


@pytest.mark.parametrize("kind, itype, number, name", [
    ("person", "cccd", "001086000123", None),
    ("person", "passport", "C1234567", None),
    ("person", "other", "12/GPLX", "Giấy phép lái xe"),
    ("organisation", "tax_code", "0101234567", None),
    ("organisation", "tax_code", "0101234567-001", None),  # a branch
    ("organisation", "business_registration", "0103001234", None),
])
def test_each_document_type_accepts_its_numbers_and_is_stored(session, workflows, org, kind, itype, number, name):
    party = PartyInput(role="respondent", name="Công ty A", kind=kind, identity_type=itype, identity_number=number,
                       identity_type_name=name)
    case = register_case(session, workflows, org["users"]["reception"], intake(org, party), NOW)
    stored = case.parties[1].party
    assert (stored.identity_type, stored.identity_number, stored.identity_type_name) == (itype, number, name)


@pytest.mark.parametrize("kind, itype, number, name, field, words", [
    ("person", "cccd", "00108600012", None, "identity_number", "đúng 12 chữ số"),
    ("person", "cccd", "00108600012A", None, "identity_number", "đúng 12 chữ số"),
    ("person", "passport", "C12", None, "identity_number", "6–20"),
    ("organisation", "tax_code", "0101234567-01", None, "identity_number", "0101234567-001"),
    ("organisation", "tax_code", "010123456", None, "identity_number", "10 chữ số"),
    ("person", "tax_code", "0101234567", None, "identity_type", "chỉ dùng cho tổ chức"),
    ("organisation", "cccd", "001086000123", None, "identity_type", "chỉ dùng cho cá nhân"),
    ("person", "other", "123", None, "identity_type_name", "tên loại giấy tờ"),
    ("person", "cccd", None, None, "identity_number", "Nhập số CCCD"),
    ("person", "visa", "123", None, "identity_type", "không hợp lệ"),
])
def test_a_bad_number_for_its_type_is_refused_naming_the_field(session, workflows, org, kind, itype, number, name,
                                                               field, words):
    party = PartyInput(role="respondent", name="A", kind=kind, identity_type=itype, identity_number=number,
                       identity_type_name=name)
    with pytest.raises(ServiceError) as err:
        register_case(session, workflows, org["users"]["reception"], intake(org, party), NOW)
    assert err.value.field == f"parties[1].{field}" and words in err.value.message
    assert "đương sự thứ 2" in err.value.message
    assert session.scalar(select(func.count()).select_from(Party)) == 0


def test_no_type_keeps_the_letters_and_digits_rule(session, workflows, org):
    case = register_case(session, workflows, org["users"]["reception"], intake(org), NOW)
    assert case.parties[1].party.identity_type is None


def first_case(session, workflows, org):
    return register_case(session, workflows, org["users"]["reception"], intake(org), NOW)


@pytest.mark.parametrize("kw", [
    {"subject": "Đề nghị cấp giấy chứng nhận"},  # same identity number
    {"party": PartyInput(role="complainant", name="Khác", identity_number="079000111222"),
     "subject": "Thu hồi đất"},  # each of its words in the open case's subject
])
def test_a_likely_duplicate_is_refused_until_confirmed(session, workflows, org, kw):
    first = first_case(session, workflows, org)
    with pytest.raises(LikelyDuplicate) as err:
        register_case(session, workflows, org["users"]["reception"], intake(org, **kw), NOW, check_duplicates=True)
    assert [c.id for c in err.value.candidates] == [first.id] and err.value.status == 409
    assert first.tracking_code in err.value.message
    confirmed = register_case(session, workflows, org["users"]["reception"], intake(org, confirm_duplicate=True, **kw),
                              NOW, check_duplicates=True)
    assert confirmed.id != first.id


def test_closed_cases_and_other_units_are_not_duplicates(session, workflows, org):
    first = first_case(session, workflows, org)
    first.status = "closed"
    other = IntakeInput(**{**vars(intake(org)), "unit_id": org["other"].id})
    register_case(session, workflows, org["users"]["other_head"], other, NOW, check_duplicates=True)
    register_case(session, workflows, org["users"]["reception"], intake(org), NOW, check_duplicates=True)
    assert session.scalar(select(func.count()).select_from(Case)) == 3


def test_a_protected_denouncer_is_never_matched(session, workflows, org):
    denouncer = PartyInput(role="denouncer", name="Người tố cáo", identity_number="001086000999")
    register_case(session, workflows, org["users"]["reception"], IntakeInput(
        kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=RECEIVED, subject="Tố cáo cán bộ",
        parties=[denouncer]), NOW)
    party = PartyInput(role="complainant", name="X", identity_number="001086000999")
    register_case(session, workflows, org["users"]["reception"], intake(org, party, subject="Việc khác hẳn"), NOW,
                  check_duplicates=True)


def test_a_resent_form_finds_its_case_before_any_duplicate_check(session, workflows, org):
    user = org["users"]["reception"]
    case, created = register_once(session, workflows, user, intake(org), NOW, "form:t1", per_content=True,
                                  check_duplicates=True)
    again, created_again = register_once(session, workflows, user, intake(org), NOW, "form:t1", per_content=True,
                                         check_duplicates=True)
    assert (created, created_again, again.id) == (True, False, case.id)


def test_identity_and_subject_matches_merge_newest_first_within_the_limit(session, workflows, org):
    """The identity lookup and the subject lookup run apart (each on its own index): their union, newest first, cut
    to the limit, is what one OR query gave."""
    from datetime import timedelta

    from dvflow.services.cases.intake_duplicates import likely, newest_matching
    from dvflow.services.org import access

    reception = org["users"]["reception"]
    made = []
    for day, subject, number in ((1, "Việc riêng một", "001086000321"), (2, "Tranh chấp ranh giới thửa đất", None),
                                 (3, "Việc riêng hai", "001086000321"), (4, "Tranh chấp ranh giới thửa đất", None)):
        party = PartyInput(role="complainant", name="Trần Chung", identity_number=number)
        data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in",
                           received_at=RECEIVED - timedelta(days=10 - day), subject=subject, parties=[party])
        made.append(register_case(session, workflows, reception, data, NOW))
    session.flush()
    found = likely(session, reception, org["dept"].id, "Tranh chấp ranh giới", ["001086000321"])
    assert [c.id for c in found] == [c.id for c in reversed(made)]  # both lookups, one list, newest first
    query = access.visible_cases(session, reception).where(Case.unit_id == org["dept"].id)
    conditions = [Case.subject_search.like("%ranh gioi%"), Case.subject_search.like("%viec rieng%")]
    assert [c.id for c in newest_matching(session, query, conditions, 3)] == [made[3].id, made[2].id, made[1].id]
    assert newest_matching(session, query, [Case.subject_search.like("%khong co%")], 3) == []
