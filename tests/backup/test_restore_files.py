"""A restore into a storage that still holds files (the database was lost, UPLOAD_DIR or the bucket was not): a file
already there with the same content is left alone, never removed when the restore fails later; one with other
content under the same key is refused before anything is written. And a row whose file is missing is named at
backup and at restore."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backup.archives import backed_up, count, manifest_of, restored, rewritten, tables
from backup.test_backup import files_of
from dvflow import storage
from dvflow.models import Attachment

UNRELATED = ("9/khong-lien-quan", b"a file of another installation sharing the folder")


@pytest.fixture(params=["folder", "bucket"])
def live(request, tmp_path):
    """The target's storage configuration, and the storage itself (a folder, or a bucket on moto's S3 server)."""
    if request.param == "bucket":
        config = request.getfixturevalue("s3_config")
        return config, storage.from_config(config)
    config = {"UPLOAD_DIR": str(tmp_path / "live-files")}
    return config, storage.LocalStorage(tmp_path / "live-files")


def test_a_failed_restore_removes_only_the_files_it_put(tmp_path, workflows, live):
    config, store = live
    with backed_up(tmp_path, workflows) as (source, archive):
        originals = files_of(source.extensions["dvflow.files"])
        first, last = [e["key"] for e in manifest_of(archive)["files"]]
        store.put(first, originals[first])  # the live original survived the loss of the database
        store.put(*UNRELATED)
        before = files_of(store)
        # the last file's member is damaged (a bad disk, a bad copy): the restore fails after the rows are in
        damaged = rewritten(archive, tmp_path / "hong.tar.gz",
                            lambda name, data: b"X" + data[1:] if name == f"files/{last}" else data)
        with restored(tmp_path, damaged, **config) as (out, app):
            assert out.exit_code == 1 and f"Tệp {last}: tổng kiểm tra SHA-256 không khớp" in out.output
            assert count(app, "cases") == 0
        assert files_of(store) == before


def test_a_file_of_other_content_under_a_key_is_refused_before_anything_is_written(tmp_path, workflows, live):
    config, store = live
    with backed_up(tmp_path, workflows) as (_source, archive):
        first, _last = [e["key"] for e in manifest_of(archive)["files"]]
        store.put(first, b"another file under the same name")
        before = files_of(store)
        with restored(tmp_path, archive, **config) as (out, app):
            assert out.exit_code == 1 and out.exception.__class__ is SystemExit
            assert f"khác nội dung: {first}" in out.output and "Không ghi đè" in out.output
            assert tables(app) == set()  # not even migrated
        assert files_of(store) == before


def test_the_files_already_there_are_kept(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (source, archive):
        files = source.extensions["dvflow.files"]
        before = files_of(files)
        with restored(tmp_path, archive, upload_dir=files.root) as (out, app):
            assert out.exit_code == 0, out.output
            assert "2 tệp đã có sẵn với cùng nội dung được giữ nguyên" in out.output
            assert count(app, "cases") == count(source, "cases") > 0
        assert files_of(files) == before


def test_a_row_whose_file_is_missing_is_named_at_backup_and_at_restore(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (source, _archive):
        files = source.extensions["dvflow.files"]
        with Session(source.extensions["dvflow.bind"]) as s:
            attachment = s.scalars(select(Attachment).where(Attachment.filename == "đơn.pdf")).one()
            key, where = attachment.stored_path, f"tệp đính kèm #{attachment.id} (hồ sơ #{attachment.case_id}"
        files.delete(key)  # lost from the disk (or not yet synced) before the backup
        archive = tmp_path / "thieu.tar.gz"
        made = source.test_cli_runner().invoke(args=["dvflow", "backup", str(archive)])
        assert made.exit_code == 0 and "Đã sao lưu" in made.output
        assert "CẢNH BÁO: 1 tệp mà dữ liệu trỏ tới không có trong nơi lưu tệp" in made.output
        assert where in made.output and key in made.output
        with restored(tmp_path, archive) as (out, _app):
            assert out.exit_code == 0, out.output
            assert "CẢNH BÁO: 1 tệp mà dữ liệu đã khôi phục trỏ tới không có" in out.output
            assert where in out.output and key in out.output
