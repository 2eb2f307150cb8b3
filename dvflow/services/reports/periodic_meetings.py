"""Sections of the periodic report on meeting citizens: the heads' reception days held against the days the law
requires (Luật Tiếp công dân 2013, Điều 12, 13, 15, 18; Nghị định 64/2014, Điều 4; Nghị định 154/2026, Điều 10),
and the dialogues held and the commitments made and kept. They read the rule files of workflows/reception/, so
they need `scope.workflows_dir`."""
from __future__ import annotations

from sqlalchemy import and_, case, func, select

from ...models import Case, CaseEvent, Clock, Commitment
from ...models.event import MEETING_ACTIONS
from ...timeutil import local_date
from ..cases.matters import COMPLAINT_KINDS
from ..deadlines.calendar import load_calendar
from ..reception import compliance
from ..reception.officials import list_officials
from . import ended, periodic_sections, stopped  # noqa: F401 - the built-in sections are registered first, these after them
from .periodic import Column, Row, Scope, Section, register_section


def reception_days(scope: Scope) -> Section | None:
    """Per official of the units in scope who held the position in the period: required, held, delegated, missed."""
    if scope.workflows_dir is None:
        return None
    _ = scope.tr
    rules = compliance.schedule_rules(scope.workflows_dir)
    calendar = load_calendar(scope.session)
    first, last, today = scope.period.first, scope.period.last, local_date(scope.now)
    days = _("Ngày tiếp công dân định kỳ")
    columns = [Column("required", _("Phải tiếp"), days), Column("held", _("Đã tiếp"), days),
               Column("delegated", _("Ủy quyền tiếp thay"), days), Column("missed", _("Không tiếp"), days),
               Column("outstanding", _("Chưa đến ngày"), days), Column("ad_hoc", _("Tiếp đột xuất"))]
    rows = []
    for official in list_officials(scope.session, scope.unit_ids):
        if not compliance.serves_during(official, first, last):  # their unit's lifetime included
            continue
        c = compliance.official_compliance(scope.session, rules, calendar, official, first, last, today)
        values = {"required": c.total("required"), "held": c.total("held"), "delegated": c.total("delegated"),
                  "missed": c.total("missed"), "outstanding": c.total("outstanding"),
                  "ad_hoc": c.total("ad_hoc_held")}
        rows.append(Row(f"{official.title}: {official.full_name}", values))
    total = Row(_("Tổng cộng"), {col.key: sum(r.values[col.key] for r in rows) for col in columns}, total=True)
    return Section("tiep-cong-dan", _("Tiếp công dân định kỳ của người đứng đầu"), columns, [*rows, total],
                   note=_("Số ngày phải tiếp theo Luật Tiếp công dân 2013 (Điều 12, 13, 15, 18), Nghị định "
                          "64/2014/NĐ-CP (Điều 4, đến 30/6/2026) và Nghị định 154/2026/NĐ-CP (Điều 10), tính theo "
                          "lịch làm việc; ngày ủy quyền tiếp thay không tính là đã tiếp khi quy định không cho phép."))


def dialogues(scope: Scope) -> Section:
    """Dialogues held in the period (inside complaints, and grassroots conferences) and the commitments made in
    them or by conclusion notices: made in the period, done, and overdue at the period's end."""
    _ = scope.tr
    in_period = and_(CaseEvent.legal_date >= scope.period.first, CaseEvent.legal_date <= scope.period.last)
    held = dict(scope.session.execute(
        select(Case.kind, func.count(CaseEvent.id)).join(Case, Case.id == CaseEvent.case_id)
        .where(scope.on(CaseEvent.legal_date, by_day=True).where, Case.voided_at.is_(None), in_period,
               CaseEvent.action.in_(MEETING_ACTIONS),  # implies the partial index's WHERE: its few rows are read
               ((Case.kind.in_(COMPLAINT_KINDS)) & (CaseEvent.action == "record_minutes"))
               | ((Case.kind == "dialogue") & (CaseEvent.action == "hold")))
        .group_by(Case.kind)).all())
    columns = [Column("held", _("Số cuộc đã tổ chức")), Column("made", _("Đã ghi"), _("Cam kết, nhiệm vụ")),
               Column("done", _("Đã hoàn thành"), _("Cam kết, nhiệm vụ")),
               Column("overdue", _("Quá hạn cuối kỳ"), _("Cam kết, nhiệm vụ"))]
    made = _commitments(scope)
    rows = [Row(_("Đối thoại trong giải quyết khiếu nại"),
                {"held": sum(held.get(k, 0) for k in COMPLAINT_KINDS), **made.get("dialogue", _zero())}),
            Row(_("Hội nghị đối thoại ở cơ sở"), {"held": held.get("dialogue", 0), **made.get("conference", _zero())}),
            Row(_("Thông báo kết luận tiếp công dân"), {"held": None, **made.get("reception_conclusion", _zero())})]
    total = Row(_("Tổng cộng"), {c.key: sum(r.values[c.key] or 0 for r in rows) for c in columns}, total=True)
    return Section("doi-thoai", _("Đối thoại và việc thực hiện cam kết"), columns, [*rows, total],
                   note=_("Cam kết, nhiệm vụ: ghi trong kỳ (theo đơn vị thực hiện); đã hoàn thành: được xác nhận hoàn "
                          "thành đến hết ngày cuối kỳ; quá hạn cuối kỳ: chưa xong mà thời hạn đã hết trước ngày cuối "
                          "kỳ; kỳ chưa kết thúc tính đến thời điểm lập báo cáo."))


def _zero() -> dict:
    return {"made": 0, "done": 0, "overdue": 0}


def _commitments(scope: Scope) -> dict[str, dict]:
    until = scope.until  # the period's end, or now while it runs: a task due later is not overdue yet
    # by the legal date its limit stopped on: a task reported in time and entered after the end was not overdue
    overdue_at_end = and_(Clock.due_at.is_not(None), Clock.due_at < until, stopped.running_at(until))
    # done by the period's end: its follow-up case reached "done" (a final state, which sets closed_on) by an act
    # dated before it, however late entered (ended.py); a task done after the period was still open, and may be
    # overdue, in that period's report
    done_by_end = and_(Case.state == "done", ended.ended_by(until))
    query = (select(Commitment.source, func.count(func.distinct(Commitment.id)),
                    func.count(func.distinct(case((done_by_end, Commitment.id)))),
                    func.count(func.distinct(case((overdue_at_end, Commitment.id)))))
             .join(Case, Case.id == Commitment.case_id).outerjoin(Clock, Clock.case_id == Case.id)
             .where(scope.on(Case.received_at).where, Case.voided_at.is_(None), Case.received_at >= scope.lo,
                    Case.received_at < scope.hi)
             .group_by(Commitment.source))
    return {source: {"made": int(m), "done": int(d), "overdue": int(o)}
            for source, m, d, o in scope.session.execute(query)}


for _builder in (reception_days, dialogues):
    register_section(_builder)
