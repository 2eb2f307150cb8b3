"""Schedule page fixtures: the web tree (province, department, other department, a user per role) and logging in
through the real form, like tests/web."""
from __future__ import annotations

from web.conftest import login, org  # noqa: F401 - the same fixtures as the web pages' tests
