"""Deadline arithmetic as the Civil Code counts time (BLDS 2015, Điều 144–148).

* The day of the triggering event is not counted (Art 147): counting starts the next day.
* A limit ends at the end (24:00 local) of its last day (Art 148).
* If that last day is a weekend or public holiday, the limit ends at the end of the next
  working day (Art 148) — this matters for calendar-day limits; a working-day limit always
  ends on a working day.
* Extensions add days in the rule's own unit.
* A suspension (pause) freezes the clock: the days up to and including the suspension date
  are used; the rest is counted again from the continuation date (which is not counted).

Every result carries a line-by-line explanation that a legal officer can check: Vietnamese templates and their values
(dvflow.engine.message), which the pages translate.
Pure functions: no wall clock, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Sequence

from .calendar import (
    ONE_DAY,
    WorkCalendar,
    end_of_day_utc,
    format_date,
    start_of_day_utc,
    weekday_name,
)
from .message import N_, Msg, msg
from .types import ClockRule, CountUnit, Extension, LadderStep, Pause

UNIT_TEXT: dict[str, str] = {"working_days": "ngày làm việc", "calendar_days": "ngày"}
#: an amount of days in a unit, as a message: "%(n)s ngày làm việc"
AMOUNT: dict[str, str] = {"working_days": N_("%(n)s ngày làm việc"), "calendar_days": N_("%(n)s ngày")}
UNIT_DESCRIPTION: dict[str, str] = {
    "working_days": N_("ngày làm việc (không tính Thứ Bảy, Chủ nhật, ngày lễ, Tết và ngày nghỉ theo điều chỉnh)"),
    "calendar_days": N_("ngày theo lịch dương (tính cả ngày nghỉ; nếu ngày cuối là ngày nghỉ thì "
                        "kết thúc vào cuối ngày làm việc tiếp theo)"),
}
ART_147 = N_("Điều 147 Bộ luật Dân sự 2015")
ART_148 = N_("Điều 148 Bộ luật Dân sự 2015")


@dataclass(frozen=True)
class ExplanationLine:
    """One line of a deadline explanation.

    ``kind`` is one of: rule, start, counted, excluded, pause, extension, rollover, due. ``message`` is its
    template and values (a page translates it, dvflow.i18n.said); ``text`` the Vietnamese.
    """

    kind: str
    day: date | None
    message: Msg

    @property
    def text(self) -> str:
        return str(self.message)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (ISO date)."""
        return {"kind": self.kind, "day": self.day.isoformat() if self.day else None, "text": self.text}


@dataclass(frozen=True)
class DueDate:
    """A computed deadline with its explanation."""

    due_date: date | None  # last day of the limit (after any roll-over); None while paused
    due_at: datetime | None  # end_of_day_utc(due_date)
    days_total: int  # rule days + extensions
    lines: tuple[ExplanationLine, ...]

    @property
    def paused(self) -> bool:
        """True while an open suspension leaves the due date unknown."""
        return self.due_date is None

    def text(self) -> str:
        """The multi-line Vietnamese explanation."""
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (dates and instants in ISO 8601)."""
        return {
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "days_total": self.days_total,
            "lines": [line.to_dict() for line in self.lines],
            "text": self.text(),
        }


# --- counting in a unit -----------------------------------------------------------------


def shift_days(d: date, offset: int, unit: CountUnit, calendar: WorkCalendar) -> date:
    """``d`` moved by ``offset`` working or calendar days (negative = backwards); ``d`` not counted."""
    if unit == "calendar_days":
        return d + timedelta(days=offset)
    if unit == "working_days":
        if offset >= 0:
            return calendar.add_working_days(d, offset)
        return calendar.subtract_working_days(d, -offset)
    raise ValueError(f"Đơn vị tính thời hạn không hợp lệ: {unit!r}")


def units_between(a: date, b: date, unit: CountUnit, calendar: WorkCalendar) -> int:
    """Days of ``unit`` in (a, b]; negative when ``b < a``."""
    if unit == "calendar_days":
        return (b - a).days
    if unit == "working_days":
        return calendar.working_days_between(a, b)
    raise ValueError(f"Đơn vị tính thời hạn không hợp lệ: {unit!r}")


def remaining_days(due_date: date, today: date, unit: CountUnit, calendar: WorkCalendar) -> int:
    """Days of ``unit`` left until the end of ``due_date`` (0 on the due date, negative when overdue)."""
    return units_between(today, due_date, unit, calendar)


def step_due_at(due_date: date, step: LadderStep, calendar: WorkCalendar) -> datetime:
    """When an escalation step fires (aware UTC).

    * ``offset < 0``: start (local 00:00) of the day ``|offset|`` units before the due date;
    * ``offset == 0``: end of the due date — the moment the clock becomes overdue;
    * ``offset > 0``: end of the day ``offset`` units after the due date.
    """
    if step.offset == 0:
        return end_of_day_utc(due_date)
    day = shift_days(due_date, step.offset, step.unit, calendar)
    return start_of_day_utc(day) if step.offset < 0 else end_of_day_utc(day)


# --- explanation building ---------------------------------------------------------------


def _day(d: date) -> dict[str, Any]:
    """The values of a day written "dd/mm/yyyy (weekday)": its date and its weekday's name (translatable)."""
    return {"date": format_date(d), "weekday": msg(weekday_name(d))}


