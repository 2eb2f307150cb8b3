"""Loading workflow files: line numbers kept, versions = content hashes, a registry by id and by version."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from dvflow.engine.workflow import (
    Registry,
    WorkflowError,
    WorkflowLoadFailed,
    check_paths,
    load_all,
    load_file,
    load_text,
)
from dvflow.engine.workflow.loader import LineDict, LineList, line_of, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows"
SHIPPED = {"triage", "complaint_first", "complaint_second", "complaint_discipline", "denunciation", "petition",
           "dialogue", "anonymous_tip", "follow_up"}

TEXT = """\
# comment line 1
id: tiny
label: "Nhỏ"
tracking_prefix: TN
initial: received
states:
  received: {label: "Đã tiếp nhận", status: open}
  closed:
    label: "Đã đóng"
    status: closed
    final: true
transitions:
  - trigger: close
    label: "Đóng"
    source: received
    dest: closed
    roles: [handler, head]
    basis: "Luật Khiếu nại 2011, Điều 1"
"""


def test_line_loader_records_lines_of_keys_and_items() -> None:
    data, errors = parse_yaml(TEXT, "t.yaml")
    assert errors == []
    assert isinstance(data, LineDict) and isinstance(data["transitions"], LineList)
    assert data.key_lines["id"] == 2
    assert data["states"].key_lines["closed"] == 8
    assert data["states"]["closed"].key_lines["final"] == 11
    assert data["transitions"].item_lines == [13]
    assert line_of(data, ("transitions", 0, "roles")) == 17
    assert line_of(data, ("transitions", 0, "roles", 1)) == 17
    assert line_of(data, ("states", "closed", "status")) == 10
    assert line_of(data, ("states", "nope", "x")) == 6  # the deepest key found
    assert line_of(data, ("transitions", 0, "list[str]", "dest")) == 16  # union tags are skipped


def test_only_true_false_are_booleans() -> None:
    data, _ = parse_yaml("a: yes\nb: no\nc: on\nd: true\ne: False\nf: {no: x}\n", "b.yaml")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": True, "e": False, "f": {"no": "x"}}


def test_dates_and_anchors_still_work() -> None:
    data, _ = parse_yaml("a: 2026-07-01\nb: &x [p, q]\nc: *x\n", "d.yaml")
    assert str(data["a"]) == "2026-07-01" and data["c"] == ["p", "q"]


def test_duplicate_keys_are_errors_with_their_line() -> None:
    _, errors = parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "dup.yaml")
    assert [str(e) for e in errors] == ["dup.yaml:4: duplicate key 'c'"]


def test_syntax_error_has_a_line() -> None:
    data, errors = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "syn.yaml")
    assert data is None and len(errors) == 1
    assert errors[0].line == 3 and "YAML syntax error" in errors[0].message


def test_workflow_error_renders_path_line_message() -> None:
    err = WorkflowError("workflows/x.yaml", 12, "unknown guard 'g'")
    assert str(err) == "workflows/x.yaml:12: unknown guard 'g'"
    assert (err.file, err.line, err.message) == ("workflows/x.yaml", 12, "unknown guard 'g'")
    assert str(WorkflowError("f.yaml", None, "m")) == "f.yaml:1: m"


def test_version_is_sha256_of_the_text() -> None:
    defn = load_text(TEXT, "t.yaml")
    assert defn.version == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert load_text(TEXT, "other.yaml").version == defn.version
    assert load_text(TEXT.replace("# comment line 1", "# changed"), "t.yaml").version != defn.version
    assert defn.source_text == TEXT


def test_definition_is_frozen_and_compiled() -> None:
    defn = load_text(TEXT, "t.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        defn.initial = "closed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        defn.states["x"] = defn.states["received"]  # type: ignore[index]
    assert defn.transition("close", "received").dest == "closed"
    assert defn.transition("close", "closed") is None
    assert defn.transitions[0].line == 13
    assert defn.transitions[0].roles == frozenset({"handler", "head"})


def test_machine_is_built_once_without_models_or_auto_transitions() -> None:
    defn = load_text(TEXT, "t.yaml")
    machine = defn.machine
    assert machine is defn.machine
    assert machine.models == []
    assert set(machine.events) == {"close"}  # no to_<state> auto transitions
    assert set(machine.states) == {"received", "closed"}


def test_star_source_means_every_non_final_state() -> None:
    text = TEXT.replace("source: received", 'source: "*"')
    defn = load_text(text.replace("states:\n", "states:\n  middle: {label: \"Giữa\", status: open}\n", 1)
                     .replace("initial: received", "initial: middle")
                     + "  - {trigger: go, label: Đi, source: middle, dest: received, roles: [head], basis: B}\n",
                     "star.yaml")
    assert defn.transition("close", "middle") is not None
    assert defn.transition("close", "received") is not None
    assert defn.transition("close", "closed") is None


def test_load_all_keys_by_id_and_version() -> None:
    registry = load_all(WORKFLOWS)
    assert isinstance(registry, Registry)
    assert {d.id for d in registry} == SHIPPED and len(registry) == len(SHIPPED)
    for defn in registry:
        assert registry.get(defn.id) is defn
        assert registry.version(defn.version) is defn
        assert defn.path.endswith(f"{defn.id}.yaml")
        assert defn.version == hashlib.sha256(Path(defn.path).read_text(encoding="utf-8").encode()).hexdigest()
    assert "denunciation" in registry and "nothing" not in registry
    with pytest.raises(KeyError):
        registry.get("nothing")
    with pytest.raises(KeyError):
        registry.version("0" * 64)


def test_registry_can_hold_an_older_version() -> None:
    registry = load_all(WORKFLOWS)
    current = registry.get("petition")
    older = load_text(current.source_text + "# older edit\n", "petition@old")
    both = registry.with_version(older)
    assert both.version(older.version) is older
    assert both.get("petition") is current
    with pytest.raises(KeyError):
        registry.version(older.version)


def test_load_all_raises_with_every_error(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(TEXT.replace("id: tiny", "id: bad").replace("[handler, head]", "[x, y]"),
                                       encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a workflow", encoding="utf-8")
    with pytest.raises(WorkflowLoadFailed) as info:
        load_all(tmp_path)
    assert [e.line for e in info.value.errors] == [17, 17]
    assert all(e.file.endswith("bad.yaml") for e in info.value.errors)
    with pytest.raises(WorkflowLoadFailed):
        load_all(tmp_path / "missing")


def test_check_paths_accepts_files_and_directories(tmp_path: Path) -> None:
    assert check_paths([WORKFLOWS / "denunciation.yaml"]) == []
    twice = check_paths([WORKFLOWS / "denunciation.yaml", WORKFLOWS])
    assert len(twice) == 1 and "'denunciation' is already defined" in twice[0].message
    good = tmp_path / "good.yaml"
    good.write_text(TEXT, encoding="utf-8")
    assert check_paths([good]) == []
    missing = check_paths([tmp_path / "absent.yaml"])
    assert len(missing) == 1 and "cannot read" in missing[0].message


def test_load_file_reads_utf8(tmp_path: Path) -> None:
    p = tmp_path / "t.yaml"
    p.write_text(TEXT, encoding="utf-8")
    defn = load_file(p)
    assert defn.states["received"].label == "Đã tiếp nhận" and defn.path == str(p)
