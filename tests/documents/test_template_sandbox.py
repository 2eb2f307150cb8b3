"""A unit's own template runs in Jinja's sandbox, and an upload is checked and tried before it is kept: a template
reaching Python's internals, or failing when rendered, never prints the server's secrets nor answers 500."""
from __future__ import annotations

import logging
import os

import pytest
from sqlalchemy import select

from dvflow.models import Document, UnitTemplate
from dvflow.services.documents import context, generate, templates
from dvflow.services.errors import ServiceError

from .conftest import SHIPPED
from .fixtures.template import template_bytes
from .helpers import accept, at, docx_text, new_complaint

CANARY = "bi-mat-may-chu"
#: the classic way out of docxtpl's default (unsandboxed) Jinja: from a string to os.environ
ESCAPE = ("{% for c in unit.name.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == '_wrap_close' %}"
          "{{ c.__init__.__globals__['environ']['DVFLOW_SANDBOX_CANARY'] }}{% endif %}{% endfor %}")



@pytest.fixture
def unit_admin(session, org):
    from dvflow.services.org import accounts

    admin = accounts.create_user(session, "qtv_so", "password-123", now=at(2), full_name="QTV đơn vị")
    accounts.grant_role(session, admin, org["dept"], "admin")
    return admin


def _upload(session, admin, org, content: bytes, type_: str = "notice_of_acceptance"):
    return templates.upload(session, admin, org["dept"].id, str(SHIPPED), type_, "mau.docx", content, at(2))


def _store_unchecked(session, org, content: bytes, type_: str = "notice_of_acceptance") -> None:
    """A unit template kept before the upload checked it (or put into the database some other way)."""
    session.add(UnitTemplate(unit_id=org["dept"].id, type=type_, content=content, filename="cu.docx",
                             uploaded_at=at(1)))
    session.flush()


def test_the_renderer_is_sandboxed(monkeypatch):
    monkeypatch.setenv("DVFLOW_SANDBOX_CANARY", CANARY)
    ctx = context.sample_context("notice_of_acceptance", "Thông báo", "Mẫu số 03")
    with pytest.raises(ServiceError, match="Không tạo được văn bản từ mẫu"):
        generate.render_docx(template_bytes(ESCAPE), ctx)


@pytest.mark.parametrize("line", [
    ESCAPE,
    "{{ unit.name.__class__ }}",
    "{{ unit['__class__'] }}",
    "{{ unit.name|attr('__class__') }}",
    "{% set _x = unit %}{{ _x }}",
])
def test_an_upload_reaching_a_private_name_is_refused_naming_it(session, org, unit_admin, line):
    with pytest.raises(ServiceError, match="gạch dưới") as err:
        _upload(session, unit_admin, org, template_bytes(line))
    assert err.value.field == "file"
    assert session.scalar(select(UnitTemplate.id)) is None


def test_a_template_kept_from_before_cannot_read_the_servers_environment(session, workflows, org, doc_settings,
                                                                         monkeypatch):
    monkeypatch.setenv("DVFLOW_SANDBOX_CANARY", CANARY)
    _store_unchecked(session, org, template_bytes(ESCAPE))
    case = new_complaint(session, workflows, org)
    savepoint = session.begin_nested()
    with pytest.raises(ServiceError, match="Hồ sơ chưa thay đổi"):
        accept(session, workflows, org, case, doc_settings)
    savepoint.rollback()
    assert os.environ["DVFLOW_SANDBOX_CANARY"] == CANARY
    assert not [d for d in session.scalars(select(Document)) if CANARY in docx_text(d.content)]


def test_an_upload_that_fails_when_rendered_is_refused_at_upload(session, org, unit_admin):
    with pytest.raises(ServiceError, match="dữ liệu mẫu") as err:
        _upload(session, unit_admin, org, template_bytes("{{ doc.year / 0 }}"))
    assert err.value.field == "file" and "division by zero" in err.value.message
    assert session.scalar(select(UnitTemplate.id)) is None


def test_a_template_failing_at_issue_is_a_vietnamese_refusal_logged_with_its_trace(session, workflows, org,
                                                                                   doc_settings, caplog):
    _store_unchecked(session, org, template_bytes("{{ doc.year / 0 }}"))
    case = new_complaint(session, workflows, org)
    savepoint = session.begin_nested()
    with caplog.at_level(logging.WARNING, logger=generate.__name__):
        with pytest.raises(ServiceError, match="Không tạo được văn bản từ mẫu: division by zero"):
            accept(session, workflows, org, case, doc_settings)
    savepoint.rollback()
    [record] = [r for r in caplog.records if r.name == generate.__name__]
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError


def test_a_good_upload_is_kept_and_used(session, workflows, org, unit_admin, doc_settings):
    _upload(session, unit_admin, org, template_bytes("Mẫu riêng của Sở: {{ unit.name }}"))
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, doc_settings)
    [doc] = session.scalars(select(Document).where(Document.case_id == case.id))
    assert "Mẫu riêng của Sở: " + org["dept"].name in docx_text(doc.content)


@pytest.mark.parametrize("type_", sorted(templates.load_manifest(SHIPPED)))
def test_every_shipped_template_may_be_uploaded_as_a_units_own(session, org, unit_admin, type_):
    """The checks refuse nothing the shipped templates do: a unit starts its own from one of them."""
    dtype = templates.document_type(SHIPPED, type_)
    assert _upload(session, unit_admin, org, templates.shipped_bytes(SHIPPED, dtype), type_).type == type_
