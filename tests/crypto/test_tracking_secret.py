"""The receipt secret's digest: keyed (a dump alone cannot be searched for the secret), salted, domain-separated from
the identity hash, and the PBKDF2 digests stored before the change still match."""
from __future__ import annotations

import base64
import hashlib

from dvflow import crypto
from dvflow.services.cases import tracking

HASH_1 = base64.b64encode(b"1" * 32).decode()
HASH_2 = base64.b64encode(b"2" * 32).decode()
KEYS = "a:" + base64.b64encode(b"a" * 32).decode()


def use(hash_key: str) -> None:
    crypto.install(crypto.parse_keys(KEYS, hash_key))


def test_the_digest_is_keyed_salted_and_matches_only_its_secret():
    use(HASH_1)
    stored = tracking.hash_secret("ab c234")
    assert stored.startswith("hmac_sha256$") and "ABC234" not in stored
    assert tracking.secret_matches(stored, "abc234") and tracking.secret_matches(stored, " A B C 2 3 4 ")
    assert not tracking.secret_matches(stored, "ABC235")
    assert tracking.hash_secret("ABC234") != stored  # a fresh salt each time
    use(HASH_2)  # the same database row read with another key: it no longer matches
    assert not tracking.secret_matches(stored, "ABC234")


def test_it_is_not_the_identity_hash_of_the_same_text():
    use(HASH_1)
    stored = tracking.hash_secret("ABC234", salt="S")
    assert stored.rpartition("$")[2] != crypto.identity_hash("S$ABC234")  # the same text, hashed apart


def test_digests_stored_as_pbkdf2_still_match_and_malformed_ones_never_do():
    use(HASH_1)
    legacy = "pbkdf2_sha256$30000$salt$" + hashlib.pbkdf2_hmac("sha256", b"ABC234", b"salt", 30000).hex()
    assert tracking.secret_matches(legacy, "abc234") and not tracking.secret_matches(legacy, "ABC235")
    for bad in (None, "", "hmac_sha256$", "hmac_sha256$salt$", "md5$x$y", "pbkdf2_sha256$0$salt$00",
                "pbkdf2_sha256$99999999$salt$00", "pbkdf2_sha256$abc$salt$00"):
        assert not tracking.secret_matches(bad, "ABC234")


def test_a_digest_names_its_hash_key_and_an_earlier_key_still_verifies_it():
    use(HASH_1)
    stored = tracking.hash_secret("ABC234")
    key_1 = crypto.installed().current_hash_id
    assert stored.split("$")[1] == key_1 and key_1 not in (HASH_1, HASH_2)
    use(f"{HASH_2},{HASH_1}")  # a new hash key first, the earlier one after it: verifying only
    assert tracking.secret_matches(stored, "abc234") and not tracking.secret_matches(stored, "ABC235")
    again = tracking.hash_secret("ABC234")
    assert again.split("$")[1] == crypto.installed().current_hash_id != key_1  # new digests: the new key
    use(HASH_2)  # the earlier key removed: what it made no longer matches (never another key's)
    assert not tracking.secret_matches(stored, "ABC234") and tracking.secret_matches(again, "ABC234")


def test_digests_made_before_they_named_their_key_match_under_any_configured_key():
    use(HASH_1)
    made_before = "hmac_sha256$S$" + crypto.keyed_digest("tracking-secret", "S$ABC234")
    use(f"{HASH_2},{HASH_1}")
    assert tracking.secret_matches(made_before, "ABC234") and not tracking.secret_matches(made_before, "ABC235")
    use(HASH_2)
    assert not tracking.secret_matches(made_before, "ABC234")


def test_a_digest_of_an_unknown_key_id_never_matches():
    use(HASH_1)
    stored = tracking.hash_secret("ABC234", salt="S")
    digest = stored.rpartition("$")[2]
    for bad in (f"hmac_sha256$00000000$S${digest}", f"hmac_sha256$$S${digest}", "hmac_sha256$a$b$c$d"):
        assert not tracking.secret_matches(bad, "ABC234")
