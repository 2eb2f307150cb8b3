"""Templates: the variable check, rendering every type (the fixture's and the shipped manifest's), PDF page 1."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document as Docx
from tools import require

from dvflow.services.documents import context, generate, pdf, templates
from dvflow.services.errors import ServiceError

from .conftest import SHIPPED
from .fixtures.template import TYPES, template_bytes

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SHIPPED_TYPES = sorted(templates.load_manifest(SHIPPED))


def _text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(parts)


def sample_context(type_: str = "notice_of_acceptance", number: int | None = 12) -> dict:
    """A complete context: every name of the contract with a value (the templates' side may use it too)."""
    doc = context.DocInfo(type=type_, label="Thông báo về việc thụ lý giải quyết khiếu nại", form="Mẫu 03",
                          date=date(2026, 12, 5), number=number, symbol="TB-STNMT", draft=number is None)
    party = {"role": "complainant", "role_label": "Người khiếu nại", "name": "Nguyễn Văn An",
             "address": "12 Lê Lợi, An Phú", "identity_number": "001090000001"}
    respondent = {"role": "respondent", "role_label": "Người bị khiếu nại", "name": "Trần Thị Bình", "address": "",
                  "identity_number": ""}
    return {
        "unit": {"name": "Sở Nông nghiệp và Môi trường", "parent_name": "Ủy ban nhân dân tỉnh An Giang",
                 "address": "1 Trần Hưng Đạo, An Phú", "phone": "0296 3 000 000", "place": "An Phú"},
        "doc": {"type": doc.type, "label": doc.label, "form": doc.form, "number": doc.number or "",
                "symbol": doc.symbol, "number_symbol": doc.number_symbol, "date": "05/12/2026",
                "date_long": context.date_long(doc.date), "year": 2026, "draft": doc.draft},
        "case": {"tracking_code": "KN-2026-000123", "kind": "complaint_first", "kind_label": "Khiếu nại lần đầu",
                 "subject": "Khiếu nại quyết định thu hồi đất", "content": "Nội dung khiếu nại",
                 "received_on": "02/11/2026", "channel_label": "Đơn gửi qua bưu điện",
                 "state_label": "Đã thụ lý", "related_code": "", "people_count": "",
                 "record": {"verification_report": {"summary": "Kết quả xác minh", "report_date": "01/12/2026"}}},
        "requester": {"name": "Nguyễn Văn An", "kind": "person", "address": "12 Lê Lợi, An Phú",
                      "identity_number": "001090000001", "identity_label": "Căn cước công dân", "phone": "0900000000",
                      "email": "an@example.vn"},
        "parties": [party, respondent],
        "respondents": [respondent],
        "fields": {"decision_number": "12/TB-STNMT", "decision_date": "05/12/2026", "result": "right",
                   "result_label": "Khiếu nại đúng", "reason": "", "ground": "", "ground_label": ""},
        "signer": {"title": "GIÁM ĐỐC", "name": "Lê Văn Cường",
                   "authority": "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"},
        "recipients": ["Ông Nguyễn Văn An", "Thanh tra tỉnh"],
        "today": "05/12/2026",
    }


def test_the_sample_context_gives_every_name():
    assert set(sample_context()) == context.CONTEXT_NAMES
    for name, attributes in context.CONTEXT_ATTRIBUTES.items():
        assert set(attributes) <= set(sample_context()[name])


def test_the_fixture_template_passes_the_check():
    templates.check_template(template_bytes())


def test_a_template_with_an_unknown_variable_is_refused_naming_it():
    with pytest.raises(ServiceError, match="nguoi_ky"):
        templates.check_template(template_bytes("{{ nguoi_ky.ten }}"))


def test_a_file_that_is_no_docx_is_refused():
    with pytest.raises(ServiceError, match=".docx"):
        templates.check_template(b"%PDF-1.4 not a template")


def test_a_template_with_a_syntax_error_is_refused():
    with pytest.raises(ServiceError, match="cú pháp"):
        templates.check_template(template_bytes("{{ unit.name "))


#: the minutes of a grassroots dialogue conference name no citizen: residents attend, none is a party
NO_PARTY_TYPES = {"conference_minutes"}


def _check_rendered(content: bytes, ctx: dict) -> None:
    text = _text(content)
    citizen = () if ctx["doc"]["type"] in NO_PARTY_TYPES else ("Nguyễn Văn An",)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "12/TB-STNMT",
                     *citizen, "05 tháng 12 năm 2026"):
        assert expected in text, (ctx["doc"]["type"], expected)


@pytest.mark.parametrize("type_", TYPES)
def test_the_fixture_renders_every_type(type_):
    ctx = sample_context(type_)
    _check_rendered(generate.render_docx(template_bytes(), ctx), ctx)


@pytest.mark.parametrize("type_", SHIPPED_TYPES)
def test_every_shipped_template_passes_the_check_and_renders(type_):
    dtype = templates.document_type(SHIPPED, type_)
    content = templates.shipped_bytes(SHIPPED, dtype)
    templates.check_template(content)
    ctx = sample_context(type_)
    _check_rendered(generate.render_docx(content, ctx), ctx)


def test_the_shipped_manifest_has_every_type_of_the_contract():
    assert set(TYPES) <= set(SHIPPED_TYPES)


def test_pdf_conversion_renders_page_one(tmp_path):
    """The PDF of the fixture template (and of the shipped notice of acceptance when the manifest is there): page 1
    rendered to PNG with pdftoppm, kept under tests/artifacts/ to be looked at with the browser tests' screenshots."""
    require(pdf.available(), "LibreOffice không có: cài bằng apt-get install libreoffice-writer-nogui")
    require(shutil.which("pdftoppm") is not None, "pdftoppm không có: cài bằng apt-get install poppler-utils")
    sources = {"fixture": template_bytes(), "notice_of_acceptance": templates.shipped_bytes(
        SHIPPED, templates.document_type(SHIPPED, "notice_of_acceptance"))}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, source in sources.items():
        content = pdf.to_pdf(generate.render_docx(source, sample_context()))
        assert content.startswith(b"%PDF-")
        (tmp_path / f"{name}.pdf").write_bytes(content)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(tmp_path / f"{name}.pdf"), str(ARTIFACTS / f"document-{name}-page1")],
                       check=True, timeout=60)
        png = ARTIFACTS / f"document-{name}-page1.png"
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 1000


def test_without_libreoffice_the_pdf_is_refused_with_the_reason(monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable, match="chưa cài LibreOffice"):
        pdf.to_pdf(b"PK")
