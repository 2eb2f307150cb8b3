"""dvflow.storage: the local folder and the S3 bucket behave alike; a key never reaches outside the storage."""
from __future__ import annotations

import io

import pytest

from dvflow import storage


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return storage.LocalStorage(tmp_path / "files")
    config = request.getfixturevalue("s3_config")
    return storage.S3Storage(config["S3_BUCKET"], config["S3_ENDPOINT_URL"], prefix="p/")


def test_put_get_exists_delete_and_keys(store):
    assert list(store.keys()) == [] and not store.exists("7/abc")
    store.put("7/abc", b"hello", "text/plain")
    store.put("12/def", io.BytesIO(b"x" * 3_000_000), "application/pdf")  # a stream, in several chunks
    assert store.exists("7/abc") and store.get("7/abc") == b"hello"
    assert len(store.get("12/def")) == 3_000_000
    with store.open("7/abc") as f:
        assert f.read() == b"hello"
    assert sorted(store.keys()) == ["12/def", "7/abc"]
    store.delete("7/abc")
    store.delete("7/abc")  # twice: no error
    assert not store.exists("7/abc") and list(store.keys()) == ["12/def"]
    with pytest.raises(storage.FileMissing):
        store.get("7/abc")


@pytest.mark.parametrize("key", ["../outside", "7/../../outside", "/etc/passwd"])
def test_a_key_never_leaves_the_storage(store, key):
    with pytest.raises(storage.StorageError):
        store.put(key, b"x")


def test_a_local_key_is_the_file_under_upload_dir(tmp_path):
    # the layout of every earlier release: existing files keep working
    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "0123abcd").write_bytes(b"old")
    local = storage.LocalStorage(tmp_path)
    assert local.get("3/0123abcd") == b"old" and local.local_path("3/0123abcd") == tmp_path / "3" / "0123abcd"


def test_the_configuration_chooses(tmp_path, s3_config):
    assert isinstance(storage.from_config({"UPLOAD_DIR": str(tmp_path)}), storage.LocalStorage)
    s3 = storage.from_config({"UPLOAD_DIR": str(tmp_path), **s3_config})
    assert isinstance(s3, storage.S3Storage) and s3.prefix == "ho-so/"
    with pytest.raises(storage.StorageError):
        storage.from_config({"UPLOAD_DIR": ""})


def test_create_bucket_is_idempotent(s3_endpoint, s3_config):
    fresh = storage.S3Storage("dvflow-created-here", s3_endpoint)
    assert fresh.create_bucket() is True and fresh.create_bucket() is False


def test_the_create_bucket_command(s3_endpoint, s3_config, tmp_path):
    from dvflow import create_app

    app = create_app({"ENV": "testing", "UPLOAD_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                      **s3_config, "S3_BUCKET": "dvflow-made-by-command"})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["dvflow", "files", "create-bucket"])
    assert first.exit_code == 0 and "Đã tạo bucket dvflow-made-by-command." in first.output
    again = runner.invoke(args=["dvflow", "files", "create-bucket"])
    assert again.exit_code == 0 and "đã có sẵn" in again.output
    assert "dvflow-made-by-command" in runner.invoke(args=["dvflow", "files", "where"]).output
    local = create_app({"ENV": "testing", "UPLOAD_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    refused = local.test_cli_runner().invoke(args=["dvflow", "files", "create-bucket"])
    assert refused.exit_code == 1 and "Chưa cấu hình DVFLOW_S3_BUCKET" in refused.output
