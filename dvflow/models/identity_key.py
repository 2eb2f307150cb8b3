"""What each identity key id meant when it was first used: a start-up check that an id always names the same key."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class IdentityKeyCheck(Base):
    """One known value per key id of DVFLOW_IDENTITY_KEYS, encrypted with that key when the id was first configured
    (services.identity.key_checks). The app decrypts each configured id's value when it starts and refuses to start
    when the configured key does not decrypt it: a typo under the right id would otherwise encrypt new identities
    with a key no configuration can read once the typo is fixed."""

    __tablename__ = "identity_key_checks"

    #: the key id (dvflow.crypto.KEY_ID)
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: the known text, encrypted with that key (plain Text, not EncryptedText: rotate-key must leave it under its id)
    value: Mapped[str] = mapped_column(Text)
    #: when the id was first seen (UTC)
    created_at: Mapped[datetime]
