"""Units, users and memberships."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Membership, Unit, User
from ...models.unit import UNIT_LEVELS
from ...models.user import ROLES
from ...security import verify_password
from ..cases.intake_checks import EMAIL
from ..errors import NotFound, ServiceError
from . import admin_log, login, passwords, sessions, titles
from .login_locks import AddressLocks, Origin

MAX_CODE = 40  # units.code
MAX_NAME = 255  # units.name
MAX_ADDRESS = 500  # units.address
MAX_PHONE = 40  # units.phone
USERNAME = re.compile(r"[a-z0-9._-]{1,80}")
PHONE = re.compile(r"[0-9+()][0-9 .()+-]{0,%d}" % (MAX_PHONE - 1))


def find_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ServiceError("Không có đơn vị mã %(unit)s.", field="unit", unit=code)
    return unit


def create_unit(session: Session, code: str, name: str, *, parent_code: str | None = None,
                level: str = "department", remote_area: bool = False, address: str | None = None,
                phone: str | None = None, actor: User | None = None, active_from: date | None = None,
                head_title: str | None = None) -> Unit:
    """A new unit; `active_from`: the first day it exists (a commune made by the mergers), None: always existed;
    `head_title`: the title its head signs under (titles.py), None: its level's."""
    code = code.strip()
    _check_unit_names(code, name.strip())
    if level not in UNIT_LEVELS:
        raise ServiceError("Cấp đơn vị không hợp lệ: %(level)s (chọn một trong %(levels)s).", field="level",
                           level=level, levels=", ".join(UNIT_LEVELS))
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise ServiceError("Mã đơn vị %(unit)s đã tồn tại.", field="code", unit=code)
    parent = find_unit(session, parent_code) if parent_code else None
    if parent is not None and parent.active_to is not None:
        raise ServiceError("Đơn vị cấp trên «%(unit)s» đã giải thể.", field="parent", unit=parent.code)
    unit = Unit(code=code, name=name.strip(), level=level, parent=parent, remote_area=remote_area,
                active_from=active_from, head_title=titles.clean(head_title))
    _set_contact(unit, address, phone)
    session.add(unit)
    session.flush()
    admin_log.record(session, actor, "unit_created", unit=unit, code=unit.code, name=unit.name, level=level,
                     parent=parent.code if parent else None,
                     **({"active_from": active_from.isoformat()} if active_from else {}),
                     **({"head_title": unit.head_title} if unit.head_title else {}))
    org_tree.forget(session)
    return unit


def _check_unit_names(code: str, name: str) -> None:
    """Present and within their columns, for every caller (the page's maxlength binds only a browser; a longer value
    failed on PostgreSQL with a 500, or a command's traceback)."""
    if not code or not name:
        raise ServiceError("Mã và tên đơn vị là bắt buộc.")
    if len(code) > MAX_CODE:
        raise ServiceError("Mã đơn vị: tối đa %(max)s ký tự.", field="code", max=MAX_CODE)
    if len(name) > MAX_NAME:
        raise ServiceError("Tên đơn vị: tối đa %(max)s ký tự.", field="name", max=MAX_NAME)


def set_unit_contact(session: Session, code: str, address: str | None, phone: str | None, *,
                     actor: User | None = None) -> Unit:
    """The address and phone a citizen's receipt prints for the unit; empty values clear them."""
    unit = find_unit(session, code)
    before = {"address": unit.address, "phone": unit.phone}
    _set_contact(unit, address, phone)
    session.flush()
    admin_log.record(session, actor, "unit_contact_changed", unit=unit,
                     **_changes(before, {"address": unit.address, "phone": unit.phone}))
    return unit


def set_unit_head_title(session: Session, code: str, title: str | None, *, actor: User | None = None) -> Unit:
    """The title the unit's head signs documents under (titles.py); empty: back to the level's title."""
    unit = find_unit(session, code)
    before = {"head_title": unit.head_title}
    unit.head_title = titles.clean(title)
    session.flush()
    admin_log.record(session, actor, "unit_head_title_changed", unit=unit,
                     **_changes(before, {"head_title": unit.head_title}))
    return unit


