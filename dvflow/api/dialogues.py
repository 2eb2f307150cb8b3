"""/api/v1/dialogues/compliance: each commune's grassroots dialogue conferences of a year (Luật Thực hiện dân chủ ở
cơ sở 2022, Điều 32), for heads over their subtree and supervisors everywhere, as on /doi-thoai/tuan-thu."""
from __future__ import annotations

from flask import current_app, jsonify
from pydantic import BaseModel, Field

from ..request import db_session, now
from ..services.dialogues import compliance, rules
from ..timeutil import local_date
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import query
from .schemas import _In


class DialogueComplianceQuery(_In):
    """Query string of GET /dialogues/compliance."""

    year: int = Field(0, ge=0, le=2100, description="Năm (0 hoặc bỏ trống: năm nay)")


class ConferenceRef(BaseModel):
    case_id: int
    tracking_code: str


class CommuneOut(BaseModel):
    unit_code: str
    unit_name: str
    required: int
    held: list[ConferenceRef]
    planned: list[ConferenceRef]
    called_off: list[ConferenceRef]
    missing: int
    compliant: bool


class DialogueComplianceOut(BaseModel):
    year: int
    basis: str = Field(description="Căn cứ của số hội nghị phải tổ chức trong năm (rỗng: không bắt buộc)")
    communes: list[CommuneOut]


def _refs(cases) -> list[ConferenceRef]:
    return [ConferenceRef(case_id=c.id, tracking_code=c.tracking_code) for c in cases]


@api_route(bp, "/dialogues/compliance", "GET", "Tình hình tổ chức hội nghị đối thoại ở cơ sở theo xã",
           query=DialogueComplianceQuery, response=DialogueComplianceOut, errors=(403,))
def dialogue_compliance():
    args, s, user = query(DialogueComplianceQuery), db_session(), api_user()
    year = args.year or local_date(now()).year
    dialogue_rules = rules.load(current_app.config["WORKFLOWS_DIR"])
    summary = compliance.per_commune(s, compliance.viewable_units(s, user), year, dialogue_rules)
    communes = [CommuneOut(unit_code=r.unit.code, unit_name=r.unit.name, required=r.required, held=_refs(r.held),
                           planned=_refs(r.planned), called_off=_refs(r.called_off), missing=r.missing,
                           compliant=r.compliant) for r in summary.rows]
    return jsonify(DialogueComplianceOut(year=year, basis=dialogue_rules.requirement("commune", year).basis,
                                 communes=communes).model_dump(mode="json"))
