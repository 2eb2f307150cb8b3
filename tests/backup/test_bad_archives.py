"""A truncated, damaged or crafted archive, and a backup into a folder that does not exist: a clean Vietnamese
message and exit status 1, never a traceback (or click's bare "Aborted!"), and nothing written."""
from __future__ import annotations

import hashlib
import json

import pytest

from backup.archives import backed_up, restored, tables, with_manifest
from backup.test_backup import files_of


def _clean_refusal(out, *words: str) -> None:
    assert out.exit_code == 1 and out.exception.__class__ is SystemExit, out.output
    assert "Aborted!" not in out.output and out.output.startswith("Error: ")
    for word in words:
        assert word in out.output


def test_a_truncated_archive(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (_source, archive):
        data = archive.read_bytes()
        cut = tmp_path / "cat.tar.gz"
        cut.write_bytes(data[:len(data) // 2])  # a copy stopped halfway
        with restored(tmp_path, cut) as (out, app):
            _clean_refusal(out, "bản sao lưu bị cắt cụt hoặc hỏng")
            assert tables(app) == set()


def test_damaged_bytes_inside_the_archive(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (_source, archive):
        data = bytearray(archive.read_bytes())
        for i in range(len(data) // 3, len(data) // 3 + 200):
            data[i] ^= 0x55
        damaged = tmp_path / "hong.tar.gz"
        damaged.write_bytes(bytes(data))
        with restored(tmp_path, damaged) as (out, app):
            _clean_refusal(out, "bản sao lưu")
            assert tables(app) == set()


@pytest.mark.parametrize("edit, words", [
    (lambda m: [1, 2], "manifest.json"),
    (lambda m: {k: v for k, v in m.items() if k != "tables"}, "manifest.json"),
    (lambda m: {**m, "files": [{"key": "1/a"}]}, "manifest.json"),
    (lambda m: {**m, "tables": m["tables"][:3] + [{**m["tables"][3], "rows": "many"}] + m["tables"][4:]},
     "manifest.json"),
], ids=["a list", "no tables", "a file without its checksum", "a count that is no number"])
def test_a_crafted_manifest(tmp_path, workflows, edit, words):
    with backed_up(tmp_path, workflows) as (_source, archive):
        crafted = with_manifest(archive, tmp_path / "la.tar.gz", edit)
        with restored(tmp_path, crafted) as (out, app):
            _clean_refusal(out, words, "không phải bản sao lưu dvflow")
            assert tables(app) == set()


@pytest.mark.parametrize("key", ["../../thoat.txt", "/etc/thoat.txt", "1/../../thoat.txt", "1//a", ""])
def test_a_file_key_outside_the_storage(tmp_path, workflows, key):
    payload = b"owned"
    entry = {"key": key, "member": f"files/{key}", "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    with backed_up(tmp_path, workflows) as (_source, archive):
        evil = with_manifest(archive, tmp_path / "ac.tar.gz", lambda m: m["files"].append(entry),
                             extra={f"files/{key}": payload})
        (tmp_path / "z" / "files").mkdir(parents=True)
        with restored(tmp_path, evil, upload_dir=tmp_path / "z" / "files") as (out, app):
            _clean_refusal(out, "ra ngoài nơi lưu tệp", json.dumps(key, ensure_ascii=False))
            assert tables(app) == set()
            assert files_of(app.extensions["dvflow.files"]) == {}
        assert not list(tmp_path.rglob("thoat.txt"))


def test_a_backup_into_a_folder_that_does_not_exist(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (source, _archive):
        target = tmp_path / "khong-co" / "b.tar.gz"
        out = source.test_cli_runner().invoke(args=["dvflow", "backup", str(target)])
        _clean_refusal(out, f"Thư mục {target.parent} không có")
        assert not (tmp_path / "khong-co").exists()

