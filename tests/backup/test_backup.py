"""`dvflow backup PATH` / `dvflow restore PATH`: a database with cases, documents, attachments, history and signed
days, backed up and restored into a fresh database (SQLite to SQLite, PostgreSQL to PostgreSQL, SQLite to
PostgreSQL, local files to an S3 bucket): every row of every table and every file comes back as it was, the history
chain verifies, and the archive holds no denouncer's identity in plain text."""
from __future__ import annotations

import io
import json
import os
import tarfile
import uuid
from contextlib import contextmanager
from datetime import timedelta

from conftest import POSTGRES_URL, drop_postgres_database, ensure_postgres_database
from crypto.test_dump import DENOUNCER, SECRETS
from documents.helpers import accept, new_complaint
from factories import NOW, SERVICE_ORG, make_org
from sqlalchemy import make_url, select
from sqlalchemy.orm import Session

from config import ROOT
from dvflow import migrate, storage
from dvflow.services.backup import rows
from dvflow.services.cases import attachments
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import flow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LATER = NOW + timedelta(days=20)  # the days of the data have ended: `audit anchor` signs them


@contextmanager
def database(kind: str, tmp_path):
    """A new, empty database: an SQLite file, or a PostgreSQL database of its own (dropped at the end)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    url = make_url(POSTGRES_URL).set(database=f"{make_url(POSTGRES_URL).database}_bk_{os.getpid()}_"
                                              f"{uuid.uuid4().hex[:8]}").render_as_string(hide_password=False)
    ensure_postgres_database(url)
    try:
        yield url
    finally:
        drop_postgres_database(url)


def make_app(url: str, upload_dir, **config):
    from dvflow import create_app

    return create_app({"ENV": "testing", "DATABASE_URL": url, "UPLOAD_DIR": str(upload_dir),
                       "NOW": lambda: LATER, **config})


def fill(app, workflows) -> None:
    """Cases (one a confidential denunciation), an issued document attached to its case, an uploaded file, and the
    history of it all; then the ended days signed."""
    engine, files = app.extensions["dvflow.bind"], app.extensions["dvflow.files"]
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session, **SERVICE_ORG)
        case = new_complaint(session, workflows, org)
        settings = flow.Settings(documents_dir=str(ROOT / "workflows" / "documents"), files=files, pdf=False)
        accept(session, workflows, org, case, settings)
        attachments.add_attachment(session, org["users"]["reception"], case.id, "đơn.pdf", io.BytesIO(PDF), None,
                                   NOW, files)
        data = IntakeInput(kind="denunciation", unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                           subject="Tố cáo cán bộ địa chính", content="Nội dung tố cáo", parties=[
                               PartyInput(role="denouncer", **DENOUNCER), PartyInput(role="accused", name="Ông B")])
        register_case(session, workflows, org["users"]["reception"], data, NOW)
        session.commit()
    signed = app.test_cli_runner().invoke(args=["dvflow", "audit", "anchor"])
    assert signed.exit_code == 0 and "Đã ký ngày" in signed.output, signed.output


def snapshot(engine) -> dict[str, list[dict]]:
    """Every row of every table as the backup encodes it (ciphertexts as stored), in primary-key order (a JSON
    column compared as the object it is: PostgreSQL's JSONB keeps its keys in an order of its own)."""
    out = {}
    with engine.connect() as conn:
        for table in rows.portable_tables():
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [{k: rows.encode(v) for k, v in r.items()} for r in conn.execute(query).mappings()]
    return out


def files_of(store) -> dict[str, bytes]:
    return {key: store.get(key) for key in store.keys()}


def round_trip(source_kind, target_kind, tmp_path, workflows, target_config=None):
    with database(source_kind, tmp_path) as source_url, database(target_kind, tmp_path) as target_url:
        source = make_app(source_url, tmp_path / "source-files")
        migrate.upgrade(source.extensions["dvflow.bind"])
        fill(source, workflows)
        archive = tmp_path / "sao-luu.tar.gz"
        made = source.test_cli_runner().invoke(args=["dvflow", "backup", str(archive)])
        assert made.exit_code == 0 and "Đã sao lưu" in made.output, made.output

        target = make_app(target_url, tmp_path / "target-files", **(target_config or {}))
        done = target.test_cli_runner().invoke(args=["dvflow", "restore", str(archive)])
        assert done.exit_code == 0, done.output
        assert "số dòng và tổng kiểm tra khớp" in done.output and "Lịch sử hồ sơ toàn vẹn" in done.output
        before, after = snapshot(source.extensions["dvflow.bind"]), snapshot(target.extensions["dvflow.bind"])
        assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
        assert after == before
        for table in ("cases", "documents", "case_events", "attachments", "parties", "history_anchors"):
            assert before[table], table  # the data did hold each kind that must come back
        assert files_of(target.extensions["dvflow.files"]) == files_of(source.extensions["dvflow.files"])
        assert len(files_of(source.extensions["dvflow.files"])) == 2  # the upload and the issued document
        yield source, target, archive
        for app in (source, target):
            app.extensions["dvflow.bind"].dispose()


def test_round_trip_on_the_same_database(db_backend, tmp_path, workflows):
    for _source, target, _archive in round_trip(db_backend, db_backend, tmp_path, workflows):
        _a_new_row_continues_the_ids(target)


def test_from_sqlite_with_the_files_into_a_bucket(db_backend, tmp_path, workflows, s3_config):
    """SQLite to either database (SQLite to PostgreSQL: the move of a small office to a province's server), the
    files from a folder into an S3 bucket."""
    for _source, target, _archive in round_trip("sqlite", db_backend, tmp_path, workflows, s3_config):
        assert isinstance(target.extensions["dvflow.files"], storage.S3Storage)
        _a_new_row_continues_the_ids(target)


def _a_new_row_continues_the_ids(app) -> None:
    from dvflow.models import Unit

    with Session(app.extensions["dvflow.bind"]) as s:
        top = s.scalar(select(Unit).order_by(Unit.id.desc()))
        unit = Unit(code="MOI", name="Đơn vị mới", level="commune", parent_id=top.id)
        s.add(unit)
        s.commit()
        assert unit.id == top.id + 1  # the sequence was moved past the restored ids


def test_the_archive_holds_no_plaintext_identity(tmp_path, workflows):
    for _source, _target, archive in round_trip("sqlite", "sqlite", tmp_path, workflows):
        with tarfile.open(archive, "r:gz") as tar:
            names = tar.getnames()
            text = "\n".join(tar.extractfile(m).read().decode("utf-8", "replace") for m in tar.getmembers())
        manifest = json.loads(_manifest(archive))
        assert names[-1] == "manifest.json" and manifest["alembic_revision"]
        assert {t["name"] for t in manifest["tables"]} >= {"cases", "parties", "case_events"}
        assert all(len(t["sha256"]) == 64 for t in manifest["tables"])
        # as the JSON holds it and as a reader decodes it
        decoded = "\n".join(json.dumps(json.loads(line), ensure_ascii=False)
                            for line in text.splitlines() if line.startswith("{\"")).lower()
        found = [s for s in SECRETS if s.lower() in text.lower() or s.lower() in decoded]
        assert found == []
        assert "e1:" in text  # the identity is there, as its ciphertext


def _manifest(archive) -> str:
    with tarfile.open(archive, "r:gz") as tar:
        return tar.extractfile("manifest.json").read().decode()


def test_a_database_with_cases_is_refused_and_a_tampered_archive_too(tmp_path, workflows):
    for source, target, archive in round_trip("sqlite", "sqlite", tmp_path, workflows):
        again = target.test_cli_runner().invoke(args=["dvflow", "restore", str(archive)])
        assert again.exit_code == 1 and "chỉ khôi phục vào một cơ sở dữ liệu trống" in again.output
        tampered = tmp_path / "sua.tar.gz"
        with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as out:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name.endswith("-cases.jsonl"):
                    data = data.replace(b"Khi\xe1\xba\xbfu n\xe1\xba\xa1i", b"Kh\xc3\xb4ng")
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
        with database("sqlite", tmp_path) as url:
            fresh = make_app(url, tmp_path / "fresh-files")
            refused = fresh.test_cli_runner().invoke(args=["dvflow", "restore", str(tampered)])
            assert refused.exit_code == 1 and "Bảng cases: tổng kiểm tra SHA-256 không khớp" in refused.output
            with fresh.extensions["dvflow.bind"].connect() as conn:
                assert conn.exec_driver_sql("SELECT COUNT(*) FROM cases").scalar() == 0  # rolled back whole
            assert list(fresh.extensions["dvflow.files"].keys()) == []
            fresh.extensions["dvflow.bind"].dispose()


def test_not_an_archive_and_an_existing_target(tmp_path):
    with database("sqlite", tmp_path) as url:
        app = make_app(url, tmp_path / "files")
        migrate.upgrade(app.extensions["dvflow.bind"])
        junk = tmp_path / "junk.tar.gz"
        junk.write_bytes(b"not a backup")
        out = app.test_cli_runner().invoke(args=["dvflow", "restore", str(junk)])
        assert out.exit_code == 1 and "Không đọc được" in out.output and "bản sao lưu dvflow" in out.output
        out = app.test_cli_runner().invoke(args=["dvflow", "backup", str(junk)])
        assert out.exit_code == 1 and "đã có: chọn một tên tệp mới" in out.output
        with app.extensions["dvflow.bind"].begin() as conn:
            conn.exec_driver_sql("CREATE TABLE ghi_chu_rieng (id INTEGER PRIMARY KEY)")
        out = app.test_cli_runner().invoke(args=["dvflow", "backup", str(tmp_path / "b.tar.gz")])
        assert out.exit_code == 1 and "bảng dvflow không biết (ghi_chu_rieng)" in out.output
        assert not list(tmp_path.glob("b.tar.gz*"))  # no archive, no half-written one
        app.extensions["dvflow.bind"].dispose()
