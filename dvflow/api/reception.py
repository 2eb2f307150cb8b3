"""/api/v1/cases/<id>/receipt: the receipt to print or send to the citizen (a one-stop desk's own software)."""
from __future__ import annotations

from flask import jsonify

from ..request import db_session, public_base_url, workflows
from ..services import cases
from ..services.reception import receipt
from . import bp, schemas
from .auth import api_user
from .openapi import api_route


@api_route(bp, "/cases/<int:case_id>/receipt", "GET", "Phiếu hẹn / giấy biên nhận của hồ sơ",
           response=schemas.ReceiptOut, errors=(404,))
def case_receipt(case_id: int):
    s = db_session()
    case = cases.load_case_for(s, api_user(), case_id)
    slip = receipt.receipt_view(s, workflows(), case, api_user(), public_base_url())
    return jsonify(schemas.ReceiptOut.model_validate(slip).model_dump(mode="json"))
