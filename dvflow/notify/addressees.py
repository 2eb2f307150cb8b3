"""Whom a batch of outbox rows is written to, and what it attaches: loaded for the whole batch in a few statements."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Document, Notification, Party, ReceptionBooking, User

Addressee = User | Party | ReceptionBooking
_Row = TypeVar("_Row", User, Party, ReceptionBooking, Document)


@dataclass(frozen=True)
class Addressees:
    """The officers, citizens (parties), reception bookings and documents the rows of one batch name, by id."""

    users: dict[int, User]
    parties: dict[int, Party]
    bookings: dict[int, ReceptionBooking]
    documents: dict[int, Document]

    @classmethod
    def load(cls, session: Session, rows: list[Notification]) -> "Addressees":
        return cls(users=_by_id(session, User, {row.user_id for row in rows}),
                   parties=_by_id(session, Party, {row.party_id for row in rows}),
                   bookings=_by_id(session, ReceptionBooking, {row.booking_id for row in rows}),
                   documents=_by_id(session, Document, {row.document_id for row in rows}))

    def of(self, row: Notification) -> Addressee | None:
        """The row's addressee: the officer, else the party, else the booking it names (None when it is gone)."""
        if row.user_id is not None:
            return self.users.get(row.user_id)
        if row.party_id is not None:
            return self.parties.get(row.party_id)
        return self.bookings.get(row.booking_id) if row.booking_id is not None else None

    def document(self, row: Notification) -> Document | None:
        return self.documents.get(row.document_id) if row.document_id is not None else None


def _by_id(session: Session, model: type[_Row], ids: set[int | None]) -> dict[int, _Row]:
    ids.discard(None)
    return {found.id: found for found in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def attachment(document: Document) -> tuple[str, bytes]:
    """The DOCX as the e-mail attaches it: (file name, content)."""
    # an ASCII file name: the number and symbol may hold Đ, which some mail clients mangle in a file name
    name = f"{document.type}-{document.number or 'du-thao'}-{document.year}.docx"
    return name, document.content
