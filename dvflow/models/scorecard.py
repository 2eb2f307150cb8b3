"""The yearly scorecard's own records: the "Dân vận khéo" models a unit registers, the manual criteria a unit
fills and a supervisor verifies, and the evidence files of both (kept in the database: they are few and small)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list

ENTRY_STATUSES = ("submitted", "verified", "rejected")
#: what happened to an entry: a value submitted (again), verified or rejected
ENTRY_ACTIONS = ENTRY_STATUSES


class DanVanKheoModel(Base):
    """A "Dân vận khéo" model (mô hình "Dân vận khéo") a unit registered for a year."""
    __tablename__ = "dan_van_kheo_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    #: the year it is registered for (a model running several years is registered each year)
    year: Mapped[int]
    name: Mapped[str] = mapped_column(String(255))
    #: the field it works in (lĩnh vực: cải cách hành chính, xây dựng nông thôn mới, ...)
    field: Mapped[str] = mapped_column(String(255))
    started_on: Mapped[date]
    #: the results so far, in the unit's words
    results: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]

    unit: Mapped["Unit"] = relationship()  # noqa: F821 - resolved by the registry
    files: Mapped[list["EvidenceFile"]] = relationship(back_populates="model", order_by="EvidenceFile.id")


class ScorecardEntry(Base):
    """The value a unit filled for one manual criterion of a year, and the supervisor's verification of it."""
    __tablename__ = "scorecard_entries"
    __table_args__ = (UniqueConstraint("unit_id", "year", "criterion", name="unit_year_criterion"),
                      CheckConstraint(in_list("status", ENTRY_STATUSES), name="status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int]
    #: the criterion's key in workflows/reports/scorecard.yaml
    criterion: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    #: what the unit says the value rests on
    note: Mapped[str] = mapped_column(Text, default="")
    #: submitted (waiting), verified (counts in the score) or rejected (does not count; see review_note)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")

    files: Mapped[list["EvidenceFile"]] = relationship(back_populates="entry", order_by="EvidenceFile.id")
    #: every submission and review, oldest first: a new submission replaces the value above, never this trail
    events: Mapped[list["ScorecardEntryEvent"]] = relationship(back_populates="entry",
                                                              order_by="ScorecardEntryEvent.id")


class ScorecardEntryEvent(Base):
    """One step of a manual criterion's value: submitted (with the value, the note and how many evidence files came
    with it), verified or rejected (with the supervisor's note). Appended only: the score a unit gets rests on
    values anyone can trace back to who gave and who checked them."""
    __tablename__ = "scorecard_entry_events"
    __table_args__ = (CheckConstraint(in_list("action", ENTRY_ACTIONS), name="action"),
                      CheckConstraint("files >= 0", name="files_nonnegative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a trail outlives nothing it describes, and no entry is ever deleted
    entry_id: Mapped[int] = mapped_column(ForeignKey("scorecard_entries.id", ondelete="RESTRICT"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the value submitted (None for a review)
    value: Mapped[float | None] = mapped_column(Float)
    #: the unit's note with a submission, the supervisor's with a review
    note: Mapped[str] = mapped_column(Text, default="")
    #: evidence files added with a submission
    files: Mapped[int] = mapped_column(default=0)

    entry: Mapped[ScorecardEntry] = relationship(back_populates="events")
    actor: Mapped["User | None"] = relationship()  # noqa: F821 - resolved by the registry


class EvidenceFile(Base):
    """An evidence file of a manual criterion's value or of a "Dân vận khéo" model (exactly one of the two)."""
    __tablename__ = "scorecard_evidence"
    __table_args__ = (CheckConstraint("(entry_id IS NULL) <> (model_id IS NULL)", name="one_owner"),
                      CheckConstraint("size >= 0", name="size_nonnegative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("scorecard_entries.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("dan_van_kheo_models.id", ondelete="CASCADE"),
                                                 index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # deferred: the board and a unit's card list the files of many entries, never their bytes (up to 10 MB each)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime]

    entry: Mapped["ScorecardEntry | None"] = relationship(back_populates="files")
    model: Mapped["DanVanKheoModel | None"] = relationship(back_populates="files")
