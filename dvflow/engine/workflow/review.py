"""The ``review:`` notes of workflow files: doubtful legal readings left for a lawyer.

A rule, a transition or a clock may carry ``review: "..."``. It changes nothing at run time; ``flask dvflow workflows
check`` prints each note as a warning with its ``file:line`` (the exit code stays 0), and the rules table
(``rules_table.py``) shows it beside the rule.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from dvflow.engine.workflow.loader import LineDict, LineList, WorkflowError, parse_yaml
from dvflow.engine.workflow.registry import yaml_files


def _note(node: Any, path: str, where: str) -> Iterator[WorkflowError]:
    if isinstance(node, LineDict) and isinstance(node.get("review"), str):
        line = node.key_lines.get("review", node.line)
        yield WorkflowError(path, line, f"cần rà soát ({where}): {node['review']}")


def review_notes_of(text: str, path: str) -> list[WorkflowError]:
    """The review notes of one workflow text, in file order; a file that does not parse has none (its errors are
    reported by ``check_paths``)."""
    data, _ = parse_yaml(text, path)
    if not isinstance(data, LineDict):
        return []
    notes: list[WorkflowError] = []
    transitions = data.get("transitions")
    for item in transitions if isinstance(transitions, LineList) else ():
        trigger = item.get("trigger") if isinstance(item, LineDict) else None
        notes += _note(item, path, f"hành động {trigger}")
    clocks = data.get("clocks")
    for name, clock in clocks.items() if isinstance(clocks, LineDict) else ():
        notes += _note(clock, path, f"thời hạn {name}")
        rules = clock.get("rules") if isinstance(clock, LineDict) else None
        for i, rule in enumerate(rules if isinstance(rules, LineList) else ()):
            notes += _note(rule, path, f"thời hạn {name}, quy tắc {i + 1}")
    return sorted(notes, key=lambda e: e.line)


def review_notes(paths: Iterable[str | Path]) -> list[WorkflowError]:
    """The review notes of the given files and directories (``*.yaml``), file by file."""
    notes: list[WorkflowError] = []
    for p in yaml_files(paths):
        try:
            notes += review_notes_of(p.read_text(encoding="utf-8"), str(p))
        except (OSError, UnicodeDecodeError):
            continue  # check_paths reports the unreadable file
    return notes
