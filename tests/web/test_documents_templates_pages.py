"""The unit's templates on the pages: an upload that fails when rendered is refused at once; a template that fails
when a document is issued with it is told in Vietnamese, never answered with a 500."""
from __future__ import annotations

import io

from documents.fixtures.template import template_bytes
from sqlalchemy import select

from config import ROOT
from dvflow.models import UnitTemplate

from .helpers import make_case

SHIPPED = ROOT / "workflows" / "documents"


def test_an_upload_that_fails_with_the_sample_data_is_refused_on_the_page(app, session, org, login):
    app.config["DOCUMENTS_DIR"] = str(SHIPPED)
    admin = login("admin")
    url = f"/van-ban/mau/{org['province'].id}/notice_of_acceptance"
    resp = admin.post(url, {"file": (io.BytesIO(template_bytes("{{ doc.year / 0 }}")), "mau.docx")},
                      token_from="/van-ban/mau", content_type="multipart/form-data")
    assert resp.status_code == 400 and "Mẫu không tạo được văn bản với dữ liệu mẫu" in resp.get_data(as_text=True)
    assert session.scalars(select(UnitTemplate)).all() == []


def test_a_unit_template_that_fails_at_issue_is_a_vietnamese_refusal_not_500(app, session, org, login):
    """A template kept before uploads were tried (or one that fails only with a real case's data)."""
    app.config["DOCUMENTS_DIR"] = str(SHIPPED)
    session.add(UnitTemplate(unit_id=org["dept"].id, type="notice_of_acceptance", filename="cu.docx",
                             content=template_bytes("{{ doc.year / 0 }}"), uploaded_at=app.config["NOW"]()))
    case = make_case(app, session, org)
    resp = login("head").post(f"/ho-so/{case.id}/thao-tac/accept",
                              {"decision_date": "2026-11-25", "version": case.version},
                              token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 400
    assert "Không tạo được văn bản từ mẫu: division by zero. Hồ sơ chưa thay đổi." in resp.get_data(as_text=True)
    session.expire_all()
    assert session.get(type(case), case.id).state == "received"
