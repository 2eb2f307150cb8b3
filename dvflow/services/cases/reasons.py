"""The reason an officer gives for an act that changes what was recorded (a correction, a voiding)."""
from __future__ import annotations

from ..errors import ServiceError


def required_reason(reason: str | None, what: str, minimum: int, maximum: int) -> str:
    """The reason stripped; ServiceError on field `reason` when shorter than `minimum` or longer than `maximum`
    characters. `what` names the reason in the message ("Lý do sửa")."""
    reason = (reason or "").strip()
    if len(reason) < minimum:
        raise ServiceError("%(what)s: nhập ít nhất %(minimum)s ký tự.", field="reason", what=what, minimum=minimum)
    if len(reason) > maximum:
        raise ServiceError("%(what)s quá dài (tối đa %(maximum)s ký tự).", field="reason", what=what, maximum=maximum)
    return reason
