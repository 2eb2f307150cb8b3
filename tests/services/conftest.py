"""Fixtures for service tests: the shipped workflows and a small unit tree with users."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from config import ROOT
from dvflow.services.org import accounts
from dvflow.workflows import load_registry

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def workflows():
    return load_registry(str(ROOT / "workflows"))


@pytest.fixture
def org(session):
    """Province > department (STNMT) and a remote commune; a user per role."""
    province = accounts.create_unit(session, "TINH", "UBND tỉnh", level="province")
    dept = accounts.create_unit(session, "STNMT", "Sở NN&MT", parent_code="TINH")
    remote = accounts.create_unit(session, "XA-XA", "Xã Xa", parent_code="TINH", level="commune", remote_area=True)
    other = accounts.create_unit(session, "SYT", "Sở Y tế", parent_code="TINH")
    users = {}
    for name, unit, role in [("reception", dept, "reception"), ("handler", dept, "handler"), ("head", dept, "head"),
                             ("chair", province, "head"), ("supervisor", province, "supervisor"),
                             ("other_head", other, "head"), ("xa_head", remote, "head"),
                             ("xa_reception", remote, "reception")]:
        users[name] = accounts.create_user(session, name, "password-123", now=NOW, email=f"{name}@example.test")
        accounts.grant_role(session, users[name], unit, role)
    return {"province": province, "dept": dept, "remote": remote, "other": other, "users": users}
