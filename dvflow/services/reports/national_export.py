"""Export for the national database (Cơ sở dữ liệu quốc gia về tiếp công dân, xử lý đơn, giải quyết khiếu nại, tố
cáo; Nghị định 154/2026/NĐ-CP Điều 27, 35 khoản 3; Nghị định 155/2026/NĐ-CP Điều 30a; Nghị định 156/2026/NĐ-CP
Điều 19a): the citizens' cases, the reception book and the reception sessions of a period and a unit subtree, as one
JSON document in the versioned schema docs/national-export/schema-v1.json (its README says what each field means).

Read-only. The cases are read in pages by id (keyset), each page with its units, parties, time limits and decision
results in one query each, so a large period costs a few queries per page rather than a few per case.

Personal data is minimal: a confidential case's denouncers (and their representatives) are left out altogether, not
even a name or a hash; other parties give their name, kind and role only, never an identity number, address, phone
or e-mail. A protected visit of the reception book (confidential itself, or handed into a confidential case) gives
no name and no content summary.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ... import org_tree
from ...models import (
    Case,
    CaseEvent,
    CaseParty,
    Clock,
    Party,
    ReceptionOfficial,
    ReceptionSession,
    ReceptionVisit,
    Unit,
    User,
)
from ...timeutil import local_date, start_of_day_utc
from ..cases.confidentiality import hidden_roles, protected_visit
from ..errors import Forbidden, ServiceError
from ..org import access
from .periodic import choose_period, default_unit, scope_units
from .periodic_sections import DECISION_ACTIONS
from .periods import Period

SCHEMA_VERSION = "1.0.0"
SCHEMA_FILE = "docs/national-export/schema-v1.json"
#: the namespace of the identifiers' UUIDv5 (fixed forever: changing it changes every identifier)
NAMESPACE = uuid.UUID("6f1d6c2e-3b7a-5e54-9a0c-2d5f3c8b9e10")
#: kinds that are not citizens' matters: internal follow-up tasks and grassroots dialogue conferences
EXCLUDED_KINDS = ("follow_up", "dialogue")
#: who may export: heads (their subtree), supervisors and administrators (every unit)
EXPORT_ROLES = {"head", "supervisor", "admin"}
PAGE = 500
#: the longest period one export covers (a few years: the database is updated continuously, not in bulk)
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Range:
    """The export's period: local dates [first, last], and the named period it is, when it is one."""
    first: date
    last: date
    period: Period | None = None


def parse_range(first: str | date | None, last: str | date | None, *, first_field: str = "tu",
                last_field: str = "den") -> Range:
    """[first, last] from ISO dates, refused (ServiceError naming the field) when missing, malformed or reversed."""
    def parse(value, field, label):
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat((value or "").strip())
        except ValueError:
            day = None
        # the years a record can hold: 0001 or 9999 overflowed the instants the query adds a day to (a 500)
        if day is None or not 2000 <= day.year <= 2100:
            raise ServiceError("%(label)s không hợp lệ: nhập ngày dạng YYYY-MM-DD từ năm 2000 đến 2100, ví dụ "
                               "2026-01-01.", field=field, label=label)
        return day
    lo, hi = parse(first, first_field, "Từ ngày"), parse(last, last_field, "Đến ngày")
    if hi < lo:
        raise ServiceError("Đến ngày phải sau hoặc bằng từ ngày.", field=last_field)
    if (hi - lo).days >= MAX_DAYS:
        raise ServiceError("Mỗi lần xuất tối đa 3 năm số liệu: chia thành nhiều kỳ.", field=last_field)
    return Range(lo, hi)


def named_period(kind: str, year: int | None, number: int | None, basis: str, today: date) -> Range:
    """A period of services/reports/periods.py (month, quarter, 6 or 9 months, year), checked like the report's."""
    period = choose_period(kind, year, number, basis, today)
    return Range(period.first, period.last, period)


def exporting_units(session: Session, user: User) -> set[int] | None:
    """The units whose data the user may export: a head the units under theirs, supervisors and administrators every
    unit (None); Forbidden for anyone else (the export is the body's official submission, signed off by its head)."""
    roles = access.memberships(session, user)
    if not any(m.role in EXPORT_ROLES for m in roles):
        raise Forbidden("Chỉ thủ trưởng, người giám sát hoặc quản trị viên được xuất dữ liệu "
                        "cho cơ sở dữ liệu quốc gia.")
    if any(m.role in access.ALL_UNITS_ROLES for m in roles):
        return None
    tree = org_tree.unit_tree(session)
    return set().union(*(org_tree.descendants(tree, m.unit_id) for m in roles if m.role == "head"))


