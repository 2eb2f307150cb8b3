"""The layers (pyproject.toml, [tool.importlinter]) hold: `make test` runs lint-imports, and so does this test, so a
broken layer also fails pytest. The other tests here keep the contracts themselves honest."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dvflow"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _contract(name_start: str) -> dict:
    return next(c for c in _config()["contracts"] if c["name"].startswith(name_start))


def test_import_contracts_are_kept(capsys):
    from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    report = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
    assert code == EXIT_STATUS_SUCCESS, report
    assert "0 broken" in report


def test_every_python_folder_is_a_package():
    """A folder without __init__.py is a namespace package, which import-linter does not see: its modules would
    escape every contract (dvflow/web/org did)."""
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists()) == []


def test_the_engine_contract_names_every_other_dvflow_module():
    """The engine may import no other dvflow module: the contract lists them all, so a new one is not forgotten."""
    tops = {f"dvflow.{p.stem if p.is_file() else p.name}" for p in PACKAGE.iterdir()
            if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    forbidden = set(_contract("The engine")["forbidden_modules"])
    assert tops - {"dvflow.engine"} <= forbidden
    assert {"flask", "sqlalchemy"} <= forbidden and _config()["include_external_packages"] is True


@pytest.mark.parametrize("face", ["web", "public"])
def test_pages_never_commit_by_hand(face):
    """Pages commit once, at the request boundary (dvflow.request.PageBlueprint): no handler commits itself."""
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in (PACKAGE / face).rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"\.commit\(|\bcommit\(\)", line)]
    assert hits == []
