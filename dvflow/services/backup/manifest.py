"""A backup's manifest.json as a restore reads it: refused unless it is a dvflow backup this version can read, with
every entry the restore uses of the right kind (an archive made elsewhere, or edited, is refused with a message,
never a traceback)."""
from __future__ import annotations

import json
import tarfile

from ... import migrate
from ..errors import ServiceError

FORMAT = "dvflow-backup"
VERSION = 1
MANIFEST = "manifest.json"


class BadBackup(ServiceError):
    """The archive is not a dvflow backup this version can read, or does not match its manifest."""


#: the entries of each list of the manifest, and the kind of each of their fields
ENTRIES = {"tables": {"name": str, "member": str, "rows": int, "sha256": str},
           "files": {"key": str, "member": str, "size": int, "sha256": str}}


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, tarfile.TarError) as exc:
        raise BadBackup("Tệp không phải bản sao lưu dvflow: thiếu hoặc hỏng manifest.json.", field="path") from exc
    if not isinstance(manifest, dict):
        raise BadBackup("Tệp không phải bản sao lưu dvflow: manifest.json không phải một đối tượng JSON.",
                        field="path")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BadBackup("Bản sao lưu có định dạng %(format)s phiên bản %(version)s; phiên bản dvflow này đọc %(ours)s "
                        "phiên bản %(our_version)s.", field="path", format=str(manifest.get("format")),
                        version=str(manifest.get("version")), ours=FORMAT, our_version=VERSION)
    revision = manifest.get("alembic_revision")
    if type(revision) is not str or revision not in _known_revisions():
        raise BadBackup("Bản sao lưu được tạo ở phiên bản cơ sở dữ liệu %(revision)s, phiên bản dvflow này không biết: "
                        "khôi phục bằng phiên bản dvflow mới hơn.", field="path", revision=str(revision))
    if wrong := _malformed(manifest):
        raise BadBackup("Tệp không phải bản sao lưu dvflow hợp lệ: mục %(items)s của manifest.json thiếu hoặc sai.",
                        field="path", items=", ".join(wrong))
    return manifest


def _malformed(manifest: dict) -> list[str]:
    """The manifest's entries that are missing or not of their kind."""
    wrong = [name for name in ("created_at",) if type(manifest.get(name)) is not str]
    if type(manifest.get("identity_hash_check", "")) is not str:
        wrong.append("identity_hash_check")
    for name, fields in ENTRIES.items():
        entries = manifest.get(name)
        if not isinstance(entries, list) or not all(
                isinstance(e, dict) and all(type(e.get(f)) is kind for f, kind in fields.items()) for e in entries):
            wrong.append(name)
    return wrong


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()}
