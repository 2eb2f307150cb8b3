"""The reception-schedule panels other pages show: a head's own schedule and compliance on the home page, and the
compliance of the officials of the user's units on the dashboard."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ...i18n import loc
from ...models import User
from ...services.deadlines.calendar import load_calendar
from ...services.reception import compliance, officials
from .schedule_forms import rules


def positions() -> dict[str, str]:
    return {key: loc(p) for key, p in rules().positions.items()}


def home_panel(s: Session, user: User, today: date) -> dict | None:
    """For a user linked to an official in office: this month's and this quarter's compliance, and their periodic
    sessions still to come this quarter; None for everyone else."""
    mine = [o for o in officials.officials_of_user(s, user)
            if o.active_from <= today and (o.active_to is None or o.active_to >= today)]
    if not mine:
        return None
    cal = load_calendar(s)
    month, quarter = compliance.period_bounds("month", today), compliance.period_bounds("quarter", today)
    items = []
    for official in mine:
        this_month = compliance.official_compliance(s, rules(), cal, official, *month, today)
        this_quarter = compliance.official_compliance(s, rules(), cal, official, *quarter, today)
        items.append({"official": official, "month": this_month, "quarter": this_quarter,
                      "upcoming": this_quarter.upcoming})
    return {"items": items, "positions": positions()}


def dashboard_panel(s: Session, user: User, start: date, end: date, today: date) -> dict:
    """Every official of the units the user sees, over the dashboard's period."""
    items = compliance.unit_compliance(s, user, rules(), load_calendar(s), start, end, today)
    return {"items": items, "positions": positions()}
