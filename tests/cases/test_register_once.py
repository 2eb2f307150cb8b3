"""A repeated registration request (the same form sent twice, an API client's retry) creates one case."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from dvflow.models import Case, IntakeRequest
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput
from dvflow.services.errors import ServiceError
from dvflow.timeutil import TZ


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def complaint(org, subject: str = "Khiếu nại thu hồi đất") -> IntakeInput:
    return IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=at(date(2026, 11, 2)),
                       subject=subject, parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Case))


def test_the_same_key_returns_the_first_case(session, workflows, org):
    user = org["users"]["reception"]
    first, created = cases.register_once(session, workflows, user, complaint(org), at(date(2026, 11, 25)), "form:abc")
    again, created_again = cases.register_once(session, workflows, user, complaint(org), at(date(2026, 11, 25)),
                                               "form:abc")
    assert created and not created_again and again.id == first.id and count(session) == 1
    row = session.scalar(select(IntakeRequest))
    assert (row.user_id, row.key, row.case_id) == (user.id, "form:abc", first.id)


def test_keys_are_per_user_and_no_key_always_registers(session, workflows, org):
    u = org["users"]
    a, _ = cases.register_once(session, workflows, u["reception"], complaint(org), at(date(2026, 11, 25)), "k")
    b, created = cases.register_once(session, workflows, u["head"], complaint(org), at(date(2026, 11, 25)), "k")
    assert created and a.id != b.id
    cases.register_once(session, workflows, u["reception"], complaint(org), at(date(2026, 11, 25)), None)
    cases.register_once(session, workflows, u["reception"], complaint(org), at(date(2026, 11, 25)), "")
    assert count(session) == 4


def test_the_same_key_with_other_content_is_refused(session, workflows, org):
    user = org["users"]["reception"]
    cases.register_once(session, workflows, user, complaint(org), at(date(2026, 11, 25)), "api:1")
    with pytest.raises(ServiceError) as err:
        cases.register_once(session, workflows, user, complaint(org, "Một nội dung khác"), at(date(2026, 11, 25)),
                            "api:1", field="Idempotency-Key")
    assert err.value.field == "Idempotency-Key" and "nội dung khác" in err.value.message
    assert count(session) == 1


def test_a_refused_registration_remembers_no_key(session, workflows, org):
    user = org["users"]["reception"]
    bad = complaint(org, subject=" ")
    with pytest.raises(ServiceError):
        with session.begin_nested():
            cases.register_once(session, workflows, user, bad, at(date(2026, 11, 25)), "form:x")
    assert session.scalar(select(func.count()).select_from(IntakeRequest)) == 0
    case, created = cases.register_once(session, workflows, user, complaint(org), at(date(2026, 11, 25)), "form:x")
    assert created and count(session) == 1


def test_an_unprintable_or_long_key_is_refused(session, workflows, org):
    user = org["users"]["reception"]
    for key in ("a\x01b", "k" * 131):
        with pytest.raises(ServiceError, match="Mã yêu cầu không hợp lệ"):
            cases.register_once(session, workflows, user, complaint(org), at(date(2026, 11, 25)), key)


def test_per_content_a_form_sent_again_unchanged_finds_its_case_and_changed_registers_another(session, workflows, org):
    user, now = org["users"]["reception"], at(date(2026, 11, 25))
    first, _ = cases.register_once(session, workflows, user, complaint(org), now, "form:t", per_content=True)
    same, created = cases.register_once(session, workflows, user, complaint(org), now, "form:t", per_content=True)
    assert not created and same.id == first.id
    other, created = cases.register_once(session, workflows, user, complaint(org, "Đơn khác"), now, "form:t",
                                         per_content=True)
    assert created and other.id != first.id and count(session) == 2
