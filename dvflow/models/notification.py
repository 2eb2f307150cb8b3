"""Notifications: the in-app inbox and the outbox of e-mails, written in the same transaction as their cause."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, in_list

NOTIFICATION_CHANNELS = ("inbox", "email")
DELIVERY_STATES = ("pending", "sent", "failed", "skipped")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(in_list("channel", NOTIFICATION_CHANNELS), name="channel"),
        CheckConstraint(in_list("delivery", DELIVERY_STATES), name="delivery"),
        # a user (inbox and e-mail), or a citizen (e-mail only): a party of the case, or one who booked a reception slot
        CheckConstraint("user_id IS NOT NULL OR ((party_id IS NOT NULL OR booking_id IS NOT NULL) "
                        "AND channel = 'email')", name="recipient"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        # the inbox: a user's items newest first, read from the index at any depth
        Index("ix_notifications_user_inbox", "user_id", "channel", "created_at", "id"),
        Index(
            "ix_notifications_pending",
            "next_attempt_at",
            postgresql_where=text("delivery = 'pending'"),
            sqlite_where=text("delivery = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the recipient, an officer; None for an e-mail to a citizen
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the citizen recipient (a party of the case): the address is read from the party when the e-mail is sent,
    #: so no copy of it is kept here
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    #: the citizen's booking of a reception slot (confirmation, reminder): the address is read from the booking
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("reception_bookings.id", ondelete="CASCADE"),
                                                   index=True)
    #: an issued document the e-mail carries as an attachment (the citizen receives the document itself)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    #: the case it is about, if any
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: inbox (shown in the app) or email (sent by the dispatcher)
    channel: Mapped[str] = mapped_column(String(10))
    #: template key, e.g. clock_due_soon
    template: Mapped[str] = mapped_column(String(60))
    #: rendered subject, Vietnamese
    subject: Mapped[str] = mapped_column(String(500))
    #: rendered body, Vietnamese
    body: Mapped[str] = mapped_column(Text, default="")
    #: when it was queued (UTC)
    created_at: Mapped[datetime]
    #: when the user read it (inbox)
    read_at: Mapped[datetime | None]
    #: pending, sent, failed (gave up) or skipped (inbox items need no delivery)
    delivery: Mapped[str] = mapped_column(String(10), default="pending")
    #: delivery attempts so far
    attempts: Mapped[int] = mapped_column(default=0)
    #: earliest time of the next delivery attempt (back-off)
    next_attempt_at: Mapped[datetime | None]
    #: last delivery error
    last_error: Mapped[str | None] = mapped_column(Text)
    #: when it was delivered
    sent_at: Mapped[datetime | None]
