"""`dvflow identity`: keys of the parties' identity at rest (README, "Identity keys")."""
from __future__ import annotations

from datetime import date

import click

from .. import crypto
from ..services.identity import rotation
from . import dvflow_cli
from .common import transaction


@dvflow_cli.group("identity")
def identity_group():
    """Mã hóa danh tính đương sự (identity encrypted at rest)."""


@identity_group.command("keygen")
@click.option("--key-id", default=None, help="Mã khóa (mặc định k + ngày hôm nay, ví dụ k20261206).")
def keygen(key_id: str | None):
    """Print a new encryption key and a new hash key."""
    key_id = key_id or f"k{date.today():%Y%m%d}"
    if not crypto.KEY_ID.fullmatch(key_id):
        raise click.ClickException("Mã khóa chỉ gồm chữ cái, chữ số, - và _ (tối đa 32 ký tự).")
    click.echo("# khóa mã hóa mới: đặt ĐẦU danh sách, giữ các khóa cũ sau nó đến khi chạy xong rotate-key")
    click.echo(f"DVFLOW_IDENTITY_KEYS={key_id}:{crypto.generate_key()}")
    click.echo("# khóa băm số giấy tờ: khi thay, chạy rotate-key ngay (tìm theo số giấy tờ chỉ đúng sau khi chạy)")
    click.echo(f"DVFLOW_IDENTITY_HASH_KEY={crypto.generate_key()}")


@identity_group.command("rotate-key")
def rotate_key():
    """Re-encrypt every party with the first key of DVFLOW_IDENTITY_KEYS and recompute the identity-number hashes
    with DVFLOW_IDENTITY_HASH_KEY (idempotent)."""
    try:
        with transaction() as session:
            report = rotation.rotate(session)
            use = rotation.key_use(session)
    except crypto.IdentityKeyError as exc:
        raise click.ClickException(f"{exc} (nothing was changed)") from exc
    click.echo(f"Đã kiểm tra {report.parties} đương sự: {report.reencrypted} giá trị mã hóa lại bằng khóa "
               f"{crypto.installed().current_id}, {report.rehashed} mã băm số giấy tờ tính lại, "
               f"{report.updated} dòng được ghi; {report.totp_secrets} khóa xác thực hai bước mã hóa lại.")
    click.echo("Khóa đang dùng: " + (", ".join(f"{k}: {n} giá trị" for k, n in sorted(use.items())) or "không có"))
