"""The case page's history shows a correction's typed reason in a confidential case to those who may see its content
only: a reason naming the hidden denouncer does not reach the handler, the supervisor or an IT administrator; the head
reads it (identity review, 12/2026)."""
from __future__ import annotations

from dvflow.services.cases.corrections import CorrectionInput, PartyEdit, correct_case

from .helpers import DENOUNCER, make_denunciation


def test_case_page_history_shows_a_correction_reason_naming_the_denouncer(app, session, login, org):
    case = make_denunciation(app, session, org, "Ông A nhận tiền")
    party = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    correct_case(session, app.extensions["dvflow.workflows"], org["users"]["head"], case.id,
                 CorrectionInput(reason=f"Ghi nhầm họ tên người tố cáo {DENOUNCER.name}, sửa lại cho đúng",
                                 parties=[PartyEdit(party_id=party, name="Phạm Văn Dung")]), app.config["NOW"]())
    session.flush()
    saw = [who for who in ("handler", "supervisor", "admin")
           if DENOUNCER.name in login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)]
    assert saw == []
    assert DENOUNCER.name in login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)


def test_a_voided_confidential_case_shows_its_reason_to_the_head_only_and_its_notice_omits_it(
        app, session, login, org):
    """The voided banner of a confidential case reads "Đã được bảo mật" to the handler (not designated), the
    supervisor and an administrator; the notice to whoever held the case does not carry the reason either."""
    from sqlalchemy import select

    from dvflow.models import Notification
    from dvflow.services.cases.voiding import void_case

    case = make_denunciation(app, session, org, "Ông A nhận tiền")
    case.assignee_id = org["users"]["handler"].id
    session.flush()
    reason = f"Ông {DENOUNCER.name} nộp trùng đơn, đã tiếp nhận ở hồ sơ khác"
    void_case(session, app.extensions["dvflow.workflows"], org["users"]["head"], case.id, reason,
              app.config["NOW"]())
    session.flush()
    for who in ("handler", "supervisor", "admin"):
        page = login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert DENOUNCER.name not in page and "Hồ sơ đã bị hủy" in page and "Đã được bảo mật" in page, who
    assert reason in login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    notices = session.scalars(select(Notification).where(Notification.case_id == case.id,
                                                         Notification.template == "case_voided")).all()
    assert notices and all(DENOUNCER.name not in n.body and "hồ sơ bảo mật" in n.body for n in notices)
