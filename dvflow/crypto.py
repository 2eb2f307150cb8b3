"""Identity encrypted at rest: the keys, AES-GCM encryption of a party's identity and the keyed hash that finds it.

Flask-free on purpose: the models' column type (`dvflow.models.encrypted.EncryptedText`) reads the keys from here,
and the models layer must not import Flask. `create_app` installs the keys from its configuration
(`install_from(app.config)`), so every way in (web, API, CLI, scheduler: all go through create_app) encrypts with
the same keys; a migration or a test installs them the same way from `config.load_config`.

Two kinds of key, both from the environment (README, "Identity keys"):

* DVFLOW_IDENTITY_KEYS: ``keyid:base64key,keyid:base64key,…`` (AES-256 keys, 32 bytes). The first encrypts,
  every one decrypts: to rotate, put a new key first, keep the old ones, run ``dvflow identity rotate-key``, then
  drop the old ones.
* DVFLOW_IDENTITY_HASH_KEYS (or DVFLOW_IDENTITY_HASH_KEY, the same list of one): ``base64key,base64key,…`` (32
  bytes each), the HMAC-SHA256 keys of `identity_hash` (the only way an identity number is looked up: ciphertexts
  are random and cannot be compared) and of the receipts' tracking-secret digests. The first makes every new hash
  and digest. The others only verify the receipt digests they made: a receipt's secret is never stored, so its
  digest cannot be recomputed, and dropping the key that made it would lock the citizen out of their case. Identity
  hashes are recomputed by ``rotate-key`` with the first key. A hash key has no id of its own to type: its id is a
  fingerprint of the key (`hash_key_id`), which a digest records.

A stored value is ``e1:<keyid>:<base64url(nonce ‖ ciphertext ‖ tag)>``: the version, so the format can change; the
key id, so that the right key decrypts and rotation can tell which rows still use an old key; a fresh 96-bit nonce
per value (AES-GCM's nonce must never repeat under a key). The version and key id are authenticated as associated
data. Any failure to decrypt (unknown key id, wrong key, altered value, a value that is not a ciphertext) raises
IdentityKeyError: never a silent garbage read.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from typing import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "e1"
KEY_BYTES = 32
NONCE_BYTES = 12
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class IdentityKeyError(RuntimeError):
    """The identity keys are missing or malformed, or a stored value cannot be decrypted with them."""


@dataclass(frozen=True)
class Keys:
    #: (key id, AES-GCM) in configuration order: the first encrypts
    ciphers: tuple[tuple[str, AESGCM], ...]
    #: (fingerprint id, HMAC key) in configuration order: the first hashes, the others verify receipts only
    hash_keys: tuple[tuple[str, bytes], ...]

    @property
    def current_id(self) -> str:
        return self.ciphers[0][0]

    @property
    def hash_key(self) -> bytes:
        return self.hash_keys[0][1]

    @property
    def current_hash_id(self) -> str:
        return self.hash_keys[0][0]

    def hash_key_by_id(self, key_id: str) -> bytes | None:
        return next((key for kid, key in self.hash_keys if kid == key_id), None)

    def cipher(self, key_id: str) -> AESGCM:
        for kid, cipher in self.ciphers:
            if kid == key_id:
                return cipher
        raise IdentityKeyError(f"an identity value is encrypted with key {key_id!r}, which DVFLOW_IDENTITY_KEYS "
                               f"does not hold (keys: {', '.join(k for k, _ in self.ciphers)})")


_keys: Keys | None = None


def _decode_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise IdentityKeyError(f"{what}: not base64") from exc
    if len(raw) != KEY_BYTES:
        raise IdentityKeyError(f"{what}: the key must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def parse_keys(keys: str | None, hash_keys: str | None) -> Keys:
    """Keys from their configuration text (`hash_keys`: one base64 key, or several separated by commas, the first
    current); IdentityKeyError naming the variable when one is missing or malformed."""
    if not (keys or "").strip():
        raise IdentityKeyError("DVFLOW_IDENTITY_KEYS must be set (flask --app wsgi dvflow identity keygen)")
    if not (hash_keys or "").strip():
        raise IdentityKeyError("DVFLOW_IDENTITY_HASH_KEYS (or DVFLOW_IDENTITY_HASH_KEY) must be set "
                               "(flask --app wsgi dvflow identity keygen)")
    return Keys(_parse_ciphers(keys), _parse_hash_keys(hash_keys))


def _parse_ciphers(keys: str) -> tuple[tuple[str, AESGCM], ...]:
    ciphers = []
    for item in (k.strip() for k in keys.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not KEY_ID.fullmatch(key_id):
            raise IdentityKeyError("DVFLOW_IDENTITY_KEYS: each key is keyid:base64key (keyid: letters, digits, - _)")
        if any(kid == key_id for kid, _ in ciphers):
            raise IdentityKeyError(f"DVFLOW_IDENTITY_KEYS: key id {key_id!r} appears twice")
        ciphers.append((key_id, AESGCM(_decode_key(encoded, f"DVFLOW_IDENTITY_KEYS ({key_id})"))))
    return tuple(ciphers)


def _parse_hash_keys(text: str) -> tuple[tuple[str, bytes], ...]:
    out: list[tuple[str, bytes]] = []
    for i, item in enumerate(k.strip() for k in text.split(",") if k.strip()):
        raw = _decode_key(item, f"DVFLOW_IDENTITY_HASH_KEYS (key {i + 1})")
        if any(key == raw for _kid, key in out):
            raise IdentityKeyError(f"DVFLOW_IDENTITY_HASH_KEYS: key {i + 1} appears twice")
        out.append((hash_key_id(raw), raw))
    return tuple(out)


def hash_key_id(raw: bytes) -> str:
    """The id a digest records of the hash key that made it: a fingerprint (8 hex digits of an HMAC of a fixed
    text), which tells the keys apart without revealing anything of them."""
    return hmac.new(raw, b"dvflow:hash-key-id", hashlib.sha256).hexdigest()[:8]


def hash_keys_text(config: Mapping) -> str | None:
    """The hash keys a configuration gives: IDENTITY_HASH_KEYS, else the single IDENTITY_HASH_KEY."""
    return config.get("IDENTITY_HASH_KEYS") or config.get("IDENTITY_HASH_KEY")


def install(keys: Keys) -> None:
    """Encrypt, decrypt and hash with these keys from now on (in this process)."""
    global _keys
    _keys = keys


def install_from(config: Mapping) -> Keys:
    """Install the keys of a configuration mapping (IDENTITY_KEYS; IDENTITY_HASH_KEYS or IDENTITY_HASH_KEY)."""
    keys = parse_keys(config.get("IDENTITY_KEYS"), hash_keys_text(config))
    install(keys)
    return keys


def installed() -> Keys:
    if _keys is None:
        raise IdentityKeyError("the identity keys are not installed: create the app (or call dvflow.crypto.install) "
                               "before reading or writing a party")
    return _keys


def generate_key() -> str:
    """A new random 32-byte key, base64 (for DVFLOW_IDENTITY_KEYS or DVFLOW_IDENTITY_HASH_KEY)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _aad(key_id: str) -> bytes:
    return f"dvflow-identity:{VERSION}:{key_id}".encode()


