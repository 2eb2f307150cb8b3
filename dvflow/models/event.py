"""The append-only history of a case."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType
from .user import User

#: the events that hold a meeting: a complaint's dialogue minutes, a grassroots conference held
MEETING_ACTIONS = ("record_minutes", "hold")
MEETING_WHERE = "action IN ('record_minutes', 'hold')"
#: the events whose `result` field records a case's outcome: a complaint decision, a denunciation conclusion
DECISION_ACTIONS = ("issue_decision", "conclude")
DECISION_WHERE = "action IN ('issue_decision', 'conclude')"


class CaseEvent(Base):
    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "id"), UniqueConstraint("case_id", "seq"),
                      Index("ix_case_events_at", "at"),  # the daily signed digests read a day's rows
                      # the periodic report's dialogues held: the few meeting events of a period (0026)
                      Index("ix_case_events_meeting_day", "legal_date",
                            postgresql_where=text(MEETING_WHERE), sqlite_where=text(MEETING_WHERE)),
                      # the periodic report's results: each ended case's last decision, one index entry away (0026)
                      Index("ix_case_events_decisions", "case_id", "id",
                            postgresql_where=text(DECISION_WHERE), sqlite_where=text(DECISION_WHERE)))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: who acted; None for the scheduler or the system
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it was recorded (UTC)
    at: Mapped[datetime]
    #: the date of the legal event (e.g. the decision date), which clocks count from
    legal_date: Mapped[date | None]
    #: the action: an engine trigger (accept, extend, ...) or a system action (register, escalate, recompute, ...)
    action: Mapped[str] = mapped_column(String(40))
    #: state before the action
    from_state: Mapped[str | None] = mapped_column(String(40))
    #: state after the action
    to_state: Mapped[str | None] = mapped_column(String(40))
    #: the action's fields and any details (JSON)
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: the row's place in its case's history: 1, 2, … without gaps (the hash chain's order)
    seq: Mapped[int]
    #: SHA-256 of the previous row's hash and this row (services.audit.chain): an edited row breaks the chain
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
