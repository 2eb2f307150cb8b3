"""Every shipped document, from a registered case of each kind that issues it and the real context builder: the
national heading, the number and symbol, the date, the citizen's name (a confidential denouncer never)."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document as Docx

from config import ROOT
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow, templates

from .helpers import at

SHIPPED = ROOT / "workflows" / "documents"
MANIFEST = templates.load_manifest(SHIPPED) if (SHIPPED / "documents.yaml").is_file() else {}

def _issued_by() -> list[tuple[str, str, str]]:
    """(type, workflow, trigger) of the manifest's issued_by whose transition really issues that type (a claim that
    does not is test_manifest's to report, not a document to render here)."""
    import yaml

    from .test_manifest import issuing_transitions

    if not MANIFEST:
        return []
    raw = yaml.safe_load((SHIPPED / "documents.yaml").read_text(encoding="utf-8"))
    issuing = issuing_transitions()
    claims = [(type_, *(part.strip() for part in entry.split(":"))) for type_ in sorted(raw)
              for entry in raw[type_].get("issued_by") or []]
    return [(type_, kind, trigger) for type_, kind, trigger in claims if issuing.get((kind, trigger)) == type_]


CITIZEN, OTHER, DENOUNCER = "Nguyễn Văn An", "Trần Thị Bình", "Phan Văn Kín"
ON = date(2026, 11, 20)
SAMPLE = {"string": "Số 5", "text": "Nội dung ghi trong hành động", "date": ON, "integer": 10, "boolean": True}


def _case(session, workflows, org, kind: str):
    defn = workflows.latest(kind)
    if not defn.intake:  # a grassroots dialogue conference: opened by a commune on the dialogue pages
        from dvflow.services.dialogues.conferences import ConferenceInput, plan

        data = ConferenceInput(unit_id=org["remote"].id, planned_on=ON, place="Hội trường xã", topics="Đất đai",
                               front_coorganiser="Chủ tịch Ủy ban MTTQ xã")
        return plan(session, workflows, org["users"]["xa_head"], data, at(2))
    role = next(iter(defn.requires_party), None) or "complainant"
    first = DENOUNCER if role == "denouncer" else CITIZEN
    parties = [PartyInput(role=role, name=first, address="12 Lê Lợi, An Phú")] if defn.requires_party else []
    other = next((r for r in ("respondent", "accused") if r in defn.party_roles), None)
    if other:
        parties.append(PartyInput(role=other, name=OTHER))
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="letter", received_at=at(2, 9),
                       subject="Nội dung mẫu của hồ sơ", parties=parties)
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


@pytest.mark.skipif(not MANIFEST, reason="no shipped documents manifest")
@pytest.mark.parametrize("type_, kind, trigger", _issued_by())
def test_the_document_of_a_real_case(session, workflows, org, type_, kind, trigger):
    case = _case(session, workflows, org, kind)
    defn = workflows.for_case(case, session)
    t = next(t for t in defn.transitions if t.trigger == trigger)
    fields = {f.name: (f.choices[0][0] if f.type == "choice" else SAMPLE.get(f.type, "x")) for f in t.fields}
    settings = flow.Settings(documents_dir=str(SHIPPED), files=None, pdf=False)
    content = flow.render(session, settings, defn, case, MANIFEST[type_], t, fields, ON, number=7, symbol="",
                          signer=org["users"]["head"], state=case.state)
    doc = Docx(io.BytesIO(content))
    text = "\n".join([p.text for p in doc.paragraphs] + [p.text for tb in doc.tables for row in tb.rows
                                                         for cell in row.cells for p in cell.paragraphs])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"7/{MANIFEST[type_].symbol}-{case.unit.code}" in text
    assert "ngày 20 tháng 11 năm 2026" in text
    if MANIFEST[type_].own_copy:  # the denouncer's own copy (addressed to them alone) names them
        assert DENOUNCER in text or DENOUNCER not in [cp.party.name for cp in case.parties]
    else:  # every other document of a denunciation withholds the denouncer
        assert DENOUNCER not in text
    if not defn.party_roles:  # a grassroots dialogue conference: residents attend, no citizen is a party
        assert "Hội nghị đối thoại" in text and "Ủy ban Mặt trận Tổ quốc" in text
    elif case.kind not in ("denunciation", "anonymous_tip") and "denouncer" not in case.facts.get("party_roles", []):
        assert CITIZEN in text or OTHER in text, type_
