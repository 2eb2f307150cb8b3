"""Information clocks: the complainant's windows ("may complain again until ...") shown to the handler.

They are not time limits of the body handling the case, so they are never stored as running clocks: nothing marks
them missed, escalates them or counts them as overdue. Each is computed when the case is shown, from the last time
its start action was taken (its legal date, the case's receipt date or a date field of that action), with the
clock's rule in force on that day and the case's variant (a remote area may lengthen a window: LKN Art 33, 44).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Sequence

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.workflow.definition import ClockDef, Definition


@dataclass(frozen=True)
class StartEvent:
    """One action taken on the case, as the history holds it."""

    action: str
    legal_date: date | None
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class InformationWindow:
    """A complainant's window: from ``start`` (not counted), ``days`` in ``unit``, ending on ``until``."""

    clock: str
    label: str
    label_en: str
    meaning: str
    meaning_en: str
    start: date
    until: date
    days: int
    unit: str
    basis: str
    review: str = ""


def _start_day(clock: ClockDef, event: StartEvent, received_on: date) -> date | None:
    if clock.start_date == "received_at":
        return received_on
    if clock.start_date == "field":
        value = event.payload.get(clock.start_field or "")
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    return event.legal_date


def information_windows(defn: Definition, events: Sequence[StartEvent], *, received_on: date,
                        facts: Mapping[str, Any], flags: frozenset[str], remote_area: bool,
                        calendar: WorkCalendar) -> list[InformationWindow]:
    """The information clocks of ``defn`` whose start action is in ``events`` (the latest one counts) and whose
    start condition the case's current ``facts`` meet, in the order the workflow declares them."""
    out = []
    for name, clock in defn.clocks.items():
        if not clock.information or not clock.starts_with(facts):
            continue
        event = next((e for e in reversed(events) if e.action == clock.start_on_trigger), None)
        start = _start_day(clock, event, received_on) if event is not None else None
        if start is None:
            continue
        rule = clock.choose_rule(start, flags, remote_area)
        due = compute_due(rule, start, calendar)
        out.append(InformationWindow(
            clock=name, label=clock.label, label_en=clock.label_en, meaning=clock.meaning,
            meaning_en=clock.meaning_en, start=start, until=due.due_date or start, days=rule.days, unit=rule.unit,
            basis=rule.basis, review=clock.review))
    return out
