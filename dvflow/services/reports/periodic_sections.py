"""The built-in sections of the periodic report: letters, intake, results, timeliness, satisfaction.

Each counts in SQL with GROUP BY (no raw rows are read into Python), over the cases not voided of the scope's units.
Importing this module registers them, in the order of the forms.
"""
from __future__ import annotations

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from ...labels import CHANNEL_LABELS
from ...models import Case, CaseEvent, Clock, Rating
from ...models.case import INTAKE_CHANNELS
from ...models.event import DECISION_ACTIONS
from ..cases.matters import CITIZEN_KINDS, citizen_matter
from ..cases.unit_on import just_before
from . import ended, stopped
from .periodic import Column, Row, Scope, Section, register_section


def _cases(scope: Scope, when, *columns, by_day: bool = False):
    """SELECT `columns` FROM cases not voided that were in the scope's units at `when` (the date of the fact counted:
    a case a merger moved counts under the unit it was in then; `by_day`: a legal date, a DATE column)."""
    return select(*columns).select_from(Case).where(Case.voided_at.is_(None), scope.on(when, by_day).where)


def _received(scope: Scope):
    return and_(Case.received_at >= scope.lo, Case.received_at < scope.hi)


def _closed(scope: Scope):
    """Ended in the period: by the legal date the case ended on, not the day its closing act was entered (ended.py)."""
    return ended.ended_within(scope.period.first, scope.period.end)


def _total_row(scope: Scope, rows: list[Row], columns: list[Column], links: dict | None = None) -> Row:
    values = {c.key: sum((r.values.get(c.key) or 0) for r in rows) for c in columns if c.kind == "int"}
    _ = scope.tr
    return Row(_("Tổng cộng"), values, total=True, links=links or {})


# --- 1. letters to handle and how they were handled ---------------------------------------------------------------

LETTER_TARGETS = {"complaint_first": "complaint", "complaint_second": "complaint", "complaint_discipline": "complaint",
                  "denunciation": "denunciation", "petition": "petition"}


def letters(scope: Scope) -> Section:
    """Letters (triage cases) to handle in the period, one row per unit, as the statistical forms count them:
    carried over (received before the period, not handled at its start) and received in it; handled in it (closed
    in the period, by how: a letter received in one period and handled in the next counts in the next), and still
    waiting at its end. Carried over + received = handled + waiting."""
    _ = scope.tr
    to_handle = _("Số đơn phải xử lý")
    handed, other = _("Chuyển giải quyết theo thẩm quyền, theo loại đơn"), _("Xử lý khác")
    columns = [Column("carried", _("Kỳ trước chuyển sang"), to_handle),
               Column("received", _("Tiếp nhận trong kỳ"), to_handle), Column("total", _("Tổng số"), to_handle),
               Column("handled", _("Đã xử lý trong kỳ")),
               Column("complaint", _("Khiếu nại"), handed), Column("denunciation", _("Tố cáo"), handed),
               Column("petition", _("Kiến nghị, phản ánh"), handed), Column("other_kind", _("Loại khác"), handed),
               Column("guided", _("Hướng dẫn"), other), Column("forwarded", _("Chuyển đơn"), other),
               Column("duplicate", _("Gộp vào đơn trùng"), other), Column("archived", _("Lưu đơn"), other),
               Column("waiting", _("Chưa xử lý xong đến cuối kỳ"))]
    per_unit: dict[int, dict[str, int]] = {}
    # two queries, each an index range (received in the period; received before it and open at its start)
    # a letter counts in the row of the unit it was in when received in the period, or at the period's start
    for phase, when, at in (("received", _received(scope), Case.received_at),
                            ("carried", _carried_over(scope), scope.lo)):
        for unit_id, end_state, duplicate, target_kind, n in scope.session.execute(_letter_counts(scope, when, at)):
            v = per_unit.setdefault(unit_id, {c.key: 0 for c in columns})
            column = _letter_column(end_state, duplicate, target_kind)
            for key in (phase, "total", column) + (("handled",) if column != "waiting" else ()):
                v[key] += n
    rows = [Row(name, values, links={} if merged else _letter_links(scope, str(uid)))
            for uid, name, values, merged in scope.unit_rows(per_unit)]
    total = _total_row(scope, rows, columns, _letter_links(scope, str(scope.unit_id)))
    return Section("don", _("Tiếp nhận và phân loại, xử lý đơn"), columns, [*rows, total],
                   note=_("Kỳ trước chuyển sang: đơn nhận trước kỳ, đến đầu kỳ chưa xử lý xong. Đơn tính là đã xử lý "
                          "trong kỳ mà việc xử lý xong diễn ra, theo kết quả xử lý. Kỳ trước chuyển sang + tiếp nhận "
                          "trong kỳ = đã xử lý trong kỳ + chưa xử lý xong đến cuối kỳ."))


