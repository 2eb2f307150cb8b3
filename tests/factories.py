"""What many tests build the same way: the frozen instant NOW and the organisation (a unit tree with a user per role).

Imported as `factories` (pytest puts tests/ on sys.path for its top-level conftest).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

# Wednesday 25/11/2026, 09:00 in Hanoi: the `clock` fixture's start and the `now` of the fixtures' records
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
PASSWORD = "password-123"

# key -> (code, name, parent code, extra create_unit arguments), in the order they are created
UNITS = {
    "province": ("TINH", "UBND tỉnh", None, {"level": "province"}),
    "dept": ("STNMT", "Sở NN&MT", "TINH", {}),
    "remote": ("XA-XA", "Xã Xa", "TINH", {"level": "commune", "remote_area": True}),
    "other": ("SYT", "Sở Y tế", "TINH", {}),
}
# username -> (unit key, role)
USERS = {
    "reception": ("dept", "reception"),
    "handler": ("dept", "handler"),
    "head": ("dept", "head"),
    "chair": ("province", "head"),
    "supervisor": ("province", "supervisor"),
    "other_head": ("other", "head"),
    "other_handler": ("other", "handler"),
    "admin": ("province", "admin"),
    "xa_head": ("remote", "head"),
    "xa_reception": ("remote", "reception"),
}

# the trees the suites use: services (with the remote commune and the province's chair), API and web pages
SERVICE_ORG = {"units": ("province", "dept", "remote", "other"),
               "users": ("reception", "handler", "head", "chair", "supervisor", "other_head", "xa_head",
                         "xa_reception"),
               "full_names": False}
API_ORG = {"units": ("province", "dept", "other"),
           "users": ("reception", "handler", "head", "supervisor", "other_head", "other_handler"),
           "tokens": True}
WEB_ORG = {"units": ("province", "dept", "other"),
           "users": ("reception", "handler", "head", "supervisor", "other_head", "other_handler", "admin")}


def make_org(session, *, units: Iterable[str], users: Iterable[str], full_names: bool = True,
             tokens: bool = False, now: datetime = NOW) -> dict:
    """Create the units (keys of UNITS) and users (keys of USERS), each user with its one role, password PASSWORD
    and e-mail <name>@example.test; full name "Cán bộ <name>" when `full_names`; a personal API token each when
    `tokens`. Returns the units by key, "users" by name and, with tokens, "tokens" (the raw tokens) by name."""
    from dvflow.services.org import accounts
    from dvflow.services.org import tokens as token_service

    org: dict = {}
    for key in units:
        code, name, parent_code, extra = UNITS[key]
        org[key] = accounts.create_unit(session, code, name, parent_code=parent_code, **extra)
    org["users"], raw = {}, {}
    for name in users:
        unit_key, role = USERS[name]
        user = accounts.create_user(session, name, PASSWORD, now=now, full_name=f"Cán bộ {name}" if full_names else "",
                                    email=f"{name}@example.test")
        accounts.grant_role(session, user, org[unit_key], role)
        org["users"][name] = user
        if tokens:
            raw[name] = token_service.create_token(session, user, "kiểm thử", now)[1]
    if tokens:
        org["tokens"] = raw
    session.flush()
    return org


#: identity keys (dvflow.crypto) for the tests that build a production configuration, which requires them
PRODUCTION_IDENTITY_KEYS = {"IDENTITY_KEYS": "p1:" + "A" * 43 + "=", "IDENTITY_HASH_KEY": "B" * 43 + "="}
PRODUCTION_IDENTITY_ENV = {f"DVFLOW_{k}": v for k, v in PRODUCTION_IDENTITY_KEYS.items()}
