"""Accent-insensitive search keys: "nguyen" finds "Nguyễn"."""
from __future__ import annotations

import re

from unidecode import unidecode


def search_key(text: str | None) -> str:
    """Lower case, without Vietnamese diacritics (đ -> d), single spaces."""
    return re.sub(r"\s+", " ", unidecode(text or "").lower()).strip()
