"""The rules table for lawyers: every clock of every workflow as Markdown (``workflows/RULES.md``).

Pure: it reads compiled definitions only. ``flask dvflow workflows rules`` prints it, ``make rules`` writes it to
``workflows/RULES.md``, and a test fails when the committed file differs from what the YAML gives.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from dvflow.engine.workflow.definition import (
    UNIT_LABELS,
    VARIANT_LABELS,
    ClockDef,
    Definition,
    RuleDef,
)

HEADER = """# Bảng thời hạn của các quy trình

> Tệp này được sinh tự động từ `workflows/*.yaml`; không sửa tay. Sửa tệp YAML rồi sinh lại bằng `make rules`
> (hoặc `flask --app wsgi dvflow workflows rules -o workflows/RULES.md`). Một kiểm thử báo lỗi khi tệp này khác
> với các tệp YAML.

Cách đọc:
- "ngày làm việc": không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ (ngày thứ Bảy làm bù được tính); "ngày": ngày
  theo lịch, vì văn bản không ghi "ngày làm việc" (Bộ luật Dân sự 2015, Điều 144–148).
- Ngày bắt đầu không được tính; thời hạn hết vào 24 giờ ngày cuối; ngày cuối là ngày nghỉ thì lùi sang ngày làm
  việc tiếp theo (Bộ luật Dân sự 2015, Điều 147, 148).
