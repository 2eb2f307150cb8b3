"""An issued document's frozen DOCX goes to the case's files in the S3 bucket, as it goes to UPLOAD_DIR."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from dvflow.models import Attachment, Document
from dvflow.storage import S3Storage

from .helpers import accept, new_complaint


def test_the_issued_document_is_stored_in_the_bucket(session, workflows, org, doc_settings, s3_config):
    files = S3Storage(s3_config["S3_BUCKET"], s3_config["S3_ENDPOINT_URL"], prefix=s3_config["S3_PREFIX"])
    settings = replace(doc_settings, files=files)
    case = new_complaint(session, workflows, org)
    accept(session, workflows, org, case, settings)
    doc = session.scalars(select(Document).where(Document.case_id == case.id)).one()
    attachment = session.get(Attachment, doc.attachment_id)
    assert attachment.stored_path.startswith(f"{case.id}/") and attachment.filename.endswith(".docx")
    assert list(files.keys()) == [attachment.stored_path] and files.get(attachment.stored_path) == doc.content


def test_settings_from_the_configuration_use_the_apps_storage(s3_config, tmp_path):
    from config import ROOT
    from dvflow.services.documents import flow

    config = {"WORKFLOWS_DIR": str(ROOT / "workflows"), "UPLOAD_DIR": str(tmp_path), **s3_config}
    assert isinstance(flow.settings_from(config).files, S3Storage)
    assert flow.settings_from(config).files is flow.settings_from(dict(config)).files
    assert flow.settings_from({**config, "S3_BUCKET": ""}).files.root == tmp_path
