"""The engine imports neither Flask nor SQLAlchemy: checked in a fresh interpreter, module by module."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy")

IMPORT_ALL = """
import importlib, json, pkgutil, sys
{prelude}
import dvflow.engine as engine
names = ["dvflow.engine"]
for info in pkgutil.walk_packages(engine.__path__, "dvflow.engine."):
    importlib.import_module(info.name)
    names.append(info.name)
print(json.dumps({{"modules": names, "loaded": sorted(m for m in {forbidden} if m in sys.modules)}}))
"""

# Makes `dvflow` a bare package (its __init__ not executed), to judge the engine modules on their own.
BARE_PACKAGE = """
import types
pkg = types.ModuleType("dvflow"); pkg.__path__ = [{path!r}]; sys.modules["dvflow"] = pkg
"""


def run(prelude: str = "") -> dict:
    code = IMPORT_ALL.format(prelude=prelude, forbidden=FORBIDDEN)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_engine_modules_themselves_import_neither_flask_nor_sqlalchemy() -> None:
    result = run(BARE_PACKAGE.format(path=str(ROOT / "dvflow")))
    assert "dvflow.engine.workflow.runtime" in result["modules"]
    assert "dvflow.engine.types" in result["modules"]
    assert result["loaded"] == []


def test_importing_dvflow_engine_loads_neither_flask_nor_sqlalchemy() -> None:
    result = run()
    assert len(result["modules"]) > 5
    assert result["loaded"] == [], (
        f"`import dvflow.engine` loaded {result['loaded']}: the package root dvflow/__init__.py must not import "
        "them at module level (import Flask and the database inside create_app)")
