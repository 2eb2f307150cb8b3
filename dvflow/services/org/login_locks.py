"""The login failures of one account from one client address, and the lock they earn that address, kept in the
limiter's storage (`limits`: Redis in production, so every worker and node sees them; memory in development).

Why per address and not only per account (services.org.login): a lock on the whole account after a few failures
lets anyone who knows a username (heads' and administrators' are easy to guess) keep its owner out for good, with a
wrong login each time the lock runs out. Locked per (account, address), the stranger locks only their own address;
the owner signs in from theirs. The account as a whole still locks, much later (login.ACCOUNT_MAX_FAILURES), against
guessing spread over many addresses. No table holds this: the storage keeps it for a day at most, which is what it
needs (no migration, and nothing about clients' addresses stays in the database).

Every time is the caller's `now` (the app's clock): the storage's own expiry only cleans up. A lock is written under
a key of its own for each count, so that two nodes counting at once never add up two instants. Usernames are keyed
by a digest: the storage holds no list of who was tried. An administrator's unlock moves the account to a new
generation of keys, which leaves every address's count behind.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from limits.storage import MemoryStorage, Storage

log = logging.getLogger(__name__)
T = TypeVar("T")

#: how long an address's count of failures on an account lives (from its first failure), and its locks
COUNT_SECONDS = 24 * 3600
#: the generation of an account's keys, raised by an unlock: kept longer than any count
GENERATION_SECONDS = 400 * 24 * 3600
#: after the storage failed, how long this process counts in memory before trying it again
RETRY_STORAGE_SECONDS = 30


class AddressLocks:
    """The per (account, address) counts and locks in one storage, with a memory fallback of this process while
    the storage fails (as Flask-Limiter falls back for the per-address limits): a login never fails because Redis
    does, and each process then counts alone for a while (logged)."""

    def __init__(self, storage: Storage, fallback: Storage | None = None):
        self._primary = storage
        self._fallback = fallback if fallback is not None else MemoryStorage()
        self._down_until = 0.0

    def _call(self, act: Callable[[Storage], T]) -> T:
        if time.monotonic() >= self._down_until:
            try:
                return act(self._primary)
            except Exception as exc:  # any failure of the storage's client: unreachable, timed out, refused
                log.warning("login lock storage unreachable, counting in this process's memory for %ss: %s",
                            RETRY_STORAGE_SECONDS, exc)
                self._down_until = time.monotonic() + RETRY_STORAGE_SECONDS
        return act(self._fallback)

    def _base(self, username: str, address: str) -> str:
        account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:24]
        generation = self._call(lambda s: s.get(f"dvflow-login/{account}/generation"))
        return f"dvflow-login/{account}/{generation}/{address}"

    def failures(self, username: str, address: str) -> int:
        """This address's failures in a row on this account (within the last day)."""
        base = self._base(username, address)
        return self._call(lambda s: s.get(f"{base}/n"))

    def locked_until(self, username: str, address: str, now: datetime, lock_for) -> datetime | None:
        """Until when this address may not try this account (None: it may). `lock_for(n)` is the lock the n-th
        failure in a row earns (login.lock_for)."""
        base = self._base(username, address)
        count = self._call(lambda s: s.get(f"{base}/n"))
        if lock_for(count) is None:
            return None
        until = self._call(lambda s: s.get(f"{base}/until/{count}"))
        return _instant(until) if until and now.timestamp() < until else None

    def record_failure(self, username: str, address: str, now: datetime, lock_for) -> int:
        """Count a failure from this address; lock the address when `lock_for` says so. Its number in a row."""
        base = self._base(username, address)
        count = self._call(lambda s: s.incr(f"{base}/n", COUNT_SECONDS))
        lock: timedelta | None = lock_for(count)
        if lock is not None:
            until, key = int((now + lock).timestamp()), f"{base}/until/{count}"
            # a streak cleared by a login may have left this count's key (its instant is past): the storage only
            # adds, so it goes first. No other failure gets this count from the atomic increment above
            self._call(lambda s: s.clear(key))
            self._call(lambda s: s.incr(key, COUNT_SECONDS, amount=until))
        return count

    def clear(self, username: str, address: str) -> None:
        """A completed login from this address: its count starts again."""
        base = self._base(username, address)
        self._call(lambda s: s.clear(f"{base}/n"))

    def clear_all(self, username: str) -> None:
        """An administrator's unlock: every address's count and lock on this account is left behind."""
        account = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:24]
        self._call(lambda s: s.incr(f"dvflow-login/{account}/generation", GENERATION_SECONDS))


def _instant(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


@dataclass(frozen=True)
class Origin:
    """Where a login attempt comes from: the client's address (as the per-address limits count it: an IPv6
    client by its /64), the store of the per-address locks, and the subscriber the address belongs to (an IPv6
    client by its /56: extensions.subscriber_key), by which the account-wide tier counts (services.org.login).
    Without a subscriber, the address is its own."""
    address: str
    locks: AddressLocks
    subscriber: str | None = None

    @property
    def network(self) -> str:
        return self.subscriber or self.address
