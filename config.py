"""Configuration from environment variables.

Nothing is read at import time: `load_config()` reads the environment when the app is created, so tests and
commands can pass their own values. Every variable is documented in README.md.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from argon2 import DEFAULT_MEMORY_COST, DEFAULT_PARALLELISM, DEFAULT_TIME_COST

ROOT = Path(__file__).resolve().parent
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used (e.g. a missing secret key in production)."""


class Config:
    """Defaults shared by every environment."""

    ENV = "production"
    TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'dvflow.sqlite3'}"
    WORKFLOWS_DIR = str(ROOT / "workflows")
    UPLOAD_DIR = str(ROOT / "instance" / "uploads")
    # the case files in an S3-compatible bucket instead of UPLOAD_DIR (dvflow.storage), so that every web node sees
    # them; empty: UPLOAD_DIR on this machine. Credentials: boto3's own (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
    S3_BUCKET = ""
    S3_ENDPOINT_URL = ""
    S3_REGION = "us-east-1"
    S3_PREFIX = ""
    #: the document templates and their manifest (documents.yaml); empty: WORKFLOWS_DIR/documents
    DOCUMENTS_DIR = ""
    #: convert an issued document to PDF (LibreOffice headless, when installed) in the issuing action
    DOCUMENTS_PDF = True
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SWEEP_INTERVAL_SECONDS = 60
    DISPATCH_INTERVAL_SECONDS = 60
    SWEEP_BATCH_SIZE = 200
    MAIL_MAX_ATTEMPTS = 12
    MAIL_TIMEOUT_SECONDS = 10
    MAIL_HOST = ""
    MAIL_PORT = 25
    MAIL_USER = ""
    MAIL_PASSWORD = ""
    MAIL_TLS = False
    MAIL_SENDER = "dvflow@localhost"
    SECRET_KEY: str | None = None
    # Ed25519 key (base64 of 32 bytes) signing the daily digests of the case history; public keys of earlier
    # signing keys, so that what they signed still verifies (services.audit.keys)
    AUDIT_SIGNING_KEY: str | None = None
    AUDIT_VERIFY_KEYS = ""
    # AES-256-GCM keys of the parties' identity at rest (dvflow.crypto): "keyid:base64key,…", the first encrypts,
    # all decrypt; and the HMAC-SHA256 keys of the identity-number lookup hash and the receipts' secrets ("base64key,
    # …", 32 bytes each): the first hashes, the others only verify receipts printed before it. IDENTITY_HASH_KEY is
    # the same setting for one key (IDENTITY_HASH_KEYS, when set, is the one read)
    IDENTITY_KEYS: str | None = None
    IDENTITY_HASH_KEYS: str | None = None
    IDENTITY_HASH_KEY: str | None = None
    # the address citizens reach the app at (printed on receipts and in their QR codes); empty: the request's own
    PUBLIC_BASE_URL = ""
    # argon2 cost of hashing a new password (dvflow.security); argon2's own defaults outside the tests
    PASSWORD_HASH_TIME_COST = DEFAULT_TIME_COST
    PASSWORD_HASH_MEMORY_COST = DEFAULT_MEMORY_COST  # KiB
    PASSWORD_HASH_PARALLELISM = DEFAULT_PARALLELISM
    # a session ends after this long without a request, and this long after its login whatever happens
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    # roles that must sign in with a TOTP second factor (enrolment is asked at the first login)
    TOTP_REQUIRED_ROLES = ("head", "admin")
    # where the per-address limits (logins, tracking lookups, bookings) and the per-address login locks are counted:
    # one Redis for every worker and node (Flask-Limiter, `limits`)
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
    # while that storage is unreachable each process counts alone in memory, rather than refusing every login
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # a Redis that accepts connections but never answers (paused, swapping, a link dropping packets) would hold the
    # request's thread for ever, and gunicorn's gthread workers never time a thread out: after half a second the
    # call fails, and the limiter counts in memory (the fallback above) and tries Redis again later
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    # a storage failing between the check and a deduction made after the answer (deduct_when) is logged, not a 500
    RATELIMIT_SWALLOW_ERRORS = True
    # memory:// in production counts each process alone (every worker and node multiplies the limits): refused
    # unless this says the app really runs as one process (DVFLOW_RATELIMIT_SINGLE_PROCESS=1)
    RATELIMIT_SINGLE_PROCESS = False
    # how many reverse proxies (setting X-Forwarded-For / -Proto) stand before the app: the per-address limits must
    # count the client's address, not the proxy's; 0 when gunicorn faces the clients itself
    TRUSTED_PROXIES = 0
    # Strict-Transport-Security on every answer (HTTPS only: production)
    HSTS = True


