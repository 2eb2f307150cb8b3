"""Parties: the people and organisations a case is about."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import crypto
from .base import Base, in_list
from .encrypted import EncryptedText
from .indexes import trigram_index

PARTY_KINDS = ("person", "organisation")
PARTY_ROLES = ("complainant", "denouncer", "petitioner", "respondent", "accused", "representative")
#: citizen identity card (CCCD), passport, tax code (of an organisation or its branch), business registration
#: number, or another document named in `identity_type_name`
IDENTITY_TYPES = ("cccd", "passport", "tax_code", "business_registration", "other")
#: the longest value a user may enter in each encrypted column (the columns are TEXT: a ciphertext is longer than
#: its plaintext, so the column's own length cannot be the limit; these are the limits of the plain columns they were)
PLAINTEXT_LIMITS = {"name": 255, "identity_number": 40, "address": 500, "phone": 40, "email": 255}


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(in_list("kind", PARTY_KINDS), name="kind"),
                      CheckConstraint(in_list("identity_type", IDENTITY_TYPES), name="identity_type"),
                      trigram_index("ix_parties_name_search_trgm", "name_search"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: person or organisation
    kind: Mapped[str] = mapped_column(String(20), default="person")
    # Identity (name, number, address, phone, e-mail) is encrypted at rest for every party, whatever its role: a
    # role can change by correction and a case can become confidential later, and one rule for all leaves no row
    # behind. Reading and writing the attributes stays plain (EncryptedText); see dvflow/crypto.py.
    #: full name of the person or organisation (encrypted)
    name: Mapped[str] = mapped_column(EncryptedText())
    #: lower-case name without diacritics, for search ("nguyen" finds "Nguyễn"); empty while the party is hidden
    #: (a denouncer of a confidential case: services.cases.party_search), so that no plaintext name is stored
    name_search: Mapped[str] = mapped_column(String(255), index=True, default="")
    #: citizen ID / passport / business registration number (encrypted)
    identity_number: Mapped[str | None] = mapped_column(EncryptedText())
    #: HMAC-SHA256 of the normalised identity number with the current hash key (dvflow.crypto.identity_hash): the
    #: only way a number is looked up (duplicates, letters guided once); set whenever identity_number is
    identity_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    #: the kind of document `identity_number` belongs to (IDENTITY_TYPES); null when not told (older records)
    identity_type: Mapped[str | None] = mapped_column(String(30))
    #: the name of the document when `identity_type` is "other" (e.g. "Giấy phép lái xe")
    identity_type_name: Mapped[str | None] = mapped_column(String(100))
    #: postal address (encrypted)
    address: Mapped[str | None] = mapped_column(EncryptedText())
    #: phone number (encrypted)
    phone: Mapped[str | None] = mapped_column(EncryptedText())
    #: e-mail address (encrypted)
    email: Mapped[str | None] = mapped_column(EncryptedText())

    @validates("identity_number")
    def _hash_identity(self, _key, value: str | None) -> str | None:
        # the hash follows the number on every write (constructor, correction, setattr): no writer can forget it
        self.identity_hash = crypto.identity_hash(value)
        return value


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
