"""Org service fixtures: where a login attempt comes from (an address, and per-address locks of the test's own)."""
from __future__ import annotations

import pytest
from limits.storage import MemoryStorage

from dvflow.services.org.login_locks import AddressLocks, Origin


@pytest.fixture
def locks() -> AddressLocks:
    return AddressLocks(MemoryStorage())


@pytest.fixture
def origin(locks) -> Origin:
    return Origin("198.51.100.1", locks)