def _amount(n: int, unit: CountUnit) -> Msg:
    return msg(AMOUNT[unit], n=n)


def _rule_line(rule: ClockRule) -> ExplanationLine:
    amount = _amount(rule.days, rule.unit)
    if rule.label:  # the rule's own label, as the workflow names it
        return ExplanationLine("rule", None, msg(N_("Thời hạn: %(label)s: %(amount)s — căn cứ: %(basis)s."),
                                                 label=rule.label, amount=amount, basis=rule.basis))
    return ExplanationLine("rule", None, msg(N_("Thời hạn: %(amount)s — căn cứ: %(basis)s."), amount=amount,
                                             basis=rule.basis))


def _start_lines(rule: ClockRule, start: date) -> list[ExplanationLine]:
    return [
        ExplanationLine("start", start, msg(N_("Ngày bắt đầu: %(date)s (%(weekday)s) — ngày này không tính, thời "
                                               "hạn được tính từ ngày hôm sau (%(article)s)."),
                                            **_day(start), article=msg(ART_147))),
        ExplanationLine("rule", None, msg(N_("Đơn vị tính: %(unit)s."), unit=msg(UNIT_DESCRIPTION[rule.unit]))),
    ]


def _decision(ext: Extension) -> Msg:
    if ext.number:
        return msg(N_("số %(number)s ngày %(date)s"), number=ext.number, date=format_date(ext.decided_on))
    return msg(N_("ngày %(date)s"), date=format_date(ext.decided_on))


def _extension_lines(rule: ClockRule, extensions: Sequence[Extension], total: int) -> list[ExplanationLine]:
    lines = []
    for i, ext in enumerate(sorted(extensions, key=lambda e: e.decided_on), start=1):
        values = {"i": i, "decision": _decision(ext), "amount": _amount(ext.days, rule.unit)}
        if ext.reason:
            text = msg(N_("Gia hạn lần %(i)s: quyết định %(decision)s, thêm %(amount)s; lý do: %(reason)s."),
                       reason=ext.reason, **values)
        else:
            text = msg(N_("Gia hạn lần %(i)s: quyết định %(decision)s, thêm %(amount)s."), **values)
        lines.append(ExplanationLine("extension", ext.decided_on, text))
    if extensions:
        lines.append(ExplanationLine("extension", None, msg(N_("Tổng thời hạn sau gia hạn: %(amount)s."),
                                                            amount=_amount(total, rule.unit))))
    return lines


#: (one day, a run of days) counted, per unit
COUNTED = {
    "working_days": (N_("Tính ngày làm việc thứ %(n)s: %(date)s (%(weekday)s)."),
                     N_("Tính ngày làm việc thứ %(first)s–%(last)s: từ %(start)s (%(start_weekday)s) đến %(end)s "
                        "(%(end_weekday)s).")),
    "calendar_days": (N_("Tính ngày thứ %(n)s: %(date)s (%(weekday)s)."),
                      N_("Tính ngày thứ %(first)s–%(last)s: từ %(start)s (%(start_weekday)s) đến %(end)s "
                         "(%(end_weekday)s).")),
}


