"""A denunciation not accepted: the denouncer is told the reason at once (Luật Tố cáo 2018, Điều 24 khoản 1) by the
notice issued to the denouncer alone, recorded by party and never by name, and kept from whoever may not see the
case's content."""
from __future__ import annotations

import io
from datetime import date, datetime, time

from docx import Document as Docx
from sqlalchemy import select

from config import ROOT
from dvflow.models import Case, CaseEvent, Document, Notification
from dvflow.services import cases
from dvflow.services.cases import confidentiality
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow
from dvflow.timeutil import TZ

RECEIVED = date(2026, 11, 2)
NOW = datetime.combine(date(2026, 11, 6), time(15), TZ)
REFUSAL = {"decision_date": "2026-11-06", "ground": "conditions_unmet",
           "reason": "Không xác định được hành vi vi phạm pháp luật bị tố cáo."}


def denunciation(session, workflows, org, **denouncer) -> Case:
    data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="letter",
                       received_at=datetime.combine(RECEIVED, time(9), TZ), subject="Tố cáo cán bộ địa chính",
                       parties=[PartyInput(role="denouncer", name="Phan Văn Kín", **denouncer),
                                PartyInput(role="accused", name="Trần Văn B")])
    return register_case(session, workflows, org["users"]["reception"], data, NOW)


def refuse(session, workflows, org, case, documents=None) -> Case:
    return cases.perform(session, workflows, org["users"]["head"], case.id, "refuse", REFUSAL, NOW,
                         documents=documents)


def notice_of(session, case) -> CaseEvent:
    return session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "notify_sender"))


def test_the_denouncer_is_told_why_by_party_never_by_name(session, workflows, org):
    case = denunciation(session, workflows, org, address="12 Lê Lợi", email="kin@example.test")
    refuse(session, workflows, org, case)
    assert case.state == "refused"
    notice = notice_of(session, case).payload
    assert "Không đủ điều kiện thụ lý (Điều 29 khoản 1)" in notice["fields"]["notice"]
    assert "Không xác định được hành vi vi phạm" in notice["fields"]["notice"]
    denouncer = next(cp for cp in case.parties if cp.role == "denouncer")
    assert notice["recipients"] == [{"party_id": denouncer.party_id, "role": "denouncer", "by": "email"}]
    assert "Phan Văn Kín" not in str(notice)
    [mail] = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                        Notification.template == "sender_notice"))
    assert (mail.party_id, mail.user_id) == (denouncer.party_id, None)  # the denouncer alone
    assert "kin@example.test" not in str([mail.subject, mail.body])


def test_a_denouncer_without_address_is_recorded_as_not_reachable(session, workflows, org):
    case = denunciation(session, workflows, org)
    refuse(session, workflows, org, case)
    assert [r["by"] for r in notice_of(session, case).payload["recipients"]] == ["none"]
    assert not session.scalars(select(Notification).where(Notification.template == "sender_notice")).all()


def test_the_notice_is_need_to_know_like_the_reason_it_repeats(session, workflows, org):
    defn = workflows.latest("denunciation")
    assert confidentiality.personal_fields(workflows, defn, "notify_sender") == {"notice"}
    assert "reason" in confidentiality.personal_fields(workflows, defn, "refuse")


def test_the_refusal_notice_is_issued_to_the_denouncer(session, workflows, org):
    settings = flow.Settings(documents_dir=str(ROOT / "workflows" / "documents"), files=None, pdf=False)
    case = denunciation(session, workflows, org, address="12 Lê Lợi")
    refuse(session, workflows, org, case, documents=settings)
    [doc] = session.scalars(select(Document).where(Document.case_id == case.id))
    assert (doc.type, doc.status, doc.number_symbol) == ("denunciation_refusal_notice", "issued",
                                                         f"1/TB-{org['dept'].code}")
    text = "\n".join(p.text for p in Docx(io.BytesIO(doc.content)).paragraphs)
    assert "Về việc không thụ lý tố cáo" in text and "Không đủ điều kiện thụ lý (Điều 29 khoản 1)" in text
    # the notice is the denouncer's own copy (sent to them alone, Luật Tố cáo 2018, Điều 24 khoản 1): it is addressed
    # to them by name; the other documents of a denunciation withhold it (tests/documents/test_denouncer_copies.py)
    assert "Kính gửi: ông (bà) Phan Văn Kín." in text
