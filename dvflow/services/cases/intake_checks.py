"""What intake refuses before anything is written: over-long or malformed text, bad parties, a missing complainant.

The checks live in the service so the reception page and the API refuse the same input the same way on both
databases (PostgreSQL raises on a value longer than its column, SQLite silently stores it). Column limits are read
from the models, so a migration that widens a column widens the check with it (an encrypted identity column holds
a ciphertext longer than its text: its limit is the model's PLAINTEXT_LIMITS).
"""
from __future__ import annotations

import re

from ...labels import IDENTITY_TYPE_LABELS, PARTY_ROLE_LABELS
from ...models import Case, Party
from ...models.party import IDENTITY_TYPES, PARTY_ROLES, PLAINTEXT_LIMITS
from ..errors import ServiceError

CONTENT_MAX = 20_000  # the API's limit on content (a Text column has none of its own)
# C0 and C1 control characters; tab and line breaks are allowed only in multi-line fields
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PHONE = re.compile(r"\+?[0-9 .()\-]+", re.ASCII)  # digits, an optional leading +, common separators
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}", re.ASCII)
IDENTITY = re.compile(r"[A-Za-z0-9]+", re.ASCII)  # a document of unknown type: CCCD, CMND, passport, tax code
#: per document type: (pattern of its number, the types of party that hold it, what the message says it must be)
IDENTITY_RULES = {
    "cccd": (re.compile(r"[0-9]{12}", re.ASCII), ("person",), "gồm đúng 12 chữ số"),
    "passport": (re.compile(r"[A-Za-z0-9]{6,20}", re.ASCII), ("person",), "gồm 6–20 chữ cái và chữ số"),
    # a branch's tax code is the enterprise's ten digits, a dash and three more (Thông tư 105/2020/TT-BTC)
    "tax_code": (re.compile(r"[0-9]{10}(-[0-9]{3})?", re.ASCII), ("organisation",),
                 "gồm 10 chữ số, mã chi nhánh thêm dấu gạch ngang và 3 chữ số (ví dụ 0101234567-001)"),
    "business_registration": (re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", re.ASCII), ("organisation",),
                              "chỉ gồm chữ cái, chữ số và dấu gạch ngang"),
    "other": (re.compile(r"[A-Za-z0-9]+([-/.][A-Za-z0-9]+)*", re.ASCII), ("person", "organisation"),
              "chỉ gồm chữ cái, chữ số và các dấu - / ."),
}
#: how a message names the number of each type
IDENTITY_NOUNS = {"cccd": "Số CCCD", "passport": "Số hộ chiếu", "tax_code": "Mã số thuế",
                  "business_registration": "Số đăng ký kinh doanh", "other": "Số giấy tờ"}
assert set(IDENTITY_RULES) == set(IDENTITY_NOUNS)
assert set(IDENTITY_RULES) == set(IDENTITY_TYPES) == set(IDENTITY_TYPE_LABELS)

# (attribute, Vietnamese label, column it is stored in, multi-line) of the case's text fields
CASE_TEXT = (("subject", "Trích yếu", Case.__table__.c.subject, False),
             ("content", "Nội dung đơn", None, True))
# (attribute, Vietnamese label, the longest value, multi-line) of each party's text fields; the identity columns are
# encrypted (TEXT, longer than what they hold): their limits are the plaintext ones the model declares
PARTY_TEXT = (("name", "Họ tên", PLAINTEXT_LIMITS["name"], False),
              ("identity_number", "Số giấy tờ tùy thân", PLAINTEXT_LIMITS["identity_number"], False),
              ("address", "Địa chỉ", PLAINTEXT_LIMITS["address"], True),
              ("phone", "Số điện thoại", PLAINTEXT_LIMITS["phone"], False),
              ("email", "Thư điện tử", PLAINTEXT_LIMITS["email"], False),
              ("identity_type_name", "Tên loại giấy tờ", Party.__table__.c.identity_type_name.type.length, False))


def check_case_text(data) -> None:
    """Subject and content: within their limits, no control characters."""
    for attr, label, column, multiline in CASE_TEXT:
        limit = column.type.length if column is not None else CONTENT_MAX
        _check_text(getattr(data, attr), label, attr, limit, multiline)


def check_parties(parties, defn) -> None:
    """Every party valid, then at least one of the roles the workflow requires. Raises on the first problem."""
    for i, p in enumerate(parties):
        check_party(i, p, defn)
    _check_required(parties, defn)


