"""`dvflow identity`: keys of the parties' identity at rest (README, "Identity keys")."""
from __future__ import annotations

import base64
from datetime import date

import click

from .. import crypto
from ..services.cases import tracking
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
    click.echo("# khóa băm mới: đặt ĐẦU DVFLOW_IDENTITY_HASH_KEYS, giữ các khóa băm cũ sau nó (để đối chiếu mã bí mật "
               "trên giấy biên nhận đã cấp), rồi chạy rotate-key ngay")
    hash_key = crypto.generate_key()
    click.echo(f"# mã khóa băm: {crypto.hash_key_id(base64.b64decode(hash_key))}")
    click.echo(f"DVFLOW_IDENTITY_HASH_KEYS={hash_key}")


#: how the command names the tables it rotates (a table not named here is shown by its own name)
TABLE_NAMES = {"parties": "đương sự", "reception_visits": "lượt tiếp công dân", "reception_bookings": "lịch hẹn tiếp",
               "users": "người dùng"}


@identity_group.command("rotate-key")
def rotate_key():
    """Re-encrypt every encrypted value (parties, reception visits and bookings, TOTP secrets) with the first key of
    DVFLOW_IDENTITY_KEYS and recompute the identity-number hashes with the first key of DVFLOW_IDENTITY_HASH_KEYS
    (idempotent, one transaction)."""
    try:
        with transaction() as session:
            report = rotation.rotate(session)
            use = rotation.key_use(session)
            receipts = tracking.key_use(session)
    except crypto.IdentityKeyError as exc:
        raise click.ClickException(f"{exc} (nothing was changed)") from exc
    keys = crypto.installed()
    examined = ", ".join(f"{n} {TABLE_NAMES.get(t, t)}" for t, n in report.rows.items())
    click.echo(f"Đã kiểm tra {examined}: {report.reencrypted} giá trị mã hóa lại bằng khóa {keys.current_id}, "
               f"{report.rehashed} mã băm số giấy tờ tính lại bằng khóa băm {keys.current_hash_id}, "
               f"{report.updated} dòng được ghi; {report.totp_secrets} khóa xác thực hai bước mã hóa lại.")
    click.echo("Khóa đang dùng: " + (", ".join(f"{k}: {n} giá trị" for k, n in sorted(use.items())) or "không có"))
    click.echo("Khóa băm của mã bí mật trên giấy biên nhận: " + (", ".join(
        f"{k or 'chưa ghi mã khóa (so với mọi khóa băm)'}: {n}" for k, n in sorted(receipts.items())) or "không có")
        + "; khóa băm đã cấu hình: " + ", ".join(kid for kid, _key in keys.hash_keys) + ".")
