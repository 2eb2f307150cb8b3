"""dvflow.crypto: AES-GCM ciphertexts of the identity, the keyed hash of identity numbers, and clear errors for a
missing, wrong or unknown key (never a silent garbage read)."""
from __future__ import annotations

import base64

import pytest

from dvflow import crypto

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()
HASH_1 = base64.b64encode(b"1" * 32).decode()
HASH_2 = base64.b64encode(b"2" * 32).decode()


def use(keys: str, hash_key: str = HASH_1) -> None:
    crypto.install(crypto.parse_keys(keys, hash_key))


def test_a_value_round_trips_and_never_encrypts_the_same_twice():
    use(f"a:{KEY_A}")
    first, second = crypto.encrypt("Nguyễn Văn Án"), crypto.encrypt("Nguyễn Văn Án")
    assert first != second and first.startswith("e1:a:") and "Nguy" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "Nguyễn Văn Án"
    assert crypto.decrypt(crypto.encrypt("")) == ""


def test_the_first_key_encrypts_and_every_key_decrypts():
    use(f"a:{KEY_A}")
    old = crypto.encrypt("001086000123")
    use(f"b:{KEY_B},a:{KEY_A}")
    assert crypto.key_id_of(crypto.encrypt("x")) == "b"
    assert crypto.decrypt(old) == "001086000123"


def test_a_value_under_a_key_no_longer_configured_is_an_error():
    use(f"a:{KEY_A}")
    stored = crypto.encrypt("001086000123")
    use(f"b:{KEY_B}")
    with pytest.raises(crypto.IdentityKeyError, match="key 'a'.*does not hold"):
        crypto.decrypt(stored)


def test_a_wrong_key_under_the_same_id_or_an_altered_value_is_an_error():
    use(f"a:{KEY_A}")
    stored = crypto.encrypt("001086000123")
    use(f"a:{KEY_B}")
    with pytest.raises(crypto.IdentityKeyError, match="wrong or the value was altered"):
        crypto.decrypt(stored)
    use(f"a:{KEY_A}")
    body = base64.urlsafe_b64decode(stored.rsplit(":", 1)[1])
    flipped = bytes([body[-1] ^ 1])
    altered = stored.rsplit(":", 1)[0] + ":" + base64.urlsafe_b64encode(body[:-1] + flipped).decode()
    with pytest.raises(crypto.IdentityKeyError):
        crypto.decrypt(altered)
    with pytest.raises(crypto.IdentityKeyError, match="not an identity ciphertext"):
        crypto.decrypt("Nguyễn Văn An")  # a plaintext left in the column is not read as if it were fine


def test_no_installed_keys_is_an_error(monkeypatch):
    monkeypatch.setattr(crypto, "_keys", None)
    with pytest.raises(crypto.IdentityKeyError, match="not installed"):
        crypto.encrypt("x")
    with pytest.raises(crypto.IdentityKeyError, match="not installed"):
        crypto.identity_hash("001086000123")


@pytest.mark.parametrize("keys, hash_key, message", [
    ("", HASH_1, "DVFLOW_IDENTITY_KEYS must be set"),
    (f"a:{KEY_A}", "", r"DVFLOW_IDENTITY_HASH_KEYS \(or DVFLOW_IDENTITY_HASH_KEY\) must be set"),
    (KEY_A, HASH_1, "keyid:base64key"),
    ("a:not base64!", HASH_1, "not base64"),
    (f"a:{base64.b64encode(b'short').decode()}", HASH_1, "32 bytes"),
    (f"a:{KEY_A},a:{KEY_B}", HASH_1, "appears twice"),
    (f"a:{KEY_A}", "c2hvcnQ=", r"DVFLOW_IDENTITY_HASH_KEYS \(key 1\): the key must be 32 bytes"),
    (f"a:{KEY_A}", f"{HASH_1},{HASH_1}", "DVFLOW_IDENTITY_HASH_KEYS: key 2 appears twice"),
])
def test_malformed_keys_are_refused_naming_the_variable(keys, hash_key, message):
    with pytest.raises(crypto.IdentityKeyError, match=message):
        crypto.parse_keys(keys, hash_key)


def test_the_hash_is_keyed_and_compares_normalised_numbers():
    use(f"a:{KEY_A}", HASH_1)
    digest = crypto.identity_hash("c 1234567 ")
    assert digest == crypto.identity_hash("C1234567") and len(digest) == 64
    assert crypto.identity_hash("001086000123") != crypto.identity_hash("001086000124")
    assert crypto.identity_hash("") is None and crypto.identity_hash(None) is None
    use(f"a:{KEY_A}", HASH_2)
    assert crypto.identity_hash("C1234567") != digest  # without the key the hash cannot be recomputed


def test_a_malformed_key_stops_the_app(tmp_path):
    from config import ConfigError
    from dvflow import create_app

    with pytest.raises(ConfigError, match="DVFLOW_IDENTITY_KEYS"):
        create_app({"ENV": "testing", "IDENTITY_KEYS": "no-colon", "DATABASE_URL": f"sqlite:///{tmp_path / 'x'}"})
