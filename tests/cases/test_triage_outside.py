"""Letters outside the unit's competence: a denunciation forwarded once for the same content across letters (TT
05/2021 Art 14(1)), a denouncer who came in person guided (LTC Art 24(2)), an anonymous tip forwarded for
inspection (LTC Art 25(2)), forwarding the head's decision, guidance once on the same content only (TT 07/2014
Art 6(2)(b))."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dvflow.models import Case, CaseEvent
from dvflow.services.cases.intake import IntakeInput, register_case
from dvflow.services.errors import Forbidden, ServiceError

from .test_triage import NOW, RECEIVED, act, at, classify, letter, sender

FORWARD = dict(to_body="Thanh tra tỉnh", forward_number="12/PC", forwarded_on="2026-11-06",
               slip="Chuyển đơn tố cáo đến Thanh tra tỉnh")
DENUNCIATION = [sender("denouncer"), sender("accused", "Ông B", None)]


def test_the_same_denunciation_is_forwarded_once_across_letters(session, workflows, org):
    first = letter(session, workflows, org, DENUNCIATION, subject="Tố cáo ông B")
    classify(session, workflows, org, first, "denunciation", competent=False)
    act(session, workflows, org, first, "forward_denunciation", user="head", **FORWARD)
    again = letter(session, workflows, org, DENUNCIATION, subject="Tố cáo ông B")
    classify(session, workflows, org, again, "denunciation", competent=False)
    with pytest.raises(ServiceError, match=f"đã được chuyển tại đơn {first.tracking_code}") as refused:
        act(session, workflows, org, again, "forward_denunciation", user="head", **{**FORWARD, "forward_number": "13/PC"})
    assert refused.value.code == "forwarded_before" and again.state == "classified"
    # another subject, or another denouncer, is forwarded
    other = letter(session, workflows, org, DENUNCIATION, subject="Tố cáo bà C")
    classify(session, workflows, org, other, "denunciation", competent=False)
    act(session, workflows, org, other, "forward_denunciation", user="head", **{**FORWARD, "forward_number": "14/PC"})
    assert other.state == "forwarded"


def test_a_petition_forwarded_does_not_block_a_denunciation_on_the_same_subject(session, workflows, org):
    petition = letter(session, workflows, org, [sender("petitioner")], subject="Tố cáo ông B")
    classify(session, workflows, org, petition, "petition", competent=False)
    act(session, workflows, org, petition, "forward", user="head", **FORWARD)
    doc = letter(session, workflows, org, [sender("denouncer"), sender("accused", "Ông B", None)],
                 subject="Tố cáo ông B")
    classify(session, workflows, org, doc, "denunciation", competent=False)
    act(session, workflows, org, doc, "forward_denunciation", user="head", **FORWARD)
    assert doc.state == "forwarded"


def test_a_denouncer_who_came_in_person_is_guided(session, workflows, org):
    walk_in = letter(session, workflows, org, DENUNCIATION, channel="walk_in")
    classify(session, workflows, org, walk_in, "denunciation", competent=False)
    act(session, workflows, org, walk_in, "guide", guided_on="2026-11-06", guidance="Đề nghị gửi đến Thanh tra tỉnh")
    assert walk_in.state == "guided"
    posted = letter(session, workflows, org, DENUNCIATION, subject="Tố cáo khác")
    classify(session, workflows, org, posted, "denunciation", competent=False)
    with pytest.raises(ServiceError, match="trực tiếp đến trình bày"):  # a letter by post is forwarded
        act(session, workflows, org, posted, "guide", guided_on="2026-11-06", guidance="x")


def test_an_anonymous_tip_outside_competence_is_forwarded_by_the_head(session, workflows, org):
    tip = letter(session, workflows, org, [sender("petitioner", name="Không rõ", identity=None),
                                           sender("accused", "Ông B", None)])
    classify(session, workflows, org, tip, "anonymous_tip", competent=False)
    with pytest.raises(Forbidden):
        act(session, workflows, org, tip, "forward_tip", **FORWARD)
    act(session, workflows, org, tip, "forward_tip", user="head", **FORWARD)
    assert tip.state == "forwarded" and tip.facts["forward_count"] == 1
    actions = {e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == tip.id))}
    assert "notify_sender" not in actions  # no one identified to tell
    inside = letter(session, workflows, org, subject="Đơn khác")
    classify(session, workflows, org, inside, "denunciation", competent=False)
    with pytest.raises(ServiceError, match="tố cáo nặc danh"):
        act(session, workflows, org, inside, "forward_tip", user="head", **FORWARD)


def test_forwarding_is_the_heads_decision(session, workflows, org):
    tip = register_case(session, workflows, org["users"]["reception"], IntakeInput(
        kind="anonymous_tip", unit_id=org["dept"].id, channel="letter", received_at=at(RECEIVED),
        subject="Tin tố cáo nặc danh", parties=[sender("accused", "Ông B", None)]), NOW)
    with pytest.raises(Forbidden):
        act(session, workflows, org, tip, "forward", to_body="Thanh tra tỉnh", forwarded_on="2026-11-06")
    act(session, workflows, org, tip, "forward", user="head", to_body="Thanh tra tỉnh", forwarded_on="2026-11-06")
    assert tip.state == "forwarded"
    petition = letter(session, workflows, org, [sender("petitioner")])
    classify(session, workflows, org, petition, "petition", competent=False)
    with pytest.raises(Forbidden):
        act(session, workflows, org, petition, "forward", **FORWARD)
    assert petition.state == "classified"


def test_guidance_to_split_does_not_count_as_guidance_on_one_content(session, workflows, org):
    mixed = letter(session, workflows, org)
    classify(session, workflows, org, mixed, "mixed", competent=False)
    act(session, workflows, org, mixed, "guide", guided_on="2026-11-06", guidance="Đề nghị tách riêng từng nội dung.")
    part = letter(session, workflows, org)  # the citizen did as told: the complaint alone, outside competence
    classify(session, workflows, org, part, "complaint_first", competent=False)
    act(session, workflows, org, part, "guide", guided_on="2026-11-06", guidance="Gửi đến Chủ tịch UBND xã.")
    assert part.state == "guided"
    again = letter(session, workflows, org)  # the same complaint once more: guided once already
    classify(session, workflows, org, again, "complaint_first", competent=False)
    with pytest.raises(ServiceError, match=part.tracking_code):
        act(session, workflows, org, again, "guide", guided_on="2026-11-06", guidance="Lần hai")
    assert session.scalar(select(Case).where(Case.id == again.id)).state == "classified"
