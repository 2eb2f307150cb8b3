"""Password hashing: cheap argon2 parameters under the testing configuration, argon2's defaults in production, and
every hash verifies whatever parameters made it."""
from __future__ import annotations

import argon2
import pytest
from factories import NOW, PRODUCTION_IDENTITY_ENV, PRODUCTION_IDENTITY_KEYS

from config import load_config
from dvflow import security

CHEAP = security.HashParameters(time_cost=1, memory_cost=8, parallelism=1)
ARGON2_DEFAULTS = security.HashParameters(argon2.DEFAULT_TIME_COST, argon2.DEFAULT_MEMORY_COST,
                                          argon2.DEFAULT_PARALLELISM)


@pytest.fixture
def restore_parameters():
    before = security.current_parameters()
    yield
    security.configure(before)


def encoded(password_hash: str) -> security.HashParameters:
    params = argon2.extract_parameters(password_hash)
    return security.HashParameters(params.time_cost, params.memory_cost, params.parallelism)


def test_the_testing_config_hashes_cheaply():
    assert security.parameters_from(load_config(environ={"DVFLOW_ENV": "testing"})) == CHEAP


@pytest.mark.parametrize("env", ["production", "development"])
def test_production_and_development_keep_argon2s_defaults(env):
    config = load_config(environ={"DVFLOW_ENV": env, "DVFLOW_SECRET_KEY": "k", "DVFLOW_AUDIT_SIGNING_KEY": "k",
                                  **PRODUCTION_IDENTITY_ENV})
    assert security.parameters_from(config) == ARGON2_DEFAULTS == security.DEFAULT_PARAMETERS
    assert ARGON2_DEFAULTS == (3, 65536, 4)  # argon2-cffi's RFC 9106 low-memory profile
    assert security.parameters_from({}) == ARGON2_DEFAULTS


def test_create_app_configures_the_hasher_from_its_config(restore_parameters, tmp_path):
    from dvflow import create_app

    create_app({"ENV": "production", "SECRET_KEY": "k", "AUDIT_SIGNING_KEY": "k", **PRODUCTION_IDENTITY_KEYS,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert security.current_parameters() == ARGON2_DEFAULTS
    assert encoded(security.hash_password("mat-khau-dai")) == ARGON2_DEFAULTS
    create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite3'}"})
    assert security.current_parameters() == CHEAP
    assert encoded(security.hash_password("mat-khau-dai")) == CHEAP


def test_the_test_suite_hashes_cheaply_without_an_app(session):
    from dvflow.services.org import accounts

    user = accounts.create_user(session, "nguoi-dung", "mat-khau-dai", now=NOW)
    assert encoded(user.password_hash) == CHEAP


def test_hashes_made_with_any_parameters_verify(restore_parameters):
    hashes = []
    for parameters in (CHEAP, ARGON2_DEFAULTS, security.HashParameters(2, 1024, 2)):
        security.configure(parameters)
        hashes.append(security.hash_password("mật-khẩu-123"))
    assert [encoded(h) for h in hashes] == [CHEAP, ARGON2_DEFAULTS, (2, 1024, 2)]
    security.configure(CHEAP)  # verifying reads the parameters from the hash, not from the hasher
    for password_hash in hashes:
        assert security.verify_password(password_hash, "mật-khẩu-123")
        assert not security.verify_password(password_hash, "mật-khẩu-124")
    security.configure(ARGON2_DEFAULTS)
    assert security.verify_password(hashes[0], "mật-khẩu-123")
    assert not security.verify_password(hashes[0], "mật-khẩu-124")
    assert not security.verify_password("not-a-hash", "mật-khẩu-123")
    with pytest.raises(ValueError):
        security.hash_password("")
