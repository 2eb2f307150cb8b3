"""/api/v1/cases/<id>/receipt: the receipt to print or send to the citizen (a one-stop desk's own software); and
/api/v1/reception/sessions/<id>: a reception session with its visits, recording a visit, closing the session.

The secret is shown once: the receipt answers it as null (only its hash is kept); a reprint with a secret issues a
new one (POST .../receipt/reissue), which is recorded in the case history, and the old one stops working.
"""
from __future__ import annotations

from flask import current_app, jsonify

from ..request import commit, db_session, now, public_base_url, workflows
from ..services import cases
from ..services.documents import session_docs
from ..services.reception import desk, receipt, refusals, sessions, visits
from . import bp, schemas_access, schemas_public, schemas_reception
from .auth import api_user
from .openapi import api_route
from .request import body


@api_route(bp, "/cases/{case_id}/receipt", "GET", "Phiếu hẹn / giấy biên nhận của hồ sơ",
           response=schemas_public.ReceiptOut, errors=(404,))
def case_receipt(case_id: int):
    s = db_session()
    case = cases.load_case_for(s, api_user(), case_id)
    slip = receipt.receipt_view(s, workflows(), case, api_user(), public_base_url())
    return jsonify(schemas_public.ReceiptOut.model_validate(slip).model_dump(mode="json"))


@api_route(bp, "/cases/{case_id}/receipt/reissue", "POST", "Cấp lại mã bí mật và in lại phiếu (mã cũ hết hiệu lực)",
           body=schemas_access.ReissueRequest, response=schemas_public.ReceiptOut, errors=(403, 404, 409))
def case_receipt_reissue(case_id: int):
    data = body(schemas_access.ReissueRequest)
    s = db_session()
    case = receipt.reissue_secret(s, api_user(), case_id, data.reason, now())
    secret = case.tracking_secret
    commit()
    slip = receipt.receipt_view(s, workflows(), case, api_user(), public_base_url(), secret)
    return jsonify(schemas_public.ReceiptOut.model_validate(slip).model_dump(mode="json"))


# --- reception sessions: the desk's work through the API (the same services as /tiep-nhan/phien/<id>) -------------

def _rules():
    return refusals.load(current_app.config["WORKFLOWS_DIR"])


def _session_out(s, rs) -> dict:
    rows = desk.visit_rows(s, desk.session_visits(s, rs.id), _rules(), api_user())
    return schemas_reception.ReceptionSessionOut(
        id=rs.id, unit=rs.unit.name, kind=rs.kind, mode=rs.mode, day=rs.day,
        start_time=rs.start_time.strftime("%H:%M"), end_time=rs.end_time.strftime("%H:%M"), place=rs.place,
        status=rs.status, official=f"{rs.official.title} {rs.official.full_name}" if rs.official else None,
        recording_ref=rs.recording_ref, delegate_name=rs.delegate_name, delegation_reason=rs.delegation_reason,
        visits=[schemas_reception.ReceptionVisitOut.model_validate(r) for r in rows],
        documents=[schemas_reception.ReceptionSessionDocumentOut(id=d.id, type=d.type, number_symbol=d.number_symbol,
                                                        sha256=d.sha256)
                   for d in session_docs.session_documents(s, rs.id)],
    ).model_dump(mode="json")


@api_route(bp, "/reception/sessions/{session_id}", "GET", "Phiên tiếp công dân và các lượt tiếp",
           response=schemas_reception.ReceptionSessionOut, errors=(404,))
def reception_session(session_id: int):
    s = db_session()
    return jsonify(_session_out(s, sessions.load_for(s, api_user(), session_id)))


@api_route(bp, "/reception/sessions/{session_id}/visits", "POST",
           "Ghi một lượt tiếp công dân (trả lời, hướng dẫn, nhận đơn thành hồ sơ, từ chối)",
           body=schemas_reception.ReceptionVisitIn, response=schemas_reception.ReceptionVisitOut, status=201, errors=(403, 404, 409))
def reception_visit_create(session_id: int):
    data = body(schemas_reception.ReceptionVisitIn)
    s = db_session()
    visit = visits.record(s, workflows(), _rules(), api_user(), session_id, visits.VisitInput(**data.model_dump()),
                          now())
    commit()
    row = desk.visit_rows(s, [visit], _rules(), api_user())[0]
    return jsonify(schemas_reception.ReceptionVisitOut.model_validate(row).model_dump(mode="json")), 201


@api_route(bp, "/reception/sessions/{session_id}/close", "POST", "Kết thúc phiên tiếp công dân",
           body=schemas_reception.ReceptionCloseIn, response=schemas_reception.ReceptionSessionOut, errors=(403, 404, 409))
def reception_session_close(session_id: int):
    data = body(schemas_reception.ReceptionCloseIn)
    s = db_session()
    rs = sessions.close(s, api_user(), session_id, sessions.CloseInput(**data.model_dump()), now())
    commit()
    return jsonify(_session_out(s, rs))
