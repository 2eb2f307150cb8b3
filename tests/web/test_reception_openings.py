"""The session desk lists who opened a document naming a protected visitor whose visit opened no case (in no case's
access log): for the heads of the unit and supervisors only, as a case's access log (CSRF on)."""
from __future__ import annotations

from reception.helpers import make_session
from sqlalchemy import select

from dvflow.models import Document, ReceptionVisit, VisitAccess

FORM = {"citizen_name": "Phạm Văn Dũng", "address": "Số 9 phố Bí Mật", "identity_number": "079000111222",
        "summary": "Tố cáo cán bộ địa chính", "content_type": "denunciation", "people_count": "1",
        "outcome": "refused", "refusal_ground": "persistent_resolved", "result_note": ""}


def test_the_openings_of_a_protected_visitors_notice_are_listed_for_heads_and_supervisors(session, login, org):
    rs = make_session(session, org["dept"])
    desk = f"/tiep-nhan/phien/{rs.id}"
    reception = login("reception")
    assert reception.post(f"{desk}/luot", FORM, token_from=desk).status_code == 302
    visit = session.scalar(select(ReceptionVisit))
    assert visit.case_id is None
    # the head issues the notice (NĐ 154/2026, Điều 4 khoản 3); the officer who received the visitor hands it over
    assert reception.post(f"{desk}/luot/{visit.id}/thong-bao-tu-choi", token_from=desk).status_code == 403
    assert session.scalar(select(Document)) is None
    assert login("head").post(f"{desk}/luot/{visit.id}/thong-bao-tu-choi", token_from=desk).status_code == 302
    doc = session.scalar(select(Document))
    assert reception.get(f"{desk}/van-ban/{doc.id}.docx").status_code == 200
    assert session.scalar(select(VisitAccess.user_id)) == org["users"]["reception"].id
    for who in ("head", "supervisor"):
        html = login(who).get(desk).get_data(as_text=True)
        section = html.split('id="nhat-ky-mo-van-ban"', 1)[1].split("</section>", 1)[0]
        assert "Cán bộ reception" in section and doc.number_symbol in section, who
        assert "Phạm Văn Dũng" not in html
    assert 'id="nhat-ky-mo-van-ban"' not in reception.get(desk).get_data(as_text=True)
    assert 'id="nhat-ky-mo-van-ban"' not in login("head").get(
        f"/tiep-nhan/phien/{make_session(session, org['dept']).id}").get_data(as_text=True)  # no protected visitor
