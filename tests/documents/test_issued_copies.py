"""Who receives an issued document of a denunciation, and how often it is issued: the notice of the content to the
accused (Mẫu 06) is not e-mailed to the denouncer, the denouncer's own notice (Mẫu 05) is issued once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dvflow.models import Document, Notification
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow

from .conftest import SHIPPED
from .helpers import at
from .test_denouncer_copies import _do


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


def _denunciation_with_email(session, workflows, org, settings):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính nhận tiền",
                       parties=[PartyInput(role="denouncer", name="Phan Văn Kín", email="kin@example.vn"),
                                PartyInput(role="accused", name="Trần Thị Bị", address="7 Ngõ Kín, phường An")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    _do(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), settings)
    return case


def _mailed(session, case, type_) -> list[Notification]:
    document = session.scalars(select(Document).where(Document.case_id == case.id, Document.type == type_)).one()
    return list(session.scalars(select(Notification).where(Notification.document_id == document.id)))


def test_the_notice_to_the_accused_is_not_emailed_to_the_denouncer(session, workflows, org, shipped):
    """The Mẫu 06 notice is sent to the accused (documents.yaml sent_to: [accused]); the denouncer, the only party
    with an e-mail address, is not sent it."""
    case = _denunciation_with_email(session, workflows, org, shipped)
    _do(session, workflows, org, case, "notify_accused", {"sent_on": "2026-11-05"}, at(5), shipped)
    assert _mailed(session, case, "denunciation_content_notice") == []


def test_the_denouncers_own_notice_is_emailed_to_them(session, workflows, org, shipped):
    """The Mẫu 05 notice is sent to the denouncer (sent_to: [denouncer]): e-mailed to them."""
    case = _denunciation_with_email(session, workflows, org, shipped)
    _do(session, workflows, org, case, "notify_acceptance", {"sent_on": "2026-11-05"}, at(5), shipped)
    [mail] = _mailed(session, case, "denunciation_acceptance_notice")
    assert mail.party_id == next(cp.party_id for cp in case.parties if cp.role == "denouncer")
