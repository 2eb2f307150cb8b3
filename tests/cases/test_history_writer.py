"""Case history has one writer: every `case_events` row goes through services.cases.history.write."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dvflow"
WRITER = PACKAGE / "services" / "cases" / "history.py"


def _writes_case_events(tree: ast.AST) -> list[int]:
    """Lines that build a CaseEvent row or an insert statement on its table."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "CaseEvent":
                lines.append(node.lineno)
            if name in ("insert", "BulkInsert") and "CaseEvent" in ast.unparse(node):
                lines.append(node.lineno)
    return lines


def test_only_the_history_module_writes_case_events():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        if path == WRITER or "models" in path.relative_to(PACKAGE).parts:
            continue
        found = _writes_case_events(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(PACKAGE))] = found
    assert offenders == {}


def test_the_check_finds_a_writer():
    sample = ast.parse("session.add(CaseEvent(case_id=1))\nsession.execute(insert(CaseEvent.__table__), rows)")
    assert _writes_case_events(sample) == [1, 2]
