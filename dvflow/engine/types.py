"""Value types shared by the engine, the deadline arithmetic and the services that apply outcomes.

All of them are frozen dataclasses: the engine never holds state per case.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Mapping

from .message import Msg

CountUnit = Literal["working_days", "calendar_days"]
CaseStatus = Literal["open", "suspended", "closed"]
#: "overdue": an open clock past its end (the scheduler marked it missed while it still counts): the workflow stops or
#: cancels it like a running one; a decision dated on or before its last day (``ClockView.due_on``) may still extend
#: or pause it, since a decision is judged by its own date, not by the day it is entered
ClockState = Literal["running", "paused", "overdue", "met", "missed", "cancelled"]


#: The flags a workflow's ``set_flags`` may add to a case. Each is a boolean column of the same name on the case
#: (a test checks it), so the services apply an outcome's flags by name; a workflow naming another fails to load.
CASE_FLAGS: frozenset[str] = frozenset({"complex", "especially_complex", "mass", "confidential", "priority",
                                        "remote_area"})


@dataclass(frozen=True)
class ClockRule:
    """The duration a clock runs for, as chosen for one case on the clock's start date."""

    days: int
    unit: CountUnit
    basis: str  # legal basis, e.g. "Luật Khiếu nại 2011, Điều 28"
    label: str = ""  # human description of the rule and variant, Vietnamese
    variant: str = "normal"  # normal / complex / remote / remote_complex / especially_complex


@dataclass(frozen=True)
class Pause:
    """A suspension of a clock: from the suspension decision date to the continuation decision date."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Extension:
    """An extension granted by a head's decision."""

    days: int
    decided_on: date
    number: str = ""
    reason: str = ""
    #: the variant whose length this extension brings the clock to: a finding after the clock started (complexity,
    #: a remote area) is added as an extension rather than a change of variant
    variant: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts: the roles they hold in the case's unit (heads of a parent unit count as head)."""

    user_id: int | None
    roles: frozenset[str]
    is_head: bool = False
    name: str = ""


@dataclass(frozen=True)
class ClockView:
    """What the engine needs to know of one of the case's clocks."""

    name: str
    state: ClockState
    started_on: date
    extensions: int = 0
    #: the last day of the limit as it stands (None while paused, or not known): a decision dated after it comes too
    #: late to extend or pause the clock, one dated on or before it does not, whenever it is entered
    due_on: date | None = None


@dataclass(frozen=True)
class CaseView:
    """A read-only snapshot of a case, built by the services for each call into the engine."""

    kind: str
    state: str
    status: CaseStatus
    received_on: date
    flags: frozenset[str] = frozenset()  # complex, especially_complex, mass, confidential, remote_area (the case's)
    remote_area: bool = False  # the unit's flag; the case's own is "remote_area" in flags (either gives the variant)
    last_event_on: date | None = None
    clocks: Mapping[str, ClockView] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)  # extra data guards may read
    #: how the case came in (walk_in, letter, online, forwarded, phone): a denouncer who came in person is guided,
    #: not forwarded (Luật Tố cáo 2018, Điều 24 khoản 2)
    channel: str = ""


@dataclass(frozen=True)
class ClockOp:
    """One change to a clock that an outcome asks the services to apply."""

    op: Literal["start", "stop", "pause", "resume", "extend", "cancel"]
    clock: str
    on: date  # the legal date the change takes effect
    rule: ClockRule | None = None  # for "start"
    extension: Extension | None = None  # for "extend"
    result: ClockState | None = None  # for "stop": met / cancelled


@dataclass(frozen=True)
class NotificationIntent:
    """Whom to tell about an outcome (role names resolved by the services) and with which template."""

    recipients: tuple[str, ...]  # assignee, unit_head, parent_head, supervisors, reception
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    action: str
    from_state: str | None  # None for the registration of a new case
    to_state: str
    status: CaseStatus
    legal_date: date
    payload: Mapping[str, Any]
    clock_ops: tuple[ClockOp, ...] = ()
    notifications: tuple[NotificationIntent, ...] = ()
    set_flags: frozenset[str] = frozenset()
    basis: str = ""
    label: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # the case's facts after the action: stored as given

    ok = True


@dataclass(frozen=True)
class Rejection:
    code: Literal["unknown_action", "wrong_state", "role", "head_only", "field", "date", "guard", "limit"]
    #: the reason, shown to the user: a template and its values, so a page can translate it (`str()` of it, or
    #: ``text``, is the Vietnamese)
    message: Msg
    field: str | None = None

    ok = False

    @property
    def text(self) -> str:
        """The reason in Vietnamese (the API, the logs, the command line)."""
        return str(self.message)


@dataclass(frozen=True)
class LadderStep:
    """One escalation step of a clock's ladder, placed relative to the due date."""

    key: str  # unique within the clock, e.g. "before_3", "due", "after_2"
    offset: int  # negative = before the due date, 0 = at it, positive = after it
    unit: CountUnit
    notify: tuple[str, ...]
    actions: tuple[str, ...] = ()  # raise_level, reassign_parent, mark_priority, mark_missed
    label: str = ""


def require_aware(dt: datetime) -> datetime:
    """The instant itself, once checked to be timezone-aware (a naive one is a ValueError): every instant in dvflow
    is aware; it is not converted to UTC."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: dvflow works with aware datetimes only")
    return dt
