"""/api/v1/reports/scorecard: the yearly scorecard of the units of a level the caller sees (heads: their subtree,
supervisors and administrators: all), each unit's criteria with value, points and weight, its total and its rank
among all its peers (equal totals share a rank, the next one skips)."""
from __future__ import annotations

from typing import Literal, Optional

from flask import current_app, jsonify
from pydantic import BaseModel, Field

from ..request import db_session, now
from ..services.reports import scorecard
from ..timeutil import local_date
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import query
from .schemas import _In


class ScorecardQuery(_In):
    nam: Optional[int] = Field(None, ge=2000, le=2100, description="Năm chấm điểm (mặc định: năm nay)")
    cap: Literal["province", "department", "commune"] = Field("department", description="Cấp của các đơn vị so sánh")


class EntryEventOut(BaseModel):
    action: str = Field(description="submitted (kê khai), verified (xác nhận) hoặc rejected (không xác nhận)")
    at: str
    actor: Optional[str] = Field(None, description="Tên đăng nhập của người thực hiện")
    value: Optional[float] = Field(None, description="Giá trị kê khai (không có với lượt xác minh)")
    note: str
    files: int = Field(description="Số tệp minh chứng gửi kèm lượt kê khai")


class ScorecardLineOut(BaseModel):
    key: str
    label: str
    source: str
    formula: Optional[str] = None
    value: Optional[float] = None
    points: float
    weight: float
    target: float
    zero_at: float
    #: manual criteria: submitted, verified or rejected (only verified values count); None when not filled
    entry_status: Optional[str] = None
    #: manual criteria: every submission and review, oldest first
    entry_events: list[EntryEventOut] = []
    counts: dict[str, float] = {}
    #: no value though something was asked of the unit: the criterion scores zero, and this says why
    shortfall: Optional[str] = Field(None, description="Vì sao tiêu chí không có điểm dù không có số liệu (ví dụ "
                                                       "\"Chưa khai báo người có trách nhiệm tiếp công dân\")")


class ScorecardUnitOut(BaseModel):
    unit_id: int
    unit_name: str
    total: float
    rank: int
    criteria: list[ScorecardLineOut]


class ScorecardOut(BaseModel):
    year: int
    level: str
    basis: str
    max_total: float
    peers: int
    units: list[ScorecardUnitOut]


@api_route(bp, "/reports/scorecard", "GET", "Bảng chấm điểm công tác dân vận của các đơn vị cùng cấp trong năm",
           query=ScorecardQuery, response=ScorecardOut, errors=(403, 503),
           error_text={503: "Tệp tiêu chí chấm điểm (workflows/reports/scorecard.yaml) có lỗi: quản trị hệ thống "
                            "chạy \"dvflow workflows check\""})
def scorecard_report():
    args = query(ScorecardQuery)
    s, instant = db_session(), now()
    year = scorecard.check_year(args.nam or local_date(instant).year, local_date(instant).year)
    visible = scorecard.viewable_units(s, api_user())
    workflows_dir = current_app.config["WORKFLOWS_DIR"]
    criteria = scorecard.criteria_for(scorecard.load_card(workflows_dir), year)
    board = scorecard.board(s, criteria=criteria, level=args.cap, year=year, visible=visible, now=instant,
                            ctx=scorecard.context(s, workflows_dir))
    out = ScorecardOut(
        year=year, level=args.cap, basis=criteria.basis, max_total=board.max_total, peers=board.peers,
        units=[ScorecardUnitOut(
            unit_id=r.unit.id, unit_name=r.unit.name, total=r.total, rank=r.rank,
            criteria=[ScorecardLineOut(key=line.criterion.key, label=line.criterion.label,
                                       source=line.criterion.source, formula=line.criterion.formula,
                                       value=line.value, points=line.points, weight=line.criterion.weight,
                                       target=line.criterion.target, zero_at=line.criterion.zero_at,
                                       entry_status=line.entry.status if line.entry else None,
                                       entry_events=_events(line.entry),
                                       counts=dict(line.fact.counts) if line.fact else {},
                                       shortfall=line.fact.shortfall if line.fact else None)
                      for line in r.lines])
            for r in board.rows])
    return jsonify(out.model_dump(mode="json"))


def _events(entry) -> list[EntryEventOut]:
    if entry is None:
        return []
    return [EntryEventOut(action=ev.action, at=ev.at.isoformat(), actor=ev.actor.username if ev.actor else None,
                          value=ev.value, note=ev.note, files=ev.files) for ev in entry.events]