def _carried_over(scope: Scope):
    """Received before the period and not handled at its start (still open, or ended on or after its first day)."""
    return and_(Case.received_at < scope.lo, ended.open_at(scope.lo))


def _letter_counts(scope: Scope, when, at):
    """The letters of `when` by unit (the one they were in `at`), state at the period's end ("waiting" when not
    closed by then), duplicate mark and the kind of the case a letter was handed into."""
    target = aliased(Case)
    done = ended.ended_by(scope.hi)
    state = case((done, Case.state), else_=literal("waiting"))  # one object: the same bind in SELECT and GROUP BY
    unit = scope.on(at)
    return (select(unit.unit, state, Case.duplicate_of_id.is_not(None), target.kind, func.count(Case.id))
            .select_from(Case).outerjoin(target, target.id == Case.handed_off_to_id)
            .where(Case.voided_at.is_(None), unit.where, Case.kind == "triage", when)
            .group_by(unit.unit, state, Case.duplicate_of_id.is_not(None), target.kind))


def _letter_column(end_state: str, duplicate: bool, target_kind: str | None) -> str:
    if end_state == "accepted":
        return LETTER_TARGETS.get(target_kind, "other_kind")
    if end_state == "archived":
        return "duplicate" if duplicate else "archived"
    if end_state in ("guided", "forwarded"):
        return end_state
    return "waiting"  # received or classified at the period's end


def _letter_links(scope: Scope, unit: str) -> dict[str, dict[str, str]]:
    """The letters behind the figures a list can filter: received in the period; handled in it (closed in the
    period), and guided or forwarded in it (a letter's final state does not change once closed). Each placed in the
    unit as the rows place it (don_vi_ngay): the unit it was in when received, or at the period's start when carried
    over, not the one on the day it was handled."""
    unit_filter = {"don_vi": unit, "don_vi_ngay": scope.period.first.isoformat()}
    handled = scope.closed_filters(kind="triage") | unit_filter
    return {"received": scope.received_filters(kind="triage") | unit_filter, "handled": handled,
            "guided": handled | {"state": "guided"}, "forwarded": handled | {"state": "forwarded"}}


# --- 2. cases received, by kind and channel; mass cases -------------------------------------------------------------

def intake(scope: Scope) -> Section:
    _ = scope.tr
    query = (_cases(scope, Case.received_at, Case.kind, Case.channel, Case.mass, func.count(Case.id),
                    func.coalesce(func.sum(Case.people_count), 0))
             .where(citizen_matter(), _received(scope))
             .group_by(Case.kind, Case.channel, Case.mass))
    by_channel, mass = _("Theo hình thức tiếp nhận"), _("Vụ việc đông người")
    columns = [Column("total", _("Tổng số vụ việc"))]
    columns += [Column(ch, _(CHANNEL_LABELS[ch]), by_channel) for ch in INTAKE_CHANNELS]
    columns += [Column("mass", _("Số vụ"), mass), Column("people", _("Số người"), mass)]
    per_kind: dict[str, dict[str, int]] = {}
    for kind, channel, is_mass, n, people in scope.session.execute(query):
        v = per_kind.setdefault(kind, {c.key: 0 for c in columns})
        v["total"] += n
        if channel in v:
            v[channel] += n
        if is_mass:
            v["mass"] += n
            v["people"] += int(people or 0)
    rows = []
    for kind in CITIZEN_KINDS:
        if kind not in per_kind:
            continue
        links = {"total": scope.matters_received(kind=kind),
                 "mass": scope.matters_received(kind=kind, dong_nguoi="1")}
        links |= {ch: scope.matters_received(kind=kind, kenh=ch) for ch in INTAKE_CHANNELS}
        rows.append(Row(scope.kind_label(kind), per_kind[kind], links=links))
    total = _total_row(scope, rows, columns, {"mass": scope.matters_received(dong_nguoi="1")})
    return Section("tiep-nhan", _("Vụ việc tiếp nhận trong kỳ theo loại và hình thức tiếp nhận"), columns,
                   [*rows, total],
                   note=_("Gồm cả các vụ việc hình thành từ đơn đã chuyển giải quyết theo thẩm quyền (mục đơn). "
                          "Số người của vụ việc đông người theo số người ghi khi tiếp nhận."))


