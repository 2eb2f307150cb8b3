"""The reason an officer gives for an act that changes what was recorded (a correction, a voiding)."""
from __future__ import annotations

from ..errors import ServiceError


def required_reason(reason: str | None, what: str, minimum: int, maximum: int) -> str:
    """The reason stripped; ServiceError on field `reason` when shorter than `minimum` or longer than `maximum`
    characters. `what` names the reason in the message ("Lý do sửa")."""
    reason = (reason or "").strip()
    if len(reason) < minimum:
        raise ServiceError(f"{what}: nhập ít nhất {minimum} ký tự.", field="reason")
    if len(reason) > maximum:
        raise ServiceError(f"{what} quá dài (tối đa {maximum} ký tự).", field="reason")
    return reason
