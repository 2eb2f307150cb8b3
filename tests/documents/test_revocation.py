"""Revoking an issued document (thu hồi): a head of the issuing unit records who, when, why and by which decision;
the document stays as issued, and the database refuses any other change to an issued row (migration 0039)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from config import ROOT
from dvflow.models import CaseEvent, Document
from dvflow.services.documents import flow, revocation
from dvflow.services.errors import Conflict, Forbidden, ServiceError

from .helpers import accept, at, new_complaint

SHIPPED = str(ROOT / "workflows" / "documents")
REASON = "Gửi nhầm địa chỉ người khiếu nại"
REFERENCE = "Quyết định số 15/QĐ-STNMT ngày 06/11/2026"


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=SHIPPED, files=str(tmp_path / "f"), pdf=False)


def _issued(session, workflows, org, shipped) -> tuple:
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, shipped)
    notice = session.scalars(select(Document).where(Document.case_id == case.id,
                                                    Document.status == "issued")).one()
    return case, notice


def test_a_head_revokes_an_issued_document_and_the_history_says_so(session, workflows, org, shipped):
    case, notice = _issued(session, workflows, org, shipped)
    content, sha = notice.content, notice.sha256
    head = org["users"]["head"]
    assert revocation.may_revoke(session, head, notice)
    revocation.revoke(session, head, case.id, notice.id, f"  {REASON} ", REFERENCE, at(6))
    assert (notice.revoked_at, notice.revoked_by_id, notice.revoke_reason, notice.revoke_reference) == (
        at(6), head.id, REASON, REFERENCE)
    assert (notice.status, notice.content, notice.sha256) == ("issued", content, sha)  # as it was sent
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                    CaseEvent.action == "revoke_document")).one()
    assert event.payload["number_symbol"] == notice.number_symbol and event.payload["reference"] == REFERENCE
    assert "reason" not in event.payload  # need-to-know on the document; the history is read by all who see the case
    assert not revocation.may_revoke(session, head, notice)
    with pytest.raises(Conflict):
        revocation.revoke(session, head, case.id, notice.id, REASON, REFERENCE, at(7))


@pytest.mark.parametrize("user, reason, reference, error, field", [
    ("handler", REASON, REFERENCE, Forbidden, None),
    ("head", "ngắn", REFERENCE, ServiceError, "reason"),
    ("head", REASON, "   ", ServiceError, "reference"),
    ("head", REASON, "x" * 300, ServiceError, "reference")])
def test_refusals_name_the_field_and_write_nothing(session, workflows, org, shipped, user, reason, reference, error,
                                                   field):
    case, notice = _issued(session, workflows, org, shipped)
    with pytest.raises(error) as err:
        revocation.revoke(session, org["users"][user], case.id, notice.id, reason, reference, at(6))
    assert err.value.field == field and notice.revoked_at is None
    assert not session.scalars(select(CaseEvent).where(CaseEvent.action == "revoke_document")).all()


def test_a_draft_is_not_revoked(session, workflows, org, shipped):
    from .helpers import submitted

    case = submitted(session, workflows, org, shipped)
    draft = session.scalars(select(Document).where(Document.case_id == case.id, Document.status == "draft")).one()
    with pytest.raises(Conflict):
        revocation.revoke(session, org["users"]["head"], case.id, draft.id, REASON, REFERENCE, at(6))


@pytest.mark.parametrize("change", [{"content": b"khac"}, {"sha256": "0" * 64}, {"number": 99},
                                   {"number_symbol": "99/TB-X"}, {"status": "draft"}])
def test_the_database_refuses_to_change_an_issued_document(session, workflows, org, shipped, change):
    _case, notice = _issued(session, workflows, org, shipped)
    session.flush()
    savepoint = session.begin_nested()
    with pytest.raises(DBAPIError, match="frozen"):
        session.execute(update(Document).where(Document.id == notice.id).values(**change))
    savepoint.rollback()


def test_the_database_records_a_revocation_once_and_lets_the_file_reference_go(session, workflows, org, shipped):
    case, notice = _issued(session, workflows, org, shipped)
    revocation.revoke(session, org["users"]["head"], case.id, notice.id, REASON, REFERENCE, at(6))
    savepoint = session.begin_nested()
    with pytest.raises(DBAPIError, match="frozen"):
        session.execute(update(Document).where(Document.id == notice.id).values(revoke_reason="Lý do khác hẳn"))
    savepoint.rollback()
    session.execute(text("UPDATE documents SET attachment_id = NULL WHERE id = :id"), {"id": notice.id})
