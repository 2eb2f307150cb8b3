"""What an uploaded template (/van-ban/mau) is checked for before it is kept, beyond the names it uses
(test_template_sandbox.py): the Jinja release the sandbox rests on, the work one rendering may take, a damaged file,
the parts docxtpl renders besides the body, and the sample context it is tried with."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from config import ROOT
from dvflow.models import UnitTemplate
from dvflow.services.documents import context, sandbox, templates
from dvflow.services.errors import ServiceError

from .conftest import SHIPPED
from .fixtures.template import template_bytes
from .helpers import accept, at, new_complaint


def test_the_sandboxed_jinja_is_pinned_to_a_release_without_the_known_sandbox_escapes():
    """The documents' safety rests on Jinja's sandbox (generate.py); Jinja2 < 3.1.6 has published sandbox escapes
    (CVE-2024-56201, CVE-2024-56326, CVE-2025-27516). requirements.txt pins it exactly, like every dependency."""
    import jinja2

    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(r"^Jinja2==([0-9.]+)$", text, re.M)
    assert pin is not None, "Jinja2 is not pinned in requirements.txt"
    assert tuple(int(p) for p in pin.group(1).split(".")) >= (3, 1, 6)
    assert jinja2.__version__ == pin.group(1)


@pytest.fixture
def unit_admin(session, org):
    from dvflow.services.org import accounts

    admin = accounts.create_user(session, "qtv_so2", "password-123", now=at(2), full_name="QTV đơn vị")
    accounts.grant_role(session, admin, org["dept"], "admin")
    return admin


def _upload(session, admin, org, content: bytes, type_: str = "complaint_decision_first"):
    return templates.upload(session, admin, org["dept"].id, str(SHIPPED), type_, "mau.docx", content, at(2))


class _TookTooLong(BaseException):
    """Not an Exception: render_docx's `except Exception` must not turn it into a refusal."""


@pytest.mark.parametrize("line, limit", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "10000"),
    ("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}", "lặp quá 10000 lần"),
    ("{% for i in range(9000) %}{% for c in 'x' * 9000 %}{% endfor %}{% endfor %}", "lặp quá 10000 lần"),
    ("{{ 'x' * 1000000000 }}", "kích thước quá lớn"),
    ("{{ 'x'|center(1000000000) }}", "kích thước quá lớn"),
    ("{{ '%*s' % (1000000000, 'x') }}", "kích thước quá lớn"),
    ("{{ '{:>1000000000}'.format('x') }}", "kích thước quá lớn"),
    ("{{ 10 ** 1000000000 }}", "lũy thừa"),
    ("{% for i in [1] recursive %}{{ loop([1]) }}{% endfor %}", "đệ quy"),
    ("{% for i in range(9000) %}{{ 'x' * 9000 }}{% endfor %}", "quá dài"),
])
def test_an_upload_that_would_work_for_ever_is_refused_quickly(session, org, unit_admin, line, limit):
    """Jinja's sandbox bounds range() (100,000) but not the work: two nested ranges are 10^10 steps, a text repeated
    or padded a billion times a gigabyte; the upload renders the template in the request (templates.try_render),
    so each is refused, in Vietnamese, naming the bound, well within a second."""
    import signal

    def _alarm(signum, frame):
        raise _TookTooLong()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(3)
    try:
        with pytest.raises(sandbox.WorkLimit, match=limit) as refused:
            _upload(session, unit_admin, org, template_bytes(line))
    except _TookTooLong:
        pytest.fail("the upload was still rendering after 3 seconds")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert refused.value.field == "file" and session.scalar(select(UnitTemplate.id)) is None


def test_what_a_document_does_stays_within_the_bounds(session, org, unit_admin):
    """Loops over the parties and a padded line, numbers formatted: kept."""
    line = ("{% for p in parties %}{{ loop.index }}. {{ p.name|center(40) }}{% endfor %}{{ '-' * 40 }}"
            "{{ '%05d' % 1500000 }} {{ '{:,}'.format(1500000) }} {{ 2 ** 10 }}")
    _upload(session, unit_admin, org, template_bytes(line))
    assert session.scalar(select(UnitTemplate.id)) is not None


def test_a_template_kept_from_before_is_bounded_when_a_document_is_issued(session, workflows, org, doc_settings):
    """A template stored before the bounds (or that loops only with a real case's data) is refused at issue, the
    action rolled back, rather than hold the request."""
    from dvflow.models import Case

    case = new_complaint(session, workflows, org)
    line = "{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}"
    session.add(UnitTemplate(unit_id=org["dept"].id, type="notice_of_acceptance", content=template_bytes(line),
                             filename="cu.docx", uploaded_at=at(1)))
    session.flush()
    savepoint = session.begin_nested()
    with pytest.raises(sandbox.WorkLimit, match="lặp quá 10000 lần"):
        accept(session, workflows, org, case, doc_settings)
    savepoint.rollback()
    session.expire_all()
    assert session.get(Case, case.id).state == "received"


