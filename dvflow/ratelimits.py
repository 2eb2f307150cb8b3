"""The app's abuse limits beside the limiter itself (dvflow.extensions): the limits the faces share, the login locks'
storage, what the limiter says reaching the app's log, the start-up check of the storage, the Retry-After of a 429,
and the warning about a proxy whose forwarded addresses are ignored.

The figures are in README.md ("Public tracking", "Logins, sessions and accounts", "Booking"); keep both true.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import time
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, request

from .extensions import client_address, limiter, subscriber_address
from .services.org.login_locks import AddressLocks, Origin

log = logging.getLogger("dvflow.limits")

#: one budget per address for everything that tells a right tracking secret from a wrong one: the page's lookup,
#: the page's rating form, the API's lookup and the API's rating (each with a budget of its own, an address had 4×)
TRACKING_LIMIT = "20 per minute"
tracking_limit = limiter.shared_limit(TRACKING_LIMIT, scope="tracking")
#: wrong secrets tried on one tracking code, from every address together: a code's secret cannot be guessed from
#: many addresses at once. Only a wrong secret counts (the answer 404); once spent, the code is refused to everyone
#: until the day is over, its citizen too (a receipt reprinted with a new secret does not change the code)
WRONG_SECRETS_PER_CODE = "30 per day"


def tracking_code_key() -> str:
    """The tracking code a lookup or rating names (form or JSON body), in one form; "-" when it names none."""
    data = request.get_json(silent=True) if request.is_json else request.form
    code = data.get("tracking_code") if hasattr(data, "get") else None  # a JSON body may be a list, a number …
    code = code.strip().upper() if isinstance(code, str) else ""
    return f"code:{code[:40]}" if code else "-"


def _wrong_secret(response) -> bool:
    return response.status_code == 404


wrong_secret_limit = limiter.shared_limit(WRONG_SECRETS_PER_CODE, scope="tracking-code", key_func=tracking_code_key,
                                          deduct_when=_wrong_secret)


def init_limits(app: Flask) -> None:
    """After limiter.init_app: the login locks' storage, the limiter's log lines, the production check."""
    from limits.storage import storage_from_string

    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                  **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
    app.extensions["dvflow.login_locks"] = AddressLocks(storage)
    _route_limiter_log(app)
    if app.config.get("ENV") == "production":
        _check_storage(app, storage)


class _ToAppLog(logging.Handler):
    """Hands flask-limiter's records to the app's logger ("dvflow.limits", under the app's "dvflow" logger with its
    handlers): Flask-Limiter's own logger holds only a NullHandler, and gunicorn configures no root logger, so its
    "falling back to in-memory storage" went nowhere."""

    def emit(self, record: logging.LogRecord) -> None:
        if log.isEnabledFor(record.levelno):
            log.handle(record)


def _route_limiter_log(app: Flask) -> None:
    app.logger  # noqa: B018 - Flask adds its stderr handler to the "dvflow" logger when the app's logger is first read
    source = logging.getLogger("flask-limiter")
    if not any(isinstance(h, _ToAppLog) for h in source.handlers):  # one per process, however many apps
        source.addHandler(_ToAppLog())
        source.propagate = False  # the app's logger passes it on to the root: not twice


def _check_storage(app: Flask, storage) -> None:
    where = _without_password(app.config["RATELIMIT_STORAGE_URI"])
    if where.startswith("memory:"):
        log.warning("rate limits and login locks are counted in this process's memory (%s, "
                    "DVFLOW_RATELIMIT_SINGLE_PROCESS=1): run exactly one process", where)
        return
    try:
        healthy = storage.check()
    except Exception as exc:  # the client's own errors, whatever the storage
        healthy, where = False, f"{where}: {exc}"
    if not healthy:
        log.error("rate limit storage unreachable at start-up (%s): until it answers, each process counts the "
                  "per-address limits and login locks alone, in its own memory", where)


def _without_password(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def login_locks() -> AddressLocks:
    return current_app.extensions["dvflow.login_locks"]


def origin() -> Origin:
    """The request's client and the per-address login locks (services.org.login)."""
    return Origin(address=client_address(), locks=login_locks(), subscriber=subscriber_address())


def retry_after() -> int | None:
    """Seconds until the limit this request broke lets it through again (a 429's Retry-After), or None."""
    current = limiter.current_limit
    if current is None:
        return None
    try:
        reset_at = current.reset_at
    except Exception:  # the storage failed since: no figure rather than no answer
        return None
    return max(1, math.ceil(reset_at - time.time()))


def warn_forwarded_without_proxies(app: Flask) -> None:
    """With TRUSTED_PROXIES 0, a forwarded address is ignored (a client could forge it). When the peer sending one
    is on this machine or a private network, the app most likely stands behind a proxy whose setting was forgotten,
    and every client is counted as the proxy: one person can use up the whole province's login and lookup limits.
    Said once per process in the log."""
    warned: list[bool] = []

    @app.before_request
    def _forwarded_but_not_trusted():
        if warned or "X-Forwarded-For" not in request.headers:
            return None
        try:
            peer = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            return None
        if peer.is_loopback or peer.is_private:
            warned.append(True)
            log.warning("DVFLOW_TRUSTED_PROXIES is 0, but %s (a loopback or private address) sends X-Forwarded-For: "
                        "behind a reverse proxy every client is counted as the proxy's address by the per-address "
                        "limits; set DVFLOW_TRUSTED_PROXIES to the number of proxies", peer)
        return None