def _counted_line(first: date, last: date, first_no: int, last_no: int, unit: CountUnit) -> ExplanationLine:
    one, run = COUNTED[unit]
    if first == last:
        return ExplanationLine("counted", first, msg(one, n=first_no, **_day(first)))
    return ExplanationLine("counted", first, msg(run, first=first_no, last=last_no, start=format_date(first),
                                                 start_weekday=msg(weekday_name(first)), end=format_date(last),
                                                 end_weekday=msg(weekday_name(last))))


def _reason_line(kind: str, d: date, reason: Msg | str, *, plain: str, with_weekday: str) -> ExplanationLine:
    """"dd/mm/yyyy (weekday): reason", without repeating the weekday when it is the reason."""
    if isinstance(reason, Msg) and reason.template == weekday_name(d):
        return ExplanationLine(kind, d, msg(plain, date=format_date(d), reason=reason))
    return ExplanationLine(kind, d, msg(with_weekday, reason=reason, **_day(d)))


def _excluded_line(d: date, reason: Msg | str) -> ExplanationLine:
    return _reason_line("excluded", d, reason, plain=N_("Không tính %(date)s: %(reason)s."),
                        with_weekday=N_("Không tính %(date)s (%(weekday)s): %(reason)s."))


def _segment_lines(
    a: date, b: date, unit: CountUnit, calendar: WorkCalendar, counted_before: int
) -> list[ExplanationLine]:
    """Lines for the days in (a, b]: runs of counted days and, for working days, each excluded day."""
    if b <= a:
        return []
    if unit == "calendar_days":
        n = (b - a).days
        return [_counted_line(a + ONE_DAY, b, counted_before + 1, counted_before + n, unit)]
    lines: list[ExplanationLine] = []
    run_first: date | None = None
    run_first_no = 0
    run_last = a
    no = counted_before
    d = a
    while d < b:
        d += ONE_DAY
        reason = calendar.non_working_message(d)
        if reason is None:
            if run_first is None:
                run_first, run_first_no = d, no + 1
            run_last = d
            no += 1
            continue
        if run_first is not None:
            lines.append(_counted_line(run_first, run_last, run_first_no, no, unit))
            run_first = None
        lines.append(_excluded_line(d, reason))
    if run_first is not None:
        lines.append(_counted_line(run_first, run_last, run_first_no, no, unit))
    return lines


def _rollover_lines(last: date, due: date, calendar: WorkCalendar) -> list[ExplanationLine]:
    """The last day fell on a non-working day: list it and every following day off, then the roll-over."""
    lines = []
    d = last
    while d < due:
        lines.append(_reason_line("rollover", d, calendar.non_working_message(d) or "",
                                  plain=N_("Ngày nghỉ %(date)s: %(reason)s."),
                                  with_weekday=N_("Ngày nghỉ %(date)s (%(weekday)s): %(reason)s.")))
        d += ONE_DAY
    lines.append(ExplanationLine("rollover", due, msg(
        N_("Ngày cuối của thời hạn (%(last)s) là ngày nghỉ nên thời hạn kết thúc vào cuối ngày làm việc tiếp theo là "
           "%(date)s (%(weekday)s) (%(article)s)."), last=format_date(last), article=msg(ART_148), **_day(due))))
    return lines


def _due_line(due: date) -> ExplanationLine:
    return ExplanationLine("due", due, msg(N_("Hạn cuối: hết ngày %(date)s (%(weekday)s), tức 24:00 giờ Việt Nam "
                                              "ngày %(date)s."), **_day(due)))


# --- validation -----------------------------------------------------------------------------


