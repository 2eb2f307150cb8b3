"""`dvflow demo load`: demo data for a first look (only into an empty database)."""
from __future__ import annotations

import contextlib

import click
from flask import current_app

from . import demo_features, dvflow_cli
from .common import now, transaction
from .demo_data import demo_logins, load_demo


class _KeysPut:
    """The app's file storage, noting the keys the demo puts there, so that a load rolled back leaves no file."""

    def __init__(self, store) -> None:
        self.store, self.keys = store, []

    def put(self, key: str, data, content_type: str | None = None) -> None:
        self.store.put(key, data, content_type)
        self.keys.append(key)

    def __getattr__(self, name: str):
        return getattr(self.store, name)


@dvflow_cli.group("demo")
def demo_group():
    """Dữ liệu mẫu (demo data)."""


@demo_group.command("load")
def load():
    """Load the demo data if the database is empty, then print the demo logins."""
    store = _KeysPut(current_app.extensions["dvflow.files"])
    try:
        with transaction() as session:
            loaded = load_demo(session, current_app.extensions["dvflow.workflows"], now(), store)
    except BaseException:
        for key in store.keys:  # the rows naming them were rolled back; the load's own error is the one to report
            with contextlib.suppress(Exception):
                store.delete(key)
        raise
    click.echo("Đã nạp dữ liệu mẫu." if loaded else "Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu.")
    click.echo("Tài khoản mẫu (tên đăng nhập / mật khẩu / vai trò@đơn vị):")
    for username, password, roles in demo_logins():
        click.echo(f"  {username:15} {password:12} {roles}")
    with transaction() as session:
        case = demo_features.lookup_case(session)
        if case is not None:  # printed at every `make run`, as long as nobody reissued its secret
            click.echo(f"Tra cứu như công dân (không đăng nhập) tại /tra-cuu: hồ sơ {case.tracking_code}, mã bí mật "
                       f"{demo_features.LOOKUP_SECRET}. Hồ sơ đã giải quyết xong: có thể thử đánh giá mức độ hài lòng.")
    if current_app.config.get("TOTP_REQUIRED_ROLES"):
        click.echo(f"Vai trò {', '.join(current_app.config['TOTP_REQUIRED_ROLES'])}: ở lần đăng nhập đầu, quét mã QR"
                   " bằng một ứng dụng xác thực (TOTP) trên điện thoại và nhập mã 6 chữ số (xem README).")
