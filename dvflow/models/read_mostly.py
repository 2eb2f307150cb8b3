"""One row whose token changes whenever data the processes cache changes (dvflow.read_mostly).

Database triggers (migration 0027) set a new random token on every insert, update or delete of the units, the
memberships, the users' e-mail and active flag, the calendar overrides and the stored workflow versions, in the
writing transaction: whoever writes those tables, through the services, a script or plain SQL, moves the token,
and a process that reads a token it has not cached under reloads.
"""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ReadMostlyVersion(Base):
    __tablename__ = "read_mostly_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random (never a counter: a rolled-back change's token must never come back as a committed one)
    token: Mapped[str] = mapped_column(String(32))
