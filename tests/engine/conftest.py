"""Calendars shared by the engine's calendar and deadline tests."""
from __future__ import annotations

from datetime import date

import pytest

from dvflow.engine.calendar import Override, WorkCalendar

# The official 2026 New Year swap the `holidays` package lacks (VPCP 12729/VPCP-KGVX):
# Friday 2/1 off, Saturday 10/1 worked instead.
NEW_YEAR_2026 = (
    Override(date(2026, 1, 2), "off", "Nghỉ Tết Dương lịch 2026, hoán đổi theo Công văn 12729/VPCP-KGVX"),
    Override(date(2026, 1, 10), "working", "Làm bù cho ngày 02/01/2026"),
)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def cal2026() -> WorkCalendar:
    return WorkCalendar(NEW_YEAR_2026)
