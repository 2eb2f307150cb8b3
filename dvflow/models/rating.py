"""Citizen satisfaction (SIPAS): one rating per closed case, given on the public tracking page."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
                      Index("ix_ratings_created", "created_at"))  # reports: the ratings given in a period (0026)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the rated case; unique: a case is rated once
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    #: satisfaction from 1 (very unsatisfied) to 5 (very satisfied)
    score: Mapped[int]
    #: the citizen's comment
    comment: Mapped[str] = mapped_column(Text, default="")
    #: when the rating was given (UTC)
    created_at: Mapped[datetime]
