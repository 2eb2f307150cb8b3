"""`dvflow files`: where the case files are kept (dvflow.storage), and the S3 bucket made ready."""
from __future__ import annotations

import click
from flask import current_app

from .. import storage
from . import dvflow_cli


@dvflow_cli.group("files")
def files_group():
    """Nơi lưu tệp hồ sơ (where the case files are kept: UPLOAD_DIR or an S3 bucket)."""


@files_group.command("where")
def where():
    """Say where this configuration keeps the case files."""
    store = current_app.extensions["dvflow.files"]
    if isinstance(store, storage.S3Storage):
        click.echo(f"Kho S3: bucket {store.bucket}, tiền tố khóa {store.prefix!r}.")
    else:
        click.echo(f"Thư mục trên máy này: {store.root}.")


@files_group.command("create-bucket")
def create_bucket():
    """Create the DVFLOW_S3_BUCKET bucket unless it exists (credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)."""
    store = current_app.extensions["dvflow.files"]
    if not isinstance(store, storage.S3Storage):
        raise click.ClickException("Chưa cấu hình DVFLOW_S3_BUCKET: tệp hồ sơ được lưu trong thư mục UPLOAD_DIR.")
    try:
        created = store.create_bucket()
    except Exception as exc:  # boto3's many errors (no endpoint, refused credentials): one clear message
        raise click.ClickException(f"Không tạo được bucket {store.bucket}: {exc}") from exc
    click.echo(f"Đã tạo bucket {store.bucket}." if created else f"Bucket {store.bucket} đã có sẵn.")
