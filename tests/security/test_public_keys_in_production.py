"""Production refuses to start with the public development or testing values of config.py (anyone can read them):
the session key, the audit signing key, the identity keys and the hash keys. An earlier public key may stay listed
after a secret one, so that `identity rotate-key` can move a database away from it."""
from __future__ import annotations

import base64

import pytest
from factories import PRODUCTION_IDENTITY_ENV

from config import ConfigError, DevelopmentConfig, TestingConfig, load_config

SECRET = {"DVFLOW_ENV": "production", "DVFLOW_SECRET_KEY": "a-secret-of-this-installation",
          "DVFLOW_AUDIT_SIGNING_KEY": base64.b64encode(b"s" * 32).decode(), **PRODUCTION_IDENTITY_ENV}
DEV_KEY = DevelopmentConfig.IDENTITY_KEYS.partition(":")[2]


def test_a_production_of_its_own_secrets_starts():
    assert load_config(environ=SECRET)["SECRET_KEY"] == "a-secret-of-this-installation"


@pytest.mark.parametrize("variable, public", [
    ("DVFLOW_SECRET_KEY", DevelopmentConfig.SECRET_KEY),
    ("DVFLOW_SECRET_KEY", TestingConfig.SECRET_KEY),
    ("DVFLOW_AUDIT_SIGNING_KEY", DevelopmentConfig.AUDIT_SIGNING_KEY),
    ("DVFLOW_IDENTITY_KEYS", DevelopmentConfig.IDENTITY_KEYS),
    ("DVFLOW_IDENTITY_KEYS", f"prod1:{DEV_KEY}"),  # the public key under another id
    ("DVFLOW_IDENTITY_HASH_KEY", DevelopmentConfig.IDENTITY_HASH_KEY),
])
def test_a_public_value_is_refused_naming_the_setting(variable, public):
    with pytest.raises(ConfigError, match=f"{variable} is the public development or testing value"):
        load_config(environ={**SECRET, variable: public})


def test_a_public_hash_key_first_in_the_list_is_refused():
    env = {k: v for k, v in SECRET.items() if k != "DVFLOW_IDENTITY_HASH_KEY"}
    with pytest.raises(ConfigError, match="DVFLOW_IDENTITY_HASH_KEYS is the public"):
        load_config(environ={**env, "DVFLOW_IDENTITY_HASH_KEYS": f" {TestingConfig.IDENTITY_HASH_KEY} "})


def test_a_public_key_after_a_secret_one_only_decrypts_and_is_accepted():
    env = {k: v for k, v in SECRET.items() if k != "DVFLOW_IDENTITY_HASH_KEY"}
    secret_keys, secret_hash = (PRODUCTION_IDENTITY_ENV[f"DVFLOW_IDENTITY_{k}"] for k in ("KEYS", "HASH_KEY"))
    config = load_config(environ={**env, "DVFLOW_IDENTITY_KEYS": f"{secret_keys},{DevelopmentConfig.IDENTITY_KEYS}",
                                  "DVFLOW_IDENTITY_HASH_KEYS": f"{secret_hash},{DevelopmentConfig.IDENTITY_HASH_KEY}"})
    assert config["IDENTITY_KEYS"].endswith(DevelopmentConfig.IDENTITY_KEYS)
