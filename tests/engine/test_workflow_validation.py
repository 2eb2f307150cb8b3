"""Every kind of workflow error is reported with the file, the line of the offending key and a clear message.

Each fixture under broken/ holds one kind of error (many_errors.yaml several); the offending lines carry a
``# ERROR`` comment, so the expected line numbers come from the fixture itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dvflow.engine.workflow import (
    WorkflowError,
    WorkflowLoadFailed,
    check_paths,
    compile_text,
    load_file,
    load_text,
)

BROKEN = Path(__file__).parent / "broken"
ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "yaml_syntax.yaml": ["YAML syntax error"],
    "duplicate_key.yaml": ["duplicate key 'received'"],
    "unknown_key.yaml": ["unknown key 'gaurds'"],
    "wrong_type.yaml": ["head_only: Input should be a valid boolean"],
    "missing_key.yaml": ["missing required key 'basis'"],
    "unreachable_state.yaml": ["'orphan' is unreachable"],
    "dead_end.yaml": ["non-final state 'stuck' has no exit"],
    "final_with_exit.yaml": ["final state 'closed' has an exit"],
    "unknown_guard.yaml": ["unknown guard 'is_approved'"],
    "unknown_party_in_guard.yaml": ["party role 'denouncer' not in party_roles"],
    "unknown_required_party.yaml": ["requires_party names party role 'denouncer' not in party_roles"],
    "unknown_role.yaml": ["unknown role 'clerk'"],
    "supervisor_role.yaml": ["'supervisor' is read-only"],
    "unknown_dest.yaml": ["unknown dest state 'clsoed'"],
    "ambiguous_trigger.yaml": ["'close' is declared twice for state 'received'"],
    "clock_unknown_state.yaml": ["stop_in names unknown state 'accepted'"],
    "overlapping_rules.yaml": ["overlaps"],
    "ladder_duplicate_key.yaml": ["ladder step key 'due' is not unique"],
    "extend_unknown_clock.yaml": ["unknown clock 'resolve'"],
    "extend_without_policy.yaml": ["clock 'accept' has no extensions"],
    "approval_state_misdeclared.yaml": ["state 'submitted' awaits head_approval but no head_only action leaves it",
                                        "state 'paused' awaits head_approval but its status is suspended"],
    "unknown_flag.yaml": ["unknown flag 'urgent'", "unknown flag 'remote'"],
    "unknown_fact.yaml": ["unknown fact 'aproved'"],
    "fact_misused.yaml": ["'approved' is already known to the engine", "'increment' does not apply",
                          "field 'competent' of type string cannot set it", "has no field 'published'",
                          "'party_roles' is set by the services"],
    "fact_bad_operation.yaml": ["'yes' is not a fact operation"],
    "information_clock_misused.yaml": ["must be a required date field", "is information: only its start.on_trigger",
                                       "cannot have ladder", "give its meaning"],
    "many_errors.yaml": ["unknown role 'janitor'", "unknown guard 'nonexistent_guard'", "unknown dest state 'nowhere'"],
}


def error_lines(path: Path) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "# ERROR" in line]


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_reports_each_error_at_its_line(name: str) -> None:
    path = BROKEN / name
    errors = check_paths([path])
    lines = error_lines(path)
    assert len(lines) == len(EXPECTED[name])
    assert sorted(e.line for e in errors) == lines, [str(e) for e in errors]
    by_line = {e.line: e for e in errors}
    for line, fragment in zip(lines, EXPECTED[name]):
        assert fragment in by_line[line].message, str(by_line[line])
        assert str(by_line[line]).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loading_a_broken_file_raises_with_all_errors(name: str) -> None:
    with pytest.raises(WorkflowLoadFailed) as info:
        load_file(BROKEN / name)
    assert isinstance(info.value, WorkflowError)
    assert len(info.value.errors) == len(error_lines(BROKEN / name))
    assert str(info.value).splitlines() == [str(e) for e in info.value.errors]


def test_broken_directory_reports_every_file() -> None:
    errors = check_paths([BROKEN])
    assert {Path(e.file).name for e in errors} == set(EXPECTED)


def test_shipped_workflows_are_valid() -> None:
    assert check_paths([ROOT / "workflows"]) == []


VALID = """\
id: tiny
label: "Nhỏ"
tracking_prefix: TN
initial: received
states:
  received: {label: "Đã tiếp nhận", status: open}
  closed: {label: "Đã đóng", status: closed, final: true}
transitions:
  - trigger: close
    label: "Đóng"
    source: received
    dest: closed
    roles: [handler]
    basis: "Luật Khiếu nại 2011, Điều 1"
