"""/api/v1/reports/periodic: the periodic statistical report of a unit and its subtree, as JSON (the same figures as
the page and its XLSX), over what the caller may see."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from flask import current_app, jsonify
from pydantic import BaseModel, Field

from ..i18n import loc
from ..request import db_session, now, workflows
from ..services.errors import ServiceError
from ..services.org import access
from ..services.reports import periodic, periods
from ..timeutil import local_date
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import query
from .schemas import _In


class PeriodicQuery(_In):
    """Query string of GET /reports/periodic: the period (default: the current quarter on the cut-off) and unit."""

    ky: Literal["month", "quarter", "half", "nine", "year"] = Field("quarter", description="Loại kỳ báo cáo")
    nam: Optional[int] = Field(None, ge=2000, le=2100, description="Năm báo cáo")
    so: Optional[int] = Field(None, ge=1, le=12, description="Số kỳ: tháng 1–12 hoặc quý 1–4")
    cach_tinh: Literal["cutoff", "calendar"] = Field(
        "cutoff",
        description="cutoff: ngày chốt số liệu 15 tháng trước đến 14 (TT 02/2021/TT-TTCP); calendar: theo lịch")
    don_vi: Optional[int] = Field(None, ge=1, le=2_147_483_647, description="Đơn vị (gồm các đơn vị trực thuộc)")


class ColumnOut(BaseModel):
    key: str
    label: str
    group: Optional[str] = None
    kind: str


class RowOut(BaseModel):
    label: str
    total: bool
    values: dict[str, Optional[float]]


class SectionOut(BaseModel):
    key: str
    title: str
    note: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class PeriodicOut(BaseModel):
    title: str
    unit_id: int
    unit_name: str
    period_kind: str
    year: int
    number: int
    basis: str
    first_day: date
    last_day: date
    period_line: str
    sections: list[SectionOut]
    notes: list[str]


@api_route(bp, "/reports/periodic", "GET", "Báo cáo định kỳ của một đơn vị và các đơn vị trực thuộc",
           query=PeriodicQuery, response=PeriodicOut)
def periodic_report():
    args = query(PeriodicQuery)
    s, instant = db_session(), now()
    today = local_date(instant)
    visible = access.visible_unit_ids(s, api_user())
    current = periods.containing(today, args.ky, args.cach_tinh)
    unit_id = args.don_vi or periodic.default_unit(s, visible)
    if unit_id is None:
        raise ServiceError("Bạn chưa được giao đơn vị nào nên không có số liệu để báo cáo.", field="don_vi")
    period = periodic.choose_period(args.ky, args.nam or current.year, args.so or current.number, args.cach_tinh,
                                    today)
    rep = periodic.build(s, unit_id=unit_id, visible=visible, period=period, now=instant,
                         kind_labels={d.id: loc(d) for d in workflows().kinds()},
                         workflows_dir=current_app.config["WORKFLOWS_DIR"])
    out = PeriodicOut(
        title=rep.title, unit_id=unit_id, unit_name=rep.unit_name, period_kind=period.kind, year=period.year,
        number=period.number, basis=period.basis, first_day=period.first, last_day=period.last,
        period_line=rep.period_line, notes=rep.notes,
        sections=[SectionOut(key=sec.key, title=sec.title, note=sec.note,
                             columns=[ColumnOut(key=c.key, label=c.label, group=c.group, kind=c.kind)
                                      for c in sec.columns],
                             rows=[RowOut(label=r.label, total=r.total, values=r.values) for r in sec.rows])
                  for sec in rep.sections])
    return jsonify(out.model_dump(mode="json"))
