"""What units write into the scorecard: the values of manual criteria (with evidence files) a supervisor then
verifies or rejects, and the register of "Dân vận khéo" models (with evidence). Each function is one transaction:
it checks everything before it writes, and the caller commits. Every submission and review is also appended to the
entry's trail (ScorecardEntryEvent), which a later submission never overwrites.

A review names the submission it verifies (the id of its "submitted" event, which the page's form carries): a value
submitted again while the supervisor read the evidence of the one before is not verified unseen (409). The check is
an outside body's: nobody verifies a value they submitted, nor one of a unit in whose chain they hold a role."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ... import org_tree
from ...engine import scorecard as engine
from ...engine.message import Label
from ...models import (
    DanVanKheoModel,
    EvidenceFile,
    ScorecardEntry,
    ScorecardEntryEvent,
    Unit,
    User,
)
from ..errors import N_, Conflict, Forbidden, NotFound, ServiceError
from ..org import access

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
FILL_ROLES = {"head", "handler"}
MAX_VALUE = 1_000_000  # a manual criterion without a declared range (a count of models): far above any real one
MAX_NOTE = 5000  # a filled value's note
MAX_REVIEW_NOTE = 1000  # a review's note (the page's input says as much)
MAX_RESULTS = 20_000  # a model's results, in the unit's words: as long as a case's content may be


@dataclass
class Upload:
    filename: str
    content_type: str
    content: bytes


# --- who may do what ----------------------------------------------------------------------------------------------

def may_fill(session: Session, user: User, unit_id: int) -> bool:
    """The unit's head or handlers, or a head of a unit above it."""
    tree = org_tree.unit_tree(session)
    above = set(org_tree.ancestors(tree, unit_id))
    return any((m.unit_id == unit_id and m.role in FILL_ROLES) or (m.role == "head" and m.unit_id in above)
               for m in access.memberships(session, user))


#: why a supervisor may not verify an entry: the check would be of their own work
OWN_VALUE = N_("Bạn đã kê khai giá trị này: người giám sát khác phải xác minh.")
OWN_CHAIN = N_("Bạn giữ vai trò trong đơn vị kê khai hoặc đơn vị cấp trên của đơn vị đó: không được xác minh giá trị "
               "kê khai của đơn vị này.")


def may_verify(session: Session, user: User, entry: ScorecardEntry | None = None) -> bool:
    """A supervisor (of `entry`, when given: not of their own work, see _own_work)."""
    # the supervisor alone: an administrator manages accounts and could be a member of the unit whose value it
    # would verify; the check is an outside body's (the Fatherland Front, the inspectorate)
    if not any(m.role == "supervisor" for m in access.memberships(session, user)):
        return False
    return entry is None or _own_work(session, user, entry) is None


def _own_work(session: Session, user: User, entry: ScorecardEntry) -> str | None:
    """Why verifying `entry` would be checking one's own work: the user submitted the value, or holds a role other
    than supervisor in the entry's unit or a unit above it (a head of the province checking a department of it)."""
    if entry.submitted_by_id == user.id:
        return OWN_VALUE
    chain = {entry.unit_id, *org_tree.ancestors(org_tree.unit_tree(session), entry.unit_id)}
    if any(m.unit_id in chain and m.role != "supervisor" for m in access.memberships(session, user)):
        return OWN_CHAIN
    return None


def entry_unit(session: Session, entry_id: int) -> int:
    """The unit an entry belongs to (the page to show again after a review refused)."""
    unit_id = session.scalar(select(ScorecardEntry.unit_id).where(ScorecardEntry.id == entry_id))
    if unit_id is None:
        raise NotFound("Không tìm thấy giá trị kê khai.")
    return unit_id


def current_submission(session: Session, entry_id: int) -> int:
    """Which submission the entry's value is: the id of its last "submitted" event (0: a value from before the
    trail). What the review form carries, and what a review is checked against."""
    return session.scalar(select(func.max(ScorecardEntryEvent.id)).where(
        ScorecardEntryEvent.entry_id == entry_id, ScorecardEntryEvent.action == "submitted")) or 0


def _check_files(files: list[Upload], field: str) -> list[Upload]:
    files = [f for f in files if f.filename or f.content]
    if len(files) > MAX_FILES:
        raise ServiceError("Tệp minh chứng: tối đa %(max)s tệp.", field=field, max=MAX_FILES)
    for f in files:
        if not f.filename.strip() or not f.content:
            raise ServiceError("Tệp minh chứng: tệp rỗng hoặc không có tên.", field=field)
        if len(f.content) > MAX_FILE_BYTES:
            raise ServiceError("Tệp minh chứng %(file)s: quá 10 MB.", field=field, file=f.filename)
    return files


