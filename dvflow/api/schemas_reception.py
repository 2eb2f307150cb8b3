"""Bodies and answers of the reception session API (/api/v1/reception/sessions/...): a session with the citizens
received (a confidential visitor's identity is null, `confidential` true), a visit in the columns of the reception
book (Mẫu 03/TCD) with its outcome, and closing a session."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, Field

from ..models.reception import VISIT_CONTENT_TYPES, VISIT_OUTCOMES
from .schemas import Id, _In


class ReceptionVisitIn(_In):
    """A citizen received: the book's columns and what was done."""

    citizen_name: str = Field(min_length=1, max_length=255, description="Họ tên công dân")
    summary: str = Field(min_length=1, max_length=4000, description="Nội dung tóm tắt (cột 5)")
    content_type: Literal[VISIT_CONTENT_TYPES] = Field(description="Loại đơn: complaint, denunciation, petition, "
                                                                   "feedback (cột 6)")
    outcome: Literal[VISIT_OUTCOMES] = Field(description="answered: trả lời trực tiếp; guided: hướng dẫn; "
                                                         "case_opened: nhận đơn, chuyển xử lý; refused: từ chối tiếp")
    address: Optional[str] = Field(None, max_length=500)
    identity_number: Optional[str] = Field(None, max_length=40, description="Số CCCD/hộ chiếu (cột 4)")
    phone: Optional[str] = Field(None, max_length=40)
    people_count: int = Field(1, ge=1, le=10000, description="Số người cùng nội dung (cột 7)")
    prior_resolver: Optional[str] = Field(None, max_length=500, description="Cơ quan đã giải quyết (cột 8)")
    within_competence: bool = Field(False, description="Thuộc thẩm quyền (cột 9)")
    guided_to: Optional[str] = Field(None, max_length=500, description="Hướng dẫn đến cơ quan (cột 10, guided)")
    guidance_number: Optional[str] = Field(None, max_length=80, description="Số văn bản hướng dẫn (guided)")
    case_kind: Optional[str] = Field(None, max_length=40, description="Loại hồ sơ khi nhận đơn (case_opened): "
                                                                      "complaint_first, denunciation, petition, triage…")
    refusal_ground: Optional[str] = Field(None, max_length=40, description="Căn cứ từ chối (refused), một khóa của "
                                                                           "workflows/reception/refusal_grounds.yaml")
    result_note: Optional[str] = Field(None, max_length=4000, description="Theo dõi kết quả (cột 12)")
    notes: Optional[str] = Field(None, max_length=4000, description="Ghi chú (cột 13)")
    booking_id: Optional[Id] = Field(None, description="Lượt đăng ký của công dân, nếu có")
    confidential: bool = Field(False, description="Giữ bí mật danh tính (luôn áp dụng với tố cáo)")


class ReceptionCloseIn(_In):
    recording_ref: Optional[str] = Field(None, max_length=500, description="Nơi lưu bản ghi âm, ghi hình (bắt buộc "
                                                                           "với phiên trực tuyến)")
    delegate_name: Optional[str] = Field(None, max_length=255, description="Người được ủy quyền tiếp thay "
                                                                           "(phiên định kỳ)")
    delegation_reason: Optional[str] = Field(None, max_length=2000)
    notes: Optional[str] = Field(None, max_length=4000)


class ReceptionVisitOut(BaseModel):
    id: int
    seq: int = Field(description="Số thứ tự trong Sổ tiếp công dân của đơn vị, theo năm")
    year: int
    received_on: date
    confidential: bool
    citizen_name: str = Field(description="\"Được giữ bí mật\" khi confidential")
    address: Optional[str]
    identity_number: Optional[str]
    summary: str
    content_type: str
    people_count: int
    prior_resolver: Optional[str]
    within_competence: bool
    outcome: str
    guided_to: Optional[str]
    guidance_number: Optional[str]
    case_id: Optional[int]
    case_code: Optional[str]
    refusal_ground: Optional[str]
    refusal_notice_due: Optional[date]
    refusal_notice_sent_on: Optional[date]
    result_note: Optional[str]
    notes: Optional[str]


class ReceptionSessionDocumentOut(BaseModel):
    id: int
    type: str
    number_symbol: Optional[str]
    sha256: str


class ReceptionSessionOut(BaseModel):
    id: int
    unit: str
    kind: str
    mode: str
    day: date
    start_time: str
    end_time: str
    place: str
    status: str
    official: Optional[str]
    recording_ref: Optional[str]
    delegate_name: Optional[str]
    delegation_reason: Optional[str]
    visits: list[ReceptionVisitOut]
    documents: list[ReceptionSessionDocumentOut]