def export_parts(session: Session, user: User | None, *, unit_id: int | None, span: Range, now: datetime) -> dict:
    """The export a user (None: the operator's command, every unit) asks for, as `parts` (lists still to be read);
    the unit defaults to the top of what they may export."""
    visible = None if user is None else exporting_units(session, user)
    unit_id = unit_id or default_unit(session, visible)
    if unit_id is None:
        raise ServiceError("Chưa có đơn vị nào để xuất dữ liệu.", field="don_vi")
    return parts(session, unit_id=unit_id, visible=visible, span=span, now=now)


def export_for(session: Session, user: User | None, *, unit_id: int | None, span: Range, now: datetime) -> dict:
    """`export_parts`, collected into one dict."""
    return collect(export_parts(session, user, unit_id=unit_id, span=span, now=now))


def unit_by_code(session: Session, code: str) -> int:
    unit_id = session.scalar(select(Unit.id).where(Unit.code == code.strip()))
    if unit_id is None:
        raise ServiceError("Không có đơn vị mã %(unit)s.", field="don_vi", unit=code)
    return unit_id


def stable_id(source: str, local_code: str) -> dict[str, str]:
    """The identifier of a record across every export: "<source unit code>:<code>" and its UUIDv5."""
    key = f"{source}:{local_code}"
    return {"key": key, "uuid": str(uuid.uuid5(NAMESPACE, key))}


def parts(session: Session, *, unit_id: int, visible: set[int] | None, span: Range, now: datetime) -> dict:
    """The export of `span` over `unit_id` and its subtree (within `visible`; None = every unit), its three lists
    left as generators that read a page at a time: `write_json` streams them, `build` collects them."""
    units = scope_units(session, unit_id, visible)
    ctx = _Context.load(session, units)
    lo, hi = start_of_day_utc(span.first), start_of_day_utc(span.last + timedelta(days=1))
    issuer = ctx.units[unit_id]
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "issuing_unit": {"code": issuer.code, "name": issuer.name, "level": issuer.level},
        "period": _period(span),
        "cases": iter_cases(session, ctx, lo, hi),
        "reception_sessions": _sessions(session, ctx, span),
        "reception_visits": _visits(session, ctx, span),
    }


def build(session: Session, *, unit_id: int, visible: set[int] | None, span: Range, now: datetime) -> dict:
    """The whole export as one dict (for the API and the tests)."""
    return collect(parts(session, unit_id=unit_id, visible=visible, span=span, now=now))


def collect(doc: dict) -> dict:
    return {key: list(value) if key in LISTS else value for key, value in doc.items()}


LISTS = ("cases", "reception_sessions", "reception_visits")


def write_json(doc: dict, out: TextIO) -> dict[str, int]:
    """Write `doc` (from `parts`) as JSON, one record at a time, so memory does not grow with the period; returns
    how many records of each list were written."""
    counts = {}
    out.write("{")
    for i, (key, value) in enumerate(doc.items()):
        out.write(("," if i else "") + "\n" + json.dumps(key) + ": ")
        if key not in LISTS:
            out.write(json.dumps(value, ensure_ascii=False))
            continue
        counts[key] = 0
        out.write("[")
        for record in value:
            out.write(("," if counts[key] else "") + "\n  " + json.dumps(record, ensure_ascii=False))
            counts[key] += 1
        out.write("]")
    out.write("\n}\n")
    return counts


def _period(span: Range) -> dict:
    out: dict = {"from": span.first.isoformat(), "to": span.last.isoformat()}
    if span.period is not None:
        p = span.period
        out.update(kind=p.kind, year=p.year, number=p.number, basis=p.basis)
    return out