def check_party(i: int, p, defn, *, where: str = "", of: str = "") -> None:
    """One party (`where`: its field path, `of`: how the message names it; by default the i-th of `parties`)."""
    where = where or f"parties[{i}]"
    of = of or f"của đương sự thứ {i + 1}"
    allowed = set(defn.party_roles) or set(PARTY_ROLES)
    if not p.role:  # not "…không hợp lệ cho loại hồ sơ này: ." with nothing after the colon
        raise ServiceError(f"Chọn vai trò {of}.", field=f"{where}.role")
    if p.role not in PARTY_ROLES or p.role not in allowed:
        raise ServiceError(f"Vai trò {of} không hợp lệ cho loại hồ sơ này: {p.role}.", field=f"{where}.role")
    if not p.name or not p.name.strip():
        raise ServiceError(f"Nhập họ tên {of}.", field=f"{where}.name")
    if p.kind not in ("person", "organisation"):
        raise ServiceError(f"Loại đương sự {of} không hợp lệ.", field=f"{where}.kind")
    for attr, label, limit, multiline in PARTY_TEXT:
        _check_text(getattr(p, attr), f"{label} {of}", f"{where}.{attr}", limit, multiline)
    _check_formats(p, of, where)


def _check_formats(p, of: str, where: str) -> None:
    phone, email, identity = ((v or "").strip() for v in (p.phone, p.email, p.identity_number))
    digits = sum(ch.isdigit() for ch in phone)
    if phone and not (PHONE.fullmatch(phone) and 8 <= digits <= 15):
        raise ServiceError(f"Số điện thoại {of} không hợp lệ (8–15 chữ số, có thể bắt đầu bằng dấu +).",
                           field=f"{where}.phone")
    if email and not EMAIL.fullmatch(email):
        raise ServiceError(f"Thư điện tử {of} không hợp lệ (dạng ten@mien.vn).", field=f"{where}.email")
    if p.identity_type is None:
        if identity and not IDENTITY.fullmatch(identity):
            raise ServiceError(f"Số giấy tờ tùy thân {of} chỉ được gồm chữ cái và chữ số.",
                               field=f"{where}.identity_number")
        return
    _check_identity(p, identity, of, where)


def _check_identity(p, identity: str, of: str, where: str) -> None:
    if p.identity_type not in IDENTITY_RULES:
        raise ServiceError(f"Loại giấy tờ {of} không hợp lệ.", field=f"{where}.identity_type")
    pattern, holders, shape = IDENTITY_RULES[p.identity_type]
    label, noun = IDENTITY_TYPE_LABELS[p.identity_type], IDENTITY_NOUNS[p.identity_type]
    if p.kind not in holders:
        who = "tổ chức" if holders == ("organisation",) else "cá nhân"
        raise ServiceError(f"{label} chỉ dùng cho {who} ({of}).", field=f"{where}.identity_type")
    if p.identity_type == "other" and not (p.identity_type_name or "").strip():
        raise ServiceError(f"Nhập tên loại giấy tờ {of} (ví dụ Giấy phép lái xe).", field=f"{where}.identity_type_name")
    if not identity:
        raise ServiceError(f"Nhập {noun[0].lower()}{noun[1:]} {of}.", field=f"{where}.identity_number")
    if not pattern.fullmatch(identity):
        raise ServiceError(f"{noun} {of} không hợp lệ: {shape}.", field=f"{where}.identity_number")


def _check_required(parties, defn) -> None:
    need = defn.requires_party
    if not need or any(p.role in need for p in parties):
        return
    roles = [PARTY_ROLE_LABELS[r].lower() for r in need]
    who = roles[0] if len(roles) == 1 else f"{', '.join(roles[:-1])} hoặc {roles[-1]}"
    kind = defn.label[:1].lower() + defn.label[1:]
    raise ServiceError(f"Hồ sơ {kind} cần ít nhất một {who}.", field="parties")


def _check_text(value: str | None, label: str, field: str, limit: int, multiline: bool) -> None:
    if not value:
        return
    # leading and trailing blanks are not stored (intake strips them), so they do not count
    if len(value.strip()) > limit:
        raise ServiceError(f"{label} quá dài (tối đa {limit} ký tự).", field=field)
    if (CONTROL_MULTILINE if multiline else CONTROL).search(value):
        raise ServiceError(f"{label} chứa ký tự điều khiển không hợp lệ.", field=field)
