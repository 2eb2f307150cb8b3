"""/api/v1/exports/national: the cases and reception records of a period and a unit subtree for the national database
(Nghị định 154/2026/NĐ-CP Điều 27, 35 khoản 3), in the versioned schema docs/national-export/schema-v1.json; for
heads over their subtree, supervisors and administrators everywhere."""
from __future__ import annotations

from typing import Any, Literal, Optional

from flask import jsonify
from pydantic import BaseModel, Field

from ..request import db_session, now
from ..services.reports import national_export
from ..timeutil import local_date
from . import bp
from .auth import api_user
from .openapi import api_route
from .request import query
from .schemas import _In


class NationalExportQuery(_In):
    """Query string of GET /exports/national: either `tu` and `den`, or a reporting period (`ky`, `nam`, and `so`
    for a month or a quarter): nothing is defaulted, a missing part is refused naming its field."""

    tu: Optional[str] = Field(None, max_length=10, description="Từ ngày (YYYY-MM-DD, tính theo ngày nhận)")
    den: Optional[str] = Field(None, max_length=10, description="Đến ngày (YYYY-MM-DD, tính cả ngày này)")
    ky: Optional[Literal["month", "quarter", "half", "nine", "year"]] = Field(
        None, description="Loại kỳ báo cáo, thay cho tu/den")
    nam: Optional[int] = Field(None, ge=2000, le=2100,
                               description="Năm của kỳ báo cáo; bắt buộc khi chọn `ky` (thiếu: lỗi 400 nêu trường nam)")
    so: Optional[int] = Field(None, ge=1, le=12,
                              description="Số kỳ: tháng 1–12 hoặc quý 1–4; bắt buộc khi `ky` là month hoặc quarter "
                                          "(thiếu: lỗi 400 nêu trường so, không tự chọn kỳ)")
    cach_tinh: Literal["cutoff", "calendar"] = Field(
        "cutoff", description="cutoff: ngày chốt số liệu (TT 02/2021/TT-TTCP); calendar: theo lịch")
    don_vi: Optional[int] = Field(None, ge=1, le=2_147_483_647, description="Đơn vị (gồm các đơn vị trực thuộc)")


class NationalExportOut(BaseModel):
    """The export; each record's fields are those of docs/national-export/schema-v1.json (JSON Schema 2020-12)."""

    schema_version: str
    generated_at: str
    issuing_unit: dict[str, Any]
    period: dict[str, Any]
    cases: list[dict[str, Any]]
    reception_sessions: list[dict[str, Any]]
    reception_visits: list[dict[str, Any]]


@api_route(bp, "/exports/national", "GET", "Xuất dữ liệu của một kỳ cho cơ sở dữ liệu quốc gia (lược đồ phiên bản 1)",
           query=NationalExportQuery, response=NationalExportOut, errors=(403,))
def national_export_view():
    args, s, instant = query(NationalExportQuery), db_session(), now()
    user = api_user()
    national_export.exporting_units(s, user)  # refused before the dates are even read
    if args.ky is not None and args.tu is None and args.den is None:
        # the year and the number as sent: an official submission never falls back on a period nobody chose (a
        # missing number exported January or the first quarter); choose_period refuses them, naming the field
        span = national_export.named_period(args.ky, args.nam, args.so, args.cach_tinh, local_date(instant))
    else:
        span = national_export.parse_range(args.tu, args.den)
    return jsonify(national_export.export_for(s, user, unit_id=args.don_vi, span=span, now=instant))
