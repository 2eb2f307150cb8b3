"""The content and attachments of a confidential case on the case page: withheld from those who may not reveal,
downloads recorded, and the log of reveals and downloads shown to heads and supervisors (issue #14, item 1)."""
from __future__ import annotations

from sqlalchemy import select

from dvflow.models import AttachmentDownload

from .helpers import make_denunciation
from .test_attachments import PDF, upload

CONTENT = "Ông A nhận tiền của tôi tại nhà riêng"
REASON = "Xác minh nội dung tố cáo với người tố cáo"



def test_content_and_files_are_withheld_from_those_who_may_not_reveal(app, session, login, org):
    case = make_denunciation(app, session, org, CONTENT)
    assert upload(login("reception"), case.id, PDF, "bien-ban-lam-viec.pdf").status_code == 302
    attachment_id = session.scalar(select(AttachmentDownload.id))  # nothing recorded by an upload
    assert attachment_id is None
    for who in ("handler", "reception", "supervisor"):
        resp = login(who).get(f"/ho-so/{case.id}")
        html = resp.get_data(as_text=True)
        assert resp.headers["Cache-Control"] == "no-store"
        assert CONTENT not in html and "Nội dung được bảo mật" in html
        assert "bien-ban-lam-viec.pdf" not in html and f"/ho-so/{case.id}/tep/" not in html
    head = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert CONTENT in head and "bien-ban-lam-viec.pdf" in head and f"/ho-so/{case.id}/tep/" in head


def test_a_download_by_someone_not_entitled_serves_nothing_and_each_download_is_recorded(app, session, login, org):
    from dvflow.models import Attachment

    case = make_denunciation(app, session, org, CONTENT)
    upload(login("reception"), case.id, PDF, "bien-ban.pdf")
    file_id = session.scalar(select(Attachment.id).where(Attachment.case_id == case.id))
    refused = login("handler").get(f"/ho-so/{case.id}/tep/{file_id}")
    assert refused.status_code == 403 and PDF not in refused.data
    assert login("other_head").get(f"/ho-so/{case.id}/tep/{file_id}").status_code == 404
    assert session.scalars(select(AttachmentDownload)).all() == []
    got = login("head").get(f"/ho-so/{case.id}/tep/{file_id}")
    assert got.status_code == 200 and got.data == PDF
    rows = session.scalars(select(AttachmentDownload)).all()
    assert [(r.user_id, r.case_id, r.attachment_id) for r in rows] == [(org["users"]["head"].id, case.id, file_id)]


def test_heads_and_supervisors_see_the_log_of_reveals_and_downloads(app, session, login, org):
    from dvflow.models import Attachment

    case = make_denunciation(app, session, org, CONTENT)
    upload(login("reception"), case.id, PDF, "bien-ban.pdf")
    file_id = session.scalar(select(Attachment.id).where(Attachment.case_id == case.id))
    head = login("head")
    party = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    assert head.post(f"/ho-so/{case.id}/danh-tinh/{party}", {"reason": REASON},
                     token_from=f"/ho-so/{case.id}").status_code == 200
    head.get(f"/ho-so/{case.id}/tep/{file_id}")
    for who in ("head", "supervisor"):
        html = login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert "Nhật ký xem danh tính và tải tệp" in html and REASON in html
        assert "Tải tệp: bien-ban.pdf" in html and "Danh tính: Người tố cáo" in html and "Cán bộ head" in html
        assert "Phạm Văn Dũng" not in html  # the log names the role, never the denouncer
    for who in ("handler", "reception"):
        html = login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert "Nhật ký xem danh tính và tải tệp" not in html and REASON not in html


def test_a_correction_of_the_content_is_withheld_in_the_history(app, session, login, org):
    case = make_denunciation(app, session, org, CONTENT)
    head = login("head")
    resp = head.post(f"/ho-so/{case.id}/sua", {"reason": "Ghi sai nội dung khi tiếp nhận đơn", "subject": case.subject,
                                             "content": "Nội dung đã sửa: nhận tiền tại trụ sở",
                                             "channel": case.channel, "version": case.version},
                     token_from=f"/ho-so/{case.id}")
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)
    assert "nhận tiền tại trụ sở" in head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    html = login("handler").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "nhận tiền tại trụ sở" not in html and CONTENT not in html
    assert 'name="content"' not in html  # nor prefilled in a correction form
