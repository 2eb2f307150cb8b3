"""Tracking codes (KN-2026-000123) and the short secret printed beside them on the receipt.

The secret is shown once, on the receipt, and never stored: the case keeps a salted digest of it keyed with a key
held outside the database (`tracking_secret_hash`), so no officer, administrator or database dump can read it back.
Whoever issues a secret (intake, a reissue) gets the plain text on the case object (`case.tracking_secret`, in memory
only) to print it.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ... import crypto
from ...models import Case, TrackingCounter

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read off paper


_counters = TrackingCounter.__table__
#: one statement takes the next number: the UPDATE locks the counter row until commit, so two intakes never share it
_BUMP = (update(_counters).where(_counters.c.prefix == bindparam("p"), _counters.c.year == bindparam("y"))
         .values(last=_counters.c.last + 1).returning(_counters.c.last))


def next_tracking_code(session: Session, prefix: str, year: int) -> str:
    """The next code for a prefix and year (the counter row is created on the year's first case)."""
    last = session.scalar(_BUMP, {"p": prefix, "y": year})
    if last is None:
        try:
            with session.begin_nested():  # another intake may create the year's row at the same moment
                session.execute(insert(_counters).values(prefix=prefix, year=year, last=0))
        except IntegrityError:
            pass
        last = session.scalar(_BUMP, {"p": prefix, "y": year})
    return f"{prefix}-{year}-{last:06d}"


#: The secret's digest is HMAC-SHA256 keyed with a key derived from a hash key of DVFLOW_IDENTITY_HASH_KEYS, which
#: lives outside the database: a six-character secret has ~10^9 values, so an unkeyed digest could be searched for in
#: a dump; keyed, a dump alone gives nothing (the same protection as the identity-number hash). The digest names the
#: hash key that made it (`hmac_sha256$<key id>$salt$hex`, the id a fingerprint of the key): the secret is never
#: stored, so a digest cannot be recomputed when the hash key changes; the old key stays configured after the new
#: one, for verifying only, and every receipt printed keeps working. Digests made before they named their key
#: (`hmac_sha256$salt$hex`) are compared under each configured hash key. It replaced a salted PBKDF2 of 30,000
#: rounds, whose ~6 ms of a core per receipt capped intake at ~160 cases/s per core; digests stored in that form
#: (`pbkdf2_sha256$rounds$salt$hex`) still match.
HASH_SCHEME = "hmac_sha256"
LEGACY_SCHEME = "pbkdf2_sha256"
LEGACY_MAX_ROUNDS = 300_000
_PURPOSE = "tracking-secret"


def new_tracking_secret(length: int = 6) -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(length))


def normalized(secret: str | None) -> str:
    """As printed, whatever the case and spacing the citizen typed it in."""
    return "".join((secret or "").split()).upper()


def hash_secret(secret: str, *, salt: str | None = None) -> str:
    """`hmac_sha256$keyid$salt$hex` of the normalized secret under the current hash key (the salt keeps two equal
    secrets' digests apart)."""
    salt = salt or secrets.token_hex(8)
    keys = crypto.installed()
    return f"{HASH_SCHEME}${keys.current_hash_id}${salt}${_digest(secret, salt, keys.hash_key)}"


def _digest(secret: str, salt: str, hash_key: bytes) -> str:
    return crypto.keyed_digest(_PURPOSE, f"{salt}${normalized(secret)}", hash_key)


def _legacy_digest(secret: str, salt: str, rounds: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", normalized(secret).encode(), salt.encode(), rounds).hex()


def secret_matches(stored: str | None, secret: str) -> bool:
    """Whether `secret` is the one `stored` was made from (constant-time; False for a malformed digest, or one
    made with a hash key no longer configured)."""
    scheme, _sep, rest = (stored or "").partition("$")
    if scheme == HASH_SCHEME:
        return _hmac_matches(rest.split("$"), secret)
    if scheme == LEGACY_SCHEME:
        rounds, _sep, rest = rest.partition("$")
        salt, _sep, digest = rest.partition("$")
        if not rounds.isdigit() or not 0 < int(rounds) <= LEGACY_MAX_ROUNDS:
            return False
        return _same(_legacy_digest(secret, salt, int(rounds)), digest)
    return False


def _hmac_matches(parts: list[str], secret: str) -> bool:
    keys = crypto.installed()
    if len(parts) == 3:  # keyid, salt, digest
        key_id, salt, digest = parts
        key = keys.hash_key_by_id(key_id)
        # an unknown key id costs the same work as a wrong secret, and never matches
        return bool(salt) and _same(_digest(secret, salt, key or keys.hash_key), digest) and key is not None
    if len(parts) == 2 and parts[0]:  # salt, digest: made before digests named their key; any configured key
        salt, digest = parts
        found = [_same(_digest(secret, salt, key), digest) for _kid, key in keys.hash_keys]
        return any(found)
    return False


def _same(candidate: str, digest: str) -> bool:
    return bool(candidate) and bool(digest) and hmac.compare_digest(candidate.encode(), digest.encode())


def key_use(session: Session) -> dict[str, int]:
    """How many receipt digests each hash key id made ("" for those made before digests named their key): a hash
    key may leave DVFLOW_IDENTITY_HASH_KEYS once no receipt that still matters uses it."""
    counts: dict[str, int] = {}
    rows = session.scalars(select(Case.tracking_secret_hash).where(Case.tracking_secret_hash.like(f"{HASH_SCHEME}$%"))
                           .execution_options(yield_per=2000))
    for stored in rows:
        parts = stored.split("$")
        key_id = parts[1] if len(parts) == 4 else ""
        counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def issue_secret(case) -> str:
    """A new secret for the case (the previous one stops working); its hash is stored, the plain text is returned
    and kept on the object as `case.tracking_secret` for the receipt printed now."""
    secret = new_tracking_secret()
    case.tracking_secret_hash = hash_secret(secret)
    case.tracking_secret = secret
    return secret
