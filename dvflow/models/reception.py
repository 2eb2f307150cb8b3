"""Citizen reception (tiếp công dân): the officials bound to receive citizens, reception sessions (the schedule and
what happened), each citizen received (a row of the reception book, Sổ tiếp công dân) and citizens' bookings.

Sources: Luật Tiếp công dân 2013 (LTCD) Art 12, 15, 18, 24, 25; Nghị định 154/2026/NĐ-CP Art 4, 10, 23–27 and Mẫu
01/TCD, 03/TCD. The frequency rules themselves are data: workflows/reception/schedule_rules.yaml.
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import crypto
from .base import Base, in_list
from .encrypted import EncryptedText
from .unit import Unit

#: regular reception at the reception office (thường xuyên), a head's periodic day (định kỳ), ad hoc (đột xuất)
SESSION_KINDS = ("regular", "periodic", "ad_hoc")
SESSION_MODES = ("in_person", "online")
#: planned (not yet public), published (on the public schedule), held (closed with its record), cancelled
SESSION_STATUSES = ("planned", "published", "held", "cancelled")
#: what the citizen came about (Mẫu 03/TCD column 6): khiếu nại, tố cáo, kiến nghị, phản ánh
VISIT_CONTENT_TYPES = ("complaint", "denunciation", "petition", "feedback")
#: answered on the spot, guided to the competent body, letter received (a case opened), refused (Mẫu 01/TCD)
VISIT_OUTCOMES = ("answered", "guided", "case_opened", "refused")
BOOKING_STATUSES = ("booked", "cancelled", "received", "no_show")


class ReceptionOfficial(Base):
    """A person the law obliges to receive citizens periodically: a chair, an agency head, a party secretary. The
    position names the frequency rule (schedule_rules.yaml); the account, when there is one, shows them their own
    schedule and compliance."""

    __tablename__ = "reception_officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the unit whose head the official is
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    #: the official's login, when they have one
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: full name, as published on the schedule
    full_name: Mapped[str] = mapped_column(String(255))
    #: title, as published ("Chủ tịch UBND tỉnh")
    title: Mapped[str] = mapped_column(String(255))
    #: a position key of schedule_rules.yaml (province_chair, commune_chair, agency_head, …)
    position: Mapped[str] = mapped_column(String(40))
    #: the first and last day the official holds the position (compliance counts only these days)
    active_from: Mapped[date]
    active_to: Mapped[date | None]
    created_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship()


class ReceptionSession(Base):
    """One reception session: a planned, published, held or cancelled slot of time when a unit receives citizens."""

    __tablename__ = "reception_sessions"
    __table_args__ = (
        CheckConstraint(in_list("kind", SESSION_KINDS), name="kind"),
        CheckConstraint(in_list("mode", SESSION_MODES), name="mode"),
        CheckConstraint(in_list("status", SESSION_STATUSES), name="status"),
        CheckConstraint("booking_capacity >= 0", name="capacity_nonnegative"),
        Index("ix_reception_sessions_unit_day", "unit_id", "day"),
        Index("ix_reception_sessions_official_day", "official_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20), default="in_person")
    #: the official whose periodic or ad hoc day it is; None for regular reception by the reception office
    official_id: Mapped[int | None] = mapped_column(ForeignKey("reception_officials.id", ondelete="RESTRICT"))
    #: the day, local (Asia/Ho_Chi_Minh), and its hours
    day: Mapped[date]
    start_time: Mapped[time] = mapped_column(Time())
    end_time: Mapped[time] = mapped_column(Time())
    #: where citizens come (published)
    place: Mapped[str] = mapped_column(String(500))
    #: the meeting link of an online session (NĐ 154/2026 Art 23–24)
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    #: when it went on the public schedule (LTCD Art 24(4): at least 5 working days ahead)
    published_at: Mapped[datetime | None]
    #: how many citizens may book a slot (0: no booking)
    booking_capacity: Mapped[int] = mapped_column(default=0)
    #: minutes per booked slot
    slot_minutes: Mapped[int] = mapped_column(default=20)
    #: the person who received citizens in the official's place, and why (shown as delegated in compliance)
    delegate_name: Mapped[str | None] = mapped_column(String(255))
    delegation_reason: Mapped[str | None] = mapped_column(Text)
    #: why the session was cancelled
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    #: where the audio and video recording of an online session is kept (required to close it)
    recording_ref: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    #: when and by whom the session was closed as held
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
    official: Mapped[ReceptionOfficial | None] = relationship()


class ReceptionVisit(Base):
    """One citizen (or group with the same content) received: a row of the reception book, in the columns of Mẫu
    03/TCD. Identity is encrypted like a party's; a denunciation's visitor is confidential (Luật Tố cáo, Điều 47)."""

    __tablename__ = "reception_visits"
    __table_args__ = (
        CheckConstraint(in_list("content_type", VISIT_CONTENT_TYPES), name="content_type"),
        CheckConstraint(in_list("outcome", VISIT_OUTCOMES), name="outcome"),
        CheckConstraint("people_count >= 1", name="people_positive"),
        UniqueConstraint("unit_id", "year", "seq"),
        Index("ix_reception_visits_unit_received", "unit_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reception_sessions.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    #: the book's sequence number (STT), per unit and year
    year: Mapped[int]
    seq: Mapped[int]
    #: the day received (the session's day) and the instant recorded
    received_on: Mapped[date]
    created_at: Mapped[datetime]
    #: name, address, identity number, phone of the citizen (encrypted), with the keyed hash of the number
    citizen_name: Mapped[str] = mapped_column(EncryptedText())
    address: Mapped[str | None] = mapped_column(EncryptedText())
    identity_number: Mapped[str | None] = mapped_column(EncryptedText())
    identity_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    #: summary of the content (column 5) and its type (column 6)
    summary: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(20))
    #: number of people with the same content (column 7)
    people_count: Mapped[int] = mapped_column(default=1)
    #: the body that already resolved it, if any (column 8)
    prior_resolver: Mapped[str | None] = mapped_column(String(500))
    #: within the unit's competence (column 9)
    within_competence: Mapped[bool] = mapped_column(default=False, server_default=false())
    outcome: Mapped[str] = mapped_column(String(20))
    #: guided to which body, with which guidance letter (column 10)
    guided_to: Mapped[str | None] = mapped_column(String(500))
    guidance_number: Mapped[str | None] = mapped_column(String(80))
    #: the case the letter received was handed into (column 11: accepting body and letter number)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    #: the refusal ground (a key of the reception rules) and the notice's due day and sending (NĐ 154 Art 4(3))
    refusal_ground: Mapped[str | None] = mapped_column(String(40))
    refusal_notice_due: Mapped[date | None]
    refusal_notice_sent_on: Mapped[date | None]
    #: result tracking (column 12) and notes (column 13)
    result_note: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    #: the booking the citizen came with
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("reception_bookings.id", ondelete="SET NULL"))
    #: a denouncer's visit: identity hidden like a confidential case's
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[ReceptionSession] = relationship()

    @validates("identity_number")
    def _hash_identity(self, _key, value: str | None) -> str | None:
        self.identity_hash = crypto.identity_hash(value)  # as on Party: the number is looked up by its keyed hash
        return value


class ReceptionBooking(Base):
    """A citizen's booking of a slot in a published session (public, no login)."""

    __tablename__ = "reception_bookings"
    __table_args__ = (
        CheckConstraint(in_list("status", BOOKING_STATUSES), name="status"),
        # one citizen per slot: two bookings at once never get the same time (a cancelled one frees its slot)
        Index("uq_reception_bookings_slot", "session_id", "slot_time", unique=True,
              postgresql_where=text("status <> 'cancelled'"), sqlite_where=text("status <> 'cancelled'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reception_sessions.id", ondelete="CASCADE"), index=True)
    #: the code the citizen is given to show or cancel the booking
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(EncryptedText())
    phone: Mapped[str] = mapped_column(EncryptedText())
    email: Mapped[str | None] = mapped_column(EncryptedText())
    #: a short content (what the citizen comes about)
    content: Mapped[str] = mapped_column(Text)
    #: the slot's start time on the session's day
    slot_time: Mapped[time] = mapped_column(Time())
    status: Mapped[str] = mapped_column(String(20), default="booked")
    created_at: Mapped[datetime]
    #: when the reminder e-mail was queued (never twice)
    reminded_at: Mapped[datetime | None]


#: where a follow-up task comes from
COMMITMENT_SOURCES = ("reception_conclusion", "dialogue", "conference")


class Commitment(Base):
    """A follow-up task or promise (nhiệm vụ theo kết luận, cam kết khi đối thoại), tracked to the end as a case of
    the `follow_up` workflow (`case_id`): its clock escalates up the unit tree like any other."""

    __tablename__ = "commitments"
    __table_args__ = (CheckConstraint(in_list("source", COMMITMENT_SOURCES), name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the follow-up case that carries the task's clock, assignment and history
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    source: Mapped[str] = mapped_column(String(30))
    #: the reception session whose conclusion notice assigned it (and the visit it answers, if one)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("reception_sessions.id", ondelete="SET NULL"),
                                                   index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("reception_visits.id", ondelete="SET NULL"))
    #: the complaint or dialogue-conference case in which it was promised
    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    #: who promised or ordered it ("Chủ tịch UBND xã", "Đại diện Sở TN&MT")
    promised_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
