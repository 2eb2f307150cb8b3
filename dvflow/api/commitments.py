"""/api/v1/commitments: the follow-up tasks of conclusion notices and the promises of dialogues, where each stands."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from flask import jsonify
from pydantic import BaseModel, Field

from ..request import db_session, now
from ..services.commitments import listing
from ..timeutil import local_date
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import query
from .schemas import _In


class CommitmentListQuery(_In):
    """Query string of GET /commitments."""

    status: Literal["open", "overdue", "closed", "all"] = Field("open", description="Tình trạng")
    source: Literal["", "reception_conclusion", "dialogue", "conference"] = Field("", description="Nguồn")
    page: int = Field(1, ge=1, le=100_000)


class CommitmentOut(BaseModel):
    id: int
    case_id: int = Field(description="Hồ sơ theo dõi (loại follow_up) mang thời hạn của nhiệm vụ")
    tracking_code: str
    description: str
    source: str
    promised_by: Optional[str]
    unit_name: str
    state: str
    status: str
    due_date: Optional[date]
    overdue: bool
    session_id: Optional[int]
    origin_case_id: Optional[int]


class CommitmentListOut(BaseModel):
    items: list[CommitmentOut]
    page: int
    has_more: bool


@api_route(bp, "/commitments", "GET", "Nhiệm vụ theo kết luận tiếp công dân và cam kết khi đối thoại",
           query=CommitmentListQuery, response=CommitmentListOut)
def list_commitments():
    args = query(CommitmentListQuery)
    rows, more = listing.visible(db_session(), api_user(), status=args.status, source=args.source or None,
                                 today=local_date(now()), page=args.page)
    items = [CommitmentOut.model_validate(r, from_attributes=True) for r in rows]
    return jsonify(CommitmentListOut(items=items, page=args.page, has_more=more).model_dump(mode="json"))
