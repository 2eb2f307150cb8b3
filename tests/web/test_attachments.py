"""Attachments: upload and download on the case page, size and type checks, access, the service's unit of work."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from factories import NOW
from sqlalchemy import select

from dvflow.models import Attachment, CaseEvent
from dvflow.services.cases import attachments as service
from dvflow.services.cases.intake import PartyInput
from dvflow.services.errors import Forbidden, NotFound
from dvflow.storage import LocalStorage

from .conftest import CSRF_RE
from .helpers import make_case

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + bytes(range(256)) * 4


def docx_bytes() -> bytes:
    """The same bytes in every process (fixed entry times): they are part of the test ids that xdist's workers
    must agree on."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 25, 9, 0, 0)), text)
    return buf.getvalue()


def upload(browser, case_id: int, data: bytes, filename: str, **kw):
    return browser.post(f"/ho-so/{case_id}/tep", {"file": (io.BytesIO(data), filename)},
                        token_from=f"/ho-so/{case_id}", **kw)


def stored_files(app, case_id: int) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / str(case_id)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_download_round_trip(app, session, login, org):
    case = make_case(app, session, org)
    handler = login("handler")
    html = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Tệp đính kèm" in html and 'enctype="multipart/form-data"' in html and "Chưa có tệp đính kèm." in html

    resp = upload(handler, case.id, PDF, "Đơn khiếu nại (bản chụp).pdf")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    row = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).one()
    assert row.filename == "Đơn khiếu nại (bản chụp).pdf"
    assert row.sha256 == hashlib.sha256(PDF).hexdigest() and row.size == len(PDF)
    assert row.content_type == "application/pdf" and row.uploaded_by_id == org["users"]["handler"].id
    files = stored_files(app, case.id)
    assert [f.name for f in files] == [row.stored_path.split("/")[-1]] and row.stored_path.startswith(f"{case.id}/")
    assert "khi" not in files[0].name and files[0].read_bytes() == PDF
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "attach")).one()
    assert event.payload["attachment_id"] == row.id and event.actor_id == org["users"]["handler"].id

    html = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Đơn khiếu nại (bản chụp).pdf" in html and "Cán bộ handler" in html and "Đính kèm tệp" in html
    assert f'href="/ho-so/{case.id}/tep/{row.id}"' in html and "1,1 KB" in html

    resp = handler.get(f"/ho-so/{case.id}/tep/{row.id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.mimetype == "application/pdf"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    # the head of the unit reads it too
    assert login("head").get(f"/ho-so/{case.id}/tep/{row.id}").data == PDF


@pytest.mark.parametrize("filename, data", [
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
    ("van-ban.docx", docx_bytes()),
    ("bang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ("ghi-chu.txt", "Nội dung ghi chú\n".encode()),
])
def test_allowed_types(app, session, login, org, filename, data):
    case = make_case(app, session, org)
    assert upload(login("reception"), case.id, data, filename).status_code == 302
    assert session.scalars(select(Attachment.filename).where(Attachment.case_id == case.id)).one() == filename


def test_oversize_rejected(app, session, login, org):
    app.config["MAX_ATTACHMENT_BYTES"] = 1000
    case = make_case(app, session, org)
    resp = upload(login("handler"), case.id, PDF[:2000] + b"x" * 2000, "lon.pdf")
    assert resp.status_code == 413
    assert "Tệp quá lớn: tối đa" in resp.get_data(as_text=True)
    assert session.scalars(select(Attachment)).all() == [] and stored_files(app, case.id) == []


def test_request_over_max_content_length_is_413(app, session, login, org):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    case = make_case(app, session, org)
    resp = upload(login("handler"), case.id, PDF + b"x" * 8192, "lon.pdf")
    assert resp.status_code == 413 and "Tệp tải lên quá lớn" in resp.get_data(as_text=True)
    assert stored_files(app, case.id) == []


@pytest.mark.parametrize("filename, data, message", [
    ("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 64, "Loại tệp không được chấp nhận"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "Loại tệp không được chấp nhận"),
    ("khong-duoi", b"%PDF-1.4 abc", "Loại tệp không được chấp nhận"),
    ("gia.pdf", b"MZ\x90\x00 this is not a pdf" + b"\x00" * 64, "Nội dung tệp không đúng định dạng .pdf"),
    ("gia.png", b"%PDF-1.4 not a png", "Nội dung tệp không đúng định dạng .png"),
    ("nen.docx", b"PK\x03\x04" + b"\x00" * 64, "Nội dung tệp không đúng định dạng .docx"),
    ("nhi-phan.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "Nội dung tệp không đúng định dạng .txt"),
])
def test_wrong_type_rejected(app, session, login, org, filename, data, message):
    case = make_case(app, session, org)
    resp = upload(login("handler"), case.id, data, filename)
    assert resp.status_code == 415
    assert message in resp.get_data(as_text=True)
    assert session.scalars(select(Attachment)).all() == [] and stored_files(app, case.id) == []


def test_empty_or_missing_file(app, session, login, org):
    case = make_case(app, session, org)
    handler = login("handler")
    assert upload(handler, case.id, b"", "rong.pdf").status_code == 400
    resp = handler.post(f"/ho-so/{case.id}/tep", {}, token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 400 and "Chọn một tệp để tải lên." in resp.get_data(as_text=True)
    assert session.scalars(select(Attachment)).all() == [] and stored_files(app, case.id) == []


def test_upload_without_csrf_is_400(app, session, login, org):
    case = make_case(app, session, org)
    handler = login("handler")
    resp = handler.client.post(f"/ho-so/{case.id}/tep", data={"file": (io.BytesIO(PDF), "a.pdf")})
    assert resp.status_code == 400 and "CSRF" in resp.get_data(as_text=True)
    assert session.scalars(select(Attachment)).all() == []


def test_other_unit_gets_404(app, session, login, org):
    case = make_case(app, session, org)
    assert upload(login("handler"), case.id, PDF, "a.pdf").status_code == 302
    att = session.scalars(select(Attachment)).one()
    other = login("other_handler")
    assert other.get(f"/ho-so/{case.id}/tep/{att.id}").status_code == 404
    token = CSRF_RE.search(other.get("/trang-chu").get_data(as_text=True)).group(1)
    resp = other.client.post(f"/ho-so/{case.id}/tep", data={"file": (io.BytesIO(PDF), "b.pdf"), "csrf_token": token})
    assert resp.status_code == 404
    assert len(session.scalars(select(Attachment)).all()) == 1
    # an attachment fetched through another case's address is not found either
    other_case = make_case(app, session, org, unit="other", user="other_head")
    assert login("supervisor").get(f"/ho-so/{other_case.id}/tep/{att.id}").status_code == 404
    assert login("handler").get(f"/ho-so/{case.id}/tep/{att.id + 1000}").status_code == 404


def test_supervisor_reads_but_cannot_upload(app, session, login, org):
    case = make_case(app, session, org)
    assert upload(login("handler"), case.id, PDF, "a.pdf").status_code == 302
    att = session.scalars(select(Attachment)).one()
    for who in ("supervisor", "admin"):
        b = login(who)
        html = b.get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert "a.pdf" in html and 'action="/ho-so/%d/tep"' % case.id not in html
        assert b.get(f"/ho-so/{case.id}/tep/{att.id}").data == PDF
        resp = upload(b, case.id, PDF, "b.pdf")
        assert resp.status_code == 403 and "không được đính kèm" in resp.get_data(as_text=True)
    assert len(session.scalars(select(Attachment)).all()) == 1 and len(stored_files(app, case.id)) == 1


def test_confidential_case_attachments_follow_the_case(app, session, login, org):
    case = make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ", parties=[
        PartyInput(role="denouncer", name="Phạm Văn Dũng"), PartyInput(role="accused", name="Ông Bị Tố Cáo")])
    assert case.confidential
    assert upload(login("handler"), case.id, PDF, "to-cao.pdf").status_code == 302
    att = session.scalars(select(Attachment)).one()
    assert login("head").get(f"/ho-so/{case.id}/tep/{att.id}").status_code == 200
    assert login("other_head").get(f"/ho-so/{case.id}/tep/{att.id}").status_code == 404
    assert "to-cao.pdf" not in login("other_head").get(f"/ho-so/{case.id}").get_data(as_text=True)


# --- the service itself -------------------------------------------------------------------------------------------

def test_service_round_trip_and_access(app, session, org, tmp_path):
    case = make_case(app, session, org)
    users = org["users"]
    att = service.add_attachment(session, users["handler"], case.id, "C:\\Users\\a\\bien ban.pdf", io.BytesIO(PDF),
                                 "text/html", NOW, tmp_path, 10_000)
    assert att.filename == "bien ban.pdf" and att.content_type == "application/pdf"  # declared type not trusted
    assert LocalStorage(tmp_path).get(att.stored_path) == PDF
    assert service.open_attachment(session, users["supervisor"], att.id) is att
    with pytest.raises(NotFound):
        service.open_attachment(session, users["other_handler"], att.id)
    with pytest.raises(Forbidden):
        service.add_attachment(session, users["supervisor"], case.id, "x.pdf", io.BytesIO(PDF), None, NOW, tmp_path)
    with pytest.raises(NotFound):
        service.add_attachment(session, users["other_head"], case.id, "x.pdf", io.BytesIO(PDF), None, NOW, tmp_path)
    with pytest.raises(service.TooLarge):
        service.add_attachment(session, users["handler"], case.id, "x.pdf", io.BytesIO(PDF), None, NOW, tmp_path, 100)
    assert [p.name for p in (tmp_path / str(case.id)).iterdir()] == [att.stored_path.split("/")[1]]


def test_database_failure_leaves_no_file(app, session, org, tmp_path, monkeypatch):
    case = make_case(app, session, org)

    def boom(*_a, **_kw):
        raise RuntimeError("database down")

    monkeypatch.setattr(session, "flush", boom)
    with pytest.raises(RuntimeError, match="database down"):
        service.add_attachment(session, org["users"]["handler"], case.id, "a.pdf", io.BytesIO(PDF), None, NOW,
                               tmp_path, 10_000)
    folder = tmp_path / str(case.id)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_commit_failure_in_the_route_removes_the_file(app, session, login, org, monkeypatch):
    from sqlalchemy.orm import Session

    case = make_case(app, session, org)
    handler = login("handler")
    token = CSRF_RE.search(handler.get(f"/ho-so/{case.id}").get_data(as_text=True)).group(1)

    def failing_commit(self):
        raise RuntimeError("commit failed")

    monkeypatch.setattr(Session, "commit", failing_commit)
    resp = handler.client.post(f"/ho-so/{case.id}/tep", data={"file": (io.BytesIO(PDF), "a.pdf"), "csrf_token": token})
    assert resp.status_code == 500
    assert stored_files(app, case.id) == []


def test_clean_filename():
    assert service.clean_filename("../../etc/passwd") == "passwd"
    assert service.clean_filename("a\x00b\x1f.pdf") == "ab.pdf"
    assert service.clean_filename("  ") == ""
    long = service.clean_filename("x" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")
