"""Bodies of the receipt reissue and of the access log of a confidential case (/api/v1/cases/{id}/...)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from .schemas import _In


class ReissueRequest(_In):
    """A reprint of the receipt with a new secret; the old one stops working."""

    reason: Optional[str] = Field(None, max_length=500, description="Lý do cấp lại (không bắt buộc)")


class AccessLogEntryOut(BaseModel):
    kind: Literal["reveal", "download", "document"] = Field(
        description="reveal: xem danh tính; download: tải tệp đính kèm; document: mở văn bản tiếp công dân nêu danh "
                    "tính người đến (filename: số, ký hiệu văn bản)")
    at: str
    user_id: int
    user_name: str
    role: Optional[str] = Field(description="Vai trò của đương sự được xem danh tính")
    party_id: Optional[int]
    attachment_id: Optional[int]
    filename: Optional[str] = Field(description="Tên tệp đã tải, hoặc số, ký hiệu văn bản đã mở")
    reason: Optional[str] = Field(description="Lý do xem danh tính")


class AccessLogOut(BaseModel):
    items: list[AccessLogEntryOut]
