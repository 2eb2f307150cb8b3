"""The case files in an S3 bucket (moto's server): upload, download, the file removed when the request rolls back,
the representatives' written appointment, and a second web node (another app, another UPLOAD_DIR, the same database
and bucket) serving what the first stored."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from factories import NOW
from sqlalchemy import select

from dvflow import storage
from dvflow.models import Attachment, Case
from dvflow.services.cases import attachments as service

from .helpers import make_case
from .test_attachments import PDF, upload
from .test_reception_mass import mass_form, register


def _make_app(connection, clock, upload_dir: Path, s3_config: dict):
    from dvflow import create_app

    return create_app({"ENV": "testing", "DB_BIND": connection, "NOW": clock, "WTF_CSRF_ENABLED": True,
                       "RATELIMIT_ENABLED": False, "UPLOAD_DIR": str(upload_dir), **s3_config})


@pytest.fixture
def app(connection, clock, tmp_path, s3_config):
    """This module's app keeps the case files in the bucket (the `login` fixture logs in to it)."""
    return _make_app(connection, clock, tmp_path / "node-a", s3_config)


def bucket(s3_config) -> storage.S3Storage:
    return storage.S3Storage(s3_config["S3_BUCKET"], s3_config["S3_ENDPOINT_URL"])


def local_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]


def test_the_app_chooses_s3_when_a_bucket_is_configured(app, s3_config):
    files = app.extensions["dvflow.files"]
    assert isinstance(files, storage.S3Storage) and files.bucket == s3_config["S3_BUCKET"]
    assert files.prefix == "ho-so/"


def test_upload_and_download_through_the_bucket(app, session, login, org, s3_config):
    case = make_case(app, session, org)
    handler = login("handler")
    assert upload(handler, case.id, PDF, "Đơn khiếu nại.pdf").status_code == 302
    row = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).one()
    # the object is in the bucket under the prefix, with the checked type; nothing on this node's disk
    assert list(bucket(s3_config).keys()) == [f"ho-so/{row.stored_path}"]
    head = bucket(s3_config).client.head_object(Bucket=s3_config["S3_BUCKET"], Key=f"ho-so/{row.stored_path}")
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(PDF)
    assert local_files(app) == []

    resp = handler.get(f"/ho-so/{case.id}/tep/{row.id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.mimetype == "application/pdf" and resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in resp.headers["Cache-Control"] and "attachment;" in resp.headers["Content-Disposition"]
    assert resp.headers["ETag"].strip('"') == hashlib.sha256(PDF).hexdigest()
    assert handler.get(f"/ho-so/{case.id}/tep/{row.id}", headers={"If-None-Match": resp.headers["ETag"]}
                       ).status_code == 304


def test_a_missing_object_is_a_404(app, session, login, org, s3_config):
    case = make_case(app, session, org)
    handler = login("handler")
    upload(handler, case.id, PDF, "a.pdf")
    row = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).one()
    app.extensions["dvflow.files"].delete(row.stored_path)
    assert handler.get(f"/ho-so/{case.id}/tep/{row.id}").status_code == 404


def test_a_refused_upload_stores_nothing(app, session, login, org, s3_config):
    case = make_case(app, session, org)
    resp = upload(login("handler"), case.id, b"MZ\x90\x00 not a pdf", "a.pdf")
    assert resp.status_code == 415 and list(bucket(s3_config).keys()) == []


def test_a_failed_database_write_removes_the_object(app, session, org, s3_config, monkeypatch):
    case = make_case(app, session, org)
    files = app.extensions["dvflow.files"]

    def boom(*_a, **_kw):
        raise RuntimeError("database down")

    monkeypatch.setattr(session, "flush", boom)
    with pytest.raises(RuntimeError, match="database down"):
        service.add_attachment(session, org["users"]["handler"], case.id, "a.pdf", io.BytesIO(PDF), None, NOW,
                               files, 10_000)
    assert list(bucket(s3_config).keys()) == []


def test_the_written_appointment_goes_to_the_bucket_and_away_with_a_refusal(app, session, login, org, s3_config):
    b = login("reception")
    register(b, org, mass_form(org))
    case = session.scalar(select(Case).where(Case.mass.is_(True)))
    url = f"/tiep-nhan/{case.id}/nguoi-dai-dien"
    refused = b.post(url, {"people_count": "9", "rep-0-name": "A", "rep-1-name": "B", "rep-2-name": "C",
                           "appointment_file": (io.BytesIO(PDF), "van-ban-cu.pdf")}, token_from=url)
    assert refused.status_code == 400 and list(bucket(s3_config).keys()) == []  # on_rollback removed it
    ok = b.post(url, {"rep-0-name": "A", "appointment_file": (io.BytesIO(PDF), "van-ban-cu.pdf")}, token_from=url)
    assert ok.status_code == 302
    file = session.scalars(select(Attachment)).one()
    assert bucket(s3_config).get(f"ho-so/{file.stored_path}") == PDF and local_files(app) == []


def test_a_second_web_node_serves_the_files_of_the_first(app, connection, clock, tmp_path, session, org, s3_config):
    case = make_case(app, session, org)
    from .conftest import Browser

    first = Browser(app.test_client())
    first.login("handler")
    assert upload(first, case.id, PDF, "bien-ban.pdf").status_code == 302
    storage._build.cache_clear()  # the second node builds its own S3 client, as another process does
    node_b = _make_app(connection, clock, tmp_path / "node-b", s3_config)
    assert node_b.extensions["dvflow.files"] is not app.extensions["dvflow.files"]
    second = Browser(node_b.test_client())
    second.login("head")
    row = session.scalars(select(Attachment).where(Attachment.case_id == case.id)).one()
    resp = second.get(f"/ho-so/{case.id}/tep/{row.id}")
    assert resp.status_code == 200 and resp.data == PDF
    # and the first node sees what the second stores
    assert upload(second, case.id, PDF, "bien-ban-2.pdf").status_code == 302
    other = session.scalars(select(Attachment).where(Attachment.filename == "bien-ban-2.pdf")).one()
    assert first.get(f"/ho-so/{case.id}/tep/{other.id}").data == PDF
    assert local_files(app) == [] and local_files(node_b) == []
