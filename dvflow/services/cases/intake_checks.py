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
from ..errors import N_, ServiceError

CONTENT_MAX = 20_000  # the API's limit on content (a Text column has none of its own)
# C0 and C1 control characters; tab and line breaks are allowed only in multi-line fields
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PHONE = re.compile(r"\+?[0-9 .()\-]+", re.ASCII)  # digits, an optional leading +, common separators
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}", re.ASCII)
IDENTITY = re.compile(r"[A-Za-z0-9]+", re.ASCII)  # a document of unknown type: CCCD, CMND, passport, tax code
#: per document type: (pattern of its number, the types of party that hold it)
IDENTITY_RULES = {
    "cccd": (re.compile(r"[0-9]{12}", re.ASCII), ("person",)),
    "passport": (re.compile(r"[A-Za-z0-9]{6,20}", re.ASCII), ("person",)),
    # a branch's tax code is the enterprise's ten digits, a dash and three more (Thông tư 105/2020/TT-BTC)
    "tax_code": (re.compile(r"[0-9]{10}(-[0-9]{3})?", re.ASCII), ("organisation",)),
    "business_registration": (re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", re.ASCII), ("organisation",)),
    "other": (re.compile(r"[A-Za-z0-9]+([-/.][A-Za-z0-9]+)*", re.ASCII), ("person", "organisation")),
}
#: per document type: the messages for its number (missing; not of its shape), each a whole sentence for the
#: catalogue, the party named by its values (`party`, `n`)
IDENTITY_MESSAGES = {
    "cccd": (N_("Nhập số CCCD của %(party)s thứ %(n)s."),
             N_("Số CCCD của %(party)s thứ %(n)s không hợp lệ: gồm đúng 12 chữ số.")),
    "passport": (N_("Nhập số hộ chiếu của %(party)s thứ %(n)s."),
                 N_("Số hộ chiếu của %(party)s thứ %(n)s không hợp lệ: gồm 6–20 chữ cái và chữ số.")),
    "tax_code": (N_("Nhập mã số thuế của %(party)s thứ %(n)s."),
                 N_("Mã số thuế của %(party)s thứ %(n)s không hợp lệ: gồm 10 chữ số, mã chi nhánh thêm dấu gạch "
                    "ngang và 3 chữ số (ví dụ 0101234567-001).")),
    "business_registration": (N_("Nhập số đăng ký kinh doanh của %(party)s thứ %(n)s."),
                              N_("Số đăng ký kinh doanh của %(party)s thứ %(n)s không hợp lệ: chỉ gồm chữ cái, chữ "
                                 "số và dấu gạch ngang.")),
    "other": (N_("Nhập số giấy tờ của %(party)s thứ %(n)s."),
              N_("Số giấy tờ của %(party)s thứ %(n)s không hợp lệ: chỉ gồm chữ cái, chữ số và các dấu - / .")),
}
assert set(IDENTITY_RULES) == set(IDENTITY_MESSAGES)
assert set(IDENTITY_RULES) == set(IDENTITY_TYPES) == set(IDENTITY_TYPE_LABELS)

#: how a message names a party by the list it is in (a value of the party's messages, `party`, with its number `n`)
PARTY, REPRESENTATIVE, SIGNER = N_("đương sự"), N_("người đại diện"), N_("người ký đơn")

# (attribute, Vietnamese label, column it is stored in, multi-line) of the case's text fields
CASE_TEXT = (("subject", N_("Trích yếu"), Case.__table__.c.subject, False),
             ("content", N_("Nội dung đơn"), None, True))
# (attribute, Vietnamese label, the longest value, multi-line) of each party's text fields; the identity columns are
# encrypted (TEXT, longer than what they hold): their limits are the plaintext ones the model declares
PARTY_TEXT = (("name", N_("Họ tên"), PLAINTEXT_LIMITS["name"], False),
              ("identity_number", N_("Số giấy tờ tùy thân"), PLAINTEXT_LIMITS["identity_number"], False),
              ("address", N_("Địa chỉ"), PLAINTEXT_LIMITS["address"], True),
              ("phone", N_("Số điện thoại"), PLAINTEXT_LIMITS["phone"], False),
              ("email", N_("Thư điện tử"), PLAINTEXT_LIMITS["email"], False),
              ("identity_type_name", N_("Tên loại giấy tờ"), Party.__table__.c.identity_type_name.type.length, False))
#: (too long, control characters) of a case's text field, and of a party's (which names the party)
CASE_TEXT_MESSAGES = (N_("%(label)s quá dài (tối đa %(limit)s ký tự)."),
                      N_("%(label)s chứa ký tự điều khiển không hợp lệ."))
PARTY_TEXT_MESSAGES = (N_("%(label)s của %(party)s thứ %(n)s quá dài (tối đa %(limit)s ký tự)."),
                       N_("%(label)s của %(party)s thứ %(n)s chứa ký tự điều khiển không hợp lệ."))


def check_case_text(data) -> None:
    """Subject and content: within their limits, no control characters."""
    for attr, label, column, multiline in CASE_TEXT:
        limit = column.type.length if column is not None else CONTENT_MAX
        _check_text(getattr(data, attr), attr, limit, multiline, CASE_TEXT_MESSAGES, label=label)


def check_parties(parties, defn) -> None:
    """Every party valid, then at least one of the roles the workflow requires. Raises on the first problem."""
    for i, p in enumerate(parties):
        check_party(i, p, defn)
    _check_required(parties, defn)


def check_party(i: int, p, defn, *, where: str = "", party: str = PARTY) -> None:
    """The i-th party of a list (`where`: its field path, by default in `parties`; `party`: how the messages name the
    list's members, PARTY, REPRESENTATIVE or SIGNER). The messages are whole sentences with the party as values
    ("…của %(party)s thứ %(n)s"), so the catalogue translates them and the noun."""
    where = where or f"parties[{i}]"
    whose = {"party": party, "n": i + 1}
    allowed = set(defn.party_roles) or set(PARTY_ROLES)
    if not p.role:  # not "…không hợp lệ cho loại hồ sơ này: ." with nothing after the colon
        raise ServiceError("Chọn vai trò của %(party)s thứ %(n)s.", field=f"{where}.role", **whose)
    if p.role not in PARTY_ROLES or p.role not in allowed:
        raise ServiceError("Vai trò của %(party)s thứ %(n)s không hợp lệ cho loại hồ sơ này: %(role)s.",
                           field=f"{where}.role", role=p.role, **whose)
    if not p.name or not p.name.strip():
        raise ServiceError("Nhập họ tên của %(party)s thứ %(n)s.", field=f"{where}.name", **whose)
    if p.kind not in ("person", "organisation"):
        raise ServiceError("Loại đương sự của %(party)s thứ %(n)s không hợp lệ.", field=f"{where}.kind", **whose)
    for attr, label, limit, multiline in PARTY_TEXT:
        _check_text(getattr(p, attr), f"{where}.{attr}", limit, multiline, PARTY_TEXT_MESSAGES, label=label, **whose)
    _check_formats(p, whose, where)


def _check_formats(p, whose: dict, where: str) -> None:
    phone, email, identity = ((v or "").strip() for v in (p.phone, p.email, p.identity_number))
    digits = sum(ch.isdigit() for ch in phone)
    if phone and not (PHONE.fullmatch(phone) and 8 <= digits <= 15):
        raise ServiceError("Số điện thoại của %(party)s thứ %(n)s không hợp lệ (8–15 chữ số, có thể bắt đầu bằng "
                           "dấu +).", field=f"{where}.phone", **whose)
    if email and not EMAIL.fullmatch(email):
        raise ServiceError("Thư điện tử của %(party)s thứ %(n)s không hợp lệ (dạng ten@mien.vn).",
                           field=f"{where}.email", **whose)
    if p.identity_type is None:
        if identity and not IDENTITY.fullmatch(identity):
            raise ServiceError("Số giấy tờ tùy thân của %(party)s thứ %(n)s chỉ được gồm chữ cái và chữ số.",
                               field=f"{where}.identity_number", **whose)
        return
    _check_identity(p, identity, whose, where)


def _check_identity(p, identity: str, whose: dict, where: str) -> None:
    if p.identity_type not in IDENTITY_RULES:
        raise ServiceError("Loại giấy tờ của %(party)s thứ %(n)s không hợp lệ.", field=f"{where}.identity_type",
                           **whose)
    pattern, holders = IDENTITY_RULES[p.identity_type]
    missing, malformed = IDENTITY_MESSAGES[p.identity_type]
    label = IDENTITY_TYPE_LABELS[p.identity_type]
    if p.kind not in holders:
        if holders == ("organisation",):
            raise ServiceError("%(label)s chỉ dùng cho tổ chức (của %(party)s thứ %(n)s).",
                               field=f"{where}.identity_type", label=label, **whose)
        raise ServiceError("%(label)s chỉ dùng cho cá nhân (của %(party)s thứ %(n)s).",
                           field=f"{where}.identity_type", label=label, **whose)
    if p.identity_type == "other" and not (p.identity_type_name or "").strip():
        raise ServiceError("Nhập tên loại giấy tờ của %(party)s thứ %(n)s (ví dụ Giấy phép lái xe).",
                           field=f"{where}.identity_type_name", **whose)
    if not identity:
        raise ServiceError(missing, field=f"{where}.identity_number", **whose)
    if not pattern.fullmatch(identity):
        raise ServiceError(malformed, field=f"{where}.identity_number", **whose)


def _check_required(parties, defn) -> None:
    need = defn.requires_party
    if not need or any(p.role in need for p in parties):
        return
    # the kind (the workflow's label) and the roles stay Vietnamese on an English page: they are phrases built here
    roles = [PARTY_ROLE_LABELS[r].lower() for r in need]
    who = roles[0] if len(roles) == 1 else f"{', '.join(roles[:-1])} hoặc {roles[-1]}"
    kind = defn.label[:1].lower() + defn.label[1:]
    raise ServiceError("Hồ sơ %(kind)s cần ít nhất một %(who)s.", field="parties", kind=kind, who=who)


def _check_text(value: str | None, field: str, limit: int, multiline: bool, messages: tuple[str, str],
                **named) -> None:
    """`messages`: (too long, control characters), filled with `named` (the field's label, the party)."""
    if not value:
        return
    # leading and trailing blanks are not stored (intake strips them), so they do not count
    if len(value.strip()) > limit:
        raise ServiceError(messages[0], field=field, limit=limit, **named)
    if (CONTROL_MULTILINE if multiline else CONTROL).search(value):
        raise ServiceError(messages[1], field=field, **named)