class _Context:
    """The units of the scope, and each unit's source code: the code of the top of its tree (the installation's
    root unit), so that a case moved between units of one tree keeps its identifier."""

    def __init__(self, units: dict[int, Unit], scope: set[int], source: dict[int, str]):
        self.units, self.scope, self.source = units, scope, source

    @classmethod
    def load(cls, session: Session, scope: set[int]) -> "_Context":
        units = {u.id: u for u in session.scalars(select(Unit))}
        tree = org_tree.unit_tree(session)

        def top(uid: int) -> int:
            seen = set()
            while tree.get(uid) is not None and uid not in seen:
                seen.add(uid)
                uid = tree[uid]
            return uid
        return cls(units, scope, {uid: units[top(uid)].code for uid in units})

    def case_id(self, unit_id: int, tracking_code: str) -> dict[str, str]:
        return stable_id(self.source[unit_id], tracking_code)


def _case_filter(ctx: _Context, lo: datetime, hi: datetime) -> list:
    return [Case.unit_id.in_(sorted(ctx.scope) or [-1]), Case.voided_at.is_(None), Case.kind.not_in(EXCLUDED_KINDS),
            Case.channel != "assigned", Case.received_at >= lo, Case.received_at < hi]


#: the columns an exported case reads (plain rows, not objects: a page is dropped once written)
_TARGET = aliased(Case)
CASE_COLUMNS = (Case.id, Case.unit_id, Case.tracking_code, Case.kind, Case.channel, Case.received_at, Case.state,
                Case.status, Case.closed_on, Case.mass, Case.people_count, Case.confidential, Case.subject,
                _TARGET.unit_id.label("target_unit"), _TARGET.tracking_code.label("target_code"),
                _TARGET.voided_at.label("target_voided"))


def iter_cases(session: Session, ctx: _Context, lo: datetime, hi: datetime) -> Iterator[dict]:
    """The citizens' cases received in [lo, hi), by id, a page at a time."""
    after = 0
    while True:
        page = session.execute(select(*CASE_COLUMNS).outerjoin(_TARGET, _TARGET.id == Case.handed_off_to_id)
                               .where(*_case_filter(ctx, lo, hi), Case.id > after)
                               .order_by(Case.id).limit(PAGE)).all()
        if not page:
            return
        ids = [c.id for c in page]
        parties, clocks, results = _parties(session, ids), _clocks(session, ids), _results(session, ids)
        for c in page:
            yield _case(ctx, c, parties.get(c.id, []), clocks.get(c.id, []), results.get(c.id))
        after = ids[-1]


