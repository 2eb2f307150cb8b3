"""A number typed into an issuing action (review F7): the unit's register numbers the document, so an empty
field is filled from it and a typed number is refused with a message naming the field, never silently replaced."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dvflow.models import CaseEvent, Document
from dvflow.services import cases
from dvflow.services.documents import numbering
from dvflow.services.errors import ServiceError

from .helpers import at, new_complaint


def _accept(session, workflows, org, case, settings, number: str | None):
    fields = {"decision_date": "2026-11-04", **({"decision_number": number} if number is not None else {})}
    return cases.perform(session, workflows, org["users"]["head"], case.id, "accept", fields, at(4),
                         documents=settings)


@pytest.mark.parametrize("number", [None, "", "   "])
def test_an_empty_number_is_given_by_the_register(session, workflows, org, doc_settings, number):
    case = new_complaint(session, workflows, org)
    _accept(session, workflows, org, case, doc_settings, number)
    doc = session.scalar(select(Document).where(Document.case_id == case.id))
    assert doc.number_symbol == f"1/TB-{org['dept'].code}"
    event = session.scalar(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.action == "accept"))
    assert event["fields"]["decision_number"] == doc.number_symbol


def test_a_typed_number_is_refused_naming_the_field_and_nothing_is_taken(session, workflows, org, doc_settings):
    case = new_complaint(session, workflows, org)
    state = case.state
    with pytest.raises(ServiceError) as refused:
        _accept(session, workflows, org, case, doc_settings, "12/TB")
    assert refused.value.field == "decision_number"
    assert refused.value.message.startswith("Số thông báo thụ lý: để trống.") and "«12/TB»" in refused.value.message
    session.rollback()
    assert case.state == state
    assert session.scalar(select(Document).where(Document.case_id == case.id)) is None
    assert numbering.last_number(session, case.unit_id, numbering.REGISTER_KEY.format(series="TB"), 2026) == 0


def test_a_user_who_may_not_act_is_told_that_first(session, workflows, org, doc_settings):
    case = new_complaint(session, workflows, org)
    with pytest.raises(ServiceError) as refused:
        cases.perform(session, workflows, org["users"]["handler"], case.id, "accept",
                      {"decision_number": "12/TB", "decision_date": "2026-11-04"}, at(4), documents=doc_settings)
    assert refused.value.field != "decision_number"


def test_without_document_templates_the_typed_number_is_the_actions_own(session, workflows, org):
    case = new_complaint(session, workflows, org)
    _accept(session, workflows, org, case, None, "07/TB")
    event = session.scalar(select(CaseEvent.payload).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.action == "accept"))
    assert event["fields"]["decision_number"] == "07/TB"
