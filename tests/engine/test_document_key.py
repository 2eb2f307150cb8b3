"""The `document:` key of a transition: the type and the step it gives, and the checks at load."""
from __future__ import annotations

import shutil

import pytest

from config import ROOT
from dvflow.engine.workflow.registry import compile_text
from dvflow.workflows import WorkflowConfigError, load_registry

SHIPPED = (ROOT / "workflows" / "complaint_first.yaml").read_text(encoding="utf-8")


def test_the_shipped_complaint_drafts_returns_and_issues_its_decision():
    defn, errors = compile_text(SHIPPED)
    assert errors == []
    steps = {(t.trigger, t.document, t.document_step) for t in defn.transitions if t.document}
    assert {("accept", "notice_of_acceptance", "issue"), ("submit", "complaint_decision_first", "draft"),
            ("return", "complaint_decision_first", "return"),
            ("issue_decision", "complaint_decision_first", "issue")} <= steps
    assert next(t for t in defn.transitions if t.trigger == "verify").document is None


def test_a_return_step_needs_the_reason_field():
    text = SHIPPED.replace("    document: {type: complaint_decision_first, step: draft}",
                           "    document: {type: complaint_decision_first, step: return}", 1)  # submit: no reason
    _defn, errors = compile_text(text)
    assert any("needs a text field 'reason'" in e.message for e in errors)


def test_an_unknown_step_is_refused():
    text = SHIPPED.replace("step: draft}", "step: sign}", 1)
    _defn, errors = compile_text(text)
    assert errors


def test_a_type_missing_from_the_manifest_stops_the_registry(tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder, ignore=shutil.ignore_patterns("documents"))
    (folder / "documents").mkdir()
    (folder / "documents" / "documents.yaml").write_text(
        'notice_of_refusal:\n  label: "x"\n  symbol: "TB"\n  template: x.docx\n', encoding="utf-8")
    with pytest.raises(WorkflowConfigError, match="unknown document type 'notice_of_acceptance'"):
        load_registry(str(folder))
