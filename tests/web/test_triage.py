"""Letter triage through the case page's action forms: hand-off, guidance once, forwarding, duplicates, and the
confidential letter (issue #13 item 1)."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import Case, CaseEvent
from dvflow.services.cases.intake import PartyInput

from .helpers import make_case
from .test_flow import fire

SENDER = PartyInput(role="complainant", name="Nguyễn Văn An", identity_number="001086000123", address="Hà Nội")
DENOUNCER = [PartyInput(role="denouncer", name="Phạm Văn Dũng", identity_number="079000111222"),
             PartyInput(role="accused", name="Ông Bị Tố Cáo")]


def letter(app, session, org, parties=None, subject="Đơn về thu hồi đất") -> Case:
    return make_case(app, session, org, kind="triage", subject=subject, parties=parties or [SENDER])


def page(browser, case_id: int) -> str:
    return browser.get(f"/ho-so/{case_id}").get_data(as_text=True)


def test_hand_off_through_the_page_shows_both_links(app, session, login, org):
    doc = letter(app, session, org)
    handler = login("handler")
    assert fire(handler, doc.id, "classify", {"content_type": "complaint_first", "competent": "on"}).status_code == 302
    assert fire(handler, doc.id, "accept", {"target_kind": "complaint_first"}).status_code == 302
    session.refresh(doc)
    new = session.get(Case, doc.handed_off_to_id)
    assert new.kind == "complaint_first" and new.source_letter_id == doc.id
    html = page(handler, doc.id)
    assert "Đã chuyển thành hồ sơ" in html and new.tracking_code in html
    html = page(handler, new.id)
    assert "Chuyển từ đơn" in html and doc.tracking_code in html


def test_hand_off_of_another_kind_is_refused_on_the_page(app, session, login, org):
    doc = letter(app, session, org)
    handler = login("handler")
    fire(handler, doc.id, "classify", {"content_type": "complaint_first", "competent": "on"})
    resp = fire(handler, doc.id, "accept", {"target_kind": "petition"})
    assert resp.status_code == 400 and "phải đúng loại đơn đã phân loại" in resp.get_data(as_text=True)
    assert session.scalars(select(Case).where(Case.kind != "triage")).all() == []


def test_letter_naming_a_denouncer_is_hidden_on_the_page(app, session, login, org):
    doc = letter(app, session, org, DENOUNCER, subject="Tố cáo cán bộ địa chính")
    html = page(login("handler"), doc.id)
    assert "Phạm Văn Dũng" not in html and "079000111222" not in html and "Đã được bảo mật" in html
    assert "Ông Bị Tố Cáo" in html


def test_classified_as_denunciation_hides_the_sender_from_then_on(app, session, login, org):
    doc = letter(app, session, org, [PartyInput(role="petitioner", name="Trần Thị Hoa"),
                                     PartyInput(role="denouncer", name="Phạm Văn Dũng")])
    handler = login("handler")
    assert "Phạm Văn Dũng" not in page(handler, doc.id)  # a denouncer named at intake: confidential at once
    plain = letter(app, session, org, [PartyInput(role="petitioner", name="Trần Thị Hoa")], subject="Đơn khác")
    assert "Trần Thị Hoa" in page(handler, plain.id)
    fire(handler, plain.id, "classify", {"content_type": "denunciation", "competent": "on"})
    session.refresh(plain)
    assert plain.confidential


def test_forwarding_a_denunciation_only_by_the_head(app, session, login, org):
    doc = letter(app, session, org, DENOUNCER)
    handler, head = login("handler"), login("head")
    fire(handler, doc.id, "classify", {"content_type": "denunciation"})  # competence unticked: not competent
    assert "/thao-tac/forward_denunciation" not in page(handler, doc.id)
    fields = {"to_body": "Thanh tra tỉnh", "forwarded_on": "2026-11-25", "slip": "Chuyển đơn tố cáo"}
    resp = handler.post(f"/ho-so/{doc.id}/thao-tac/forward_denunciation", fields, token_from=f"/ho-so/{doc.id}")
    assert resp.status_code == 403
    assert fire(head, doc.id, "forward_denunciation", fields).status_code == 302
    session.refresh(doc)
    assert doc.state == "forwarded"
    html = page(head, doc.id)
    assert "Thông báo cho người gửi đơn" in html and "Nội dung thông báo" in html and "Thanh tra tỉnh" in html
    assert "phiếu chuyển số 1/PC-" in html  # the slip's register number, as printed on the slip


def test_guidance_once_then_repeat_archived_on_the_page(app, session, login, org):
    first = letter(app, session, org)
    handler = login("handler")
    fire(handler, first.id, "classify", {"content_type": "complaint_first"})
    assert fire(handler, first.id, "guide", {"guided_on": "2026-11-25",
                                             "guidance": "Gửi đơn đến Chủ tịch UBND xã."}).status_code == 302
    again = letter(app, session, org)
    fire(handler, again.id, "classify", {"content_type": "complaint_first"})
    resp = fire(handler, again.id, "guide", {"guided_on": "2026-11-25", "guidance": "Lần hai"})
    assert resp.status_code == 400 and first.tracking_code in resp.get_data(as_text=True)
    assert fire(handler, again.id, "archive_repeat", {"earlier_letter": first.tracking_code}).status_code == 302
    html = page(handler, again.id)
    assert "Đã lưu đơn" in html and "Hồ sơ liên quan" in html and first.tracking_code in html
    guided = session.scalar(select(CaseEvent).where(CaseEvent.case_id == first.id,
                                                    CaseEvent.action == "notify_sender"))
    assert guided.payload["fields"]["notice"] == "Gửi đơn đến Chủ tịch UBND xã."


def test_duplicate_attached_on_the_page_shows_on_both(app, session, login, org):
    open_case = make_case(app, session, org)
    doc = letter(app, session, org)
    handler = login("handler")
    assert fire(handler, doc.id, "attach_duplicate", {"open_case": open_case.tracking_code,
                                                      "notice": "Đơn đang được giải quyết"}).status_code == 302
    html = page(handler, doc.id)
    assert "Trùng với hồ sơ" in html and open_case.tracking_code in html
    html = page(handler, open_case.id)
    assert "Đơn trùng đã lưu vào hồ sơ" in html and doc.tracking_code in html


def test_petition_forward_and_not_enough_to_act_on_archived_on_the_page(app, session, login, org):
    doc = letter(app, session, org, [PartyInput(role="petitioner", name="Trần Thị Hoa")])
    handler = login("handler")
    fire(handler, doc.id, "classify", {"content_type": "petition"})
    # the handler proposes, the head decides the forwarding (Thông tư 07/2014/TT-TTCP, Điều 21 khoản 2)
    assert "/thao-tac/forward\"" not in page(handler, doc.id)
    assert fire(login("head"), doc.id, "forward", {"to_body": "Sở Xây dựng", "forwarded_on": "2026-11-25",
                                                   "slip": "Chuyển đơn"}).status_code == 302
    thin = letter(app, session, org, subject="Đơn không rõ nội dung")
    assert fire(handler, thin.id, "archive", {"ground": "ineligible"}).status_code == 302
    session.refresh(doc)
    session.refresh(thin)
    assert doc.state == "forwarded" and thin.state == "archived"


def test_an_anonymous_tip_is_forwarded_by_the_head_with_the_slip(app, session, login, org):
    from dvflow.models import Document

    tip = make_case(app, session, org, kind="anonymous_tip", subject="Tin tố cáo nặc danh",
                    parties=[PartyInput(role="accused", name="Ông Bị Tố Cáo")])
    assert "/thao-tac/forward" not in page(login("handler"), tip.id)
    head = login("head")
    assert fire(head, tip.id, "forward", {"to_body": "Thanh tra tỉnh", "forwarded_on": "2026-11-25",
                                          "slip": "Chuyển thông tin để thanh tra, kiểm tra"}).status_code == 302
    session.refresh(tip)
    [slip] = session.scalars(select(Document).where(Document.case_id == tip.id))
    assert tip.state == "forwarded" and (slip.type, slip.status) == ("forwarding_slip", "issued")
    assert slip.number_symbol.startswith("1/PC-")


def test_a_walk_in_denunciation_outside_competence_is_guided_on_the_page(app, session, login, org):
    doc = letter(app, session, org, DENOUNCER, subject="Tố cáo cán bộ địa chính")  # make_case: channel walk_in
    head = login("head")
    fire(head, doc.id, "classify", {"content_type": "denunciation"})
    assert fire(head, doc.id, "guide", {"guided_on": "2026-11-25",
                                        "guidance": "Đề nghị ông đến Thanh tra tỉnh để tố cáo."}).status_code == 302
    session.refresh(doc)
    assert doc.state == "guided"
