"""`dvflow demo load`: demo data for a first look (only into an empty database)."""
from __future__ import annotations

import click
from flask import current_app

from . import dvflow_cli
from .common import now, transaction
from .demo_data import demo_logins, load_demo


@dvflow_cli.group("demo")
def demo_group():
    """Dữ liệu mẫu (demo data)."""


@demo_group.command("load")
def load():
    """Load the demo data if the database is empty, then print the demo logins."""
    with transaction() as session:
        loaded = load_demo(session, current_app.extensions["dvflow.workflows"], now())
    click.echo("Đã nạp dữ liệu mẫu." if loaded else "Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu.")
    click.echo("Tài khoản mẫu (tên đăng nhập / mật khẩu / vai trò@đơn vị):")
    for username, password, roles in demo_logins():
        click.echo(f"  {username:15} {password:12} {roles}")
    if current_app.config.get("TOTP_REQUIRED_ROLES"):
        click.echo(f"Vai trò {', '.join(current_app.config['TOTP_REQUIRED_ROLES'])}: ở lần đăng nhập đầu, quét mã QR"
                   " bằng một ứng dụng xác thực (TOTP) trên điện thoại và nhập mã 6 chữ số (xem README).")
