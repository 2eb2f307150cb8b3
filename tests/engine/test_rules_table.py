"""The rules table for lawyers (``workflows/RULES.md``) and the ``review:`` notes of the workflow files (issue #15)."""
from __future__ import annotations

from pathlib import Path

import pytest

from dvflow.engine.workflow import WorkflowLoadFailed, load_all, load_text
from dvflow.engine.workflow.definition import UNIT_LABELS
from dvflow.engine.workflow.review import review_notes, review_notes_of
from dvflow.engine.workflow.rules_table import render_rules

ROOT = Path(__file__).resolve().parents[2]
REG = load_all(ROOT / "workflows")
RULES_MD = ROOT / "workflows" / "RULES.md"

MINI = """\
id: mini
label: "Thử"
tracking_prefix: TH
initial: received
states:
  received: {label: "Đã tiếp nhận", status: open}
  done: {label: "Xong | hết", status: closed, final: true}
transitions:
  - trigger: finish
    label: "Kết thúc"
    source: received
    dest: done
    roles: [handler]
    review: "Bước này cần rà soát"
    basis: "Luật Thử, Điều 1"
clocks:
  reply:
    label: "Thời hạn trả lời"
    start: {on_enter: received}
    start_date: received_at
    stop_in: [done]
    review: "Đơn vị tính còn nghi vấn"
    rules:
      - effective_from: 2014-07-01
        effective_to: 2026-06-30
        unit: calendar_days
        days: {normal: 10}
        basis: "Luật Thử, Điều 2"
        review: "Hiệu lực chưa xác nhận"
      - effective_from: 2026-07-01
        unit: working_days
        days: {normal: 7, complex: 9}
        basis: "Luật Thử, Điều 3"
    ladder:
      - {key: before_1, offset: -1, unit: working_days, notify: [assignee], label: "Sắp đến hạn"}
      - {key: due, offset: 0, unit: calendar_days, notify: [unit_head], actions: [mark_missed], label: "Quá hạn"}
"""


def test_rules_md_is_the_output_of_the_yaml() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == render_rules(REG), (
        "workflows/RULES.md differs from workflows/*.yaml: regenerate it with `make rules`")


def test_rules_md_tells_how_to_regenerate_it() -> None:
    head = RULES_MD.read_text(encoding="utf-8")[:600]
    assert "make rules" in head and "flask --app wsgi dvflow workflows rules" in head


@pytest.mark.parametrize("workflow_id", sorted(d.id for d in REG))
def test_every_clock_rule_appears_with_its_basis_days_and_dates(workflow_id: str) -> None:
    text = render_rules([REG.get(workflow_id)])
    for clock in REG.get(workflow_id).clocks.values():
        assert f"(`{clock.name}`)" in text
        for rule in clock.rules:
            assert rule.basis.replace("|", "\\|") in text
            assert f"{rule.days['normal']} {UNIT_LABELS[rule.unit]}" in text
            assert rule.effective_from.strftime("%d/%m/%Y") in text


def test_mini_table_rows_columns_and_notes() -> None:
    text = render_rules([load_text(MINI, "mini.yaml")])
    rows = [line for line in text.splitlines() if line.startswith("| Thời hạn trả lời")]
    assert len(rows) == 2  # one row per effective-dated rule
    old, new = rows
    assert "thông thường: 10 ngày |" in old and "từ 01/07/2014 đến 30/06/2026" in old
    assert "Đơn vị tính còn nghi vấn<br>Hiệu lực chưa xác nhận" in old
    assert "thông thường: 7 ngày làm việc<br>vụ việc phức tạp: 9 ngày làm việc" in new and "| từ 01/07/2026 |" in new
    assert "vào trạng thái «Đã tiếp nhận»" in new and "ngày tiếp nhận hồ sơ" in new
    assert "đáp ứng: vào «Xong \\| hết»" in new  # a | in a label does not break the table
    assert "−1 ngày làm việc: Sắp đến hạn (người được giao)" in new
    assert "hạn: Quá hạn (thủ trưởng đơn vị; ghi nhận quá hạn)" in new
    assert "- «Kết thúc» (`finish`, Luật Thử, Điều 1): Bước này cần rà soát" in text


def test_workflow_without_clocks_says_so() -> None:
    assert "Không có thời hạn luật định" in render_rules([REG.get("anonymous_tip")])


def test_review_notes_carry_file_and_line() -> None:
    notes = [str(n) for n in review_notes_of(MINI, "mini.yaml")]
    assert notes == [
        "mini.yaml:14: cần rà soát (hành động finish): Bước này cần rà soát",
        "mini.yaml:22: cần rà soát (thời hạn reply): Đơn vị tính còn nghi vấn",
        "mini.yaml:29: cần rà soát (thời hạn reply, quy tắc 1): Hiệu lực chưa xác nhận",
    ]
    assert review_notes_of("id: [", "bad.yaml") == []  # a file that does not parse: its errors come from check


def test_review_note_is_kept_in_the_definition_and_must_be_text() -> None:
    defn = load_text(MINI, "mini.yaml")
    assert defn.transitions[0].review == "Bước này cần rà soát"
    assert defn.clocks["reply"].review == "Đơn vị tính còn nghi vấn"
    assert [r.review for r in defn.clocks["reply"].rules] == ["Hiệu lực chưa xác nhận", None]
    with pytest.raises(WorkflowLoadFailed, match="review"):
        load_text(MINI.replace('review: "Bước này cần rà soát"', "review: 5"), "mini.yaml")


def test_shipped_review_notes_include_the_audits_doubtful_readings() -> None:
    notes = [str(n) for n in review_notes([ROOT / "workflows"])]
    assert any("petition.yaml:" in n and "issue_decision" in n for n in notes)
    assert any("denunciation.yaml:" in n and "deliver_resumption" in n for n in notes)
