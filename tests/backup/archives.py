"""Archives for the restore's refusals: a filled database backed up once, and copies of the archive with a member
changed (a damaged file, an edited manifest, a member added)."""
from __future__ import annotations

import io
import json
import tarfile
from contextlib import contextmanager
from typing import Callable

from sqlalchemy import inspect

from backup.test_backup import database, fill, make_app
from dvflow import migrate


@contextmanager
def backed_up(tmp_path, workflows, **config):
    """A filled source (an app on its own SQLite database and folder) and its backup archive."""
    with database("sqlite", tmp_path) as url:
        source = make_app(url, tmp_path / "source-files", **config)
        migrate.upgrade(source.extensions["dvflow.bind"])
        fill(source, workflows)
        archive = tmp_path / "sao-luu.tar.gz"
        made = source.test_cli_runner().invoke(args=["dvflow", "backup", str(archive)])
        assert made.exit_code == 0, made.output
        try:
            yield source, archive
        finally:
            source.extensions["dvflow.bind"].dispose()


def manifest_of(archive) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewritten(archive, out, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None):
    """A copy of `archive` at `out`, each member's bytes through `change(name, data)` (None drops it), the `extra`
    members before the manifest."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as tar:
        for member in src.getmembers():
            if member.name == "manifest.json":
                for name, data in (extra or {}).items():
                    _add(tar, name, data)
            data = change(member.name, src.extractfile(member).read())
            if data is not None:
                _add(tar, member.name, data)
    return out


def with_manifest(archive, out, edit: Callable[[dict], object], extra: dict[str, bytes] | None = None):
    """A copy whose manifest is `edit(manifest)` (the value it returns, or the dict it changed in place)."""
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edited = edit(manifest)
        return json.dumps(manifest if edited is None else edited).encode()
    return rewritten(archive, out, change, extra)


def _add(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


@contextmanager
def restored(tmp_path, archive, upload_dir=None, **config):
    """Restore `archive` into a new empty SQLite database: (the CLI result, the app)."""
    with database("sqlite", tmp_path) as url:
        app = make_app(url, upload_dir or tmp_path / "target-files", **config)
        out = app.test_cli_runner().invoke(args=["dvflow", "restore", str(archive)])
        try:
            yield out, app
        finally:
            app.extensions["dvflow.bind"].dispose()


def tables(app) -> set[str]:
    return set(inspect(app.extensions["dvflow.bind"]).get_table_names())


def count(app, table: str) -> int:
    """Rows of `table` in the app's database (0 when the restore left no such table)."""
    if table not in tables(app):
        return 0
    with app.extensions["dvflow.bind"].connect() as conn:
        return conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar()
