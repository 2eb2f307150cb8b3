"""What a request handler needs, for every face (HTML pages, JSON API, citizen pages) alike: the request's database
session, `now`, the workflow registry, commit-or-409 and the request boundary of the pages.

One transaction per request, committed once:
- the API's handlers call `commit()` once, after their one use case and before they answer;
- a page blueprint (`PageBlueprint`, for the web and the citizen pages) commits at the request boundary: its handler
  loads, checks access, calls one use case (which flushes, never commits) and answers; the boundary then commits
  once when the answer is a success (status below 400) to a writing request (or, marked by `keep_on_refusal`, a
  refusal that must leave a trace: a wrong password's count toward the lock). An exception, an error answer or a
  commit that fails rolls everything back, and the callbacks given to `on_rollback` (e.g. removing a stored file)
  run. A commit refused by the database (a concurrent change, a broken constraint) becomes a `Conflict` (409),
  answered by the app's error handlers, and the messages the handler flashed for its success are taken back.
E-mails are never sent in the request: they are queued in the outbox and sent after the commit.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

from flask import Blueprint, current_app, flash, g, has_request_context, request
from flask import session as cookie_session
from flask.globals import request_ctx
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing.converters import IntegerConverter

from .i18n import said
from .models.base import MAX_INT, MIN_INT
from .services.errors import Conflict, ServiceError

READ_METHODS = ("GET", "HEAD", "OPTIONS")
T = TypeVar("T")
CONFLICT = "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại và thử lại."
# MAX_INT, MIN_INT (models.base): the database's INTEGER range. An id or a number beyond it is refused before any
# query sees it, which would otherwise fail with a 500. The URL rules' <int:…> (BoundedInt, the app's int converter)
# and the API's schemas use the same bound.
_UNDO = "dvflow_on_rollback"


class BoundedInt(IntegerConverter):
    """The app's `<int:…>`: werkzeug's, bounded by the database's INTEGER range unless a rule says otherwise, so an
    id beyond it is a 404 on every face without each rule repeating the bound."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_INT,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def db_session() -> Session:
    """The request's session: read-only for GET and HEAD requests (they never write; on SQLite they then need not
    wait for the write lock), writing for the others."""
    if "db_session" not in g:
        read = has_request_context() and request.method in READ_METHODS
        g.db_session = current_app.extensions["dvflow.read_sessionmaker" if read else "dvflow.sessionmaker"]()
    return g.db_session


def writing_session() -> Session:
    """A session of its own that may write, for the rare write a read request makes (an API token's last use).
    The caller commits and closes it (use it as a context manager)."""
    return current_app.extensions["dvflow.sessionmaker"]()


def write_apart(work: Callable[[Session], T]) -> T:
    """A read request's rare write that must be on record before the answer (a download of a confidential case's
    file), in a writing transaction of its own, committed here; nothing is committed when `work` raises. The
    request's read transaction is ended first (it holds nothing to keep; on SQLite a reader needs no lock, and on a
    test's shared connection its savepoint would otherwise take the write back)."""
    db_session().commit()
    with writing_session() as session:
        result = work(session)
        session.commit()
    return result


def now():
    """The current instant, injectable through the NOW config key (a callable) for tests."""
    from .timeutil import utcnow

    return current_app.config.get("NOW", utcnow)()


def file_store():
    """Where the case files are (dvflow.storage): chosen from the configuration when the app starts."""
    return current_app.extensions["dvflow.files"]


def workflows():
    """The workflow registry, loaded and validated once when the app starts."""
    return current_app.extensions["dvflow.workflows"]


