"""Parties: the people and organisations a case is about."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, in_list

PARTY_KINDS = ("person", "organisation")
PARTY_ROLES = ("complainant", "denouncer", "petitioner", "respondent", "accused", "representative")
#: citizen identity card (CCCD), passport, tax code (of an organisation or its branch), business registration
#: number, or another document named in `identity_type_name`
IDENTITY_TYPES = ("cccd", "passport", "tax_code", "business_registration", "other")


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(in_list("kind", PARTY_KINDS), name="kind"),
                      CheckConstraint(in_list("identity_type", IDENTITY_TYPES), name="identity_type"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: person or organisation
    kind: Mapped[str] = mapped_column(String(20), default="person")
    #: full name of the person or organisation
    name: Mapped[str] = mapped_column(String(255))
    #: lower-case name without diacritics, for search ("nguyen" finds "Nguyễn")
    name_search: Mapped[str] = mapped_column(String(255), index=True, default="")
    #: citizen ID / passport / business registration number
    identity_number: Mapped[str | None] = mapped_column(String(40), index=True)
    #: the kind of document `identity_number` belongs to (IDENTITY_TYPES); null when not told (older records)
    identity_type: Mapped[str | None] = mapped_column(String(30))
    #: the name of the document when `identity_type` is "other" (e.g. "Giấy phép lái xe")
    identity_type_name: Mapped[str | None] = mapped_column(String(100))
    #: postal address
    address: Mapped[str | None] = mapped_column(String(500))
    #: phone number
    phone: Mapped[str | None] = mapped_column(String(40))
    #: e-mail address
    email: Mapped[str | None] = mapped_column(String(255))


class CaseParty(Base):
    """A party's role in one case."""

    __tablename__ = "case_parties"
    __table_args__ = (
        CheckConstraint(in_list("role", PARTY_ROLES), name="role"),
        UniqueConstraint("case_id", "party_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the case
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the party
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    #: complainant, denouncer, petitioner, respondent, accused or representative
    role: Mapped[str] = mapped_column(String(20))

    party: Mapped[Party] = relationship(lazy="joined")