def _evidence(f: Upload, user: User, now: datetime, **owner) -> EvidenceFile:
    content_type = (f.content_type or "application/octet-stream")[:100]
    return EvidenceFile(filename=f.filename.strip()[:255], content_type=content_type,
                        size=len(f.content), sha256=hashlib.sha256(f.content).hexdigest(), content=f.content,
                        uploaded_by_id=user.id, uploaded_at=now, **owner)


def _unit(session: Session, unit_id: int | None) -> Unit:
    unit = session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise ServiceError("Đơn vị: chọn một đơn vị.", field="don_vi")
    return unit


# --- manual criteria ----------------------------------------------------------------------------------------------

def fill(session: Session, user: User, *, criteria: engine.CriteriaSet, unit_id: int, year: int, key: str,
         raw_value: str, note: str, files: list[Upload], now: datetime) -> ScorecardEntry:
    """The unit's value of a manual criterion for `year`, with its evidence: a new submission (again waiting for
    verification, earlier files kept) replaces the value filled before."""
    unit = _unit(session, unit_id)
    if not may_fill(session, user, unit.id):
        raise Forbidden("Chỉ thủ trưởng, cán bộ của đơn vị được kê khai tiêu chí chấm điểm.")
    criterion = criteria.criterion(key)
    if criterion is None or criterion.source != "manual":
        raise ServiceError("Tiêu chí: không phải tiêu chí kê khai của năm này.", field="tieu_chi")
    try:
        value = float((raw_value or "").strip().replace(",", "."))
    except ValueError:
        raise ServiceError("Giá trị: nhập một số.", field="gia_tri") from None
    _check_range(criterion, value)
    note = _capped(note, "ghi_chu", "Ghi chú", MAX_NOTE)
    files = _check_files(files, "minh_chung")
    # locked, as review locks it: a submission and a review of the same entry never interleave
    entry = session.scalar(select(ScorecardEntry).where(ScorecardEntry.unit_id == unit.id,
                                                        ScorecardEntry.year == year, ScorecardEntry.criterion == key)
                           .with_for_update())
    if entry is None and not files:
        raise ServiceError("Tệp minh chứng: cần ít nhất một tệp.", field="minh_chung")
    if entry is None:
        entry = ScorecardEntry(unit_id=unit.id, year=year, criterion=key, submitted_at=now)
        session.add(entry)
    entry.value, entry.note, entry.status = value, note, "submitted"
    entry.submitted_by_id, entry.submitted_at = user.id, now
    entry.reviewed_by_id, entry.reviewed_at, entry.review_note = None, None, ""
    session.flush()
    for f in files:
        session.add(_evidence(f, user, now, entry_id=entry.id))
    session.add(ScorecardEntryEvent(entry_id=entry.id, action="submitted", at=now, actor_id=user.id, value=value,
                                    note=entry.note, files=len(files)))
    session.flush()
    return entry


def _check_range(criterion: engine.Criterion, value: float) -> None:
    """The criterion's own range when it declares one (a mark of 0–10), else any count the column holds; a whole
    number where the criterion counts things (`integer`)."""
    top = criterion.max_value if criterion.max_value is not None else MAX_VALUE
    unit = Label(criterion.unit, criterion.unit_en)  # the page's language picks one (i18n.said)
    if not math.isfinite(value) or value < 0 or value > top:
        raise ServiceError("Giá trị: nhập một số từ 0 đến %(top)s (%(unit)s).", field="gia_tri", top=format(top, "g"),
                           unit=unit)
    if criterion.integer and not value.is_integer():
        raise ServiceError("Giá trị: nhập một số nguyên (%(unit)s).", field="gia_tri", unit=unit)


