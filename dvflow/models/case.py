"""Cases: one complaint, denunciation, petition, letter or dialogue, run by its workflow."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType, in_list
from .indexes import trigram_index
from .party import CaseParty
from .unit import Unit
from .user import User

CASE_STATUSES = ("open", "suspended", "closed")
#: the year a dialogue conference counts in, from its facts: the expression services.dialogues.compliance writes,
#: as Alembic reads it back from PostgreSQL (migration 0029 indexes it; the models-vs-migrations check compares text)
CONFERENCE_YEAR = ("substr(COALESCE((facts ->> 'held_on'::text)::character varying, "
                   "(facts ->> 'planned_on'::text)::character varying)::text, 1, 4)")
#: how a citizen's matter arrived (the intake form and corrections offer these)
INTAKE_CHANNELS = ("walk_in", "letter", "online", "forwarded", "phone")
#: assigned: a follow-up task the services open from a conclusion notice or a dialogue's minutes
CHANNELS = (*INTAKE_CHANNELS, "assigned")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(in_list("status", CASE_STATUSES), name="status"),
        CheckConstraint(in_list("channel", CHANNELS), name="channel"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("people_count >= 0", name="people_count_not_negative"),
        # a closed case has the legal date it ended on, an open one neither (0043)
        CheckConstraint("(closed_at IS NULL) = (closed_on IS NULL)", name="closed_on_with_closed_at"),
        Index("ix_cases_unit_status", "unit_id", "status", postgresql_include=["voided_at"]),
        # the lists sort by (received_at DESC, id DESC): one index per filter the roles use, each ending in that
        # order, so a page (keyset or first) reads its 25 rows from the index instead of sorting the table; with
        # voided_at alongside (PostgreSQL), a capped count of a list (never voided cases) reads the index alone
        Index("ix_cases_received", "received_at", "id", postgresql_include=["voided_at"]),
        Index("ix_cases_unit_received", "unit_id", "received_at", "id", postgresql_include=["voided_at"]),
        Index("ix_cases_assignee_received", "assignee_id", "received_at", "id", postgresql_include=["voided_at"]),
        Index("ix_cases_status_received", "status", "received_at", "id", postgresql_include=["voided_at"]),
        # a case's unit, status, kind and voiding by its id, from the index alone (0028, one index for both uses):
        # the lists that start from other tables (overdue and due clocks, search matches) check each case's
        # visibility, and the reports join clocks, events and ratings to their cases by the tens of thousands
        Index("ix_cases_id_cover", "id", "unit_id", "status", "kind", "voided_at"),
        # the approval queue: (kind, state) pairs its workflows declare awaiting approval
        Index("ix_cases_kind_state", "kind", "state"),
        # reports (0026): cases ended in a period (charts, periodic reports, scorecard), by the legal date they ended
        # on (0043: the index by closed_at became one by closed_on), and the open cases by unit, kind and state (the
        # dashboard's open figures, intake's duplicate check) without reading closed ones
        Index("ix_cases_closed_on", "closed_on", "unit_id", "kind", "voided_at"),
        # the cases received in a period with what the chart counts: its received bars read only the index (0026)
        Index("ix_cases_received_cover", "received_at", "unit_id", "kind", "voided_at"),
        Index("ix_cases_open_unit_kind_state", "unit_id", "kind", "state",
              postgresql_where=text("status <> 'closed' AND voided_at IS NULL"),
              sqlite_where=text("status <> 'closed' AND voided_at IS NULL")),
        # the scorecard (0029): the year's mass cases without reading the table, and a year's conferences by the
        # year their facts give (the expression is the one services.dialogues.compliance.per_commune writes)
        Index("ix_cases_mass_received", "received_at", "unit_id", "kind", "voided_at",
              postgresql_where=text("mass IS true"), sqlite_where=text("mass IS 1")),
        Index("ix_cases_conference_year", text(CONFERENCE_YEAR), "unit_id",
              postgresql_where=text("kind = 'dialogue'")).ddl_if(dialect="postgresql"),
        trigram_index("ix_cases_subject_search_trgm", "subject_search"),
        trigram_index("ix_cases_tracking_code_trgm", "tracking_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: human-friendly unique code printed on the receipt, e.g. KN-2026-000123 (prefix by kind)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    #: salted hash of the short secret printed on the receipt (with the code it opens the public tracking page);
    #: the secret itself is never stored (services.cases.tracking)
    tracking_secret_hash: Mapped[str] = mapped_column(String(128))
    #: case kind = workflow id (complaint_first, denunciation, petition, ...)
    kind: Mapped[str] = mapped_column(String(40))
    #: id of the workflow definition the case runs on
    workflow_id: Mapped[str] = mapped_column(String(40))
    #: content hash of the exact workflow version the case is pinned to
    workflow_version: Mapped[str] = mapped_column(ForeignKey("workflow_versions.hash", ondelete="RESTRICT"))
    #: current state in the workflow
    state: Mapped[str] = mapped_column(String(40))
    #: open, suspended or closed (derived from the state by the workflow)
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: the unit responsible for the case
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: the officer handling the case
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: complex case (vụ việc phức tạp), determined in writing
    complex: Mapped[bool] = mapped_column(default=False)
    #: especially complex case (đặc biệt phức tạp), denunciations only
    especially_complex: Mapped[bool] = mapped_column(default=False)
    #: the complainant lives in a remote or hard-to-reach area (vùng sâu, vùng xa đi lại khó khăn): the longer
    #: variants of Luật Khiếu nại 2011, Điều 28, 33, 37 and 44 apply, as for a case of a unit marked remote (a
    #: provincial department resolving a second complaint from a remote commune)
    remote_area: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: five or more people with the same content (vụ việc đông người)
    mass: Mapped[bool] = mapped_column(default=False)
    #: the number of people with the same content (a mass case has five or more), as recorded at intake; null for
    #: cases recorded before it was asked (their people are the complainant/denouncer/petitioner parties)
    people_count: Mapped[int | None]
    #: number or reference of the written appointment of the representatives of a mass case (văn bản cử người
    #: đại diện, Luật Tiếp công dân 2013, Điều 29)
    appointment_reference: Mapped[str | None] = mapped_column(String(100))
    #: date of that written appointment
    appointment_date: Mapped[date | None]
    #: confidential: parties' identities shown only to those who need to know (always for denunciations)
    confidential: Mapped[bool] = mapped_column(default=False)
    #: how the case arrived: walk_in, letter, online, forwarded, phone
    channel: Mapped[str] = mapped_column(String(20))
    #: the legal receipt date and time (UTC); the first clocks count from its local date
    received_at: Mapped[datetime]
    #: short subject
    subject: Mapped[str] = mapped_column(String(500))
    #: lower-case subject without diacritics, for search and duplicate suggestions
    subject_search: Mapped[str] = mapped_column(String(500), default="")
    #: full content of the letter or of the citizen's statement
    content: Mapped[str] = mapped_column(Text, default="")
    #: related case, e.g. a second-instance complaint points to its first
    related_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    #: the case this one duplicates (đơn trùng)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    #: the letter (triage case) this case was handed off from: its clocks count from that letter's receipt
    source_letter_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), unique=True)
    #: the case a letter (triage case) was handed off into
    handed_off_to_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), unique=True)
    #: escalation level raised by the scheduler's ladder (0 = not escalated)
    escalation_level: Mapped[int] = mapped_column(default=0)
    #: marked priority by an escalation step or a head
    priority: Mapped[bool] = mapped_column(default=False)
    #: extra facts the workflow's guards read (e.g. forward_count, approved)
    facts: Mapped[dict] = mapped_column(JSONType, default=dict)
    #: optimistic-locking counter, incremented on every change
    version: Mapped[int] = mapped_column(default=1)
    #: when the row was created (UTC)
    created_at: Mapped[datetime]
    #: when the case reached a closed state (UTC): the instant the closing act was entered
    closed_at: Mapped[datetime | None]
    #: the legal date the case ended on: the date of the act that closed it (a reply dated 28/12 and entered on
    #: 03/01 ended the case on 28/12), set with closed_at (a CHECK keeps the two together); the reports count a
    #: case's end in the period of this date, never by closed_at
    closed_on: Mapped[date | None]
    #: the latest legal date in the case's history (no action may be dated before it); kept with each event so a
    #: transition need not scan case_events
    last_legal_date: Mapped[date | None]
    #: when a head voided the case (mistaken or duplicate); a voided case is kept, never deleted, and takes no action
    voided_at: Mapped[datetime | None]
    #: the head who voided it
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: why it was voided
    void_reason: Mapped[str | None] = mapped_column(String(1000))

    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    parties: Mapped[list[CaseParty]] = relationship(cascade="all, delete-orphan", order_by=CaseParty.id)
    # the links between cases, for the case page (read-only: the services set the id columns)
    related_case: Mapped["Case | None"] = relationship(foreign_keys=[related_case_id], remote_side=[id], viewonly=True)
    duplicate_of: Mapped["Case | None"] = relationship(foreign_keys=[duplicate_of_id], remote_side=[id], viewonly=True)
    source_letter: Mapped["Case | None"] = relationship(foreign_keys=[source_letter_id], remote_side=[id],
                                                        viewonly=True)
    handed_off_to: Mapped["Case | None"] = relationship(foreign_keys=[handed_off_to_id], remote_side=[id],
                                                        viewonly=True)
    #: the letters attached to this case as its duplicates
    duplicates: Mapped[list["Case"]] = relationship(foreign_keys=[duplicate_of_id], viewonly=True,
                                                    order_by="Case.id")

    __mapper_args__ = {"version_id_col": version}

    #: the plain secret, in memory only, on the object whose secret was just issued (intake or reissue): the receipt
    #: shown right then prints it; None on a case loaded later (not a column: nothing stores it)
    tracking_secret = None

    @property
    def flags(self) -> frozenset[str]:
        names = ("complex", "especially_complex", "mass", "confidential", "remote_area")
        return frozenset(n for n in names if getattr(self, n))

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class TrackingCounter(Base):
    """The last number handed out per tracking-code prefix and year (row-locked when incremented)."""

    __tablename__ = "tracking_counters"
    __table_args__ = (UniqueConstraint("prefix", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the code prefix of a case kind, e.g. KN
    prefix: Mapped[str] = mapped_column(String(8))
    #: the year of receipt
    year: Mapped[int]
    #: the last number used
    last: Mapped[int] = mapped_column(default=0)
