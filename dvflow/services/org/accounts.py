"""Units, users and memberships."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import org_tree
from ...models import Membership, Unit, User
from ...models.unit import UNIT_LEVELS
from ...models.user import ROLES
from ...security import hash_password
from ..errors import ServiceError

MAX_ADDRESS = 500  # units.address
MAX_PHONE = 40  # units.phone
PHONE = re.compile(r"[0-9+()][0-9 .()+-]{0,%d}" % (MAX_PHONE - 1))


def find_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ServiceError(f"Không có đơn vị mã {code}.", field="unit")
    return unit


def create_unit(session: Session, code: str, name: str, *, parent_code: str | None = None,
                level: str = "department", remote_area: bool = False, address: str | None = None,
                phone: str | None = None) -> Unit:
    code = code.strip()
    if not code or not name.strip():
        raise ServiceError("Mã và tên đơn vị là bắt buộc.")
    if level not in UNIT_LEVELS:
        raise ServiceError(f"Cấp đơn vị không hợp lệ: {level} (chọn một trong {', '.join(UNIT_LEVELS)}).", field="level")
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise ServiceError(f"Mã đơn vị {code} đã tồn tại.", field="code")
    parent = find_unit(session, parent_code) if parent_code else None
    unit = Unit(code=code, name=name.strip(), level=level, parent=parent, remote_area=remote_area)
    _set_contact(unit, address, phone)
    session.add(unit)
    session.flush()
    org_tree.forget(session)
    return unit


def set_unit_contact(session: Session, code: str, address: str | None, phone: str | None) -> Unit:
    """The address and phone a citizen's receipt prints for the unit; empty values clear them."""
    unit = find_unit(session, code)
    _set_contact(unit, address, phone)
    session.flush()
    return unit


def _set_contact(unit: Unit, address: str | None, phone: str | None) -> None:
    address, phone = (address or "").strip() or None, (phone or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS:
        raise ServiceError(f"Địa chỉ đơn vị dài quá {MAX_ADDRESS} ký tự.", field="address")
    if phone is not None and not PHONE.fullmatch(phone):
        raise ServiceError("Số điện thoại đơn vị chỉ gồm chữ số, dấu cách, dấu chấm, gạch ngang, ngoặc và dấu +"
                           f" (tối đa {MAX_PHONE} ký tự).", field="phone")
    unit.address, unit.phone = address, phone


def create_user(session: Session, username: str, password: str, *, now: datetime, full_name: str = "",
                email: str | None = None) -> User:
    username = username.strip().lower()
    if not username:
        raise ServiceError("Tên đăng nhập là bắt buộc.", field="username")
    if len(password) < 8:
        raise ServiceError("Mật khẩu phải có ít nhất 8 ký tự.", field="password")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ServiceError(f"Tên đăng nhập {username} đã tồn tại.", field="username")
    user = User(username=username, password_hash=hash_password(password), full_name=full_name.strip(),
                email=email, created_at=now)
    session.add(user)
    session.flush()
    return user


def grant_role(session: Session, user: User, unit: Unit, role: str) -> Membership:
    if role not in ROLES:
        raise ServiceError(f"Vai trò không hợp lệ: {role} (chọn một trong {', '.join(ROLES)}).", field="role")
    existing = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.unit_id == unit.id, Membership.role == role))
    if existing is not None:
        return existing
    membership = Membership(user=user, unit=unit, role=role)
    session.add(membership)
    session.flush()
    org_tree.forget(session)
    return membership


def unit_heads(session: Session, unit_id: int) -> list[User]:
    return list(session.scalars(
        select(User).join(Membership).where(Membership.unit_id == unit_id, Membership.role == "head",
                                            User.active.is_(True))))
