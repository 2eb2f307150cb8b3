"""The manifest of official documents (workflows/documents/documents.yaml) and its generator (issue #16)."""

import importlib.util
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "workflows" / "documents"
MANIFEST = yaml.safe_load((FOLDER / "documents.yaml").read_text(encoding="utf-8"))
# the types the documents contract requires at least
CONTRACT_TYPES = {
    "receipt", "notice_of_acceptance", "notice_of_refusal", "complaint_decision_first", "complaint_decision_second",
    "extension_decision", "suspension_decision", "continuation_decision", "termination_decision",
    "dialogue_minutes", "denunciation_acceptance_notice", "denunciation_conclusion", "forwarding_slip",
    "guidance_letter", "petition_reply",
}
# Nghị định 30/2020/NĐ-CP, Phụ lục III abbreviations used by the unit's number series
SYMBOLS = {"QĐ", "TB", "BB", "PC", "CV", "KL", "GBN", "PH"}
RECIPIENTS = {"complainant", "denouncer", "petitioner", "respondent", "accused", "related_party",
              "accused_managing_body", "forwarding_body", "competent_body", "fatherland_front"}
UNCONFIRMED = "chưa xác định (UNCONFIRMED)"


def _workflow_fields():
    """{(workflow id, trigger): set of field names} over every workflow file."""
    found = {}
    for path in (ROOT / "workflows").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for transition in data.get("transitions") or []:
            found.setdefault((data["id"], transition["trigger"]), set()).update(transition.get("fields") or {})
    return found


def _drafting_fields():
    """{document type: set of field names} of the transitions that draft it (`document: {type: X, step: draft}`):
    an issued decision prints what its approved draft recorded."""
    found = {}
    for path in (ROOT / "workflows").glob("*.yaml"):
        for transition in yaml.safe_load(path.read_text(encoding="utf-8")).get("transitions") or []:
            doc = transition.get("document")
            if isinstance(doc, dict) and doc.get("step") == "draft":
                found.setdefault(doc["type"], set()).update(transition.get("fields") or {})
    return found


def test_manifest_has_every_contract_type():
    assert CONTRACT_TYPES <= set(MANIFEST)


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_entry_is_complete(doc_type):
    entry = MANIFEST[doc_type]
    assert entry["label"].strip() and entry["label_en"].strip()
    assert entry["symbol"] in SYMBOLS
    assert entry["template"] == f"{doc_type}.docx"
    assert (FOLDER / entry["template"]).is_file()
    assert isinstance(entry["fields"], list)
    assert entry["sent_to"] and set(entry["sent_to"]) <= RECIPIENTS
    # a form number always names where it comes from; a missing one says so instead of guessing
    if entry["form"]:
        assert entry["form"].startswith("Mẫu số ")
        assert "NĐ-CP" in entry["form_basis"] or "TT-TTCP" in entry["form_basis"]
    else:
        assert entry["form_basis"] == UNCONFIRMED


def test_every_template_file_is_in_the_manifest():
    files = {path.name for path in FOLDER.glob("*.docx")}
    assert files == {entry["template"] for entry in MANIFEST.values()}


@pytest.mark.parametrize("doc_type", sorted(MANIFEST))
def test_fields_come_from_the_issuing_transitions(doc_type):
    """Each field a template reads is a field of a transition that issues or drafts the document."""
    workflow_fields = _workflow_fields()
    entry = MANIFEST[doc_type]
    available = set()
    for ref in entry["issued_by"]:
        workflow_id, trigger = (part.strip() for part in ref.split(":"))
        assert (workflow_id, trigger) in workflow_fields, ref
        available |= workflow_fields[(workflow_id, trigger)]
    available |= _drafting_fields().get(doc_type, set())
    # the dialogue minutes also read the scheduling action of the same case (the chair, at second instance)
    if doc_type == "dialogue_minutes":
        for key in [("complaint_second", "schedule_dialogue")]:
            available |= workflow_fields[key]
    assert set(entry["fields"]) <= available


#: an issued_by claim of the manifest whose transition issues nothing yet (none: every claim is checked)
NOT_YET_ISSUING: set[str] = set()


def issuing_transitions() -> dict[tuple[str, str], str]:
    """{(workflow id, trigger): document type} of every transition that issues a document (`document: type`, or a
    mapping whose step is "issue"), over every workflow file."""
    found = {}
    for path in (ROOT / "workflows").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for transition in data.get("transitions") or []:
            document = transition.get("document")
            if isinstance(document, dict) and document.get("step", "issue") == "issue":
                document = document.get("type")
            if isinstance(document, str):
                found[(data["id"], transition["trigger"])] = document
    return found


def test_the_manifest_names_only_transitions_that_issue_the_document():
    issuing = issuing_transitions()
    wrong = [f"{ref} -> {doc_type}" for doc_type, entry in MANIFEST.items() for ref in entry["issued_by"]
             if ref not in NOT_YET_ISSUING and issuing.get(tuple(p.strip() for p in ref.split(":"))) != doc_type]
    assert not wrong, wrong


def test_every_issuing_transition_is_in_the_manifest():
    claimed = {tuple(p.strip() for p in ref.split(":")): t for t, e in MANIFEST.items() for ref in e["issued_by"]}
    assert {key: t for key, t in issuing_transitions().items() if claimed.get(key) != t} == {}


def _load_generator():
    spec = importlib.util.spec_from_file_location("build_templates", FOLDER / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def test_generator_reproduces_the_committed_templates(tmp_path):
    """The committed DOCX files are exactly what build_templates.py writes (compared part by part, not as zips)."""
    written = _load_generator().main(tmp_path)
    assert {path.name for path in written} == {entry["template"] for entry in MANIFEST.values()}
    for path in written:
        assert _parts(path) == _parts(FOLDER / path.name), path.name