- "Hiệu lực": quy tắc áp dụng cho thời hạn bắt đầu trong khoảng ngày đó.
- Mốc nhắc: số ngày trước (−) hoặc sau (+) hạn, và việc hệ thống làm ở mốc đó.
- "Cần rà soát": cách hiểu còn nghi vấn, chờ ý kiến pháp lý (`review:` trong YAML).
"""

KIND_LABELS = {"deadline": "Thời hạn phải hoàn thành", "waiting_period": "Thời gian chờ tối thiểu",
               "information": "Thời hạn để thông tin (không phải hạn xử lý)"}
RECIPIENT_LABELS = {
    "assignee": "người được giao", "unit_head": "thủ trưởng đơn vị", "parent_head": "thủ trưởng cấp trên",
    "supervisors": "người giám sát", "reception": "bộ phận tiếp dân", "handlers": "cán bộ xử lý",
}
ACTION_LABELS = {
    "mark_missed": "ghi nhận quá hạn", "raise_level": "chuyển cấp trên", "mark_priority": "đánh dấu ưu tiên",
    "reassign_parent": "giao cấp trên",
}
START_DATE_LABELS = {"received_at": "ngày tiếp nhận hồ sơ", "legal_date": "ngày của hành động (ngày pháp lý)"}
COLUMNS = ("Thời hạn", "Loại", "Bắt đầu khi", "Tính từ", "Số ngày theo trường hợp", "Hiệu lực", "Căn cứ",
           "Gia hạn", "Kết thúc khi", "Mốc nhắc, chuyển cấp", "Cần rà soát")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip() or "—"


def _day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _label(defn: Definition, trigger: str) -> str:
    t = defn.transitions_for(trigger)
    return f"«{t[0].label}»" if t else f"`{trigger}`"


def _state(defn: Definition, name: str) -> str:
    return f"«{defn.states[name].label}»" if name in defn.states else f"`{name}`"


def _when(clock: ClockDef) -> str:
    parts = [f"`{fact}` là {' hoặc '.join(f'`{v}`' for v in values)}" for fact, values in clock.start_when.items()]
    return f" (chỉ khi {'; '.join(parts)})" if parts else ""


def _start(defn: Definition, clock: ClockDef) -> str:
    starts = []
    if clock.start_on_enter:
        starts.append(f"vào trạng thái {_state(defn, clock.start_on_enter)}")
    if clock.start_on_trigger:
        starts.append(f"hành động {_label(defn, clock.start_on_trigger)}")
    starts += [f"hành động «{t.label}»" for t in defn.transitions
               if clock.name in t.clock_ops.get("start", ()) and t.trigger != clock.start_on_trigger]
    return "; ".join(dict.fromkeys(starts)) + _when(clock)


def _acting(defn: Definition, clock: ClockDef, op: str) -> list[str]:
    """The labels of the actions naming the clock in their ``clocks.<op>``."""
    return list(dict.fromkeys(f"«{t.label}»" for t in defn.transitions if clock.name in t.clock_ops.get(op, ())))


def _ends(defn: Definition, clock: ClockDef) -> str:
    out = [f"đáp ứng: vào {', '.join(_state(defn, s) for s in sorted(clock.stop_in))}"] if clock.stop_in else []
    stops = _acting(defn, clock, "stop")
    if stops:
        out.append(f"đáp ứng: hành động {', '.join(stops)}")
    if clock.pause_in:
        out.append(f"tạm dừng trong {', '.join(_state(defn, s) for s in sorted(clock.pause_in))}")
    pauses, resumes = _acting(defn, clock, "pause"), _acting(defn, clock, "resume")
    if pauses:  # e.g. the time of an expert assessment, not counted (NĐ 31/2019, Điều 15 khoản 4)
        out.append(f"tạm dừng từ hành động {', '.join(pauses)}"
                   + (f" đến hành động {', '.join(resumes)}" if resumes else ""))
    if clock.cancel_in:
        out.append(f"hủy khi vào {', '.join(_state(defn, s) for s in sorted(clock.cancel_in))}")
    out.append("hủy khi hồ sơ kết thúc")
    return "<br>".join(out)


def _days(rule: RuleDef) -> str:
    unit = UNIT_LABELS[rule.unit]
    return "<br>".join(f"{VARIANT_LABELS[v] or 'thông thường'}: {n} {unit}" for v, n in rule.days.items())


def _effective(rule: RuleDef) -> str:
    return f"từ {_day(rule.effective_from)}" + (f" đến {_day(rule.effective_to)}" if rule.effective_to else "")


def _extensions(clock: ClockDef) -> str:
    ext = clock.extensions
    if ext is None:
        return "không"
    times = ", ".join(f"{VARIANT_LABELS.get(k) or ('mọi trường hợp' if k == 'any' else 'thông thường')}: {n} lần"
                      for k, n in ext.max.items())
    return f"{times}; mỗi lần tối đa {ext.days_max} ngày ({ext.basis})"


def _ladder(clock: ClockDef) -> str:
    steps = []
    for s in clock.ladder:
        offset = "hạn" if s.offset == 0 else f"{'+' if s.offset > 0 else '−'}{abs(s.offset)} {UNIT_LABELS[s.unit]}"
        what = [", ".join(RECIPIENT_LABELS[r] for r in s.notify)] if s.notify else []
        what += [ACTION_LABELS[a] for a in s.actions]
        steps.append(f"{offset}: {s.label}" + (f" ({'; '.join(what)})" if what else ""))
    return "<br>".join(steps)


def _start_date(clock) -> str:
    if clock.start_date == "field":  # an information clock counts from a date the start action records
        return f"ngày ghi ở trường `{clock.start_field}` của hành động bắt đầu"
    return START_DATE_LABELS[clock.start_date]


def _rows(defn: Definition) -> Iterable[tuple[str, ...]]:
    for clock in defn.clocks.values():
        for rule in clock.rules:
            review = "<br>".join(n for n in (clock.review, rule.review) if n)
            yield (f"{clock.label} (`{clock.name}`)", KIND_LABELS.get(clock.kind, clock.kind), _start(defn, clock),
                   _start_date(clock), _days(rule), _effective(rule), rule.basis,
                   _extensions(clock), _ends(defn, clock), _ladder(clock), review)


def workflow_section(defn: Definition) -> str:
    lines = [f"## {defn.label} (`{defn.id}`, mã {defn.tracking_prefix})", ""]
    rows = list(_rows(defn))
    if rows:
        lines += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    else:
        lines.append("Không có thời hạn luật định trong quy trình này.")
    notes = [t for t in defn.transitions if t.review]
    if notes:
        lines += ["", "Các bước cần rà soát:", ""]
        lines += [f"- «{t.label}» (`{t.trigger}`, {t.basis}): {_cell(t.review or '')}" for t in notes]
    return "\n".join(lines) + "\n"


def render_rules(definitions: Iterable[Definition]) -> str:
    """The Markdown rules table of ``definitions``, in the order of their ids."""
    sections = [workflow_section(d) for d in sorted(definitions, key=lambda d: d.id)]
    return HEADER + "\n" + "\n".join(sections)
