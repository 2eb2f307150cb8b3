"""Text typed into the schedule's forms: control characters (a NUL byte PostgreSQL cannot even store) are refused
with a message naming the field, before anything is written or looked up."""
from __future__ import annotations

import re

from ..errors import ServiceError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(field: str, label: str, *values: str | None) -> None:
    for value in values:
        if value and _CONTROL.search(value):
            raise ServiceError(f"{label}: có ký tự điều khiển không hợp lệ.", field=field)
