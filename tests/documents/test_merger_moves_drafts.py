"""A case moved by a merger carries its pending draft decision: the successor issues it in its own register and
files it as its own document (the dissolved unit's register would collide with the number)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dvflow.models import Document
from dvflow.services import cases
from dvflow.services.org.units import dissolve_unit

from .helpers import accept, at, new_complaint, submitted


def test_the_successor_issues_a_moved_case_s_draft_as_its_own(session, workflows, org, doc_settings):
    earlier = new_complaint(session, workflows, org)
    accept(session, workflows, org, earlier, doc_settings)  # 1/TB-STNMT, the department's first TB
    case = submitted(session, workflows, org, doc_settings)  # 2/TB-STNMT, and a draft decision waiting
    dissolve_unit(session, None, "STNMT", date(2026, 11, 7), "SYT", at(7))
    session.flush()
    session.expire_all()  # the next request reads the case afresh (the dissolution is the CLI's transaction)
    assert case.unit_id == org["other"].id
    draft = session.scalar(select(Document).where(Document.case_id == case.id, Document.status == "draft"))
    assert draft.unit_id == org["other"].id, "the waiting draft stays filed under the dissolved unit"
    chair = org["users"]["other_head"]
    savepoint = session.begin_nested()
    try:
        cases.perform(session, workflows, chair, case.id, "approve", {}, at(8), documents=doc_settings)
        cases.perform(session, workflows, chair, case.id, "issue_decision", {"result": "right"}, at(9),
                      documents=doc_settings)
        savepoint.commit()
    except Exception as exc:  # noqa: BLE001 - what the successor's head meets
        savepoint.rollback()
        raise AssertionError(f"issuing the moved case's decision failed: {type(exc).__name__}: {exc}") from None
    decision = session.scalar(select(Document).where(Document.case_id == case.id,
                                                     Document.type == "complaint_decision_first"))
    assert decision.number_symbol == "1/TB-SYT"
    assert decision.unit_id == org["other"].id, "SYT's number 1/TB-SYT is filed as the dissolved STNMT's document"