def _set_contact(unit: Unit, address: str | None, phone: str | None) -> None:
    address, phone = (address or "").strip() or None, (phone or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS:
        raise ServiceError("Địa chỉ đơn vị dài quá %(max)s ký tự.", field="address", max=MAX_ADDRESS)
    if phone is not None and not PHONE.fullmatch(phone):
        raise ServiceError("Số điện thoại đơn vị chỉ gồm chữ số, dấu cách, dấu chấm, gạch ngang, ngoặc và dấu +"
                           " (tối đa %(max)s ký tự).", field="phone", max=MAX_PHONE)
    unit.address, unit.phone = address, phone


def create_user(session: Session, username: str, password: str, *, now: datetime, full_name: str = "",
                email: str | None = None, actor: User | None = None) -> User:
    username = username.strip().lower()
    if not username:
        raise ServiceError("Tên đăng nhập là bắt buộc.", field="username")
    if not USERNAME.fullmatch(username):
        raise ServiceError("Tên đăng nhập chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới"
                           " (tối đa 80 ký tự).", field="username")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ServiceError("Tên đăng nhập %(username)s đã tồn tại.", field="username", username=username)
    user = User(username=username, full_name=_full_name(full_name), email=_email(email), created_at=now)
    passwords.set_password(user, password, now)
    session.add(user)
    session.flush()
    admin_log.record(session, actor, "user_created", user=user, username=user.username)
    return user


def grant_role(session: Session, user: User, unit: Unit, role: str, *, actor: User | None = None) -> Membership:
    """Give `user` the role in `unit`; a role already held changes nothing and records nothing."""
    if unit.active_to is not None:  # its memberships stay as history; a new role goes to its successor
        raise ServiceError("Đơn vị «%(unit)s» đã giải thể: không thêm vai trò ở đơn vị này.", field="unit",
                           unit=unit.code)
    if role not in ROLES:
        raise ServiceError("Vai trò không hợp lệ: %(role)s (chọn một trong %(roles)s).", field="role", role=role,
                           roles=", ".join(ROLES))
    existing = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.unit_id == unit.id, Membership.role == role))
    if existing is not None:
        return existing
    membership = Membership(user=user, unit=unit, role=role)
    session.add(membership)
    session.flush()
    admin_log.record(session, actor, "role_granted", user=user, unit=unit, role=role, unit_code=unit.code)
    org_tree.forget(session)
    return membership


def unit_heads(session: Session, unit_id: int) -> list[User]:
    return list(session.scalars(
        select(User).join(Membership).where(Membership.unit_id == unit_id, Membership.role == "head",
                                            User.active.is_(True))))


def _full_name(full_name: str | None) -> str:
    full_name = (full_name or "").strip()
    if len(full_name) > 255:
        raise ServiceError("Họ tên tối đa 255 ký tự.", field="full_name")
    return full_name


def _email(email: str | None) -> str | None:
    # a citizen's pattern: an address the e-mail package cannot parse (a bracket, a trailing or doubled dot in the
    # domain) would make the dispatcher fail on it or write to a recipient it made up from the officer's name
    email = (email or "").strip() or None
    if email is not None and (len(email) > 255 or not EMAIL.fullmatch(email)):
        raise ServiceError("Thư điện tử không hợp lệ (ví dụ: ten@donvi.gov.vn).", field="email")
    return email


# --- an administrator's acts on an account (each one use case, one transaction) ------------------------------------

def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy người dùng.")
    return user


def update_user(session: Session, user: User, *, full_name: str, email: str | None,
                actor: User | None = None) -> User:
    before = {"full_name": user.full_name, "email": user.email}
    user.full_name, user.email = _full_name(full_name), _email(email)
    session.flush()
    admin_log.record(session, actor, "user_updated", user=user,
                     **_changes(before, {"full_name": user.full_name, "email": user.email}))
    return user


def _changes(before: dict, after: dict) -> dict:
    """The fields that changed, each as [old, new] (what the record keeps of an edit)."""
    return {key: [before[key], after[key]] for key in after if before[key] != after[key]}


