"""A restore only under the backup's identity keys (DVFLOW_IDENTITY_KEYS, DVFLOW_IDENTITY_HASH_KEY), checked before
the restore commits.

The backup copies the identity as its ciphertext and the lookups as their keyed hashes, so the rows come back whole
under any keys, and only later does it show: with other encryption keys no party can be read, with another hash key
no identity number and no receipt's secret is found again, and the secrets are not stored, so nothing can recompute
their digests. A backup records a keyed digest of a fixed text (it tells whether two hash keys are the same and
nothing of the key); the restore compares it with its own, decrypts one stored value of each key id it meets and,
for an archive without that digest, compares one identity number's hash with the hash stored beside it.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Table

from ... import crypto
from ..errors import ServiceError
from ..identity.rotation import encrypted_tables

_PURPOSE = "backup-hash-key-check"


def hash_key_check() -> str:
    """What a backup records of DVFLOW_IDENTITY_HASH_KEY."""
    return crypto.keyed_digest(_PURPOSE, "dvflow-backup")


class IdentityCheck:
    def __init__(self, manifest: dict) -> None:
        recorded = manifest.get("identity_hash_check")
        if recorded is not None and recorded != hash_key_check():
            raise _other_hash_key()
        #: an archive that records no digest of the hash key: an identity number's hash tells instead
        self.by_rows = recorded is None
        self.decrypted: set[str] = set()
        #: the models' encrypted columns and their keyed hashes, by table (the rotation's one list of them)
        self.specs = {spec.table.name: spec for spec in encrypted_tables()}

    def watcher(self, table: Table) -> Callable[[dict], None] | None:
        """What to call with each restored row of `table` (None for a table without an encrypted column)."""
        spec = self.specs.get(table.name)
        if spec is None:
            return None
        unhashed = self.by_rows and bool(spec.hashes)

        def watch(row: dict) -> None:
            nonlocal unhashed
            for column in spec.encrypted:
                if row.get(column) is not None:
                    self._decrypts(table.name, row[column])
            for hashed, source in spec.hashes if unhashed else ():
                if row.get(source) and row.get(hashed):
                    unhashed = False  # one number tells which key hashed them all
                    if crypto.identity_hash(crypto.decrypt(row[source])) != row[hashed]:
                        raise _other_hash_key()

        return watch

    def _decrypts(self, table: str, stored: str) -> None:
        key_id = None
        try:
            key_id = crypto.key_id_of(stored)
            if key_id not in self.decrypted:
                crypto.decrypt(stored)
                self.decrypted.add(key_id)
        except crypto.IdentityKeyError as exc:
            raise ServiceError("Các khóa DVFLOW_IDENTITY_KEYS đang cấu hình không giải mã được danh tính trong bản sao "
                               "lưu (bảng %(table)s, khóa %(key)s): không khôi phục. Đặt DVFLOW_IDENTITY_KEYS gồm "
                               "các khóa của nơi đã sao lưu rồi khôi phục lại.", field="IDENTITY_KEYS",
                               table=table, key=key_id or "không rõ") from exc


def _other_hash_key() -> ServiceError:
    return ServiceError("Khóa DVFLOW_IDENTITY_HASH_KEY đang cấu hình khác khóa của nơi đã sao lưu: số giấy tờ tùy thân "
                        "và mã bí mật trên phiếu hẹn sẽ không còn tra cứu được, và không tính lại được: không khôi "
                        "phục. Đặt DVFLOW_IDENTITY_HASH_KEY như ở nơi đã sao lưu rồi khôi phục lại.",
                        field="IDENTITY_HASH_KEY")
