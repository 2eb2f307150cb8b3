"""Text typed into the schedule's forms: control characters (a NUL byte PostgreSQL cannot even store) and overlong
notes are refused with a message naming the field, before anything is written or looked up."""
from __future__ import annotations

import re

from ..errors import ServiceError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(field: str, label: str, *values: str | None) -> None:
    for value in values:
        if value and _CONTROL.search(value):
            raise ServiceError("%(label)s: có ký tự điều khiển không hợp lệ.", field=field, label=label)


# A note or a reason typed into a form (a Text column): long enough for any real one, short enough that a script
# cannot fill the database or the pages that show it.
MAX_NOTE = 5000


def check_length(field: str, label: str, value: str | None, limit: int = MAX_NOTE) -> None:
    if value and len(value.strip()) > limit:
        raise ServiceError("%(label)s: tối đa %(limit)s ký tự.", field=field, label=label, limit=limit)
