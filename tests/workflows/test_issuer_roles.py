"""An action that issues a document the law gives to the head is granted to the head alone: the workflows say so,
and a workflow folder that grants it to an officer too does not load (signers.require_issuer would refuse the
officer every time, while the case page, the diagram, RULES.md and the API's roles said they do it)."""
from __future__ import annotations

import shutil

import pytest

from config import ROOT
from dvflow.services.documents import signers
from dvflow.workflows import (
    WorkflowConfigError,
    head_documents_granted_to_officers,
    load_registry,
)


def _head_documents_granted_to_officers(workflows) -> list[str]:
    out = []
    for defn in workflows.kinds():
        for t in defn.transitions:
            if not t.document or t.document_step != "issue":
                continue
            if t.document in signers.OFFICER_ISSUES or t.document in signers.MINUTES:
                continue
            officers = sorted(set(t.roles) - {"head"})
            if officers:
                out.append(f"{defn.id}:{t.trigger} ({t.document}) roles {officers}")
    return out


def test_an_action_that_issues_a_heads_document_is_granted_to_heads_only(workflows):
    """notify_acceptance and notify_accused (denunciation), schedule_dialogue (the three complaints) and the
    petition's forward issue the head's documents: head only, as `perform` enforces."""
    assert _head_documents_granted_to_officers(workflows) == []
    for kind, trigger in [("denunciation", "notify_acceptance"), ("denunciation", "notify_accused"),
                          ("complaint_first", "schedule_dialogue"), ("complaint_second", "schedule_dialogue"),
                          ("complaint_discipline", "schedule_dialogue"), ("petition", "forward")]:
        t = workflows.latest(kind).transitions_for(trigger)[0]
        assert (t.roles, t.head_only) == (frozenset({"head"}), True), (kind, trigger)


def test_the_head_hears_the_first_reminder_of_the_notices_to_send(workflows):
    """The notices' clocks remind the one who sends them (the head) from their first step, the assignee too."""
    for name in ("notify_acceptance", "notify_accused"):
        first = workflows.latest("denunciation").clocks[name].ladder[0]
        assert set(first.notify) == {"assignee", "unit_head"}, name


def _folder_granting_the_forward_to_reception(tmp_path):
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    path = folder / "petition.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - trigger: forward\n")
    head = text.index("    roles: [head]\n    head_only: true\n", start)
    path.write_text(text[:head] + "    roles: [reception, handler, head]\n"
                    + text[head + len("    roles: [head]\n    head_only: true\n"):], encoding="utf-8")
    return folder


def test_a_workflow_granting_an_officer_a_heads_document_does_not_load(tmp_path):
    folder = _folder_granting_the_forward_to_reception(tmp_path)
    with pytest.raises(WorkflowConfigError, match=r"petition\.yaml:\d+: transition 'forward' issues "
                                                  r"'forwarding_slip'.* grants handler, reception"):
        load_registry(str(folder))


def test_drafting_and_the_officers_own_documents_stay_open_to_officers(workflows):
    """submit (a draft), guide (the guidance letter) and record_minutes (minutes) are granted to handlers and pass."""
    assert head_documents_granted_to_officers(workflows.kinds(), str(ROOT / "workflows")) == []
    granted = {(d.id, t.trigger) for d in workflows.kinds() for t in d.transitions if "handler" in t.roles}
    assert {("complaint_first", "submit"), ("denunciation", "guide"), ("complaint_first", "record_minutes")} <= granted


def test_workflows_check_names_the_transition(app, tmp_path):
    folder = _folder_granting_the_forward_to_reception(tmp_path)
    result = app.test_cli_runner().invoke(args=["dvflow", "workflows", "check", str(folder / "petition.yaml")])
    assert result.exit_code != 0 and "transition 'forward' issues 'forwarding_slip'" in result.output