# --- 3. results of the cases that ended in the period ---------------------------------------------------------------

RESULT_COLUMNS = {"right": "right", "correct": "right", "partly_right": "partly", "partly_correct": "partly",
                  "wrong": "wrong", "untrue": "wrong"}


def results(scope: Scope) -> Section:
    """Cases that ended (closed) in the period, by kind: the outcome of the last decision or conclusion (complaints:
    right, partly right, wrong; denunciations: true, partly true, untrue), petitions answered, and other ends."""
    _ = scope.tr
    # the outcome of each case's last decision, looked up per case of the period through the partial index of
    # decision events by (case_id, id): grouping every decision event of all time first read the whole events table
    result = (select(CaseEvent.payload["fields"]["result"].as_string())
              .where(CaseEvent.case_id == Case.id, CaseEvent.action.in_(DECISION_ACTIONS))
              .order_by(CaseEvent.id.desc()).limit(1).correlate(Case).scalar_subquery())
    # a case ended on the legal date of its closing act counts under the unit it was in on that day
    closed = (_cases(scope, Case.closed_on, Case.kind.label("kind"), Case.state.label("state"),
                     result.label("result"), by_day=True)
              .where(citizen_matter(), _closed(scope)).subquery())
    query = (select(closed.c.kind, closed.c.state, closed.c.result, func.count())
             .group_by(closed.c.kind, closed.c.state, closed.c.result))
    outcome, other = _("Kết quả theo quyết định giải quyết, kết luận"), _("Kết thúc khác")
    columns = [Column("total", _("Tổng số vụ việc kết thúc trong kỳ")),
               Column("right", _("Đúng"), outcome), Column("partly", _("Đúng một phần"), outcome),
               Column("wrong", _("Sai, sai sự thật"), outcome),
               Column("answered", _("Kiến nghị, phản ánh đã trả lời")),
               Column("terminated", _("Đình chỉ"), other), Column("refused", _("Không thụ lý"), other),
               Column("other", _("Chuyển, hướng dẫn, khác"), other)]
    per_kind: dict[str, dict[str, int]] = {}
    for kind, state, res, n in scope.session.execute(query):
        v = per_kind.setdefault(kind, {c.key: 0 for c in columns})
        v["total"] += n
        if state == "closed" and res in RESULT_COLUMNS:
            v[RESULT_COLUMNS[res]] += n
        elif state == "closed" and kind == "petition":
            v["answered"] += n
        elif state in ("terminated", "refused"):
            v[state] += n
        else:
            v["other"] += n
    rows = [Row(scope.kind_label(k), per_kind[k], links=_result_links(scope, k))
            for k in CITIZEN_KINDS if k in per_kind]
    return Section("ket-qua", _("Kết quả giải quyết các vụ việc kết thúc trong kỳ"), columns,
                   [*rows, _total_row(scope, rows, columns, {"total": scope.matters_closed()})])


def _result_links(scope: Scope, kind: str) -> dict[str, dict[str, str]]:
    """The cases behind the figures a final state tells apart (the decision's outcome is no list filter)."""
    links = {"total": scope.matters_closed(kind=kind),
             "terminated": scope.matters_closed(kind=kind, state="terminated"),
             "refused": scope.matters_closed(kind=kind, state="refused")}
    if kind == "petition":
        links["answered"] = scope.matters_closed(kind=kind, state="closed")
    return links


# --- 4. on time, late, still open and overdue at the period's end ---------------------------------------------------

