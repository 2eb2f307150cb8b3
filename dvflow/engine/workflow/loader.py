"""YAML loading that keeps line numbers, so every error can say ``file:line``.

``LineLoader`` is a ``yaml.SafeLoader`` whose mappings become ``LineDict`` (a dict that remembers the line of the
mapping and of each key) and whose sequences become ``LineList`` (remembering the line of each item). It also
reports duplicate keys, which plain PyYAML silently overwrites, and reads only ``true``/``false`` as booleans
(YAML 1.1 would turn a choice key ``no`` or ``on`` into a boolean).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import yaml


class WorkflowError(Exception):
    """A problem in a workflow file, rendered as ``path:line: message``."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(file, line, message)
        self.file, self.line, self.message = file, line or 1, message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def __repr__(self) -> str:
        return f"WorkflowError({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkflowError) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class LineDict(dict):
    """A mapping from YAML with ``line`` (its own first line) and ``key_lines`` (line of each key)."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence from YAML with ``line`` and ``item_lines`` (line of each item)."""

    line: int = 1
    item_lines: list[int]


@dataclass(frozen=True)
class DuplicateKey:
    key: Any
    line: int


class LineLoader(yaml.SafeLoader):
    """SafeLoader recording lines; ``duplicates`` collects repeated keys of the document."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in result:
                self.duplicates.append(DuplicateKey(key, line))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_line_list(self, node: yaml.SequenceNode) -> LineList:
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    return loader.construct_mapping(node, deep=True)


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, LineLoader.construct_line_list)

# Booleans: only true/false (any case), not YAML 1.1's yes/no/on/off.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def parse_yaml(text: str, path: str) -> tuple[Any, list[WorkflowError]]:
    """Parse one YAML document; return (data, errors). Syntax errors and duplicate keys are errors."""
    loader = LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        return None, [WorkflowError(path, line, f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [WorkflowError(path, 1, f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    errors = [WorkflowError(path, d.line, f"duplicate key {d.key!r}") for d in loader.duplicates]
    return data, errors


def line_of(data: Any, loc: Iterable[Any]) -> int:
    """The line of the deepest element of ``loc`` (a pydantic error location or a path) found in ``data``.

    Elements that do not name a child (pydantic's union tags like ``list[str]``) are skipped.
    """
    node, line = data, getattr(data, "line", 1)
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.key_lines.get(part, line), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.item_lines[part], node[part]
    return line
