"""Backup and restore: the database's rows and the case files together in one tar.gz (dump.py writes, load.py
restores into an empty database). For a large PostgreSQL installation, pg_dump and the object store's own versioning
are the alternative (README, "Backup and restore")."""
from .dump import Manifest, backup, migrate_heads
from .load import Restored, restore
from .manifest import BadBackup

__all__ = ["BadBackup", "Manifest", "Restored", "backup", "migrate_heads", "restore"]