def _check_inputs(rule: ClockRule, start: date, pauses: Sequence[Pause], extensions: Sequence[Extension]) -> list[Pause]:
    """Validate the inputs; return the pauses in date order."""
    if rule.unit not in UNIT_TEXT:
        raise ValueError(f"Đơn vị tính thời hạn không hợp lệ: {rule.unit!r}")
    if rule.days < 0:
        raise ValueError("Số ngày của thời hạn không được âm")
    if any(ext.days < 0 for ext in extensions):
        raise ValueError("Số ngày gia hạn không được âm")
    ordered = sorted(pauses, key=lambda p: p.start)
    previous_end: date | None = start
    for p in ordered:
        if previous_end is None:
            raise ValueError("Có lần tạm đình chỉ sau một lần tạm đình chỉ chưa kết thúc")
        if p.start < previous_end:
            raise ValueError(
                f"Thời gian tạm đình chỉ từ {format_date(p.start)} chồng lấn hoặc trước ngày bắt đầu tính"
            )
        if p.end is not None and p.end < p.start:
            raise ValueError(
                f"Ngày tiếp tục {format_date(p.end)} trước ngày tạm đình chỉ {format_date(p.start)}"
            )
        previous_end = p.end
    return ordered


# --- the computation --------------------------------------------------------------------------


def compute_due(
    rule: ClockRule,
    start: date,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
) -> DueDate:
    """The due date of a clock that started on ``start`` (the event day, not counted).

    Raises ValueError for negative days, an unknown unit, or overlapping / out-of-order pauses.
    """
    ordered = _check_inputs(rule, start, pauses, extensions)
    unit = rule.unit
    total = rule.days + sum(ext.days for ext in extensions)
    lines = [_rule_line(rule), *_start_lines(rule, start), *_extension_lines(rule, extensions, total)]

    anchor, remaining, counted = start, total, 0
    late_pauses: list[Pause] = []
    for i, p in enumerate(ordered):
        used = units_between(anchor, p.start, unit, calendar)
        if used >= remaining:
            late_pauses = ordered[i:]
            break
        lines += _segment_lines(anchor, p.start, unit, calendar, counted)
        counted += used
        remaining -= used
        lines.append(_pause_line(p, counted, total, remaining, unit))
        if p.end is None:
            lines.append(ExplanationLine("due", None, msg(
                N_("Hạn cuối: chưa xác định — đang tạm đình chỉ, thời hạn còn lại %(amount)s sẽ được tính tiếp từ "
                   "ngày có quyết định tiếp tục giải quyết."), amount=_amount(remaining, unit))))
            return DueDate(None, None, total, tuple(lines))
        anchor = p.end

    last = shift_days(anchor, remaining, unit, calendar)
    lines += _segment_lines(anchor, last, unit, calendar, counted)
    due = calendar.first_working_day_on_or_after(last)
    if due != last:
        lines += _rollover_lines(last, due, calendar)
    lines += [_late_pause_line(p, due) for p in late_pauses]
    lines.append(_due_line(due))
    return DueDate(due, end_of_day_utc(due), total, tuple(lines))


def _pause_line(p: Pause, used: int, total: int, remaining: int, unit: CountUnit) -> ExplanationLine:
    values = {"start": format_date(p.start), "used": used, "total": _amount(total, unit),
              "remaining": _amount(remaining, unit)}
    if p.end is None:
        return ExplanationLine("pause", p.start, msg(
            N_("Tạm đình chỉ từ ngày %(start)s: đã dùng %(used)s/%(total)s (tính đến hết ngày %(start)s), còn lại "
               "%(remaining)s. Chưa có quyết định tiếp tục giải quyết."), **values))
    return ExplanationLine("pause", p.start, msg(
        N_("Tạm đình chỉ từ ngày %(start)s: đã dùng %(used)s/%(total)s (tính đến hết ngày %(start)s), còn lại "
           "%(remaining)s. Tiếp tục giải quyết từ ngày %(end)s (ngày này không tính); %(remaining)s còn lại được "
           "tính từ ngày hôm sau."), end=format_date(p.end), **values))


def _late_pause_line(p: Pause, due: date) -> ExplanationLine:
    return ExplanationLine("pause", p.start, msg(
        N_("Tạm đình chỉ từ ngày %(start)s: khi đó thời hạn đã dùng hết nên không được kéo dài; hạn vẫn là ngày "
           "%(due)s."), start=format_date(p.start), due=format_date(due)))