def timeliness(scope: Scope) -> Section:
    """Ended in the period: on time unless one of its time limits was missed. Open at the period's end (received
    before its end, not closed by then): overdue when a time limit running then had already passed. For the current
    period "then" is now (`scope.until`): a time limit due later this month is not overdue yet."""
    _ = scope.tr
    missed = exists().where(Clock.case_id == Case.id, Clock.state == "missed")
    until = scope.until
    # not ended by then: a case decided by an act dated before the end was not open then, however late entered
    open_at_end = and_(Case.received_at < until, ended.open_at(until))
    # a limit the act's date stopped before the end was not overdue then, however late it was entered (stopped.py)
    overdue_at_end = exists().where(Clock.case_id == Case.id, Clock.started_at < until,
                                    Clock.due_at.is_not(None), Clock.due_at < until, stopped.running_at(until))
    one = lambda cond: func.coalesce(func.sum(case((cond, 1), else_=0)), 0)  # noqa: E731
    # the citizens' matters (matters.py): a letter's hand-off resolves nothing, and the case it became is the matter
    # (counting the letter too put one matter in two rows and its hand-off among the resolved)
    kinds = CITIZEN_KINDS
    # two queries, each one index range (closed in the period; still open at its end), instead of one whose OR of
    # both made the database scan every case: the two sets are disjoint, so their counts add up as before
    ended_q = (_cases(scope, Case.closed_on, Case.kind, func.count(), one(missed), by_day=True)
               .where(citizen_matter(), Case.received_at < scope.hi, _closed(scope)).group_by(Case.kind))
    open_q = (_cases(scope, just_before(until), Case.kind, func.count(), one(overdue_at_end))
              .where(citizen_matter(), open_at_end).group_by(Case.kind))
    done, still = _("Đã giải quyết xong trong kỳ"), _("Chưa giải quyết xong đến cuối kỳ")
    columns = [Column("ended", _("Tổng số"), done), Column("on_time", _("Đúng hạn"), done),
               Column("late", _("Trễ hạn"), done), Column("open", _("Tổng số"), still),
               Column("overdue", _("Trong đó quá hạn"), still)]
    per_kind: dict[str, dict[str, int]] = {}
    for kind, n, late in scope.session.execute(ended_q):
        v = per_kind.setdefault(kind, dict.fromkeys(("ended", "on_time", "late", "open", "overdue"), 0))
        v.update(ended=int(n), on_time=int(n) - int(late), late=int(late))
    for kind, n, overdue in scope.session.execute(open_q):
        v = per_kind.setdefault(kind, dict.fromkeys(("ended", "on_time", "late", "open", "overdue"), 0))
        v.update(open=int(n), overdue=int(overdue))
    rows = [Row(scope.kind_label(k), per_kind[k], links={"ended": scope.matters_closed(kind=k)})
            for k in kinds if k in per_kind and any(per_kind[k].values())]
    return Section("dung-han", _("Tiến độ giải quyết: đúng hạn, trễ hạn, còn tồn và quá hạn cuối kỳ"), columns,
                   [*rows, _total_row(scope, rows, columns, {"ended": scope.matters_closed()})],
                   note=_("Trễ hạn: có ít nhất một thời hạn luật định đã bị vượt. Quá hạn cuối kỳ: có thời hạn "
                           "đang chạy đã hết trước ngày cuối kỳ; kỳ chưa kết thúc tính đến thời điểm lập báo cáo."))


# --- 5. satisfaction ----------------------------------------------------------------------------------------------

def satisfaction(scope: Scope) -> Section:
    _ = scope.tr
    unit = scope.on(Rating.created_at)  # a rating counts for the unit the case was in when it was given
    query = (select(unit.unit, Rating.score, func.count(Rating.id)).join(Case, Case.id == Rating.case_id)
             .where(Case.voided_at.is_(None), unit.where, Rating.created_at >= scope.lo, Rating.created_at < scope.hi)
             .group_by(unit.unit, Rating.score))
    scores = _("Số lượt theo mức điểm")
    columns = [Column("count", _("Số lượt đánh giá")),
               *[Column(f"s{i}", str(i), scores) for i in range(1, 6)],
               Column("average", _("Điểm trung bình (1–5)"), kind="float")]
    per_unit: dict[int, dict] = {}
    for unit_id, score, n in scope.session.execute(query):
        v = per_unit.setdefault(unit_id, {c.key: 0 for c in columns})
        v["count"] += n
        v[f"s{score}"] += n
    rows = [Row(name, _with_average(values)) for _uid, name, values, _merged in scope.unit_rows(per_unit)]
    total = _total_row(scope, rows, columns)
    total.values = _with_average(total.values)
    return Section("hai-long", _("Mức độ hài lòng của người dân"), columns, [*rows, total])


def _with_average(v: dict) -> dict:
    weighted = sum(i * v.get(f"s{i}", 0) for i in range(1, 6))
    return {**v, "average": round(weighted / v["count"], 2) if v.get("count") else None}


for _builder in (letters, intake, results, timeliness, satisfaction):
    register_section(_builder)

__all__ = ["letters", "intake", "results", "timeliness", "satisfaction"]