def _parties(session: Session, ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    rows = session.execute(select(CaseParty.case_id, CaseParty.role, Party.kind, Party.name)
                           .join(Party, Party.id == CaseParty.party_id)
                           .where(CaseParty.case_id.in_(ids)).order_by(CaseParty.id))
    out: dict[int, list[tuple[str, str, str]]] = {}
    for case_id, role, kind, name in rows:
        out.setdefault(case_id, []).append((role, kind, name))
    return out


def _clocks(session: Session, ids: list[int]) -> dict[int, list]:
    out: dict[int, list] = {}
    rows = session.execute(select(Clock.case_id, Clock.name, Clock.label, Clock.basis, Clock.unit, Clock.days,
                                  Clock.due_date, Clock.state).where(Clock.case_id.in_(ids)).order_by(Clock.id))
    for clock in rows:
        out.setdefault(clock.case_id, []).append(clock)
    return out


def _results(session: Session, ids: list[int]) -> dict[int, tuple[str | None, date | None]]:
    """Each case's last decision or conclusion: its result and legal date."""
    last = (select(func.max(CaseEvent.id)).where(CaseEvent.case_id.in_(ids), CaseEvent.action.in_(DECISION_ACTIONS))
            .group_by(CaseEvent.case_id))
    rows = session.execute(select(CaseEvent.case_id, CaseEvent.payload, CaseEvent.legal_date)
                           .where(CaseEvent.id.in_(last)))
    return {cid: (((payload or {}).get("fields") or {}).get("result"), day) for cid, payload, day in rows}


def _case(ctx: _Context, c, parties, clocks: list, result) -> dict:
    unit = ctx.units[c.unit_id]
    limits = [{"name": k.name, "label": k.label, "basis": k.basis, "unit": k.unit, "days": k.days,
               "due_date": k.due_date.isoformat() if k.due_date else None, "state": k.state} for k in clocks]
    decided = result is not None and result[0] is not None
    # a denunciation protects its denouncer whatever the flag says (Luật Tố cáo 2018, Điều 47), and a denouncer is
    # never exported, in any case: the export does not rely on every writer having set `confidential`
    protected = c.confidential or c.kind == "denunciation"
    handed = c.target_code is not None and c.target_voided is None
    out = {
        "id": ctx.case_id(c.unit_id, c.tracking_code),
        "tracking_code": c.tracking_code,
        "kind": c.kind,
        "channel": c.channel,
        "received_on": local_date(c.received_at).isoformat(),
        "unit": {"code": unit.code, "name": unit.name},
        "state": c.state,
        "status": c.status,
        "closed_on": c.closed_on.isoformat() if c.closed_on else None,  # the legal date it ended on
        "outcome": {"result": result[0], "decided_on": result[1].isoformat() if result[1] else None}
        if decided else None,
        "time_limits": limits,
        "missed_time_limit": any(k.state == "missed" for k in clocks),
        "mass": c.mass,
        "people_count": c.people_count,
        "confidential": protected,
        "subject": None if protected else c.subject,
        "parties": [{"role": role, "kind": kind, "name": name} for role, kind, name in parties
                    if role != "denouncer" and not (protected and role in hidden_roles(c.kind))],
        "handed_off_to": ctx.case_id(c.target_unit, c.target_code) if handed else None,
    }
    return out


def _sessions(session: Session, ctx: _Context, span: Range) -> Iterator[dict]:
    rows = session.execute(select(ReceptionSession, ReceptionOfficial.title)
                           .outerjoin(ReceptionOfficial, ReceptionOfficial.id == ReceptionSession.official_id)
                           .where(ReceptionSession.unit_id.in_(sorted(ctx.scope) or [-1]),
                                  ReceptionSession.day >= span.first, ReceptionSession.day <= span.last)
                           .order_by(ReceptionSession.day, ReceptionSession.id))
    for rs, title in rows:
        unit = ctx.units[rs.unit_id]
        yield {"id": stable_id(ctx.source[rs.unit_id], f"TCD-PHIEN-{rs.id}"), "date": rs.day.isoformat(),
               "unit": {"code": unit.code, "name": unit.name}, "kind": rs.kind, "mode": rs.mode,
               "status": rs.status, "official_title": title,
               "delegated": bool(rs.delegate_name)}


def _visits(session: Session, ctx: _Context, span: Range) -> Iterator[dict]:
    """The reception book's rows of the period, by unit and book number, with the case each was handed into."""
    after = (0, 0)
    while True:
        q = (select(ReceptionVisit, Case.unit_id, Case.tracking_code, Case.voided_at, protected_visit())
             .outerjoin(Case, Case.id == ReceptionVisit.case_id)
             .where(ReceptionVisit.unit_id.in_(sorted(ctx.scope) or [-1]),
                    ReceptionVisit.received_on >= span.first, ReceptionVisit.received_on <= span.last,
                    ReceptionVisit.id > after[1])
             .order_by(ReceptionVisit.id).limit(PAGE))
        page = session.execute(q).all()
        if not page:
            return
        for v, case_unit, code, voided, protected in page:
            yield _visit(ctx, v, case_unit, code, voided, bool(protected))
        after = (0, page[-1][0].id)


def _visit(ctx: _Context, v: ReceptionVisit, case_unit: int | None, code: str | None, voided,
           protected: bool) -> dict:
    """A row of the book; `protected` is the rule of `protected_visit` (the visit's flag and content type, and the
    case it was handed into: a letter classified as a denunciation later protects its visitor too)."""
    unit = ctx.units[v.unit_id]
    handed = case_unit is not None and voided is None
    return {
        "id": stable_id(ctx.source[v.unit_id], f"{unit.code}-{v.year}-{v.seq}"),
        "book_number": v.seq, "year": v.year,
        "date": v.received_on.isoformat(),
        "unit": {"code": unit.code, "name": unit.name},
        "content_type": v.content_type,
        "people_count": v.people_count,
        "within_competence": v.within_competence,
        "outcome": v.outcome,
        "guided_to": v.guided_to if v.outcome == "guided" else None,
        "case_id": ctx.case_id(case_unit, code) if handed else None,
        "accepted_by": ctx.units[case_unit].code if handed else None,
        "confidential": protected,
        "citizen_name": None if protected else v.citizen_name,
        "summary": None if protected else v.summary,
    }
