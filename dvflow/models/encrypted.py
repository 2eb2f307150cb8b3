"""A text column stored encrypted (AES-GCM, `dvflow.crypto`): the code reads and writes plain strings."""
from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from .. import crypto


class EncryptedText(TypeDecorator):
    """Plain text in Python, an `e1:<keyid>:<base64>` ciphertext in the database.

    Each write draws a fresh nonce, so equal values never look equal in the database: such a column cannot be
    compared, sorted or searched in SQL (an identity number is looked up through `Party.identity_hash`, a name
    through `Party.name_search`). The bind processor is what the bulk writers (`dvflow.db.bulk`) call too. A
    ciphertext grows the text by about a third plus ~45 characters: the columns are TEXT, and the limits a user
    is held to are the plaintext limits (`dvflow.models.party.PLAINTEXT_LIMITS`)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText stores text, not {type(value).__name__}")
        return crypto.encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else crypto.decrypt(value)