def _with_part(content: bytes, name: str, transform) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, transform(data) if item.filename == name else data)
    return out.getvalue()


@pytest.mark.parametrize("part", ["word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/styles.xml",
                                  "docProps/core.xml"])
def test_a_docx_with_broken_xml_is_a_vietnamese_refusal_not_a_500(session, org, unit_admin, part):
    """A file that starts as a zip but one of whose parts is cut short (a damaged or half-copied .docx): lxml's
    XMLSyntaxError is refused like any file that is no .docx."""
    broken = _with_part(template_bytes(), part, lambda data: data[: len(data) // 2])
    with pytest.raises(ServiceError, match="không phải tệp Word .docx hợp lệ") as refused:
        _upload(session, unit_admin, org, broken)
    assert refused.value.field == "file"


def test_sample_context_gives_case_record_like_every_attribute_it_claims(workflows):
    """context.sample_context gives every attribute of CONTEXT_ATTRIBUTES, case.record too: what each action of
    the workflows records, a personal field left out as context.record leaves it."""
    record = context.sample_record(workflows.kinds())
    ctx = context.sample_context("complaint_decision_first", "QĐ", "", record=record)
    missing = {name: set(attrs) - set(ctx[name]) for name, attrs in context.CONTEXT_ATTRIBUTES.items()}
    assert not any(missing.values()), missing
    assert ctx["case"]["record"]["verification_report"]["summary"] == "Nội dung mẫu"
    assert ctx["case"]["record"]["accept"]["decision_date"] == "05/12/2026"
    assert ctx["case"]["record"]["issue_decision"]["result_label"] == "Nội dung mẫu"
    # denunciation's request_protection names whom to protect (personal: true): never in the record
    assert "protected_person" not in ctx["case"]["record"]["request_protection"]


def test_the_readmes_own_case_record_example_may_be_uploaded(session, workflows, org, unit_admin):
    """README "Changing a template" step 2 names `case.record.verification_report.summary` as what a template reads:
    an upload using it is tried with a made-up record of the workflows' actions and kept."""
    line = "Kết quả xác minh: {{ case.record.verification_report.summary }}"
    templates.upload(session, unit_admin, org["dept"].id, str(SHIPPED), "complaint_decision_first", "mau.docx",
                     template_bytes(line), at(2), definitions=workflows.kinds())
    assert session.scalar(select(UnitTemplate.id)) is not None


def test_a_record_of_an_action_no_workflow_has_is_still_refused(session, workflows, org, unit_admin):
    line = "{{ case.record.no_such_action.summary }}"
    with pytest.raises(ServiceError, match="dữ liệu mẫu"):
        templates.upload(session, unit_admin, org["dept"].id, str(SHIPPED), "complaint_decision_first", "mau.docx",
                         template_bytes(line), at(2), definitions=workflows.kinds())


def _with_properties(**values) -> bytes:
    from docx import Document as Docx

    doc = Docx(io.BytesIO(template_bytes()))
    for name, value in values.items():
        setattr(doc.core_properties, name, value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FOOTNOTES_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                 '<w:footnote w:id="1"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _with_footnote(text: str) -> bytes:
    """The fixture template with a footnotes part (python-docx writes none): the part, its content type and the
    document's relationship to it."""
    def content_types(data: bytes) -> bytes:
        return data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                            b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')

    def rels(data: bytes) -> bytes:
        return data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats'
                            b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                            b"</Relationships>")

    content = _with_part(_with_part(template_bytes(), "[Content_Types].xml", content_types),
                         "word/_rels/document.xml.rels", rels)
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a") as docx:
        docx.writestr("word/footnotes.xml", FOOTNOTES_XML % text)
    return out.getvalue()


@pytest.mark.parametrize("content, refusal", [
    (lambda: _with_properties(title="{{ unit.__class__ }}"), "gạch dưới"),
    (lambda: _with_properties(subject="{{ so_van_ban }}"), "so_van_ban"),
    (lambda: _with_footnote("{{ unit.__class__ }}"), "gạch dưới"),
    (lambda: _with_footnote("{{ so_van_ban }}"), "so_van_ban"),
])
def test_the_properties_and_footnotes_docxtpl_renders_are_checked_like_the_body(session, org, unit_admin, content,
                                                                                   refusal):
    """docxtpl renders the core properties (title, subject …) and the footnotes too: a private or unknown name
    there is refused as in the body."""
    with pytest.raises(ServiceError, match=refusal):
        _upload(session, unit_admin, org, content())
    assert session.scalar(select(UnitTemplate.id)) is None


def test_properties_and_footnotes_using_the_context_are_kept(session, org, unit_admin):
    content = _with_footnote("Ghi chú của {{ unit.name }}")
    from docx import Document as Docx

    doc = Docx(io.BytesIO(content))
    doc.core_properties.title = "{{ doc.label }}"
    out = io.BytesIO()
    doc.save(out)
    _upload(session, unit_admin, org, out.getvalue())
    assert session.scalar(select(UnitTemplate.id)) is not None
