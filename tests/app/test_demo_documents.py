"""What the demo's documents print (flask --app wsgi dvflow demo load): its respondent "Chi cục Quản lý đất đai"
(kind organisation) is named alone, never "ông (bà) Chi cục …"."""
from __future__ import annotations

import io

from docx import Document as Docx
from sqlalchemy import select

from dvflow.models import Document


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    cells = [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_demos_documents_name_a_body_without_mister_or_madam(app, session):
    result = app.test_cli_runner().invoke(args=["dvflow", "demo", "load"])
    assert result.exit_code == 0, result.output
    texts = {d.number_symbol or f"draft {d.id}": _text(d.content) for d in session.scalars(select(Document))}
    assert any("Chi cục Quản lý đất đai" in t for t in texts.values())
    wrong = {k: line for k, t in texts.items() for line in t.splitlines() if "ông (bà) Chi cục" in line}
    assert wrong == {}
