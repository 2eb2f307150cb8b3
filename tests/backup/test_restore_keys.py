"""A restore under identity keys other than the backup's is refused, naming the setting, with nothing committed: with
another DVFLOW_IDENTITY_HASH_KEY a receipt's secret and a duplicate's identity number would find nothing (and the
secrets are not stored: nothing could recompute them), with other DVFLOW_IDENTITY_KEYS no party could be read."""
from __future__ import annotations

import base64
import os

from backup.archives import backed_up, count, restored, with_manifest
from backup.test_backup import files_of

OTHER_KEYS = "prod1:" + base64.b64encode(os.urandom(32)).decode()
OTHER_HASH_KEY = base64.b64encode(os.urandom(32)).decode()


def _refused(tmp_path, archive, setting: str, **config) -> None:
    with restored(tmp_path, archive, **config) as (out, app):
        assert out.exit_code == 1 and out.exception.__class__ is SystemExit, out.output
        assert setting in out.output and "không khôi phục" in out.output
        assert count(app, "cases") == count(app, "parties") == 0  # the rows were rolled back
        assert files_of(app.extensions["dvflow.files"]) == {}


def test_another_hash_key_is_refused(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (_source, archive):
        _refused(tmp_path, archive, "DVFLOW_IDENTITY_HASH_KEY", IDENTITY_HASH_KEY=OTHER_HASH_KEY)


def test_another_hash_key_is_refused_by_the_rows_of_an_archive_without_the_check(tmp_path, workflows):
    """An archive of an earlier version holds no check of the hash key: an identity number's hash tells."""
    with backed_up(tmp_path, workflows) as (_source, archive):
        older = with_manifest(archive, tmp_path / "cu.tar.gz",
                             lambda m: {k: v for k, v in m.items() if k != "identity_hash_check"})
        _refused(tmp_path, older, "DVFLOW_IDENTITY_HASH_KEY", IDENTITY_HASH_KEY=OTHER_HASH_KEY)


def test_other_identity_keys_are_refused(tmp_path, workflows):
    with backed_up(tmp_path, workflows) as (_source, archive):
        _refused(tmp_path, archive, "DVFLOW_IDENTITY_KEYS", IDENTITY_KEYS=OTHER_KEYS)


def test_a_new_key_put_first_with_the_old_one_after_it_restores(tmp_path, workflows):
    """Rotation in progress: the backup's key is still among DVFLOW_IDENTITY_KEYS."""
    from config import TestingConfig

    with backed_up(tmp_path, workflows) as (_source, archive):
        keys = f"{OTHER_KEYS},{TestingConfig.IDENTITY_KEYS}"
        with restored(tmp_path, archive, IDENTITY_KEYS=keys) as (out, app):
            assert out.exit_code == 0, out.output
            assert count(app, "parties") > 0