def _capped(text: str | None, field: str, label: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ServiceError("%(label)s: tối đa %(limit)s ký tự.", field=field, label=label, limit=limit)
    return text


def review(session: Session, user: User, *, entry_id: int, submission: int | None, decision: str, note: str,
           now: datetime) -> ScorecardEntry:
    """A supervisor verifies (the value then counts) or rejects (with a note saying why) the submitted value they
    saw: `submission` is the one the page showed (current_submission), refused (409) when another came since or the
    value was reviewed meanwhile."""
    if not may_verify(session, user):
        raise Forbidden("Chỉ người giám sát được xác minh tiêu chí kê khai.")
    entry = session.get(ScorecardEntry, entry_id, with_for_update=True)
    if entry is None:
        raise NotFound("Không tìm thấy giá trị kê khai.")
    own = _own_work(session, user, entry)
    if own is not None:
        raise Forbidden(own)
    if decision not in ("verified", "rejected"):
        raise ServiceError("Kết quả xác minh: chọn xác nhận hoặc không xác nhận.", field="ket_qua")
    note = _capped(note, "ghi_chu", "Ghi chú", MAX_REVIEW_NOTE)
    if decision == "rejected" and not note:
        raise ServiceError("Ghi chú: nêu lý do không xác nhận.", field="ghi_chu")
    _check_submission(session, entry, submission)
    entry.status, entry.review_note, entry.reviewed_by_id, entry.reviewed_at = decision, note, user.id, now
    session.add(ScorecardEntryEvent(entry_id=entry.id, action=decision, at=now, actor_id=user.id, note=note))
    session.flush()
    return entry


def _check_submission(session: Session, entry: ScorecardEntry, submission: int | None) -> None:
    """The entry waits for a review, of the submission the supervisor saw: a rejected value is not verified without
    a new submission, and a value submitted again is not verified before it was read."""
    if submission is None:
        raise ServiceError("Không rõ lượt kê khai được xác minh: tải lại trang rồi xác minh.", field="lan_ke_khai")
    if entry.status != "submitted":
        raise Conflict("Giá trị kê khai này không còn chờ xác minh (đã được xác nhận hoặc không xác nhận); đơn vị "
                       "phải gửi kê khai mới.", field="lan_ke_khai", code="not_waiting")
    if current_submission(session, entry.id) != submission:
        raise Conflict("Đơn vị đã gửi giá trị kê khai mới sau khi bạn mở trang: xem lại giá trị và minh chứng mới "
                       "rồi xác minh.", field="lan_ke_khai", code="changed")


# --- "Dân vận khéo" models ----------------------------------------------------------------------------------------

def register_model(session: Session, user: User, *, unit_id: int | None, year: int | None, name: str, field: str,
                   started_on: str, results: str, files: list[Upload], now: datetime) -> DanVanKheoModel:
    unit = _unit(session, unit_id)
    if not may_fill(session, user, unit.id):
        raise Forbidden("Chỉ thủ trưởng, cán bộ của đơn vị được đăng ký mô hình của đơn vị.")
    if year is None or not 2000 <= year <= now.year + 1:
        raise ServiceError("Năm: nhập năm đăng ký mô hình.", field="nam")
    name, field = (name or "").strip(), (field or "").strip()
    if not name or len(name) > 255:
        raise ServiceError("Tên mô hình: bắt buộc, tối đa 255 ký tự.", field="ten")
    if not field or len(field) > 255:
        raise ServiceError("Lĩnh vực: bắt buộc, tối đa 255 ký tự.", field="linh_vuc")
    try:
        start = date.fromisoformat((started_on or "").strip())
    except ValueError:
        raise ServiceError("Ngày bắt đầu: nhập ngày (năm-tháng-ngày).", field="bat_dau") from None
    if start.year > year:
        raise ServiceError("Ngày bắt đầu: không được sau năm đăng ký.", field="bat_dau")
    results = _capped(results, "ket_qua", "Kết quả", MAX_RESULTS)
    files = _check_files(files, "minh_chung")
    model = DanVanKheoModel(unit_id=unit.id, year=year, name=name, field=field, started_on=start,
                            results=results, created_by_id=user.id, created_at=now)
    session.add(model)
    session.flush()
    for f in files:
        session.add(_evidence(f, user, now, model_id=model.id))
    session.flush()
    return model


def list_models(session: Session, user: User, year: int | None = None) -> list[DanVanKheoModel]:
    """The models of the units the user sees (supervisors, admins: all), by year (latest first) then unit."""
    units = access.visible_unit_ids(session, user)
    query = (select(DanVanKheoModel).options(selectinload(DanVanKheoModel.files), selectinload(DanVanKheoModel.unit))
             .join(Unit, DanVanKheoModel.unit_id == Unit.id)
             .order_by(DanVanKheoModel.year.desc(), Unit.name, DanVanKheoModel.id))
    if units is not None:
        query = query.where(DanVanKheoModel.unit_id.in_(units or {-1}))
    if year is not None:
        query = query.where(DanVanKheoModel.year == year)
    return list(session.scalars(query))


def registered_count(session: Session, unit_id: int, year: int) -> int:
    """How many models the register holds for the unit and year: what a supervisor checks a filled count against."""
    return session.scalar(select(func.count(DanVanKheoModel.id)).where(DanVanKheoModel.unit_id == unit_id,
                                                                      DanVanKheoModel.year == year)) or 0


def evidence_for(session: Session, user: User, file_id: int) -> EvidenceFile:
    """An evidence file, for those who see its unit."""
    f = session.get(EvidenceFile, file_id)
    if f is None:
        raise NotFound("Không tìm thấy tệp minh chứng.")
    owner = f.entry if f.entry is not None else f.model
    units = access.visible_unit_ids(session, user)
    if units is not None and owner.unit_id not in units:  # another unit's file: as if it did not exist
        raise NotFound("Không tìm thấy tệp minh chứng.")
    return f