def public_base_url() -> str:
    """The address citizens reach the app at: the configured one, else the one this request came to."""
    return (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


def bounded_int(raw) -> int:
    """`int(raw)` when it is a whole number the database can hold, else ValueError. As the `type=` of
    `request.args.get` / `request.form.get` it makes a value out of range fall back to the default, as one that is
    not a number already does."""
    value = int(raw)
    if not MIN_INT <= value <= MAX_INT:
        raise ValueError(f"{value} is outside the database's integer range")
    return value


def int_or_none(raw: str | None, minimum: int = MIN_INT) -> int | None:
    """The whole number in `raw`, or None when it is absent, not a number, below `minimum` or out of the database's
    range (for the pages that treat a bad value as absent)."""
    try:
        value = bounded_int(raw) if raw is not None and raw.strip() else None
    except ValueError:
        return None
    return value if value is not None and value >= minimum else None


def int_field(source, name: str, label: str, default: int | None = None, *, minimum: int = MIN_INT,
              message: str | None = None) -> int | None:
    """The whole number the field `name` of `source` (request.form or request.args) holds, `default` when it is
    blank; a ServiceError (400) naming the field (`label`, translated; or `message`) when it is not a whole number
    from `minimum` to what the database holds."""
    raw = (source.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = bounded_int(raw)
        if value < minimum:
            raise ValueError(f"{value} is below {minimum}")
        return value
    except ValueError as exc:
        text = message or gettext("%(label)s phải là số nguyên, không quá %(max)s.", label=label, max=MAX_INT)
        raise ServiceError(text, field=name) from exc


# --- NUL characters ------------------------------------------------------------------------------------------------
# PostgreSQL text cannot hold NUL (U+0000): a value holding one fails in the database (a 500), on SQLite it would be
# stored and cut short later. Every face refuses it up front as bad input naming the field: the API over its JSON
# body and query string (api/request.py), the pages over their form, upload names and address (here); a page's query
# string holding one is treated as absent, as any bad value there is (screen_nul).
NUL = "\x00"


def nul_path(value, path: str = "") -> str | None:
    """The path of the first string in `value` (a str, or dicts and lists of them) holding NUL, None when there is
    none: `parties[0].name` as the services and validation errors name it; a key holding NUL is named by its
    parent's path ("" at the top)."""
    if isinstance(value, str):
        return path if NUL in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and NUL in key:
            return path
        found = nul_path(item, _child_path(path, key))
        if found is not None:
            return found
    return None


def _child_path(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _page_nul_field() -> str | None:
    """The name of the first part of a page's request body holding NUL: a form field, an uploaded file's name (its
    field), or the address itself ("URL")."""
    if NUL in request.path:
        return "URL"
    for key, values in request.form.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "\\u0000")
    for key, upload in request.files.items(multi=True):
        if NUL in (upload.filename or ""):
            return key
    return None


def _drop_nul_args() -> None:
    """The query string without its parameters holding NUL: a page's query string is a view's choice (a filter, a
    month, a cursor), and a bad one is treated as absent, never an error, as the pages do for any other bad value."""
    if any(NUL in key or any(NUL in v for v in values) for key, values in request.args.lists()):
        request.args = ImmutableMultiDict([(k, v) for k, values in request.args.lists() if NUL not in k
                                           for v in values if NUL not in v])


def screen_nul() -> None:
    """A page's request as its view may take it: a ServiceError (400) naming the field when its form, an upload's
    name or its address holds NUL; a query parameter holding NUL dropped."""
    field = _page_nul_field()
    if field is not None:
        raise ServiceError("Trường “%(name)s” không được chứa ký tự NUL (\\u0000).", field=field, name=field)
    _drop_nul_args()


def wants_json() -> bool:
    """Whether the request is the API's (answered in JSON, errors included) rather than a page's."""
    return has_request_context() and request.path.startswith("/api/")


# --- one commit per request ------------------------------------------------------------------------------------------

def commit() -> None:
    """Commit the request's work. A concurrent change (StaleDataError) or a broken constraint (IntegrityError)
    rolls back and raises Conflict (409); any failure rolls back (running the `on_rollback` callbacks)."""
    session = db_session()
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        rollback()
        raise Conflict(CONFLICT) from exc
    except BaseException:
        rollback()
        raise
    g.pop(_UNDO, None)  # committed: nothing left to undo


def rollback() -> None:
    """Drop the request's uncommitted work (a use case refused, or the commit failed) and run the `on_rollback`
    callbacks. A handler that goes on reading after a refused use case calls it first."""
    session: Session | None = g.get("db_session")
    if session is not None:
        session.rollback()
    for undo in g.pop(_UNDO, []):
        try:
            undo()
        except Exception:  # undoing one thing must not stop undoing the others, nor hide the first error
            current_app.logger.exception("on_rollback callback failed")


def refuse(exc: ServiceError) -> None:
    """A page's answer to a refused use case before it shows the form again: drop the uncommitted work (running the
    `on_rollback` callbacks) and flash the service's message in the page's language (the catalogue holds the
    services' messages, extracted by error class)."""
    rollback()
    flash(said(exc), "danger")


def on_rollback(undo: Callable[[], None]) -> None:
    """Call `undo` unless the request's work is committed (e.g. remove a file stored for a row that never lands)."""
    g.setdefault(_UNDO, []).append(undo)


def close_db_session(_exc: BaseException | None = None) -> None:
    """Teardown: whatever was not committed is rolled back (and undone), then the session is closed."""
    rollback()
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


_KEEP = "dvflow_keep_on_refusal"


def keep_on_refusal() -> None:
    """Commit what the page wrote although it answers an error: for a refusal that must leave a trace, such as a
    wrong password counted toward the lock (the count would otherwise be rolled back with the refused change)."""
    g.setdefault(_KEEP, True)


def committed(view: Callable) -> Callable:
    """The request boundary of a page view (see the module's docstring); a request holding NUL never reaches it (screen_nul)."""
    @wraps(view)
    def boundary(*args, **kwargs):
        screen_nul()
        writes = request.method not in READ_METHODS
        flashed = list(cookie_session.get("_flashes", ())) if writes else None
        response = current_app.make_response(view(*args, **kwargs))
        if writes and "db_session" in g:
            if response.status_code >= 400 and not g.get(_KEEP):
                rollback()
            else:
                try:
                    commit()
                except Exception:
                    _take_back_flashes(flashed)
                    raise
        return response
    return boundary


def _take_back_flashes(before: list) -> None:
    """The view's success messages are not true once its commit failed: keep only those flashed before it (also
    when the view's page, now discarded, already took them out of the cookie session to show them)."""
    if before:
        cookie_session["_flashes"] = before
    else:
        cookie_session.pop("_flashes", None)
    request_ctx.flashes = None


class PageBlueprint(Blueprint):
    """A blueprint of HTML pages: every view runs inside the request boundary (`committed`)."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None, **options):
        if view_func is not None:
            view_func = committed(view_func)
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)
