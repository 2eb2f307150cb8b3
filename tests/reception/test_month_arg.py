"""The month a reception page shows (`?thang=`): one reading for the book and the schedule."""
from __future__ import annotations

from datetime import date

import pytest

from dvflow.web.reception.fields import month_arg

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize("raw, month", [("2026-05", date(2026, 5, 1)), ("2026-05-07", date(2026, 5, 1)),
                                        (" 2024-2 ", date(2024, 2, 1)), (None, date(2026, 12, 1)),
                                        ("", date(2026, 12, 1)), ("2026-13", date(2026, 12, 1)),
                                        ("tháng 5", date(2026, 12, 1)), ("99999999999-1", date(2026, 12, 1))])
def test_a_month_in_the_address_or_this_month(raw, month):
    assert month_arg(raw, TODAY) == month