def revoke_role(session: Session, actor: User, user: User, membership_id: int) -> None:
    """Take a role away (the membership row goes; the user's history keeps their past acts)."""
    membership = session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        raise NotFound("Không tìm thấy vai trò này của người dùng.")
    if membership.role == "admin" and user.id == actor.id:
        raise ServiceError("Không thể tự bỏ vai trò quản trị của chính mình.", field="role")
    # the row goes: the record keeps that the role existed, where, and who took it away
    admin_log.record(session, actor, "role_revoked", user=user, unit=membership.unit, role=membership.role,
                     unit_code=membership.unit.code)
    session.delete(membership)
    session.flush()
    org_tree.forget(session)


def set_active(session: Session, actor: User, user: User, active: bool, now: datetime) -> User:
    """Deactivate (never delete: the user's acts stay in the cases' history) or reactivate an account. Deactivation
    ends the user's sessions and revokes their API tokens."""
    if not active and user.id == actor.id:
        raise ServiceError("Không thể tự khóa tài khoản của chính mình.", field="active")
    user.active = active
    if not active:
        sessions.end_all(session, user, now)
    session.flush()
    admin_log.record(session, actor, "reactivated" if active else "deactivated", user=user)
    return user


def find_user(session: Session, username: str) -> User:
    """The user of this username (the command line names users so), or NotFound."""
    user = login.find_user(session, username)
    if user is None:
        raise NotFound("Không có người dùng «%(username)s».", username=(username or "").strip())
    return user


def reset_password(session: Session, user: User, now: datetime, *, actor: User | None = None,
                   locks: AddressLocks | None = None) -> str:
    """An administrator gives the user a new random password, shown once to the administrator; the user must change
    it at the next login. Every session of the user ends and their API tokens are revoked, and every login lock on
    the account is lifted (with `locks`, the per-address ones too)."""
    temporary = passwords.temporary_password_for(user.username)
    passwords.set_password(user, temporary, now, must_change=True)
    user.failed_logins, user.locked_until = 0, None
    if locks is not None:
        locks.clear_all(user.username)
    sessions.end_all(session, user, now)
    session.flush()
    admin_log.record(session, actor, "password_reset", user=user)  # never the temporary password
    return temporary


def unlock_login(session: Session, user: User, locks: AddressLocks, now: datetime, *,
                 actor: User | None = None) -> None:
    """An administrator lifts the account's login locks: the whole account's and every address's (someone kept
    failing from the owner's office, or from everywhere). The record keeps what was lifted.

    Recorded as `user_updated` (a change of the account's login state, old → new): the record's actions are a CHECK
    of the admin_events table, and a new one would need a migration."""
    before = {"locked_until": user.locked_until.isoformat() if login.account_locked(user, now) else None,
              "failed_logins": user.failed_logins or 0}
    user.failed_logins, user.locked_until = 0, None
    locks.clear_all(user.username)
    session.flush()
    admin_log.record(session, actor, "user_updated", user=user, login_unlocked=True,
                     locked_until=[before["locked_until"], None], failed_logins=[before["failed_logins"], 0])


def change_own_password(session: Session, user: User, old: str, new: str, confirm: str, now: datetime,
                        origin: Origin) -> int:
    """The user changes their own password (the old one is required). Ends every session of the user and revokes
    their API tokens; returns the new session version, which the user's current session adopts.

    The old password is checked as a login's is (login.check_password): a wrong one counts toward the lock and,
    while locked, even the right one is refused. A refusal on `old_password` has written that count, which the
    caller keeps although it drops the rest."""
    if not login.check_password(user, old, now, origin):
        raise ServiceError("Mật khẩu hiện tại không đúng, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần.",
                           field="old_password")
    if new != confirm:
        raise ServiceError("Mật khẩu nhập lại không khớp với mật khẩu mới.", field="confirm")
    if verify_password(user.password_hash, new or ""):
        raise ServiceError("Mật khẩu mới phải khác mật khẩu hiện tại.", field="new_password")
    try:
        passwords.set_password(user, new or "", now)
    except ServiceError as exc:
        # the policy's own message and values, so a page still translates it
        raise ServiceError(exc.template, field="new_password", **exc.params) from exc
    version = sessions.end_all(session, user, now)
    session.flush()
    return version
