"""The tamper-evident history: each case's rows hash-chained, the days signed, and `verify` naming what was changed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from dvflow.models import CaseEvent, HistoryAnchor
from dvflow.services.audit import anchors, chain, keys, verify
from dvflow.services.cases import assign, history
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import ServiceError

DAY_1 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 in Hanoi
KEY, OTHER_KEY = keys.generate()[0], keys.generate()[0]


def signer(text: str = KEY, verify_texts: str = "") -> keys.AuditKeys:
    return keys.AuditKeys.load(text, verify_texts)


def new_case(session, workflows, org, at: datetime, subject: str = "Khiếu nại thu hồi đất"):
    data = IntakeInput(kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=at,
                       subject=subject, parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    return register_case(session, workflows, org["users"]["reception"], data, at)


def events(session, case_id: int) -> list[CaseEvent]:
    session.expire_all()
    return session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)).all()


@pytest.fixture
def history_of_two_cases(session, workflows, org):
    first = new_case(session, workflows, org, DAY_1)
    assign(session, org["users"]["head"], first.id, org["users"]["handler"].id, DAY_1 + timedelta(hours=1))
    second = new_case(session, workflows, org, DAY_1 + timedelta(days=1), "Khiếu nại cấp giấy chứng nhận")
    assign(session, org["users"]["head"], second.id, org["users"]["handler"].id, DAY_1 + timedelta(days=1, hours=2))
    session.flush()
    return first, second


def test_each_row_links_to_the_one_before(session, history_of_two_cases):
    first, _ = history_of_two_cases
    rows = events(session, first.id)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 2
    previous = chain.GENESIS
    for row in rows:
        values = {c.key: getattr(row, c.key) for c in CaseEvent.__table__.c}
        assert row.hash == chain.link(previous, values)  # recomputed from what the database returns
        previous = row.hash
    assert verify.verify(session, signer()).ok


def test_an_edited_row_is_named(session, history_of_two_cases):
    first, second = history_of_two_cases
    target = events(session, first.id)[-1]
    session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(payload={"to": 999}))
    report = verify.verify(session, signer())
    assert not report.ok and len(report.breaks) == 1  # the other case is intact
    assert report.breaks[0].where == f"{first.tracking_code} #{target.seq} (id {target.id})"
    assert "không khớp mã băm" in report.breaks[0].reason


def test_a_deleted_row_is_found(session, history_of_two_cases):
    first, _ = history_of_two_cases
    session.execute(text("DELETE FROM case_events WHERE id = :id"), {"id": events(session, first.id)[0].id})
    report = verify.verify(session, signer())
    assert not report.ok and "thiếu dòng lịch sử: mong đợi thứ tự 1, gặp 2" in report.breaks[0].reason


def test_two_writers_cannot_both_append_the_same_place(session, history_of_two_cases):
    first, _ = history_of_two_cases
    row = history.event(first.id, "assign", at=DAY_1 + timedelta(hours=3), from_state="x", to_state="x")
    stale = dict(row)
    chain.extend(session, [stale])  # computed against the same head as the write below
    history.write(session, [row])
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(CaseEvent.__table__.insert(), stale)


def test_days_are_signed_once_without_gaps(session, history_of_two_cases):
    made = anchors.anchor_days(session, signer(), DAY_1 + timedelta(days=4))
    # 23/11 and 24/11 hold rows, 25/11 and 26/11 are empty, 27/11 has not ended
    assert [(a.day.day, a.rows) for a in made] == [(23, 2), (24, 2), (25, 0), (26, 0)]
    assert made[1].previous == made[0].digest and made[0].previous == chain.GENESIS
    assert anchors.anchor_days(session, signer(), DAY_1 + timedelta(days=4)) == []
    assert verify.verify(session, signer()).days == 4


def test_a_rewrite_that_keeps_the_chain_consistent_breaks_the_signed_day(session, history_of_two_cases):
    first, _ = history_of_two_cases
    anchors.anchor_days(session, signer(), DAY_1 + timedelta(days=3))
    # an intruder with database access edits a row and recomputes the case's chain from there on
    previous = chain.GENESIS
    for row in events(session, first.id):
        values = {c.key: getattr(row, c.key) for c in CaseEvent.__table__.c}
        if row.action == "assign":
            values["payload"] = {**row.payload, "name": "Người khác"}
        values["hash"] = chain.link(previous, values)
        session.execute(update(CaseEvent).where(CaseEvent.id == row.id)
                        .values(payload=values["payload"], hash=values["hash"]))
        previous = values["hash"]
    report = verify.verify(session, signer())
    assert [b.what for b in report.breaks] == ["day"]
    assert report.breaks[0].where == "23/11/2026" and "đã thay đổi sau khi ký" in report.breaks[0].reason


def test_signatures_need_the_right_key_and_survive_a_rotation(session, history_of_two_cases):
    anchors.anchor_days(session, signer(), DAY_1 + timedelta(days=2))
    assert "không có trong DVFLOW_AUDIT_VERIFY_KEYS" in verify.verify(session, signer(OTHER_KEY)).breaks[0].reason
    old_public = keys.AuditKeys.load(KEY).signing.public_key()
    from base64 import b64encode

    from cryptography.hazmat.primitives import serialization
    raw = old_public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    rotated = signer(OTHER_KEY, b64encode(raw).decode())
    assert verify.verify(session, rotated).ok  # the old days verify with the old public key
    made = anchors.anchor_days(session, rotated, DAY_1 + timedelta(days=3))
    assert made and made[0].key_id != session.scalar(select(HistoryAnchor.key_id).order_by(HistoryAnchor.day))
    assert verify.verify(session, rotated).ok
    session.execute(update(HistoryAnchor).where(HistoryAnchor.id == made[0].id).values(rows=made[0].rows + 1))
    assert "chữ ký không hợp lệ" in verify.verify(session, rotated).breaks[0].reason


def test_no_signing_key_is_a_clear_error(session, history_of_two_cases):
    with pytest.raises(ServiceError, match="DVFLOW_AUDIT_SIGNING_KEY"):
        anchors.anchor_days(session, keys.AuditKeys.load(None), DAY_1 + timedelta(days=3))
    with pytest.raises(ServiceError, match="32 byte"):
        keys.AuditKeys.load("not-a-key")
