"""Request and response bodies of the correction and voiding of a case (PATCH /cases/{id}, POST /cases/{id}/void).

Lengths and formats are checked by the service (the same checks as intake, with Vietnamese messages naming the
field); the bounds here only keep a request reasonable."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Optional, Union

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from ..timeutil import TZ
from .schemas import CaseDetailOut, Id, _In

Text = Annotated[str, Field(max_length=20_000)]
Short = Annotated[str, Field(max_length=1_000)]


class PartyPatch(_In):
    """One party's correction: with `id`, that party of the case (`remove: true` removes it; a field left out is
    unchanged, an empty text clears it); without `id`, a new party (`role` and `name` required)."""

    id: Optional[Id] = Field(None, description="Mã đương sự trong hồ sơ (parties[].id); bỏ trống để thêm mới")
    remove: bool = Field(False, description="Bỏ đương sự này khỏi hồ sơ")
    role: Optional[Short] = None
    name: Optional[Short] = None
    kind: Optional[Short] = None
    identity_type: Optional[Short] = Field(None, description="cccd, passport, tax_code, business_registration, other")
    identity_type_name: Optional[Short] = Field(None, description="Tên loại giấy tờ khi identity_type là other")
    identity_number: Optional[Short] = None
    address: Optional[Short] = None
    phone: Optional[Short] = None
    email: Optional[Short] = None


class CasePatch(_In):
    """Correct the intake data of a case, with a reason; a field left out is unchanged. `version`: the case version
    the caller last read (409 if it changed)."""

    reason: Short = Field(description="Lý do sửa (ít nhất 10 ký tự)")
    subject: Optional[Short] = None
    content: Optional[Text] = None
    channel: Optional[Annotated[str, Field(max_length=40)]] = None
    received_at: Optional[datetime] = Field(None, description="Thời điểm tiếp nhận đúng (ISO 8601; không kèm múi giờ "
                                                              "= giờ Việt Nam); thời hạn tính từ ngày tiếp nhận "
                                                              "được tính lại")
    parties: list[PartyPatch] = Field(default_factory=list, max_length=100)
    version: Optional[Id] = None

    @field_validator("received_at")
    @classmethod
    def _local_time(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if not 2000 <= value.year <= 2999:
            raise PydanticCustomError("vn_error", "Ngày tiếp nhận không hợp lệ.")
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value


class VoidRequest(_In):
    """Void a mistaken or duplicate case (a head); it is kept, leaves the lists and takes no more action."""

    reason: Short = Field(description="Lý do hủy (ít nhất 10 ký tự)")
    duplicate_of: Optional[Union[Id, Annotated[str, Field(max_length=32)]]] = Field(
        None, description="Hồ sơ gốc khi hồ sơ này bị trùng: id hoặc mã hồ sơ")
    version: Optional[Id] = None


class ChangeOut(_In):
    field: str
    label: str
    old: Any = None
    new: Any = None
    party_id: Optional[int] = None
    redacted: bool = False
    #: an identity field (name, number, address, phone, e-mail) changed: the history records no value of it
    withheld: bool = False


class RecomputedOut(_In):
    clock: str
    label: str
    old_due_date: Optional[str]
    new_due_date: Optional[str]


class CaseCorrectedOut(CaseDetailOut):
    """The corrected case, what changed, and the clocks recomputed (`message`: "Đã tính lại thời hạn: ...")."""

    changes: list[ChangeOut]
    recomputed: list[RecomputedOut]
    message: str
