"""Request and response bodies of /api/v1, as pydantic models: they validate the requests AND produce the
OpenAPI document (dvflow/api/openapi.py), so the two never drift apart."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..models.case import INTAKE_CHANNELS
from ..models.party import IDENTITY_TYPES, PARTY_KINDS, PARTY_ROLES
from ..timeutil import TZ

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Small = Annotated[int, Field(ge=-(10**12), le=10**12)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
FieldValue = Union[StrictBool, Annotated[StrictInt, Field(ge=-(10**12), le=10**12)], Number,
                   Annotated[str, Field(max_length=10_000)], None]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests -------------------------------------------------------------------------------------------------------

class PartyIn(_In):
    """A person or organisation the case is about."""

    role: Literal[PARTY_ROLES] = Field(description="Vai trò: complainant, denouncer, petitioner, respondent, accused, "
                                                   "representative")
    name: str = Field(min_length=1, max_length=255, description="Họ tên / tên tổ chức")
    kind: Literal[PARTY_KINDS] = "person"
    identity_number: Optional[str] = Field(None, max_length=40, description="Số CCCD / hộ chiếu / mã số doanh nghiệp")
    identity_type: Optional[Literal[IDENTITY_TYPES]] = Field(
        None, description="Loại giấy tờ: cccd (12 chữ số), passport, tax_code (10 chữ số, chi nhánh 0101234567-001; "
                          "tổ chức), business_registration (tổ chức), other (kèm identity_type_name); bỏ trống: "
                          "không rõ (chỉ kiểm tra chữ cái và chữ số)")
    identity_type_name: Optional[str] = Field(None, max_length=100, description="Tên loại giấy tờ khi identity_type "
                                                                               "là other")
    address: Optional[str] = Field(None, max_length=500)
    phone: Optional[str] = Field(None, max_length=40)
    email: Optional[str] = Field(None, max_length=255)


class SignerIn(_In):
    """A person who signed the letter of a mass case, beside the parties (recorded with the kind's people role)."""

    name: str = Field(min_length=1, max_length=255)
    identity_number: Optional[str] = Field(None, max_length=40)
    identity_type: Optional[Literal[IDENTITY_TYPES]] = None


class CaseCreate(_In):
    """Register a case received by one of the caller's units."""

    kind: str = Field(min_length=1, max_length=40, description="Loại hồ sơ = mã quy trình, ví dụ complaint_first")
    unit: Union[Id, Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        description="Đơn vị tiếp nhận: mã (ví dụ STNMT) hoặc id")
    channel: Literal[INTAKE_CHANNELS] = Field(description="Hình thức tiếp nhận")
    received_at: datetime = Field(description="Thời điểm tiếp nhận (ISO 8601; không kèm múi giờ = giờ Việt Nam)")
    subject: str = Field(min_length=1, max_length=500, description="Trích yếu nội dung")
    content: str = Field("", max_length=20_000, description="Nội dung đơn")
    parties: list[PartyIn] = Field(default_factory=list, max_length=100)
    complex: bool = False
    especially_complex: bool = False
    mass: bool = False
    confidential: bool = False
    remote_area: bool = Field(False, description="Người khiếu nại ở vùng sâu, vùng xa đi lại khó khăn (thời hạn dài "
                                                 "hơn: Luật Khiếu nại 2011, Điều 28, 33, 37, 44)")
    related_case_id: Optional[Id] = None
    people_count: Optional[int] = Field(None, ge=1, le=100_000, description="Số người cùng nội dung (vụ việc đông "
                                                                           "người: từ 5); bỏ trống: số người đã ghi")
    signers: list[SignerIn] = Field(default_factory=list, max_length=500, description="Người ký đơn")
    appointment_reference: Optional[str] = Field(None, max_length=100,
                                                 description="Số, ký hiệu văn bản cử người đại diện")
    appointment_date: Optional[date] = Field(None, description="Ngày văn bản cử người đại diện")
    confirm_duplicate: bool = Field(False, description="Vẫn tiếp nhận dù có hồ sơ đang giải quyết có thể trùng "
                                                       "(không có thì trả 409 kèm danh sách candidates)")

    @field_validator("appointment_date")
    @classmethod
    def _sane_year(cls, value: date | None) -> date | None:
        if value is not None and not 2000 <= value.year <= 2999:
            raise PydanticCustomError("vn_error", "Ngày không hợp lệ (năm từ 2000 đến 2999).")
        return value

    @field_validator("received_at")
    @classmethod
    def _local_time(cls, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2999:
            raise PydanticCustomError("vn_error", "Ngày tiếp nhận không hợp lệ.")
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value


class ActionRequest(_In):
    """Fire a workflow action; `version` is the case version the caller last read (409 if it changed)."""

    fields: dict[Annotated[str, Field(max_length=100)], FieldValue] = Field(default_factory=dict, max_length=50)
    version: Optional[Id] = None
    effective_on: Optional[date] = Field(None, description="Ngày thao tác có hiệu lực (mặc định hôm nay; không sau "
                                                           "hôm nay, không trước ngày pháp lý gần nhất của hồ sơ). "
                                                           "Thao tác có trường ngày pháp lý riêng dùng trường đó.")
    effective_reason: Optional[str] = Field(None, max_length=500, description="Lý do, bắt buộc khi effective_on "
                                                                              "trước hôm nay")

    def payload(self) -> dict[str, Any]:
        """The action's fields with the effective date (the same names the action's field list shows)."""
        extra = {"effective_on": self.effective_on.isoformat() if self.effective_on else None,
                 "effective_reason": self.effective_reason}
        return {**self.fields, **{k: v for k, v in extra.items() if v is not None}}


class AssignRequest(_In):
    """Assign or reassign the case (a head), or take an unassigned case yourself (a handler: your own id, or no
    id). With `version` (the case's version you read) a case changed meanwhile answers 409."""

    assignee_id: Optional[Id] = None
    version: Optional[int] = Field(None, ge=1, description="Phiên bản hồ sơ đã đọc (409 nếu hồ sơ đã thay đổi)")


class CaseListQuery(_In):
    """Query string of GET /cases."""

    kind: str = Field("", max_length=40)
    state: str = Field("", max_length=40)
    status: Literal["", "open", "suspended", "closed"] = ""
    q: str = Field("", max_length=200, description="Tìm theo mã hồ sơ, trích yếu, tên đương sự")
    show_voided: bool = Field(False, description="Kể cả hồ sơ đã bị hủy (mặc định: không)")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000, description="Bỏ qua bao nhiêu hồ sơ (chỉ cho các trang đầu; trang sâu "
                                                          "hơn đi theo cursor, nhanh như trang đầu)")
    cursor: str = Field("", max_length=64, description="Vị trí trang sau, lấy từ liên kết next của trang trước; "
                                                       "cursor sai thì trả về trang đầu (offset bị bỏ qua khi có cursor)")


# --- responses ------------------------------------------------------------------------------------------------------

class FieldError(BaseModel):
    field: Optional[str]
    message: str


class DuplicateOut(BaseModel):
    """An open case the new one may repeat."""

    id: int
    tracking_code: str
    subject: str
    state: str
    received_at: str


class ErrorBody(BaseModel):
    code: int
    message: str
    fields: list[FieldError] = Field(default_factory=list)
    candidates: Optional[list[DuplicateOut]] = Field(None, description="Chỉ khi tiếp nhận (409): các hồ sơ có thể "
                                                                        "trùng")


class ErrorOut(BaseModel):
    error: ErrorBody


class PartyOut(BaseModel):
    id: int
    role: str
    kind: str
    name: Optional[str]
    identity_number: Optional[str]
    identity_type: Optional[str]
    identity_type_name: Optional[str]
    address: Optional[str]
    phone: Optional[str]
    email: Optional[str]
    redacted: bool


class ExplanationLineOut(BaseModel):
    kind: str
    day: Optional[str]
    text: str


class DueDateOut(BaseModel):
    due_date: Optional[str]
    due_at: Optional[str]
    days_total: int
    lines: list[ExplanationLineOut]
    text: str


class ClockOut(BaseModel):
    id: int
    name: str
    label: str
    state: str
    start_date: str
    due_date: Optional[str]
    days_left: Optional[int]
    closed: bool
    #: the legal date the limit stopped on (the date of the act that stopped it, not the day it was entered)
    closed_on: Optional[str] = None
    basis: str
    explanation: Optional[DueDateOut]


class FieldDefOut(BaseModel):
    name: str
    type: str
    required: bool
    label: str
    choices: list[list[str]]
    min: Optional[float]
    max: Optional[float]


class ActionOut(BaseModel):
    trigger: str
    label: str
    dest: Optional[str]
    dest_label: str
    head_only: bool
    allowed: bool
    reason: Optional[str]
    fields: list[FieldDefOut]


class CaseOut(BaseModel):
    id: int
    tracking_code: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    status: str
    unit_id: int
    unit_code: str
    assignee_id: Optional[int]
    channel: str
    received_at: str
    subject: str
    complex: bool
    especially_complex: bool
    mass: bool
    people_count: Optional[int]
    appointment_reference: Optional[str]
    appointment_date: Optional[str]
    confidential: bool
    remote_area: bool
    priority: bool
    escalation_level: int
    related_case_id: Optional[int]
    version: int
    created_at: str
    closed_at: Optional[str]
    #: the legal date the case ended on (the date of the act that closed it, not the day it was entered): the date
    #: the reports count its end by
    closed_on: Optional[str] = None
    voided: bool = Field(False, description="Hồ sơ đã bị hủy (không xóa): không còn trong danh sách, không thao tác")
    voided_at: Optional[str] = None
    void_reason: Optional[str] = Field(None, description="Lý do hủy; null trong hồ sơ bảo mật với người không được "
                                                     "xem nội dung (lý do có thể nêu tên người tố cáo)")
    duplicate_of_id: Optional[int] = None


class CaseLinkOut(BaseModel):
    id: int
    tracking_code: str


class CaseDetailOut(CaseOut):
    content: Optional[str] = Field(description="Nội dung đơn; null khi hồ sơ bảo mật và người hỏi không được xem "
                                               "(content_redacted)")
    content_redacted: bool = Field(False, description="Nội dung của hồ sơ bảo mật được giữ kín với người hỏi")
    tracking_secret: Optional[str] = Field(None, description="Mã bí mật của phiếu hẹn: chỉ có trong câu trả lời 201 "
                                                             "của POST /cases (hiển thị một lần, không lưu lại)")
    source_letter: Optional[CaseLinkOut] = Field(None, description="Đơn mà hồ sơ này được chuyển từ đó (xử lý đơn)")
    handed_off_to: Optional[CaseLinkOut] = Field(None, description="Hồ sơ giải quyết mà đơn này đã được chuyển thành")
    duplicate_of: Optional[CaseLinkOut] = Field(None, description="Hồ sơ đang giải quyết mà đơn này trùng với")
    duplicate_letters: list[CaseLinkOut] = Field([], description="Các đơn trùng đã được lưu vào hồ sơ này")
    parties: list[PartyOut]
    clocks: list[ClockOut]
    actions: list[ActionOut]


class CaseListOut(BaseModel):
    items: list[CaseOut]
    total: int = Field(description="Số hồ sơ, đếm tối đa 10.000 (total_capped: còn nhiều hơn); "
                                   "ước tính khi total_estimated")
    total_capped: bool = Field(description="Có hơn 10.000 hồ sơ: total là 10.000, không phải số đúng")
    total_estimated: bool = Field(description="Từ khóa tìm kiếm rất phổ biến trong danh sách hơn 10.000 hồ sơ: "
                                              "total là số ước tính (2 chữ số có nghĩa), không phải số đếm")
    limit: int
    offset: int
    next: Optional[str] = Field(description="Đường dẫn của trang sau (cùng bộ lọc, có cursor); null ở trang cuối")


class EventOut(BaseModel):
    id: int
    at: str
    legal_date: Optional[str]
    action: str
    label: str
    actor_id: Optional[int]
    from_state: Optional[str]
    to_state: Optional[str]
    #: in a confidential case, the fields that may name a person (free texts, `personal: true`) are left out for
    #: whoever may not see its content, and named in `redacted_fields`; so is the reason an officer typed for a
    #: correction, a new receipt secret or a voiding (`reason` null, `reason_redacted` true)
    payload: dict[str, Any]


class EventListOut(BaseModel):
    items: list[EventOut]


class ClockListOut(BaseModel):
    items: list[ClockOut]


