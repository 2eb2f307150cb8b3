"""The moves of a case from one unit to another that the reports must date: a unit merger's (services/cases/
unit_merger.py). A fact about a case dated D counts under the unit the case was in on D (services/cases/
unit_on.py), and `cases.unit_id` holds only the unit it is in now: these rows say where it was before.

An escalation's move to the unit above is not recorded here (services/cases/unit_on.py says why).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, object_session

from .base import Base
from .case import Case

#: the moves recorded: a unit merger's (an escalation's are not: see above)
MOVE_REASONS = ("merger",)
#: session.info key of what services/cases/unit_on.py read of the moves in the session's transaction
PAIRS_MEMO = "dvflow.unit_on.pairs"


class CaseUnitMove(Base):
    __tablename__ = "case_unit_moves"
    __table_args__ = (
        CheckConstraint("reason IN ('merger')", name="reason"),
        CheckConstraint("from_unit_id <> to_unit_id", name="two_units"),
        # the reports: a case's first move after a day, one index probe (two mergers on one day: ordered by id)
        Index("ix_case_unit_moves_case", "case_id", "moved_at", "id"),
        # the reports: which units hold a case moved out of the units they count (a handful of rows per merger)
        Index("ix_case_unit_moves_from", "from_unit_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case moved (its moves go with it)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: the unit the case was in until `moved_at`
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: the unit the case was in from `moved_at`
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: the first instant (UTC) the case belonged to `to_unit_id`: a merger's, the start of the successor's first day
    #: (local time), whenever the dissolution was entered
    moved_at: Mapped[datetime]
    #: the local day of `moved_at` (the successor's first day), for the facts dated by a day (a meeting's legal date)
    moved_on: Mapped[date]
    #: why it moved: "merger"
    reason: Mapped[str] = mapped_column(String(20), default="merger")


@event.listens_for(Case.unit_id, "set")
def _unit_changed(case: Case, value, old, initiator) -> None:
    """A case changing unit (a merger, an escalation, a reassignment) makes stale what its session read of where the
    moved cases are now (unit_on.moved_pairs)."""
    session = object_session(case)
    if session is not None:
        session.info.pop(PAIRS_MEMO, None)
