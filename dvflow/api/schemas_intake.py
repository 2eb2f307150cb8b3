"""Request bodies of intake beyond registration itself: completing a mass case's representatives."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import Field

from .schemas import CaseCreate, PartyIn, _In


class RepresentativeIn(PartyIn):
    """A representative of a mass case (role is always representative)."""

    role: Literal["representative"] = "representative"


class RepresentativesUpdate(_In):
    """The representatives (they replace those recorded), the number of people and the written appointment
    (Luật Tiếp công dân 2013, Điều 29: 1–2 representatives for 5–10 people, at most 5 above ten)."""

    representatives: list[RepresentativeIn] = Field(max_length=100)
    people_count: Optional[int] = Field(None, ge=1, le=100_000, description="Số người cùng nội dung")
    appointment_reference: Optional[str] = Field(None, max_length=100,
                                                 description="Số, ký hiệu văn bản cử người đại diện")
    appointment_date: Optional[date] = Field(None, description="Ngày văn bản cử người đại diện")
    appointment_attachment_id: Optional[int] = Field(None, ge=1, le=2**31 - 1,
                                                     description="Tệp đính kèm của hồ sơ là văn bản cử người đại diện")
    version: Optional[int] = Field(None, ge=1, description="Phiên bản hồ sơ đã đọc (409 nếu đã thay đổi)")

    _sane_year = CaseCreate._sane_year
