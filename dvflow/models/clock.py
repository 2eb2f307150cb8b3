"""Clocks: the running statutory time limits of a case, and the record of each escalation step."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, in_list

CLOCK_STATES = ("running", "paused", "met", "missed", "cancelled")
COUNT_UNITS = ("working_days", "calendar_days")


class Clock(Base):
    __tablename__ = "clocks"
    __table_args__ = (
        CheckConstraint(in_list("state", CLOCK_STATES), name="state"),
        CheckConstraint(in_list("unit", COUNT_UNITS), name="unit"),
        CheckConstraint("days >= 0", name="days_nonnegative"),
        # a stopped clock has both the instant it was entered and the legal date it stopped on; an open one neither
        CheckConstraint("(closed_at IS NULL) = (closed_on IS NULL)", name="closed_on_with_closed_at"),
        # the sweep's index: open, unpaused clocks by their next escalation time (closed and paused clocks
        # have next_escalation_at NULL, so they are not in it)
        Index(
            "ix_clocks_next_escalation_open",
            "next_escalation_at",
            postgresql_where=text("next_escalation_at IS NOT NULL"),
            sqlite_where=text("next_escalation_at IS NOT NULL"),
        ),
        Index("ix_clocks_case", "case_id"),
        # open clocks only (a closed clock is history): by case for a list's next due date, and by due date for the
        # due queue and the home page's overdue count
        Index("ix_clocks_open_case_due", "case_id", "due_date",
              postgresql_where=text("closed_at IS NULL"), sqlite_where=text("closed_at IS NULL")),
        Index("ix_clocks_open_due", "due_date", "case_id",
              postgresql_where=text("closed_at IS NULL"), sqlite_where=text("closed_at IS NULL")),
        # the same by the instant (the overdue lists and the dashboard compare due_at with now)
        Index("ix_clocks_open_due_at", "due_at", "case_id",
              postgresql_where=text("closed_at IS NULL"), sqlite_where=text("closed_at IS NULL")),
        # reports (0041, replacing 0026's by closed_at): the clocks stopped in a period by their legal date (on-time
        # rates of the dashboard and the scorecard, the case list's `thoi_han`), with what those counts read, so the
        # index alone answers them; partial, so that no planner takes it for the open clocks (SQLite took 0026's for
        # the sweep's `closed_at IS NULL`)
        Index("ix_clocks_closed_on", "closed_on", "case_id", "state", postgresql_where=text("closed_on IS NOT NULL"),
              sqlite_where=text("closed_on IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: the clock's name in the workflow (accept, resolve, ...)
    name: Mapped[str] = mapped_column(String(40))
    #: Vietnamese label of the clock
    label: Mapped[str] = mapped_column(String(255), default="")
    #: legal basis of the rule chosen when the clock started
    basis: Mapped[str] = mapped_column(String(500), default="")
    #: rule description (variant, days), Vietnamese
    rule_label: Mapped[str] = mapped_column(String(255), default="")
    #: variant of the rule: normal, complex, remote, remote_complex, especially_complex
    variant: Mapped[str] = mapped_column(String(30), default="normal")
    #: working_days or calendar_days
    unit: Mapped[str] = mapped_column(String(20))
    #: length of the limit in its unit, before extensions
    days: Mapped[int]
    #: the legal start date (not counted, Civil Code Art 147)
    start_date: Mapped[date]
    #: when the clock row was started (UTC)
    started_at: Mapped[datetime]
    #: last day of the limit (None while paused)
    due_date: Mapped[date | None]
    #: the instant the limit ends: end of due_date, local time, in UTC
    due_at: Mapped[datetime | None]
    #: running, paused, missed (past due, still open until closed_at), met (stopped in time) or cancelled
    state: Mapped[str] = mapped_column(String(20), default="running")
    #: paused intervals: [{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD" | null}]
    pauses: Mapped[list] = mapped_column(JSONType, default=list)
    #: extensions: [{"days": n, "decided_on": "YYYY-MM-DD", "number": "...", "reason": "..."}]
    extensions: Mapped[list] = mapped_column(JSONType, default=list)
    #: when the next escalation step of the ladder is due (UTC); None when none is left, paused or closed
    next_escalation_at: Mapped[datetime | None]
    #: key of that next step
    next_step_key: Mapped[str | None] = mapped_column(String(40))
    #: when the act that stopped the clock was entered (UTC); None while it is open
    closed_at: Mapped[datetime | None]
    #: the legal date the clock stopped on: the date of the act that stopped it (a decision dated 28/12 and entered
    #: on 03/01 stopped it on 28/12), which the reports count it by; None while it is open
    closed_on: Mapped[date | None]
    #: optimistic-locking counter: the sweep updates only the version it read
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class EscalationRecord(Base):
    """One row per clock and ladder step: the unique key makes each step fire exactly once. A step fired against a
    due date that a timely decision later moved past today (an extension, a suspension) is given back: its row is
    kept under the key ``<step>@<row id>``, so the step fires once more at its new time
    (``services/deadlines/clocks.after_move``)."""

    __tablename__ = "escalation_records"
    __table_args__ = (UniqueConstraint("clock_id", "step_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the clock
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id", ondelete="CASCADE"))
    #: the ladder step's key (``<step>@<id>`` once given back for a moved due date)
    step_key: Mapped[str] = mapped_column(String(40))
    #: when the step was due (UTC)
    due_at: Mapped[datetime]
    #: when the sweep fired it (UTC)
    fired_at: Mapped[datetime]
    #: what was done: notified recipients, actions applied
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
