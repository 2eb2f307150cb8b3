"""Pydantic models of the citizens' side of the API: the tracking lookup and rating with the receipt's code and
secret, the receipt itself, and the satisfaction summary (the rest of the API's models: schemas.py)."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from .schemas import _In


class TrackRequest(_In):
    """The tracking code and the secret printed on the receipt."""

    tracking_code: str = Field(min_length=1, max_length=32, description="Mã hồ sơ, ví dụ KN-2026-000001")
    secret: str = Field(min_length=1, max_length=16, description="Mã bí mật in trên phiếu hẹn hoặc giấy biên nhận")


class RateRequest(TrackRequest):
    """Rate a closed case (once), with the receipt's code and secret."""

    score: int = Field(ge=1, le=5, description="Mức hài lòng 1–5")
    comment: str = Field("", max_length=2000)


class RatingSummaryQuery(_In):
    """Query string of GET /ratings/summary (local dates, inclusive)."""

    from_: date = Field(alias="from")
    to: date
    period: Literal["month", "quarter"] = "month"

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("from_", "to")
    @classmethod
    def _sane_year(cls, value: date) -> date:
        if not 2000 <= value.year <= 2999:
            raise PydanticCustomError("vn_error", "Ngày không hợp lệ (năm từ 2000 đến 2999).")
        return value


class DeadlineOut(BaseModel):
    label: str
    due_date: Optional[str]
    days_left: Optional[int]
    paused: bool


class TrackOut(BaseModel):
    tracking_code: str
    kind: str
    kind_label: str
    received_on: str
    unit_name: str
    unit_address: Optional[str] = None
    unit_phone: Optional[str] = None
    state_label: str
    status: str
    status_label: str
    closed: bool
    deadlines: list[DeadlineOut]
    next_steps: list[str]
    can_rate: bool
    rated: bool
    voided: bool = Field(False, description="Hồ sơ đã bị hủy: khi đó không có thông tin nào khác")


class ReceiptDeadlineOut(BaseModel):
    name: str
    label: str
    due_date: str


class ReceiptOut(BaseModel):
    """The receipt a citizen keeps, with the names the tracking page and POST /public/track use."""

    title: str = Field(description="PHIẾU HẸN (tiếp nhận trực tiếp) hoặc GIẤY BIÊN NHẬN ĐƠN")
    slip: Literal["appointment_slip", "receipt_notice"]
    tracking_code: str = Field(description="Mã hồ sơ")
    secret: Optional[str] = Field(description="Mã bí mật: chỉ khi vừa cấp (POST .../receipt/reissue); null khi xem lại, "
                                              "vì chỉ bản băm của mã được lưu")
    kind: str
    kind_label: str
    received_on: str = Field(description="Ngày tiếp nhận (YYYY-MM-DD)")
    subject: str
    citizens: list[str] = Field(description="Người gửi đơn (người tố cáo được giữ bí mật)")
    officer_name: Optional[str] = Field(description="Người tiếp nhận")
    unit_name: str = Field(description="Cơ quan giải quyết")
    unit_address: Optional[str]
    unit_phone: Optional[str]
    tracking_url: str = Field(description="Địa chỉ trang tra cứu")
    qr_link: str = Field(description="Nội dung mã QR: trang tra cứu, mã hồ sơ và mã bí mật trong phần # của địa chỉ")
    deadline: Optional[ReceiptDeadlineOut]


class RatedOut(BaseModel):
    ok: bool
    message: str


class UnitAverageOut(BaseModel):
    unit_id: int
    unit_name: str
    period: str
    count: int
    average: float


class RatingSummaryOut(BaseModel):
    start: str
    end: str
    period: str
    count: int
    average: Optional[float]
    items: list[UnitAverageOut]
