"""The findings of the security test replayed (issue #14, items 1 and 7), each refused: a confidential case's content
and files open to everyone who saw the case and downloads unlogged; identity numbers and names in query strings;
pages with identities cacheable; officials reading a citizen's receipt secret and rating in the citizen's place."""
from __future__ import annotations

import io
import json

from sqlalchemy import select, text
from web.helpers import make_case, make_denunciation

from dvflow.models import Attachment, AttachmentDownload, Case, Rating

from .conftest import csrf_from

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONTENT = "Người tố cáo kể: ông A nhận tiền tại nhà riêng tối 20/11"



def test_a_handler_who_sees_the_case_gets_neither_its_content_nor_its_files(app, session, login, org, client):
    case = make_denunciation(app, session, org, CONTENT)
    reception = login("reception")
    reception.post(f"/ho-so/{case.id}/tep", {"file": (io.BytesIO(PDF), "loi-khai.pdf")}, token_from=f"/ho-so/{case.id}")
    file_id = session.scalar(select(Attachment.id).where(Attachment.case_id == case.id))
    handler = login("handler")
    page = handler.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert CONTENT not in page and "loi-khai.pdf" not in page
    for url in (f"/ho-so/{case.id}/tep/{file_id}", f"/ho-so/{case.id + 1}/tep/{file_id}"):
        refused = handler.get(url)
        assert refused.status_code in (403, 404) and PDF not in refused.data
    assert session.scalars(select(AttachmentDownload)).all() == []
    assert login("head").get(f"/ho-so/{case.id}/tep/{file_id}").data == PDF
    assert len(session.scalars(select(AttachmentDownload)).all()) == 1  # the entitled download is on record


def test_the_api_redacts_a_confidential_case_and_shows_the_log_only_to_heads_and_supervisors(app, session, org,
                                                                                             client):
    from dvflow.services.org import tokens

    case = make_denunciation(app, session, org, CONTENT)
    raw = {who: tokens.create_token(session, org["users"][who], "kiểm thử", app.config["NOW"]())[1]
           for who in ("handler", "head", "supervisor")}

    def get(who: str, path: str):
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw[who]}"})

    detail = get("handler", f"/cases/{case.id}")
    assert detail.json["content"] is None and detail.json["content_redacted"] is True
    assert detail.headers["Cache-Control"] == "no-store" and CONTENT not in json.dumps(detail.json, ensure_ascii=False)
    assert get("head", f"/cases/{case.id}").json["content"] == CONTENT
    assert get("handler", f"/cases/{case.id}/access-log").status_code == 403
    for who in ("head", "supervisor"):
        log = get(who, f"/cases/{case.id}/access-log")
        assert log.status_code == 200 and log.json == {"items": []}


def test_identity_numbers_and_names_never_travel_in_an_address(app, session, login, org):
    make_case(app, session, org)
    reception = login("reception")
    assert reception.get("/tiep-nhan/trung-lap?identity=001086000123").status_code == 405
    no_token = reception.client.post("/tiep-nhan/trung-lap", data={"identity": "001086000123"})
    assert no_token.status_code == 400  # a POST without the CSRF token is refused
    by_post = reception.post("/tiep-nhan/trung-lap", {"identity": "001086000123"}, token_from="/tiep-nhan/moi")
    assert by_post.status_code == 200 and len(by_post.get_json()) == 1
    assert "Nguyễn Văn An" not in reception.get("/ho-so?q=Nguyễn Văn An").get_data(as_text=True)  # q in GET unused
    listing = reception.get("/ho-so").get_data(as_text=True)
    assert '<form method="post" action="/ho-so"' in listing
    assert "trung-lap?" not in app.open_resource("static/reception.js").read().decode()


def test_pages_that_show_an_identity_are_not_stored_by_any_cache(app, session, login, org):
    case = make_case(app, session, org)
    reception = login("reception")
    for url in (f"/ho-so/{case.id}", f"/tiep-nhan/{case.id}/phieu-hen", "/tiep-nhan/moi", "/tiep-nhan/so", "/ho-so"):
        assert reception.get(url).headers["Cache-Control"] == "no-store", url
    rerendered = reception.post("/tiep-nhan/moi", {"kind": "complaint_first"}, token_from="/tiep-nhan/moi")
    assert rerendered.status_code == 400 and rerendered.headers["Cache-Control"] == "no-store"


def test_nobody_reads_a_receipt_secret_after_it_was_printed(app, session, login, org, connection):
    case = make_case(app, session, org)
    secret = case.tracking_secret
    for who in ("reception", "head", "admin"):
        assert secret not in login(who).get(f"/tiep-nhan/{case.id}/phieu-hen").get_data(as_text=True)
    columns = connection.execute(text("SELECT * FROM cases WHERE id = :id"), {"id": case.id}).one()
    assert not any(secret in str(value) for value in columns)  # a database dump holds only the salted hash


def test_an_officers_session_cannot_rate_in_the_citizens_place(app, session, login, org):
    case = make_case(app, session, org)
    case.status, case.state = "closed", "closed"
    session.flush()
    head = login("head")
    page = head.get("/tra-cuu").get_data(as_text=True)
    form = {"tracking_code": case.tracking_code, "secret": case.tracking_secret, "score": "1",
            "csrf_token": csrf_from(page)}
    refused = head.client.post("/tra-cuu/danh-gia", data=form)
    assert refused.status_code == 403 and "Cán bộ đang đăng nhập không được đánh giá" in refused.get_data(as_text=True)
    api = head.client.post("/api/v1/public/rate", json={k: form[k] for k in ("tracking_code", "secret")} | {"score": 1})
    assert api.status_code == 403 and "không được đánh giá thay công dân" in api.json["error"]["message"]
    assert session.scalars(select(Rating)).all() == []
    assert session.get(Case, case.id).status == "closed"
