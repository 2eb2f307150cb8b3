"""Loading workflow files into a registry of definitions, keyed by workflow id and by version hash.

``load_text`` / ``load_file`` return a Definition or raise ``WorkflowLoadFailed`` carrying every error found;
``check_paths`` returns the errors of files and directories without raising (for ``flask dvflow workflows check``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from pydantic import ValidationError

from dvflow.engine.workflow.definition import Definition, build_definition
from dvflow.engine.workflow.loader import WorkflowError, line_of, parse_yaml
from dvflow.engine.workflow.schema import WorkflowSpec
from dvflow.engine.workflow.validate import validate_spec


class WorkflowLoadFailed(WorkflowError):
    """One or more errors in workflow files; ``errors`` lists them all, ``str()`` shows one per line."""

    def __init__(self, errors: list[WorkflowError]) -> None:
        first = errors[0]
        super().__init__(first.file, first.line, first.message)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def _resolve(data: object, loc: tuple) -> list[object]:
    """The parts of a pydantic location that name keys or items present in the data (drops union tags)."""
    node, parts = data, []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue
        parts.append(part)
    return parts


def _pydantic_errors(exc: ValidationError, data: object, path: str) -> list[WorkflowError]:
    found: list[tuple[str, bool, WorkflowError]] = []  # (where, from a union branch, error)
    for err in exc.errors():
        loc, parts = err["loc"], _resolve(data, err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r}"
            parts = parts[:-1]
        elif err["type"] == "missing":
            msg = f"missing required key {loc[-1]!r}"
        branch = err["type"] not in ("missing", "extra_forbidden") and len(parts) < len(loc)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
        line = line_of(data, loc)
        found.append((where, branch, WorkflowError(path, line, f"{where}: {msg}" if where else msg)))
    deeper = {w for w, branch, _ in found if branch}
    out: dict[object, WorkflowError] = {}
    for where, branch, error in found:
        if branch and any(d != where and d.startswith(where) for d in deeper):
            continue  # a union branch that got further explains the problem better
        out.setdefault((error.line, where) if branch else str(error), error)  # one message per union
    return list(out.values())


def _transition_lines(data: object) -> list[int]:
    items = data.get("transitions") if isinstance(data, dict) else None
    return list(getattr(items, "item_lines", []))


def compile_text(text: str, path: str = "<workflow>") -> tuple[Definition | None, list[WorkflowError]]:
    """Parse, validate and compile one workflow text; (definition or None, all errors found)."""
    data, errors = parse_yaml(text, path)
    if data is None and not errors:
        return None, [WorkflowError(path, 1, "empty workflow file")]
    if errors and data is None:
        return None, errors
    if not isinstance(data, dict):
        return None, errors + [WorkflowError(path, 1, "a workflow file must be a mapping (id:, states:, ...)")]
    try:
        spec = WorkflowSpec.model_validate(data)
    except ValidationError as exc:
        return None, errors + _pydantic_errors(exc, data, path)
    errors += validate_spec(spec, data, path)
    if errors:
        return None, errors
    return build_definition(spec, text, path, _transition_lines(data)), []


def load_text(text: str, path: str = "<workflow>") -> Definition:
    """A Definition from YAML text (e.g. a version stored with a case), or raise WorkflowLoadFailed."""
    defn, errors = compile_text(text, path)
    if errors or defn is None:
        raise WorkflowLoadFailed(errors)
    return defn


def load_file(path: str | Path) -> Definition:
    p = Path(path)
    return load_text(p.read_text(encoding="utf-8"), str(p))


def yaml_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml") and q.is_file())
        else:
            yield p


@dataclass(frozen=True)
class Registry:
    """Definitions keyed by workflow id (the current file of each) and by version hash (every version known)."""

    by_id: Mapping[str, Definition] = field(default_factory=dict)
    by_version: Mapping[str, Definition] = field(default_factory=dict)

    def get(self, workflow_id: str) -> Definition:
        try:
            return self.by_id[workflow_id]
        except KeyError:
            raise KeyError(f"unknown workflow {workflow_id!r}") from None

    def version(self, version: str) -> Definition:
        try:
            return self.by_version[version]
        except KeyError:
            raise KeyError(f"unknown workflow version {version[:12]!r}") from None

    def with_version(self, defn: Definition) -> "Registry":
        """A registry that also knows ``defn`` by its version (e.g. an older text stored with running cases)."""
        return Registry(self.by_id, MappingProxyType({**self.by_version, defn.version: defn}))

    def __contains__(self, workflow_id: object) -> bool:
        return workflow_id in self.by_id

    def __iter__(self) -> Iterator[Definition]:
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)


def _load_many(paths: Iterable[str | Path]) -> tuple[list[Definition], list[WorkflowError]]:
    defs: list[Definition] = []
    errors: list[WorkflowError] = []
    seen: dict[str, Definition] = {}
    for p in yaml_files(paths):
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(WorkflowError(str(p), 1, f"cannot read file: {exc}"))
            continue
        defn, errs = compile_text(text, str(p))
        errors += errs
        if defn is None:
            continue
        if defn.id in seen:
            errors.append(WorkflowError(str(p), 1, f"workflow id {defn.id!r} is already defined in {seen[defn.id].path}"))
            continue
        seen[defn.id] = defn
        defs.append(defn)
    return defs, errors


def _check_hand_offs(defs: list[Definition]) -> list[WorkflowError]:
    """A transition that hands a case off (``hands_off``) may only name workflows of the same set as choices."""
    ids = {d.id for d in defs}
    errors = []
    for d in defs:
        for t in d.transitions:
            f = next((f for f in t.fields if f.name == t.hands_off), None)
            for kind in (k for k, _ in (f.choices if f else ()) if k not in ids):
                errors.append(WorkflowError(d.path, t.line, f"transition {t.trigger!r}: hands_off choice {kind!r} "
                                                            f"is not a workflow id"))
    return errors


def check_paths(paths: Iterable[str | Path]) -> list[WorkflowError]:
    """Every error in the given files and directories (``*.yaml``); an empty list means all is well. The hand-off
    targets are checked when only directories are given (a single file cannot know the other workflows)."""
    paths = list(paths)
    defs, errors = _load_many(paths)
    if all(Path(p).is_dir() for p in paths):
        errors += _check_hand_offs(defs)
    return errors


def load_all(directory: str | Path) -> Registry:
    """All workflows of a directory, or raise WorkflowLoadFailed listing every error of every file."""
    if not Path(directory).is_dir():
        raise WorkflowLoadFailed([WorkflowError(str(directory), 1, "not a directory")])
    defs, errors = _load_many([directory])
    errors += _check_hand_offs(defs)
    if errors:
        raise WorkflowLoadFailed(errors)
    return Registry(MappingProxyType({d.id: d for d in defs}), MappingProxyType({d.version: d for d in defs}))
