"""`dvflow backup PATH` / `dvflow restore PATH`: the database and the case files together in one tar.gz."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from ..services import backup as service
from ..services.audit import verify
from ..services.errors import ServiceError
from . import dvflow_cli
from .audit import audit_keys
from .common import now, transaction


def _places():
    return current_app.extensions["dvflow.bind"], current_app.extensions["dvflow.files"]


@dvflow_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path):
    """Write every table's rows and every case file into the new archive PATH (.tar.gz)."""
    bind, files = _places()
    try:
        manifest = service.backup(bind, files, path, now())
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    rows = sum(t["rows"] for t in manifest.tables)
    click.echo(f"Đã sao lưu {rows} dòng của {len(manifest.tables)} bảng và {len(manifest.files)} tệp vào {path} "
               f"(phiên bản cơ sở dữ liệu {manifest.revision}).")


@dvflow_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path):
    """Restore the archive PATH into this EMPTY database and the configured file storage, then verify the history."""
    bind, files = _places()
    try:
        manifest = service.restore(bind, files, path)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(f"Đã khôi phục {rows} dòng của {len(manifest['tables'])} bảng và {len(manifest['files'])} tệp "
               f"từ bản sao lưu lúc {manifest['created_at']}; số dòng và tổng kiểm tra khớp.")
    with transaction() as session:
        report = verify.verify(session, audit_keys())
    if not report.ok:
        click.echo(f"PHÁT HIỆN SỬA ĐỔI trong lịch sử hồ sơ đã khôi phục: {report.breaks[0].where}: "
                   f"{report.breaks[0].reason}", err=True)
        sys.exit(1)
    click.echo(f"Lịch sử hồ sơ toàn vẹn: {report.rows} dòng của {report.cases} hồ sơ, {report.days} ngày đã ký.")
    if [manifest["alembic_revision"]] != service.migrate_heads():
        click.echo("Cơ sở dữ liệu đang ở phiên bản của bản sao lưu: chạy 'flask --app wsgi dvflow db upgrade'.")