"""


def test_valid_minimal_text_compiles() -> None:
    defn, errors = compile_text(VALID, "tiny.yaml")
    assert errors == [] and defn is not None and defn.id == "tiny"


@pytest.mark.parametrize("change, fragment", [
    (("status: closed, final: true", "status: open, final: true"), "must have status: closed"),
    (("closed: {label: \"Đã đóng\", status: closed, final: true}", "closed: {label: \"Đã đóng\", status: closed}"),
     "has status closed but is not final"),
    (("initial: received", "initial: start"), "initial state 'start' is not declared"),
    (("roles: [handler]", "roles: [handler]\n    head_only: true"), "head_only needs role 'head'"),
    (("tracking_prefix: TN", "tracking_prefix: tn"), "tracking_prefix"),
    (("roles: [handler]", "roles: [handler]\n    fields: {d: {type: date, label: \"Ngày\", legal_date: true},"
                          " e: {type: date, label: \"Ngày 2\", legal_date: true}}"), "more than one legal_date"),
    (("roles: [handler]", "roles: [handler]\n    fields: {c: {type: choice, label: \"Chọn\"}}"), "choices are required"),
    (("roles: [handler]", "roles: [handler]\n    fields: {c: {type: string, label: \"Chữ\", min: 1}}"),
     "min/max only apply"),
    (("roles: [handler]", "roles: [handler]\n    notify: [{to: [everyone], template: x}]"), "notify"),
    (("initial: received", "party_roles: [victim]\ninitial: received"), "unknown party role 'victim'"),
    (("status: open}", "status: open, awaits: boss}"), "awaits: Input should be 'head_approval'"),
])
def test_other_semantic_errors(change: tuple[str, str], fragment: str) -> None:
    text = VALID.replace(*change)
    assert text != VALID
    _, errors = compile_text(text, "tiny.yaml")
    assert any(fragment in e.message for e in errors), [str(e) for e in errors]
    assert all(str(e).startswith("tiny.yaml:") for e in errors)


CLOCK = """\
clocks:
  c:
    label: "Thời hạn"
    start: {on_enter: received}
    start_date: received_at
    stop_in: [closed]
    rules:
      - {effective_from: 2012-07-01, effective_to: 2020-12-31, unit: working_days, days: {normal: 10}, basis: "A"}
      - {effective_from: 2021-01-01, unit: working_days, days: {normal: 7}, basis: "B"}
    ladder:
      - {key: due, offset: 0, unit: calendar_days, notify: [assignee], actions: [mark_missed], label: "Quá hạn"}
"""


@pytest.mark.parametrize("change, fragment", [
    (("effective_to: 2020-12-31", "effective_to: 2020-12-31"), None),
    (("effective_to: 2020-12-31", "effective_to: 2020-01-01"), "gap between 2020-01-01 and 2021-01-01"),
    (("effective_to: 2020-12-31", "effective_to: 2021-01-01"), "overlaps"),
    (("effective_to: 2020-12-31", "effective_to: 2011-01-01"), "effective_to is before effective_from"),
    (("days: {normal: 7}", "days: {complex: 7}"), "normal"),
    (("days: {normal: 7}", "days: {normal: 0}"), "greater than 0"),
    (("start: {on_enter: received}", "start: {on_trigger: nope}"), "unknown trigger 'nope'"),
    (("start: {on_enter: received}", "start: {on_enter: received, on_trigger: close}"), "exactly one"),
    (("start: {on_enter: received}", "start: {on_enter: closed}"), "starts on entering final state"),
    (("    ladder:\n      - {key: due, offset: 0, unit: calendar_days, notify: [assignee], actions: [mark_missed], "
      "label: \"Quá hạn\"}\n", "    ladder: []\n"), "has no ladder"),
    (("    start:", "    kind: waiting_period\n    start:"), "waiting_period"),
    (("actions: [mark_missed]", "actions: [explode]"), "actions"),
    (("stop_in: [closed]", "pause_in: [paused]"), "pause_in names unknown state 'paused'"),
])
def test_clock_errors(change: tuple[str, str], fragment: str | None) -> None:
    text = VALID + CLOCK.replace(*change)
    _, errors = compile_text(text, "clock.yaml")
    if fragment is None:
        assert errors == []
    else:
        assert any(fragment in e.message for e in errors), [str(e) for e in errors]
        assert all(e.line > VALID.count("\n") for e in errors), [str(e) for e in errors]


def test_non_mapping_and_empty_files() -> None:
    assert "must be a mapping" in compile_text("- a\n- b\n", "list.yaml")[1][0].message
    assert "empty" in compile_text("", "empty.yaml")[1][0].message


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID.replace('label: "Nhỏ"', 'label: "Nhỏ 2"'), encoding="utf-8")
    errors = check_paths([tmp_path])
    assert len(errors) == 1 and "'tiny' is already defined" in errors[0].message
    assert errors[0].file.endswith("b.yaml")


def test_load_text_raises_on_error() -> None:
    with pytest.raises(WorkflowLoadFailed):
        load_text(VALID.replace("roles: [handler]", "roles: [nobody]"), "x.yaml")


@pytest.mark.parametrize("source, expected", [
    ("5", "transitions[0].source: Input should be a valid string"),
    ("[Received]", "transitions[0].source[0]: String should match pattern"),
])
def test_union_errors_give_one_useful_message(source: str, expected: str) -> None:
    _, errors = compile_text(VALID.replace("source: received", f"source: {source}"), "u.yaml")
    assert len(errors) == 1 and errors[0].line == 11 and expected in errors[0].message, [str(e) for e in errors]
