"""Letter triage by content (issue #13 item 1; audit W1-W3, W8, missing item 1): each outcome through the service."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent, Clock, Notification
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Forbidden, ServiceError
from dvflow.timeutil import TZ

RECEIVED = date(2026, 11, 2)  # a Monday
NOW = datetime(2026, 11, 6, 15, 0, tzinfo=TZ)  # the Friday of that week: actions are dated on or before it


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def sender(role="complainant", name="Nguyễn Văn An", identity="001086000123", **kw) -> PartyInput:
    return PartyInput(role=role, name=name, identity_number=identity, address="Hà Nội", **kw)


def letter(session, workflows, org, parties=None, *, subject="Đơn về thu hồi đất", received=RECEIVED,
           channel="letter") -> Case:
    data = IntakeInput(kind="triage", unit_id=org["dept"].id, channel=channel, received_at=at(received),
                       subject=subject, content="Nội dung đơn", parties=parties or [sender()])
    return register_case(session, workflows, org["users"]["reception"], data, NOW)


def act(session, workflows, org, case, action, user="handler", **fields) -> Case:
    return cases.perform(session, workflows, org["users"][user], case.id, action, fields, NOW)


def classify(session, workflows, org, case, content_type, competent=True):
    return act(session, workflows, org, case, "classify", content_type=content_type, competent=competent)


def open_clocks(session, case) -> dict[str, Clock]:
    rows = session.scalars(select(Clock).where(Clock.case_id == case.id, Clock.closed_at.is_(None)))
    return {c.name: c for c in rows}


def events(session, case, action) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)))


def test_hand_off_creates_the_case_of_its_kind_from_the_letters_receipt(session, workflows, org):
    doc = letter(session, workflows, org)
    classify(session, workflows, org, doc, "complaint_first")
    act(session, workflows, org, doc, "accept", target_kind="complaint_first", proposal="Đề xuất thụ lý")
    assert doc.state == "accepted" and doc.status == "closed" and doc.handed_off_to_id is not None
    new = session.get(Case, doc.handed_off_to_id)
    assert new.kind == "complaint_first" and new.source_letter_id == doc.id and new.unit_id == doc.unit_id
    assert (new.subject, new.content, new.channel, new.received_at) == (doc.subject, doc.content, doc.channel,
                                                                         doc.received_at)
    assert [(cp.role, cp.party.name, cp.party.identity_number) for cp in new.parties] == [
        ("complainant", "Nguyễn Văn An", "001086000123")]
    accept = open_clocks(session, new)["accept"]
    # counted from the letter's receipt (Mon 02/11), not from the hand-off (Fri 06/11): 7 wd -> Wed 11/11
    assert accept.start_date == RECEIVED and accept.due_date == date(2026, 11, 11)
    assert open_clocks(session, doc) == {}


def test_hand_off_must_match_the_classification_and_competence(session, workflows, org):
    doc = letter(session, workflows, org)
    classify(session, workflows, org, doc, "complaint_first")
    with pytest.raises(ServiceError, match="đúng loại đơn"):
        act(session, workflows, org, doc, "accept", target_kind="petition")
    classify(session, workflows, org, doc, "complaint_first", competent=False)
    with pytest.raises(ServiceError, match="chưa được phân loại là thuộc thẩm quyền"):
        act(session, workflows, org, doc, "accept", target_kind="complaint_first")
    assert doc.state == "classified" and session.scalars(select(Case).where(Case.kind != "triage")).all() == []


def test_clock_per_content_type_counted_from_receipt(session, workflows, org):
    doc = letter(session, workflows, org, [sender("denouncer"), sender("accused", "Ông B", None)])
    assert set(open_clocks(session, doc)) == {"triage"}
    classify(session, workflows, org, doc, "denunciation", competent=False)
    running = open_clocks(session, doc)
    assert set(running) == {"denunciation_initial", "denunciation_forward"}
    # LTC Art 24: 7 and 5 working days from Mon 02/11/2026
    assert running["denunciation_initial"].start_date == RECEIVED
    assert running["denunciation_initial"].due_date == date(2026, 11, 11)
    assert running["denunciation_forward"].due_date == date(2026, 11, 9)
    # reclassified: the clock of the former content is cancelled, the new one counts from receipt too
    classify(session, workflows, org, doc, "petition", competent=False)
    running = open_clocks(session, doc)
    assert set(running) == {"letter_reply"} and running["letter_reply"].start_date == RECEIVED
    old = session.scalar(select(Clock).where(Clock.case_id == doc.id, Clock.name == "denunciation_initial"))
    assert old.state == "cancelled"


def test_complaint_acceptance_clock_follows_the_rule_in_force(session, workflows, org):
    before = letter(session, workflows, org, received=date(2026, 6, 15))
    classify(session, workflows, org, before, "complaint_first", competent=False)
    after = letter(session, workflows, org)
    classify(session, workflows, org, after, "complaint_second", competent=False)
    assert open_clocks(session, before)["complaint_acceptance"].days == 10  # NĐ 124/2020 Art 16
    assert open_clocks(session, after)["complaint_acceptance"].days == 7  # NĐ 155/2026 Art 10


def test_a_letter_naming_a_denouncer_is_confidential_from_intake(session, workflows, org):
    doc = letter(session, workflows, org, [sender("denouncer"), sender("accused", "Ông B", None)])
    assert doc.confidential
    plain = letter(session, workflows, org, [sender("petitioner")])
    assert not plain.confidential
    classify(session, workflows, org, plain, "denunciation")
    assert plain.confidential  # from its classification as a denunciation
    tip = letter(session, workflows, org, [sender("petitioner", identity="001086000999")])
    classify(session, workflows, org, tip, "anonymous_tip")
    assert tip.confidential


def test_complaint_outside_competence_is_guided_once_never_forwarded(session, workflows, org):
    first = letter(session, workflows, org)
    classify(session, workflows, org, first, "complaint_first", competent=False)
    with pytest.raises(ServiceError, match="không được chuyển"):
        act(session, workflows, org, first, "forward", user="head", to_body="UBND tỉnh", forward_number="01/PC",
            forwarded_on="2026-11-06", slip="Phiếu chuyển")
    act(session, workflows, org, first, "guide", guided_on="2026-11-06",
        guidance="Đề nghị ông gửi đơn đến Chủ tịch UBND xã.")
    assert first.state == "guided"
    notice = events(session, first, "notify_sender")
    assert notice and notice[0].payload["fields"]["notice"] == "Đề nghị ông gửi đơn đến Chủ tịch UBND xã."
    # the same sender writes again on the same subject: no second guidance, the letter is archived with a reference
    again = letter(session, workflows, org)
    classify(session, workflows, org, again, "complaint_first", competent=False)
    with pytest.raises(ServiceError, match=first.tracking_code):
        act(session, workflows, org, again, "guide", guided_on="2026-11-06", guidance="Lần hai")
    assert again.state == "classified" and not events(session, again, "notify_sender")
    with pytest.raises(ServiceError, match="Không tìm thấy hồ sơ"):
        act(session, workflows, org, again, "archive_repeat", earlier_letter="DON-2026-999999")
    act(session, workflows, org, again, "archive_repeat", earlier_letter=first.tracking_code.lower())
    assert again.state == "archived" and again.related_case_id == first.id


def test_archive_repeat_needs_a_guided_letter(session, workflows, org):
    other = letter(session, workflows, org, subject="Đơn khác")
    doc = letter(session, workflows, org)
    classify(session, workflows, org, doc, "complaint_first", competent=False)
    with pytest.raises(ServiceError, match="không phải là đơn đã được đơn vị hướng dẫn"):
        act(session, workflows, org, doc, "archive_repeat", earlier_letter=other.tracking_code)


def test_forwarding_a_denunciation_is_the_heads_decision_and_the_sender_is_told(session, workflows, org):
    doc = letter(session, workflows, org, [sender("denouncer", email="an@example.test"),
                                           sender("accused", "Ông B", None)])
    classify(session, workflows, org, doc, "denunciation", competent=False)
    fields = dict(to_body="Thanh tra tỉnh", forward_number="12/PC-STNMT", forwarded_on="2026-11-06",
                  slip="Chuyển đơn tố cáo đến Thanh tra tỉnh")
    with pytest.raises(Forbidden):
        act(session, workflows, org, doc, "forward_denunciation", **fields)
    with pytest.raises(ServiceError, match="Chỉ chuyển theo thao tác này đơn kiến nghị, phản ánh"):
        act(session, workflows, org, doc, "forward", user="head", **fields)
    act(session, workflows, org, doc, "forward_denunciation", user="head", **fields)
    assert doc.state == "forwarded" and doc.facts["forward_count"] == 1
    done = session.scalar(select(Clock).where(Clock.case_id == doc.id, Clock.name == "denunciation_forward"))
    assert done.state == "met"  # forwarded on Fri 06/11, within 5 working days of Mon 02/11
    notice = events(session, doc, "notify_sender")[0].payload
    assert "Thanh tra tỉnh" in notice["fields"]["notice"] and "12/PC-STNMT" in notice["fields"]["notice"]
    assert [r["by"] for r in notice["recipients"]] == ["email"]
    assert "Nguyễn Văn An" not in str(notice)  # the denouncer is named by party, never by name
    mail = session.scalar(select(Notification).where(Notification.case_id == doc.id,
                                                     Notification.template == "sender_notice"))
    denouncer = next(cp for cp in doc.parties if cp.role == "denouncer")
    assert (mail.user_id, mail.party_id, mail.channel, mail.delivery) == (None, denouncer.party_id, "email", "pending")
    assert "Thanh tra tỉnh" in mail.body and doc.tracking_code in mail.subject
    assert "an@example.test" not in str([mail.subject, mail.body])  # the address is read when it is sent


def test_petition_outside_competence_is_forwarded_with_a_slip(session, workflows, org):
    doc = letter(session, workflows, org, [sender("petitioner")])
    classify(session, workflows, org, doc, "petition", competent=False)
    with pytest.raises(ServiceError, match="Số phiếu chuyển"):
        act(session, workflows, org, doc, "forward", user="head", to_body="Sở Xây dựng", forwarded_on="2026-11-06",
            slip="x")
    act(session, workflows, org, doc, "forward", user="head", to_body="Sở Xây dựng", forward_number="3/PC",
        forwarded_on="2026-11-06", slip="Chuyển đơn")
    assert doc.state == "forwarded" and events(session, doc, "notify_sender")


def test_an_organisation_that_sent_a_petition_is_written_to_as_a_body_not_ong_ba(session, workflows, org):
    """A company's letter forwarded elsewhere: the e-mail telling it so addresses "Quý cơ quan, tổ chức", as the
    documents do (an organisation is no "ông/bà"); a person is still "ông/bà"."""
    company = PartyInput(role="petitioner", name="Công ty TNHH Minh Long", kind="organisation", address="Hà Nội",
                         email="lienhe@minhlong.test")
    for party, you in ((company, "Quý cơ quan, tổ chức"), (sender("petitioner", email="an@example.test"), "ông/bà")):
        doc = letter(session, workflows, org, [party])
        classify(session, workflows, org, doc, "petition", competent=False)
        act(session, workflows, org, doc, "forward", user="head", to_body="Sở Xây dựng", forward_number="3/PC",
            forwarded_on="2026-11-06", slip="Chuyển đơn")
        mail = session.scalar(select(Notification).where(Notification.case_id == doc.id,
                                                         Notification.template == "sender_notice"))
        assert mail.subject.endswith(f"của {you}") and f"{you[0].upper()}{you[1:]} tra cứu" in mail.body
        assert ("ông/bà" in mail.subject + mail.body) == (you == "ông/bà")


def test_duplicate_is_attached_to_the_open_case_and_the_sender_told(session, workflows, org):
    open_case = register_case(session, workflows, org["users"]["reception"], IntakeInput(
        kind="complaint_first", unit_id=org["dept"].id, channel="walk_in", received_at=at(RECEIVED),
        subject="Khiếu nại thu hồi đất", parties=[sender()]), NOW)
    doc = letter(session, workflows, org)
    act(session, workflows, org, doc, "attach_duplicate", open_case=open_case.tracking_code,
        notice="Nội dung đơn đang được giải quyết tại hồ sơ " + open_case.tracking_code)
    assert doc.state == "archived" and doc.duplicate_of_id == open_case.id
    assert [c.id for c in open_case.duplicates] == [doc.id]
    assert events(session, doc, "notify_sender")


def test_duplicate_of_a_closed_case_is_refused(session, workflows, org):
    closed = letter(session, workflows, org, subject="Đơn cũ")
    act(session, workflows, org, closed, "archive", ground="ineligible")
    doc = letter(session, workflows, org)
    with pytest.raises(ServiceError, match="đã kết thúc"):
        act(session, workflows, org, doc, "attach_duplicate", open_case=closed.tracking_code, notice="x")
    assert doc.state == "received" and doc.duplicate_of_id is None


def test_mixed_letter_is_guided_to_split_and_cannot_be_handed_off(session, workflows, org):
    doc = letter(session, workflows, org)
    classify(session, workflows, org, doc, "mixed")
    with pytest.raises(ServiceError, match="tách đơn"):
        act(session, workflows, org, doc, "accept", target_kind="complaint_first")
    act(session, workflows, org, doc, "guide", guided_on="2026-11-06", guidance="Đề nghị tách thành từng đơn.")
    assert doc.state == "guided"


def test_anonymous_tip_hand_off_and_not_enough_to_act_on_archived(session, workflows, org):
    tip = letter(session, workflows, org, [sender("petitioner", name="Không rõ", identity=None)])
    classify(session, workflows, org, tip, "anonymous_tip")
    act(session, workflows, org, tip, "accept", target_kind="anonymous_tip")
    assert session.get(Case, tip.handed_off_to_id).kind == "anonymous_tip"
    thin = letter(session, workflows, org, subject="Đơn không rõ nội dung")
    act(session, workflows, org, thin, "archive", ground="ineligible", note="Không đủ thông tin")
    assert thin.state == "archived"
