"""The Ed25519 keys that sign the daily history digests: one signing key, and the public keys of earlier ones.

A key is written as the base64 of its 32 raw bytes (`flask dvflow audit keygen` prints a new pair). Rotating: put
the new private key in DVFLOW_AUDIT_SIGNING_KEY and add the old public key to DVFLOW_AUDIT_VERIFY_KEYS, so that
the anchors it signed still verify.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ..errors import ServiceError

RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class AuditKeys:
    signing: Ed25519PrivateKey | None
    verifying: dict[str, Ed25519PublicKey]  # by key id, the signing key's own public key included

    @classmethod
    def load(cls, signing_text: str | None, verify_texts: str | None = None) -> "AuditKeys":
        """Keys from their configured texts; ServiceError naming the variable when one cannot be read."""
        signing = _private(signing_text) if signing_text else None
        verifying = {}
        for text in (verify_texts or "").replace(",", " ").split():
            public = _public(text)
            verifying[key_id(public)] = public
        if signing is not None:
            verifying[key_id(signing.public_key())] = signing.public_key()
        return cls(signing, verifying)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(public.public_bytes(RAW, serialization.PublicFormat.Raw)).hexdigest()[:16]


def generate() -> tuple[str, str]:
    """A new (private, public) pair as base64 texts."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    raw_public = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(raw_private).decode(), base64.b64encode(raw_public).decode()


def development_key(seed: str) -> str:
    """A fixed key for development and tests, derived from a seed text: never for production."""
    return base64.b64encode(hashlib.sha256(seed.encode()).digest()).decode()


def _raw(text: str, variable: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ServiceError("%(variable)s: cần 32 byte khóa Ed25519 mã hóa base64 (tạo bằng `dvflow audit keygen`).",
                           field=variable, variable=variable)
    return raw


def _private(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw(text, "DVFLOW_AUDIT_SIGNING_KEY"))


def _public(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_raw(text, "DVFLOW_AUDIT_VERIFY_KEYS"))
