"""Password hashing with argon2 (argon2-cffi).

The hasher's cost parameters come from the app's configuration (PASSWORD_HASH_TIME_COST, PASSWORD_HASH_MEMORY_COST,
PASSWORD_HASH_PARALLELISM): `create_app` calls `configure_from(app.config)`. Until then, and in production, they are
argon2's own defaults; the testing configuration makes them cheap. Verifying never depends on them: argon2 encodes
the parameters of each hash in the hash itself, so a hash made with any parameters verifies.
"""
from __future__ import annotations

import secrets
from typing import Mapping, NamedTuple

from argon2 import (
    DEFAULT_MEMORY_COST,
    DEFAULT_PARALLELISM,
    DEFAULT_TIME_COST,
    PasswordHasher,
)
from argon2.exceptions import InvalidHashError, VerificationError


class HashParameters(NamedTuple):
    time_cost: int = DEFAULT_TIME_COST
    memory_cost: int = DEFAULT_MEMORY_COST  # KiB
    parallelism: int = DEFAULT_PARALLELISM


DEFAULT_PARAMETERS = HashParameters()
CONFIG_KEYS = {"time_cost": "PASSWORD_HASH_TIME_COST", "memory_cost": "PASSWORD_HASH_MEMORY_COST",
               "parallelism": "PASSWORD_HASH_PARALLELISM"}

_hasher = PasswordHasher(*DEFAULT_PARAMETERS)


def parameters_from(config: Mapping) -> HashParameters:
    """The hash parameters a configuration asks for; argon2's defaults for the keys it lacks."""
    return HashParameters(**{field: int(config.get(key, getattr(DEFAULT_PARAMETERS, field)))
                             for field, key in CONFIG_KEYS.items()})


def configure(parameters: HashParameters = DEFAULT_PARAMETERS) -> None:
    """Hash new passwords with these parameters from now on (in this process)."""
    global _hasher
    if current_parameters() != parameters:
        _hasher = PasswordHasher(*parameters)


def configure_from(config: Mapping) -> None:
    configure(parameters_from(config))


def current_parameters() -> HashParameters:
    return HashParameters(_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("empty password")
    return _hasher.hash(password)


def dummy_hash() -> str:
    """A hash of a random password made with the current parameters: a login for an unknown or inactive user verifies
    against it, so that it costs what a real login costs and its timing does not tell whether the user exists."""
    parameters = current_parameters()
    if parameters not in _dummy_hashes:
        _dummy_hashes[parameters] = _hasher.hash(secrets.token_urlsafe(24))
    return _dummy_hashes[parameters]


_dummy_hashes: dict[HashParameters, str] = {}


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
