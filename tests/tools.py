"""Tests that need a program of the machine (Chromium, LibreOffice, pdftoppm).

On a developer's machine without it such a test is skipped with the command that installs it. In CI, `.ci/run`
installs the programs and sets DVFLOW_TEST_REQUIRE_TOOLS=1: a program still missing then fails the test, so a
broken install can never let CI pass with those tests unseen.
"""
from __future__ import annotations

import os

import pytest

REQUIRED = os.environ.get("DVFLOW_TEST_REQUIRE_TOOLS") == "1"


def require(available: bool, reason: str) -> None:
    if not available:
        if REQUIRED:
            pytest.fail(f"{reason} (DVFLOW_TEST_REQUIRE_TOOLS=1)")
        pytest.skip(reason)
