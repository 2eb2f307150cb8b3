"""`dvflow audit`: sign the ended days of the case history, verify the chains and signatures, make a key."""
from __future__ import annotations

import sys

import click
from flask import current_app

from ..services.audit import anchors, keys, verify
from ..services.errors import ServiceError
from . import dvflow_cli
from .common import now, transaction


def audit_keys() -> keys.AuditKeys:
    try:
        return keys.AuditKeys.load(current_app.config.get("AUDIT_SIGNING_KEY"),
                                   current_app.config.get("AUDIT_VERIFY_KEYS"))
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc


@dvflow_cli.group("audit")
def audit_group():
    """Lịch sử hồ sơ chống sửa đổi (tamper-evident case history)."""


@audit_group.command("anchor")
def anchor():
    """Sign every ended day of history not signed yet (the scheduler does this every hour)."""
    with transaction() as session:
        made = anchors.anchor_days(session, audit_keys(), now())
        for a in made:
            click.echo(f"Đã ký ngày {a.day:%d/%m/%Y}: {a.rows} dòng, {a.digest[:16]}…")
        if not made:
            click.echo("Không có ngày nào cần ký.")


@audit_group.command("verify")
def verify_command():
    """Walk every case's hash chain and every signed day; exit 1 and name the first break when one fails."""
    with transaction() as session:
        report = verify.verify(session, audit_keys())
    click.echo(f"Đã kiểm tra {report.rows} dòng lịch sử của {report.cases} hồ sơ và {report.days} ngày đã ký.")
    if report.ok:
        click.echo("Toàn vẹn: không phát hiện sửa đổi.")
        return
    first = report.breaks[0]
    click.echo(f"PHÁT HIỆN SỬA ĐỔI tại {'dòng' if first.what == 'row' else 'ngày'} {first.where}: {first.reason}",
               err=True)
    for other in report.breaks[1:]:
        click.echo(f"  và {'dòng' if other.what == 'row' else 'ngày'} {other.where}: {other.reason}", err=True)
    sys.exit(1)


@audit_group.command("keygen")
def keygen():
    """Print a new Ed25519 key pair for DVFLOW_AUDIT_SIGNING_KEY (keep the old public key to verify)."""
    private, public = keys.generate()
    click.echo(f"DVFLOW_AUDIT_SIGNING_KEY={private}")
    click.echo(f"# khóa công khai (thêm vào DVFLOW_AUDIT_VERIFY_KEYS khi đổi khóa): {public}")
