"""Flask extensions, created unbound and attached in create_app (no side effects at import)."""
from __future__ import annotations

import ipaddress

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect

#: an IPv6 subscriber is given a whole /64 (RFC 6177; ISPs often give a /56 or /48): its addresses are one client
IPV6_CLIENT_PREFIX = 64
#: what one household's router is usually delegated (RIPE-690 recommends a /56 for home users, and Vietnam's fixed
#: lines give one): its 256 /64s are one subscriber for the counts a single citizen must not multiply, the login's
#: account-wide tier (services.org.login) and the bookings made (public.schedule). The plain per-address rate
#: limits stay by /64: a mobile carrier's phones each get a /64 out of shared pools, so the /64s of one /56 may be
#: different people, who would then share a budget of forms a minute; those limits only slow a client down, while
#: the caps counted by /56 are what stop one client from locking an account or taking a whole session
IPV6_SUBSCRIBER_PREFIX = 56


def client_key(address: str | None) -> str:
    """The client an address stands for, as the per-address limits and login locks count it: an IPv4 address as
    it is, an IPv6 one by its /64 network (counted alone, each of its 2^64 addresses would bring a fresh budget), an
    IPv4-mapped IPv6 address (::ffff:203.0.113.7, from a dual-stack socket) as the IPv4 address it carries. Anything
    that is not an address is kept as it is."""
    return _network(address, IPV6_CLIENT_PREFIX)


def subscriber_key(address: str | None) -> str:
    """The subscriber an address stands for: as `client_key`, but an IPv6 address by its /56 network."""
    return _network(address, IPV6_SUBSCRIBER_PREFIX)


def _network(address: str | None, prefix: int) -> str:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or "-"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.IPv6Network((ip, prefix), strict=False))
    return str(ip)


def client_address() -> str:
    """The request's client (after ProxyFix, when TRUSTED_PROXIES is set), as `client_key` counts it."""
    return client_key(request.remote_addr)


def subscriber_address() -> str:
    """The request's subscriber, as `subscriber_key` counts it."""
    return subscriber_key(request.remote_addr)


login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# the storage of the per-address limits comes from RATELIMIT_STORAGE_URI (config.py): Redis in production, so that
# every worker and node counts together; memory in development and testing
limiter = Limiter(key_func=client_address, default_limits=[])
