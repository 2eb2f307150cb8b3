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
    _warn_missing("mà dữ liệu trỏ tới không có trong nơi lưu tệp, nên bản sao lưu không có chúng (các dòng vẫn được "
                  "sao lưu)", manifest.missing)


@dvflow_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path):
    """Restore the archive PATH into this EMPTY database and the configured file storage, then verify the history."""
    bind, files = _places()
    try:
        restored = service.restore(bind, files, path)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    manifest = restored.manifest
    rows = sum(t["rows"] for t in manifest["tables"])
    kept = (f" ({len(restored.kept)} tệp đã có sẵn với cùng nội dung được giữ nguyên)" if restored.kept else "")
    click.echo(f"Đã khôi phục {rows} dòng của {len(manifest['tables'])} bảng và {len(manifest['files'])} tệp{kept} "
               f"từ bản sao lưu lúc {manifest['created_at']}; số dòng và tổng kiểm tra khớp.")
    _warn_missing("mà dữ liệu đã khôi phục trỏ tới không có trong bản sao lưu lẫn nơi lưu tệp (mở chúng sẽ báo "
                  "thiếu tệp)", restored.missing)
    with transaction() as session:
        report = verify.verify(session, audit_keys())
    if not report.ok:
        click.echo(f"PHÁT HIỆN SỬA ĐỔI trong lịch sử hồ sơ đã khôi phục: {report.breaks[0].where}: "
                   f"{report.breaks[0].reason}", err=True)
        sys.exit(1)
    click.echo(f"Lịch sử hồ sơ toàn vẹn: {report.rows} dòng của {report.cases} hồ sơ, {report.days} ngày đã ký.")
    if [manifest["alembic_revision"]] != service.migrate_heads():
        click.echo("Cơ sở dữ liệu đang ở phiên bản của bản sao lưu: chạy 'flask --app wsgi dvflow db upgrade'.")


def _warn_missing(what: str, missing: list, named: int = 20) -> None:
    """The rows whose file is missing, on stderr: the command still succeeds (the rows are whole), but the operator
    must know which files to look for."""
    if not missing:
        return
    click.echo(f"CẢNH BÁO: {len(missing)} tệp {what}:", err=True)
    for ref in missing[:named]:
        click.echo(f"  - {ref}", err=True)
    if len(missing) > named:
        click.echo(f"  … và {len(missing) - named} tệp khác.", err=True)
