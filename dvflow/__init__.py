"""dvflow: a workflow engine for citizen complaints, denunciations, petitions, reception and dialogues.

This module imports neither Flask nor SQLAlchemy at import time, so `dvflow.engine` stays importable alone.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> "Flask":
    """Build the app. Never migrates, never starts the scheduler: those are commands of their own."""
    from flask import Flask

    from config import ROOT, load_config

    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_mapping(load_config(overrides=overrides))
    from .security import configure_from

    configure_from(app.config)
    _init_identity_keys(app)
    _init_proxies(app)
    _init_database(app)
    _check_identity_keys(app)
    _init_files(app)
    _init_workflows(app)
    _init_faces(app)
    from .cli import register_cli

    register_cli(app)
    return app


def _init_proxies(app: "Flask") -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client's address and scheme are the ones they forward (the
    per-address login limits count clients, not the proxy); with none, forwarded headers are ignored (a client
    could forge them)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    else:
        from .ratelimits import warn_forwarded_without_proxies

        warn_forwarded_without_proxies(app)


def _init_identity_keys(app: "Flask") -> None:
    """The keys of the parties' identity at rest (dvflow.crypto), installed for the whole process: the models' column
    type reads them there (the models import no Flask), and the pages, API, CLI commands and the scheduler all run in
    an app made here. Malformed keys stop the app from starting, as a missing one does in production (config.py)."""
    from config import ConfigError

    from . import crypto

    try:
        crypto.install_from(app.config)
    except crypto.IdentityKeyError as exc:
        raise ConfigError(str(exc)) from exc


def _check_identity_keys(app: "Flask") -> None:
    """Each key id of DVFLOW_IDENTITY_KEYS must be the key that id has always named (services.identity.key_checks:
    one small query at start): a wrong key under a known id stops the app before it writes anything with it."""
    from config import ConfigError

    from . import crypto
    from .services.identity import key_checks
    from .timeutil import utcnow

    try:
        key_checks.verify(app.extensions["dvflow.bind"], app.config.get("NOW", utcnow)())
    except crypto.IdentityKeyError as exc:
        raise ConfigError(str(exc)) from exc


def _init_database(app: "Flask") -> None:
    from . import db as dbmod

    bind = app.config.get("DB_BIND")
    if bind is None:
        bind = dbmod.make_engine(app.config["DATABASE_URL"])
    app.extensions["dvflow.bind"] = bind
    app.extensions["dvflow.sessionmaker"] = dbmod.make_session_factory(bind)
    app.extensions["dvflow.read_sessionmaker"] = dbmod.make_session_factory(bind, read_only=True)


def _init_files(app: "Flask") -> None:
    """Where the case files are (dvflow.storage): the S3 bucket when S3_BUCKET is set, else UPLOAD_DIR."""
    from config import ConfigError

    from . import storage

    try:
        app.extensions["dvflow.files"] = storage.from_config(app.config)
    except storage.StorageError as exc:
        raise ConfigError(str(exc)) from exc


def _init_workflows(app: "Flask") -> None:
    """Load and validate every workflow; an invalid one stops the app from starting."""
    from .workflows import load_registry

    app.extensions["dvflow.workflows"] = load_registry(app.config["WORKFLOWS_DIR"])


def _init_faces(app: "Flask") -> None:
    """What the faces share (extensions, the request's session, the page language, error answers), then the three
    faces, which never import each other: the HTML pages, the JSON API and the citizen pages."""
    from .error_pages import register_error_handlers
    from .extensions import babel, csrf, limiter
    from .i18n import register_i18n, select_locale
    from .request import BoundedInt, close_db_session

    app.url_map.converters["int"] = BoundedInt  # before any rule is added: every <int:…> is bounded
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_timezone=app.config["TIMEZONE"])
    limiter.init_app(app)
    from .ratelimits import init_limits

    init_limits(app)
    app.teardown_appcontext(close_db_session)
    register_i18n(app)
    register_error_handlers(app)
    _init_security_headers(app)
    from .api import init_api
    from .public import init_public
    from .web import init_web

    init_web(app)
    init_api(app)
    init_public(app)


# Security headers on every answer (pages, API, static files, error pages). The Content-Security-Policy allows
# scripts, styles, images and form targets from this site only: no inline script or event-handler attribute runs
# (the templates have none; tests/security checks it) and no page may be framed. Strict-Transport-Security only
# where HSTS is configured (production, served over HTTPS).
CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def _init_security_headers(app: "Flask") -> None:
    hsts = bool(app.config.get("HSTS"))

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