class DevelopmentConfig(Config):
    ENV = "development"
    SECRET_KEY = "dvflow-development-only-key"
    AUDIT_SIGNING_KEY = "/NVCZ2pJ6p15jer4OL6s6h14KZtM5ON5Idk9jV5EDxU="  # sha256 of a public text: never in production
    # sha256 of "dvflow development identity key" / "… hash key": public texts, never in production
    IDENTITY_KEYS = "dev1:fO0L2j7i5PHfl6RMc3Jd7XoFbwZyJiuCNZH6ZmbL4C4="
    IDENTITY_HASH_KEY = "Uhp7otCMjNRJYsFRoFDa+vtCwP6E3selkEbOEWzHbRw="
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    HSTS = False


class TestingConfig(DevelopmentConfig):
    ENV = "testing"
    TESTING = True
    SECRET_KEY = "dvflow-testing-only-key"
    # the cheapest argon2 hash (~0.1 ms instead of ~0.2 s): the tests create several users each
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 8  # KiB, argon2's minimum for one lane
    PASSWORD_HASH_PARALLELISM = 1
    # most tests log in as heads without a phone; the tests of the second factor set the roles themselves
    TOTP_REQUIRED_ROLES = ()
    # a conversion takes seconds: the tests of documents turn it on where they look at the PDF
    DOCUMENTS_PDF = False


class ProductionConfig(Config):
    ENV = "production"


_CLASSES = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}

# environment variable -> (config key, converter)
_VARIABLES = {
    "DVFLOW_DATABASE_URL": ("DATABASE_URL", str),
    "DVFLOW_SECRET_KEY": ("SECRET_KEY", str),
    "DVFLOW_AUDIT_SIGNING_KEY": ("AUDIT_SIGNING_KEY", str),
    "DVFLOW_AUDIT_VERIFY_KEYS": ("AUDIT_VERIFY_KEYS", str),
    "DVFLOW_IDENTITY_KEYS": ("IDENTITY_KEYS", str),
    "DVFLOW_IDENTITY_HASH_KEYS": ("IDENTITY_HASH_KEYS", str),
    "DVFLOW_IDENTITY_HASH_KEY": ("IDENTITY_HASH_KEY", str),
    "DVFLOW_WORKFLOWS_DIR": ("WORKFLOWS_DIR", str),
    "DVFLOW_UPLOAD_DIR": ("UPLOAD_DIR", str),
    "DVFLOW_S3_BUCKET": ("S3_BUCKET", str),
    "DVFLOW_S3_ENDPOINT_URL": ("S3_ENDPOINT_URL", str),
    "DVFLOW_S3_REGION": ("S3_REGION", str),
    "DVFLOW_S3_PREFIX": ("S3_PREFIX", str),
    "DVFLOW_DOCUMENTS_DIR": ("DOCUMENTS_DIR", str),
    "DVFLOW_SWEEP_INTERVAL_SECONDS": ("SWEEP_INTERVAL_SECONDS", int),
    "DVFLOW_DISPATCH_INTERVAL_SECONDS": ("DISPATCH_INTERVAL_SECONDS", int),
    "DVFLOW_SWEEP_BATCH_SIZE": ("SWEEP_BATCH_SIZE", int),
    "DVFLOW_MAIL_MAX_ATTEMPTS": ("MAIL_MAX_ATTEMPTS", int),
    "DVFLOW_MAIL_TIMEOUT_SECONDS": ("MAIL_TIMEOUT_SECONDS", int),
    "DVFLOW_MAIL_HOST": ("MAIL_HOST", str),
    "DVFLOW_MAIL_PORT": ("MAIL_PORT", int),
    "DVFLOW_MAIL_USER": ("MAIL_USER", str),
    "DVFLOW_MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "DVFLOW_MAIL_TLS": ("MAIL_TLS", lambda v: v.lower() in ("1", "true", "yes", "on")),
    "DVFLOW_MAIL_SENDER": ("MAIL_SENDER", str),
    "DVFLOW_PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "DVFLOW_SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", int),
    "DVFLOW_SESSION_MAX_HOURS": ("SESSION_MAX_HOURS", int),
    "DVFLOW_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "DVFLOW_RATELIMIT_SINGLE_PROCESS": ("RATELIMIT_SINGLE_PROCESS", lambda v: v.lower() in ("1", "true", "yes", "on")),
    "DVFLOW_TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "DVFLOW_TOTP_REQUIRED_ROLES": ("TOTP_REQUIRED_ROLES",
                                   lambda v: tuple(r.strip() for r in v.split(",") if r.strip() and r.strip() != "-")),
}


def _class_values(cls: type) -> dict:
    values = {}
    for klass in reversed(cls.__mro__):
        values.update({k: v for k, v in vars(klass).items() if k.isupper()})
    return values


