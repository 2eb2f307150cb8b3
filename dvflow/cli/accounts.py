"""`dvflow units create`, `dvflow users create`: what a fresh production install needs first."""
from __future__ import annotations

import sys

import click

from ..models.unit import UNIT_LEVELS
from ..models.user import ROLES
from ..services.org import accounts
from . import dvflow_cli
from .common import now, transaction


@dvflow_cli.group("units")
def units_group():
    """Đơn vị (units)."""


@units_group.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--parent", "parent_code", help="Mã đơn vị cấp trên trực tiếp.")
@click.option("--level", type=click.Choice(UNIT_LEVELS), default="department", show_default=True)
@click.option("--remote-area", is_flag=True, help="Đơn vị ở vùng sâu, vùng xa (thời hạn khiếu nại dài hơn).")
@click.option("--address", help="Địa chỉ in trên phiếu hẹn, giấy biên nhận.")
@click.option("--phone", help="Số điện thoại in trên phiếu hẹn, giấy biên nhận.")
def create_unit(code, name, parent_code, level, remote_area, address, phone):
    """Create a unit CODE named NAME."""
    with transaction() as session:
        unit = accounts.create_unit(session, code, name, parent_code=parent_code, level=level, remote_area=remote_area,
                                    address=address, phone=phone, actor=None)  # the CLI has no signed-in actor
        click.echo(f"Đã tạo đơn vị {unit.code}: {unit.name}")


@units_group.command("contact")
@click.argument("code")
@click.option("--address", default="", help="Địa chỉ in trên phiếu hẹn (để trống: xóa).")
@click.option("--phone", default="", help="Số điện thoại in trên phiếu hẹn (để trống: xóa).")
def unit_contact(code, address, phone):
    """Set the address and phone of unit CODE, printed on citizens' receipts."""
    with transaction() as session:
        unit = accounts.set_unit_contact(session, code, address, phone, actor=None)
        click.echo(f"Đã cập nhật liên hệ của đơn vị {unit.code}.")


@dvflow_cli.group("users")
def users_group():
    """Người dùng (users)."""


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    return sys.stdin.readline().rstrip("\n")


@users_group.command("create")
@click.argument("username")
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--full-name", default="")
@click.option("--email", default=None)
def create_user(username, unit_code, role, full_name, email):
    """Create USERNAME with ROLE in a unit; the password is read from standard input."""
    password = _read_password()
    with transaction() as session:
        unit = accounts.find_unit(session, unit_code)
        user = accounts.create_user(session, username, password, now=now(), full_name=full_name, email=email,
                                    actor=None)
        accounts.grant_role(session, user, unit, role, actor=None)
        click.echo(f"Đã tạo người dùng {user.username} ({role} tại {unit.code})")
