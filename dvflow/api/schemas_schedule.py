"""Pydantic models of the reception-schedule API: the public schedule, compliance, creating a session."""
from __future__ import annotations

import re
from datetime import date, time
from typing import Literal, Optional

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from .schemas import Id, _In

_HHMM = re.compile(r"\d{2}:\d{2}(:\d{2})?")


class ScheduleQuery(_In):
    """Query string of GET /public/reception-schedule."""

    unit: str = Field("", max_length=40, description="Mã đơn vị (để trống: mọi đơn vị)")


class PublicSessionOut(BaseModel):
    id: int
    unit_code: str
    unit_name: str
    kind: Literal["regular", "periodic", "ad_hoc"]
    mode: Literal["in_person", "online"]
    day: date
    start_time: time
    end_time: time
    place: str
    receiver: str = Field(description="Người tiếp (chức vụ và họ tên, hoặc người được ủy quyền)")
    delegated: bool
    free_slots: int
    bookable: bool


class ScheduleOut(BaseModel):
    items: list[PublicSessionOut]


class ComplianceQuery(_In):
    """Query string of GET /reception/compliance."""

    period: Literal["month", "quarter", "year", "range"] = "month"
    day: Optional[date] = Field(None, description="Một ngày trong kỳ, hoặc ngày bắt đầu của khoảng (mặc định: hôm nay)")
    to: Optional[date] = Field(None, description="Ngày kết thúc (chỉ với period=range)")
    unit_id: Optional[Id] = None


class DelegatedOut(BaseModel):
    day: date
    delegate_name: str
    reason: str
    counts: bool


class NotCountedOut(BaseModel):
    day: date
    reason: str


class MonthOut(BaseModel):
    year: int
    month: int
    required: int
    held: int
    missed: int
    outstanding: int
    ad_hoc_held: int
    basis: list[str]
    delegated: list[DelegatedOut]
    not_counted: list[NotCountedOut]


class OfficialOut(BaseModel):
    id: int
    full_name: str
    title: str
    position: str
    unit_id: int


class OfficialComplianceOut(BaseModel):
    official: OfficialOut
    start: date
    end: date
    required: int
    held: int
    delegated: int
    missed: int
    outstanding: int
    months: list[MonthOut]


class ComplianceOut(BaseModel):
    start: date
    end: date
    items: list[OfficialComplianceOut]


class SessionIn(_In):
    """A reception session to plan (and publish at once with publish=true)."""

    unit_id: Id
    kind: Literal["regular", "periodic", "ad_hoc"]
    mode: Literal["in_person", "online"] = "in_person"
    day: date
    start_time: time
    end_time: time
    place: str = Field("", max_length=500)
    official_id: Optional[Id] = None
    meeting_url: str = Field("", max_length=500)
    booking_capacity: int = Field(0, ge=0, le=200)
    slot_minutes: int = Field(20, ge=5, le=240)
    notes: str = Field("", max_length=5000)
    publish: bool = Field(False, description="Công bố ngay lên lịch công khai (phải trước ít nhất 05 ngày làm việc "
                                             "với phiên định kỳ và trực tuyến)")

    @field_validator("start_time", "end_time", mode="before")
    @classmethod
    def _local_clock_time(cls, value):
        # a session's hours are Vietnam's wall clock: an offset ("08:00+05:00") was dropped silently or, beside a
        # time without one, compared into a 500; a number of seconds is no time of day either
        if not isinstance(value, str) or not _HHMM.fullmatch(value.strip()):
            raise PydanticCustomError("vn_error",
                                      "Giờ không hợp lệ (định dạng HH:MM, giờ Việt Nam, không kèm múi giờ).")
        return value.strip()


class SessionOut(BaseModel):
    id: int
    unit_id: int
    kind: str
    mode: str
    status: str
    day: date
    start_time: time
    end_time: time
    place: str
    official_id: Optional[int]
    booking_capacity: int
    slot_minutes: int
