"""/api/v1/cases/<id>/receipt: the receipt to print or send to the citizen (a one-stop desk's own software).

The secret is shown once: the receipt answers it as null (only its hash is kept); a reprint with a secret issues a
new one (POST .../receipt/reissue), which is recorded in the case history, and the old one stops working.
"""
from __future__ import annotations

from flask import jsonify

from ..request import commit, db_session, now, public_base_url, workflows
from ..services import cases
from ..services.reception import receipt
from . import bp, schemas_access, schemas_public
from .auth import api_user
from .openapi import api_route
from .request import body


@api_route(bp, "/cases/<int:case_id>/receipt", "GET", "Phiếu hẹn / giấy biên nhận của hồ sơ",
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