def load_config(environ: Mapping[str, str] | None = None, overrides: Mapping | None = None) -> dict:
    """Build the app's configuration: class defaults for DVFLOW_ENV, then variables, then overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    env = overrides.get("ENV") or environ.get("DVFLOW_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"DVFLOW_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    values = _class_values(_CLASSES[env])
    for variable, (key, convert) in _VARIABLES.items():
        if environ.get(variable):
            try:
                values[key] = convert(environ[variable])
            except ValueError as exc:
                raise ConfigError(f"{variable}: {exc}") from exc
    values.update(overrides)
    if environ.get("DVFLOW_IDENTITY_HASH_KEYS") and environ.get("DVFLOW_IDENTITY_HASH_KEY"):
        raise ConfigError("Set DVFLOW_IDENTITY_HASH_KEYS or DVFLOW_IDENTITY_HASH_KEY, not both "
                          "(DVFLOW_IDENTITY_HASH_KEYS lists the current hash key first, then the earlier ones)")
    if not values.get("SECRET_KEY"):
        raise ConfigError("DVFLOW_SECRET_KEY must be set outside development and testing")
    if not values.get("AUDIT_SIGNING_KEY"):
        raise ConfigError("DVFLOW_AUDIT_SIGNING_KEY must be set outside development and testing "
                          "(flask --app wsgi dvflow audit keygen prints a new key)")
    if not values.get("IDENTITY_KEYS"):
        raise ConfigError("DVFLOW_IDENTITY_KEYS must be set outside development and testing "
                          "(flask --app wsgi dvflow identity keygen prints new keys)")
    if not values.get(_hash_setting(values)):
        raise ConfigError("DVFLOW_IDENTITY_HASH_KEYS (or DVFLOW_IDENTITY_HASH_KEY) must be set outside development and "
                          "testing (flask --app wsgi dvflow identity keygen prints new keys)")
    if env == "production":
        _refuse_public_keys(values)
        _refuse_per_process_limits(values)
    return values


def _refuse_per_process_limits(values: Mapping) -> None:
    """memory:// counts each worker and node alone: the limits silently multiply (3 workers on 2 nodes: 60 logins a
    minute instead of 10). Production takes it only when told the app runs as one process."""
    uri = str(values.get("RATELIMIT_STORAGE_URI") or "")
    if uri.startswith("memory:") and not values.get("RATELIMIT_SINGLE_PROCESS"):
        raise ConfigError("DVFLOW_RATELIMIT_STORAGE_URI=memory:// đếm giới hạn riêng trong từng tiến trình, nên mỗi "
                          "worker, mỗi máy chủ web lại có một hạn mức riêng: hãy dùng Redis chung "
                          "(redis://máy-chủ:6379), hoặc đặt DVFLOW_RATELIMIT_SINGLE_PROCESS=1 nếu ứng dụng chỉ chạy "
                          "một tiến trình")


#: the settings whose development and testing values are written in this file: public, never for production
_PUBLIC_SOURCES = (DevelopmentConfig, TestingConfig)


def _hash_setting(values: Mapping) -> str:
    """The setting that gives the hash keys: IDENTITY_HASH_KEYS when set, else the single IDENTITY_HASH_KEY (as
    dvflow.crypto.hash_keys_text reads them)."""
    return "IDENTITY_HASH_KEYS" if values.get("IDENTITY_HASH_KEYS") else "IDENTITY_HASH_KEY"


def _key_material(setting: str, text: str | None) -> list[str]:
    """The keys a setting holds, without their ids and spaces, in order (the first is the one in use)."""
    if not setting.startswith("IDENTITY_"):  # one secret, whatever it contains
        return [text.strip()] if (text or "").strip() else []
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    if setting == "IDENTITY_KEYS":
        items = [item.partition(":")[2].strip() for item in items]
    return items


def _refuse_public_keys(values: dict) -> None:
    """Production refuses the public values of this file: anyone can read them, so what they sign, encrypt or hash
    is not protected. An earlier key may stay listed after the current one (IDENTITY_KEYS to decrypt, the hash keys
    to verify receipts) so that `identity rotate-key` can move a database away from it; none may be in use."""
    public = {setting: {k for source in _PUBLIC_SOURCES for k in _key_material(setting, getattr(source, setting))}
              for setting in ("SECRET_KEY", "AUDIT_SIGNING_KEY", "IDENTITY_KEYS", "IDENTITY_HASH_KEY")}
    hash_setting = _hash_setting(values)
    checks = (("SECRET_KEY", "SECRET_KEY"), ("AUDIT_SIGNING_KEY", "AUDIT_SIGNING_KEY"),
              ("IDENTITY_KEYS", "IDENTITY_KEYS"), (hash_setting, "IDENTITY_HASH_KEY"))
    for setting, kind in checks:
        material = _key_material(setting, values.get(setting))
        if material and material[0] in public[kind]:
            raise ConfigError(f"DVFLOW_{setting} is the public development or testing value of config.py: production "
                              f"needs a secret value of its own ({_NEW_KEY[kind]})")


_NEW_KEY = {"SECRET_KEY": "a long random text, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'",
            "AUDIT_SIGNING_KEY": "flask --app wsgi dvflow audit keygen prints a new key",
            "IDENTITY_KEYS": "flask --app wsgi dvflow identity keygen prints a new key: put it first, then run "
                             "identity rotate-key",
            "IDENTITY_HASH_KEY": "flask --app wsgi dvflow identity keygen prints a new hash key: put it first in "
                                 "DVFLOW_IDENTITY_HASH_KEYS, then run identity rotate-key"}