def encrypt(text: str, key_id: str | None = None) -> str:
    """`text` encrypted with the current key (or the configured key of `key_id`)."""
    keys = installed()
    key_id = key_id or keys.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys.cipher(key_id).encrypt(nonce, text.encode("utf-8"), _aad(key_id))
    return f"{VERSION}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(stored: str) -> str:
    """The id of the key a stored value is encrypted with; IdentityKeyError when it is not a ciphertext."""
    version, _, rest = stored.partition(":")
    key_id, sep, _ = rest.partition(":")
    if version != VERSION or not sep or not KEY_ID.fullmatch(key_id):
        raise IdentityKeyError("a stored identity value is not an identity ciphertext (not encrypted, or damaged)")
    return key_id


def decrypt(stored: str) -> str:
    key_id = key_id_of(stored)
    cipher = installed().cipher(key_id)
    try:
        raw = base64.urlsafe_b64decode(stored.rsplit(":", 1)[1].encode())
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(key_id)).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise IdentityKeyError(f"an identity value does not decrypt with key {key_id!r}: the key is wrong or the "
                               f"value was altered") from exc


def keyed_digest(purpose: str, text: str, hash_key: bytes | None = None) -> str:
    """HMAC-SHA256 (hex) of `text` under a key derived from a hash key (the current one unless given) for one
    `purpose` (domain separation: a digest made for one purpose never matches one made for another)."""
    subkey = hmac.new(hash_key or installed().hash_key, f"dvflow:{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(subkey, text.encode("utf-8"), hashlib.sha256).hexdigest()


def normalise_identity(number: str | None) -> str:
    """The form an identity number is compared in: without spaces, upper-case ("c 123" is "C123")."""
    return "".join((number or "").split()).upper()


def identity_hash(number: str | None) -> str | None:
    """HMAC-SHA256 (hex) of the normalised number with the hash key; None for no number."""
    normal = normalise_identity(number)
    if not normal:
        return None
    return hmac.new(installed().hash_key, normal.encode("utf-8"), hashlib.sha256).hexdigest()
