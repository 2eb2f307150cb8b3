"""The engine's part of letter triage: the declared service steps are validated, a clock may start only on some
facts, and a case becomes confidential when its facts say so."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from dvflow.engine.types import Actor, CaseView, ClockView
from dvflow.engine.workflow import compile_text, fire, initial_clock_ops
from dvflow.engine.workflow.registration import register
from tests.engine.test_workflows_all import REG

NOW = datetime(2026, 11, 6, 3, 0, tzinfo=timezone.utc)
RECEIVED = date(2026, 11, 2)
HANDLER = Actor(1, frozenset({"reception", "handler"}))
TRIAGE = REG.get("triage")

TINY = """\
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
    dest: %(dest)s
    roles: [handler]
    %(step)s
    fields:
      kind: {type: %(type)s, label: "Loại"%(choices)s}
      code: {type: string, required: true, label: "Mã"}
    basis: "Luật Khiếu nại 2011, Điều 1"
%(extra)s"""


def tiny(step: str = "", type_: str = "choice", dest: str = "closed", extra: str = "") -> list[str]:
    choices = ', choices: {a: "A"}, required: true' if type_ == "choice" else ""
    _, errors = compile_text(TINY % {"step": step, "type": type_, "choices": choices, "dest": dest,
                                     "extra": extra}, "tiny.yaml")
    return [e.message for e in errors]


def letter(state: str = "received", facts: dict | None = None, clocks: dict | None = None) -> CaseView:
    return CaseView(kind="triage", state=state, status="open", received_on=RECEIVED, facts=facts or {},
                    clocks=clocks or {}, last_event_on=RECEIVED)


def test_service_steps_must_name_fields_of_the_right_type() -> None:
    assert tiny("hands_off: kind") == []
    assert any("hands_off names 'kind'" in m for m in tiny("hands_off: kind", type_="string"))
    assert any("hands_off names 'nothing'" in m for m in tiny("hands_off: nothing"))
    assert any("dest must be a final state" in m for m in tiny("hands_off: kind", dest="received"))
    assert tiny("links_case: {field: code, as: duplicate_of}") == []
    assert any("links_case names 'kind'" in m for m in tiny("links_case: {field: kind, as: duplicate_of}"))
    assert tiny("links_case: {field: code, as: sibling}")  # an unknown link is a schema error


def test_conditions_must_name_known_facts() -> None:
    assert tiny(extra="confidential_when: {party_roles: [denouncer]}\n") == []
    assert any("confidential_when names unknown fact 'mood'" in m
               for m in tiny(extra="confidential_when: {mood: [bad]}\n"))


def test_classification_starts_the_clock_of_its_content_from_receipt() -> None:
    out = fire(TRIAGE, letter(), "classify", HANDLER, {"content_type": "denunciation", "competent": False}, NOW)
    starts = {op.clock: op for op in out.clock_ops if op.op == "start"}
    assert set(starts) == {"denunciation_initial", "denunciation_forward"}
    assert all(op.on == RECEIVED for op in starts.values())  # counted from receipt, not from 06/11
    assert "confidential" in out.set_flags
    out = fire(TRIAGE, letter(), "classify", HANDLER, {"content_type": "petition", "competent": True}, NOW)
    assert {op.clock for op in out.clock_ops if op.op == "start"} == {"letter_reply"}
    assert "confidential" not in out.set_flags


def test_reclassifying_cancels_the_clock_of_the_former_content() -> None:
    running = {"denunciation_initial": ClockView("denunciation_initial", "running", RECEIVED)}
    case = letter("classified", {"content_type": "denunciation", "competent": True}, running)
    out = fire(TRIAGE, case, "classify", HANDLER, {"content_type": "complaint_first", "competent": True}, NOW)
    ops = {(op.op, op.clock) for op in out.clock_ops}
    assert ("cancel", "denunciation_initial") in ops and ("start", "complaint_acceptance") in ops
    same = fire(TRIAGE, case, "classify", HANDLER, {"content_type": "denunciation", "competent": True}, NOW)
    assert not [op for op in same.clock_ops if op.clock == "denunciation_initial"]  # keeps running as it was


def test_a_letter_naming_a_denouncer_registers_confidential() -> None:
    named = letter(facts={"party_roles": ["denouncer", "accused"]})
    assert "confidential" in register(TRIAGE, named, {}, assigned=False).set_flags
    plain = letter(facts={"party_roles": ["petitioner"]})
    assert register(TRIAGE, plain, {}, assigned=False).set_flags == frozenset()
    assert {op.clock for op in initial_clock_ops(TRIAGE, plain)} == {"triage"}


def test_hand_off_choices_must_be_workflows_of_the_set(tmp_path) -> None:
    import shutil

    from dvflow.engine.workflow.registry import check_paths

    folder = tmp_path / "workflows"
    shutil.copytree(Path(__file__).resolve().parents[2] / "workflows", folder)
    assert check_paths([folder]) == []
    path = folder / "triage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('          petition: "Kiến nghị, phản ánh"\n      proposal',
                                                              '          parcel: "Bưu kiện"\n      proposal'),
                    encoding="utf-8")
    assert any("hands_off choice 'parcel' is not a workflow id" in e.message for e in check_paths([folder]))
    assert check_paths([path]) == []  # alone, a file cannot know the other workflows
