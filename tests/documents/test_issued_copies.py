"""Who receives an issued document of a denunciation, and how often it is issued: the notice of the content to the
accused (Mẫu 06) is not e-mailed to the denouncer, the denouncer's own notice (Mẫu 05) is issued once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dvflow.models import AttachmentDownload, Document, IdentityAccess, Notification
from dvflow.services import cases
from dvflow.services.cases import attachments
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow
from dvflow.services.errors import ServiceError

from .conftest import SHIPPED
from .helpers import act, at
from .test_denouncer_copies import _accepted_and_told


@pytest.fixture
def shipped(tmp_path) -> flow.Settings:
    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


def _denunciation_with_email(session, workflows, org, settings):
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Tố cáo cán bộ địa chính nhận tiền",
                       parties=[PartyInput(role="denouncer", name="Phan Văn Kín", email="kin@example.vn"),
                                PartyInput(role="accused", name="Trần Thị Bị", address="7 Ngõ Kín, phường An")])
    case = register_case(session, workflows, org["users"]["reception"], data, at(2))
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), settings)
    return case


def _mailed(session, case, type_) -> list[Notification]:
    document = session.scalars(select(Document).where(Document.case_id == case.id, Document.type == type_)).one()
    return list(session.scalars(select(Notification).where(Notification.document_id == document.id)))


def test_the_notice_to_the_accused_is_not_emailed_to_the_denouncer(session, workflows, org, shipped):
    """The Mẫu 06 notice is sent to the accused (documents.yaml sent_to: [accused]); the denouncer, the only party
    with an e-mail address, is not sent it."""
    case = _denunciation_with_email(session, workflows, org, shipped)
    act(session, workflows, org, case, "notify_accused", {"sent_on": "2026-11-05"}, at(5), shipped)
    assert _mailed(session, case, "denunciation_content_notice") == []


def test_the_denouncers_own_notice_is_emailed_to_them(session, workflows, org, shipped):
    """The Mẫu 05 notice is sent to the denouncer (sent_to: [denouncer]): e-mailed to them."""
    case = _denunciation_with_email(session, workflows, org, shipped)
    act(session, workflows, org, case, "notify_acceptance", {"sent_on": "2026-11-05"}, at(5), shipped)
    [mail] = _mailed(session, case, "denunciation_acceptance_notice")
    assert mail.party_id == next(cp.party_id for cp in case.parties if cp.role == "denouncer")


def _looks(session, case) -> list[tuple[int, int]]:
    return [(a.user_id, a.party_id) for a in session.scalars(
        select(IdentityAccess).where(IdentityAccess.case_id == case.id).order_by(IdentityAccess.id))]


def test_the_own_copy_downloaded_from_the_case_files_is_recorded_like_its_opening(session, workflows, org, shipped):
    """The issued Mẫu 05 is also the case's file: downloaded from the case's files (/ho-so/<id>/tep/<attachment>) it
    is recorded as at /van-ban/…: a download of the file and a look at the denouncer's identity."""
    case = _accepted_and_told(session, workflows, org, shipped)
    notice = session.scalars(select(Document).where(Document.case_id == case.id,
                                                    Document.type == "denunciation_acceptance_notice")).one()
    head = org["users"]["head"]
    attachments.download(session, head, case.id, notice.attachment_id, shipped.files, at(6), shipped.documents_dir)
    denouncer = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    assert _looks(session, case) == [(head.id, denouncer)]
    assert session.scalar(select(func.count()).select_from(AttachmentDownload)
                          .where(AttachmentDownload.attachment_id == notice.attachment_id)) == 1


def test_a_copy_for_others_downloaded_from_the_case_files_is_a_download_only(session, workflows, org, shipped):
    """The acceptance decision withholds the denouncer: its file's download is recorded, no look at an identity."""
    case = _accepted_and_told(session, workflows, org, shipped)
    decision = session.scalars(select(Document).where(Document.case_id == case.id,
                                                      Document.type == "denunciation_acceptance_decision")).one()
    head = org["users"]["head"]
    attachments.download(session, head, case.id, decision.attachment_id, shipped.files, at(6), shipped.documents_dir)
    assert _looks(session, case) == []
    assert session.scalar(select(func.count()).select_from(AttachmentDownload)
                          .where(AttachmentDownload.attachment_id == decision.attachment_id)) == 1


def test_the_denouncer_is_sent_one_acceptance_notice_however_often_the_step_is_tried(session, workflows, org,
                                                                                       shipped):
    """notify_acceptance keeps the case in its state: taken again (to correct the date sent, say), it would number a
    second Mẫu 05 in the unit's TB register for one acceptance (NĐ 31/2019 Art 9(2): one notice). It is refused,
    nothing numbered, and the page offers it no more."""
    case = _accepted_and_told(session, workflows, org, shipped)
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError, match="chỉ thông báo một lần"):
        act(session, workflows, org, case, "notify_acceptance", {"sent_on": "2026-11-06"}, at(6, 9), shipped)
    savepoint.rollback()
    notices = session.scalars(select(Document).where(Document.case_id == case.id,
                                                     Document.type == "denunciation_acceptance_notice")).all()
    assert len(notices) == 1
    [offered] = [a for a in cases.actions_for(session, workflows, org["users"]["head"], case)
                 if a.trigger == "notify_acceptance"]
    assert not offered.allowed and offered.code == "guard"
