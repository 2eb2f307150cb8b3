"""A clock whose length the case was given (`days_fact`, issue #17): a follow-up task runs for the days its conclusion
notice set, never longer than the rule allows, and only a declared count fact may give it."""
from __future__ import annotations

from datetime import date

from dvflow.engine.workflow import compile_text
from dvflow.engine.workflow.registration import initial_clock_ops
from tests.engine.test_workflow_runtime import case

TEXT = """\
id: task
label: "Việc"
tracking_prefix: VC
facts: {task_days: count}
initial: open
states:
  open: {label: "Đang làm", status: open}
  done: {label: "Xong", status: closed, final: true}
transitions:
  - trigger: finish
    label: "Xong"
    source: open
    dest: done
    roles: [handler]
    basis: "Nghị định 154/2026/NĐ-CP, Điều 25 khoản 2"
clocks:
  work:
    label: "Thời hạn"
    start: {on_enter: open}
    start_date: received_at
    days_fact: task_days
    stop_in: [done]
    rules:
      - {effective_from: 2014-07-01, unit: calendar_days, days: {normal: 60}, basis: "Nghị định 154/2026/NĐ-CP, Điều 25"}
    ladder:
      - {key: due, offset: 0, unit: calendar_days, notify: [assignee], label: "Đến hạn"}
"""


def _days(facts) -> int:
    defn, errors = compile_text(TEXT)
    assert errors == [] and defn is not None
    [op] = initial_clock_ops(defn, case("task", "open", received=date(2026, 11, 23), facts=facts))
    return op.rule.days


def test_the_case_fact_gives_the_length_within_the_rule() -> None:
    assert _days({"task_days": 15}) == 15
    assert _days({"task_days": 60}) == 60


def test_a_missing_too_long_or_non_integer_fact_falls_back_to_the_rule() -> None:
    for facts in ({}, {"task_days": 61}, {"task_days": 0}, {"task_days": "15"}, {"task_days": True}):
        assert _days(facts) == 60, facts


def test_days_fact_must_be_a_declared_count_fact() -> None:
    _, errors = compile_text(TEXT.replace("facts: {task_days: count}\n", ""))
    assert any("days_fact" in str(e) for e in errors)
    _, errors = compile_text(TEXT.replace("facts: {task_days: count}", "facts: {task_days: text}"))
    assert any("days_fact" in str(e) for e in errors)
