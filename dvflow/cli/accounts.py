"""`dvflow units create`, `dvflow users create`: what a fresh production install needs first."""
from __future__ import annotations

import sys
from datetime import date

import click

from ..models.unit import UNIT_LEVELS
from ..models.user import ROLES
from ..services.org import accounts, titles, units
from ..timeutil import parse_day
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
@click.option("--active-from", help="Ngày đơn vị bắt đầu hoạt động (YYYY-MM-DD), ví dụ xã mới sau sáp nhập: 2025-07-01.")
@click.option("--head-title", help="Chức danh thủ trưởng in ở phần ký văn bản, ví dụ «Chánh Thanh tra» (để trống: "
              "theo cấp đơn vị).")
def create_unit(code, name, parent_code, level, remote_area, address, phone, active_from, head_title):
    """Create a unit CODE named NAME."""
    since = _day(active_from, "--active-from")
    with transaction() as session:
        unit = accounts.create_unit(session, code, name, parent_code=parent_code, level=level, remote_area=remote_area,
                                    address=address, phone=phone, actor=None,  # the CLI has no signed-in actor
                                    active_from=since, head_title=head_title)
        click.echo(f"Đã tạo đơn vị {unit.code}: {unit.name}"
                   + (f" (hoạt động từ ngày {since:%d/%m/%Y})" if since else ""))


@units_group.command("dissolve")
@click.argument("code")
@click.option("--on", "on", help="Ngày giải thể, sáp nhập (YYYY-MM-DD): ngày đơn vị kế thừa bắt đầu thực hiện "
              "nhiệm vụ; ngày hoạt động cuối cùng của đơn vị là ngày hôm trước.")
@click.option("--into", "into_code", help="Mã đơn vị kế thừa, nhận các hồ sơ đang giải quyết.")
@click.option("--move-children", is_flag=True, help="Chuyển các đơn vị trực thuộc còn hoạt động sang đơn vị kế thừa.")
def dissolve_unit(code, on, into_code, move_children):
    """Dissolve unit CODE into another from a day: its open cases move there, their time limits unchanged."""
    day = _day(on, "--on")
    with transaction() as session:
        done = units.dissolve_unit(session, None, code, day, into_code or "", now(), move_children=move_children)
        click.echo(f"Đã giải thể đơn vị {done.unit.code} (hoạt động đến hết ngày {done.unit.active_to:%d/%m/%Y}), "
                   f"sáp nhập vào {done.successor.code} từ ngày {done.on:%d/%m/%Y}.")
        click.echo(f"Đã chuyển {len(done.cases)} hồ sơ đang giải quyết sang {done.successor.code}"
                   + (f" ({done.unassigned} hồ sơ chờ thủ trưởng đơn vị giao lại)." if done.unassigned else "."))
        if done.children:
            click.echo(f"Đơn vị trực thuộc chuyển sang {done.successor.code}: "
                       + ", ".join(c.code for c in done.children))


def _day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option's day; a one-line error (exit 1) otherwise."""
    try:
        return parse_day(value)
    except ValueError:
        raise click.ClickException("Ngày %(option)s không hợp lệ: «%(value)s» (viết YYYY-MM-DD, ví dụ 2025-07-01)."
                                   % {"option": option, "value": value}) from None


@units_group.command("contact")
@click.argument("code")
@click.option("--address", default="", help="Địa chỉ in trên phiếu hẹn (để trống: xóa).")
@click.option("--phone", default="", help="Số điện thoại in trên phiếu hẹn (để trống: xóa).")
def unit_contact(code, address, phone):
    """Set the address and phone of unit CODE, printed on citizens' receipts."""
    with transaction() as session:
        unit = accounts.set_unit_contact(session, code, address, phone, actor=None)
        click.echo(f"Đã cập nhật liên hệ của đơn vị {unit.code}.")


@units_group.command("head-title")
@click.argument("code")
@click.argument("title", required=False, default="")
def unit_head_title(code, title):
    """Set the title the head of unit CODE signs documents under (e.g. "Chánh Thanh tra"); no TITLE: the level's."""
    with transaction() as session:
        unit = accounts.set_unit_head_title(session, code, title, actor=None)
        click.echo(f"Thủ trưởng đơn vị {unit.code} ký với chức danh: {titles.head_title(unit)}"
                   + ("" if unit.head_title else " (theo cấp đơn vị)") + ".")


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


@users_group.command("unlock")
@click.argument("username")
def unlock_user(username):
    """Lift every login lock of USERNAME: the whole account's and each address's (recorded)."""
    from ..ratelimits import login_locks

    with transaction() as session:
        user = accounts.find_user(session, username)
        accounts.unlock_login(session, user, login_locks(), now(), actor=None)  # the CLI has no signed-in actor
        click.echo(f"Đã mở khóa đăng nhập của {user.username}.")


@users_group.command("reset-password")
@click.argument("username")
def reset_user_password(username):
    """Give USERNAME a new temporary password, printed once (to change at the next login); ends their sessions,
    revokes their API tokens and lifts their login locks (recorded)."""
    from ..ratelimits import login_locks

    with transaction() as session:
        user = accounts.find_user(session, username)
        temporary = accounts.reset_password(session, user, now(), actor=None, locks=login_locks())
        name = user.username
    # after the commit: a password printed for a reset that was then rolled back would not open anything
    click.echo(f"Mật khẩu tạm thời của {name} (chỉ hiển thị lần này; người dùng phải đổi khi đăng nhập):")
    click.echo(temporary)
