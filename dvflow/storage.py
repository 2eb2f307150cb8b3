"""Where the case files' bytes are: one interface, two places.

- `LocalStorage`: a folder on this machine (UPLOAD_DIR), the embedded default; a key `<case_id>/<uuid>` is the file
  UPLOAD_DIR/<case_id>/<uuid>, the layout of every release so far, so existing files keep working.
- `S3Storage`: an S3-compatible bucket (AWS S3, MinIO, Ceph, moto in the tests) when DVFLOW_S3_BUCKET is set; the key
  is the same, under DVFLOW_S3_PREFIX. Every web node and the scheduler then see the same files: a web node keeps
  nothing of its own on disk.

The services receive a storage (never a path); the app builds one from its configuration when it starts
(`from_config`). The key is what `Attachment.stored_path` holds. Credentials of S3 come from boto3's own chain
(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from dvflow's configuration.
"""
from __future__ import annotations

import functools
import io
import os
import uuid
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Mapping, Protocol

CHUNK = 1024 * 1024


class StorageError(Exception):
    """A key outside the storage, or a storage that cannot be reached or is misconfigured."""


class FileMissing(StorageError):
    """No file under that key."""


class Storage(Protocol):
    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None: ...
    def get(self, key: str) -> bytes: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self) -> Iterator[str]: ...
    def local_path(self, key: str) -> Path | None: ...


def new_key(case_id: int) -> str:
    """A case file's key: the case's id and a random name (the user's file name is only in the database row)."""
    return f"{case_id}/{uuid.uuid4().hex}"


class LocalStorage:
    """Files under one folder; a key is a relative path inside it and never reaches outside."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key: str) -> Path:
        root = self.root.resolve()
        path = (root / key).resolve()
        if root not in path.parents:
            raise StorageError(f"key outside the storage: {key!r}")
        return path

    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None:
        # written next to its final name, then renamed: a reader never sees half a file
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f"{final.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            with open(partial, "xb") as out:
                if isinstance(data, (bytes, bytearray)):
                    out.write(data)
                else:
                    while chunk := data.read(CHUNK):
                        out.write(chunk)
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        with self.open(key) as f:
            return f.read()

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self.path(key), "rb")
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise FileMissing(key) from exc

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and not p.name.endswith(".part"):
                yield p.relative_to(self.root).as_posix()

    def local_path(self, key: str) -> Path | None:
        return self.path(key)


class S3Storage:
    """Files in one bucket of an S3-compatible store, each key under `prefix`."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str = "us-east-1",
                 prefix: str = "", client: Any = None) -> None:
        self.bucket, self.prefix = bucket, prefix
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or "us-east-1")
        self.client = client

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"key outside the storage: {key!r}")
        return self.prefix + key

    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        body = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
        self.client.upload_fileobj(body, self.bucket, self._key(key), ExtraArgs=extra)

    def get(self, key: str) -> bytes:
        with self.open(key) as body:
            return body.read()

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileMissing(key) from exc
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise
        return True

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]

    def local_path(self, key: str) -> Path | None:
        return None

    def create_bucket(self) -> bool:
        """Create the bucket unless it exists; whether it was created."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
            return False
        except ClientError:
            pass
        region = self.client.meta.region_name
        args = {} if region in (None, "us-east-1") else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        self.client.create_bucket(Bucket=self.bucket, **args)
        return True


def from_config(config: Mapping[str, Any]) -> Storage:
    """S3 when S3_BUCKET is set, else the UPLOAD_DIR folder. The same settings give the same (thread-safe) object,
    so the faces and the services built from one configuration share one S3 client."""
    return _build(config.get("S3_BUCKET") or "", config.get("S3_ENDPOINT_URL") or "",
                  config.get("S3_REGION") or "us-east-1", config.get("S3_PREFIX") or "",
                  str(config.get("UPLOAD_DIR") or ""))


@functools.lru_cache(maxsize=16)
def _build(bucket: str, endpoint: str, region: str, prefix: str, upload_dir: str) -> Storage:
    if bucket:
        return S3Storage(bucket, endpoint or None, region, prefix)
    if not upload_dir:
        raise StorageError("neither S3_BUCKET nor UPLOAD_DIR is set: nowhere to keep the case files")
    return LocalStorage(upload_dir)


def coerce(store: "Storage | str | os.PathLike") -> Storage:
    """A storage as it is; a folder (a path) as the local storage of that folder."""
    return LocalStorage(store) if isinstance(store, (str, os.PathLike)) else store


__all__ = ["FileMissing", "LocalStorage", "S3Storage", "Storage", "StorageError", "coerce", "from_config",
           "new_key"]
