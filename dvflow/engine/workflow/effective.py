"""The date every action took effect (issue #13, item 4).

A transition without a ``legal_date`` field of its own gets two fields, ``effective_on`` (default today) and
``effective_reason`` (required when the date is before today), so paperwork entered late keeps its real date; a
transition with such a field uses it and is not asked twice. The runtime checks the date like any legal date (not
in the future, not before the case's last legal date) and feeds it to the history, the facts and the clocks.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from dvflow.engine.message import N_, msg
from dvflow.engine.types import Rejection
from dvflow.engine.workflow.definition import FieldDef, TransitionDef

#: The date every action took effect: a transition without a ``legal_date`` field of its own gets these two fields,
#: so paperwork entered late keeps its real date (issue #13, item 4); one with such a field uses it instead.
EFFECTIVE_ON = "effective_on"
EFFECTIVE_REASON = "effective_reason"
EFFECTIVE_REASON_MIN = 5
EFFECTIVE_REASON_MAX = 500
EFFECTIVE_FIELDS = (
    FieldDef(name=EFFECTIVE_ON, type="date", required=False, label="Ngày thực hiện", label_en="Effective date",
             help="Để trống nếu là hôm nay; ngày trước hôm nay phải ghi lý do", legal_date=True),
    FieldDef(name=EFFECTIVE_REASON, type="text", required=False, label="Lý do ghi ngày thực hiện trước hôm nay",
             label_en="Reason for an earlier effective date"),
)


def action_fields(t: TransitionDef) -> tuple[FieldDef, ...]:
    """The fields an action asks for: its declared fields, plus the effective date (and its reason) when none of
    them is the action's legal date."""
    return t.fields if t.legal_date_field is not None else t.fields + EFFECTIVE_FIELDS


def effective_reason_check(typed: Mapping[str, Any], day: date, today: date) -> date | Rejection:
    """``day`` when its reason is acceptable, else a Rejection naming ``effective_reason``. A date of the action's
    own document is its justification; a bare earlier date needs a reason on record."""
    reason = typed.get(EFFECTIVE_REASON, "")
    if day < today and len(reason) < EFFECTIVE_REASON_MIN:
        return Rejection("date", msg(N_("Lý do ghi ngày thực hiện trước hôm nay: bắt buộc khi ngày thực hiện "
                                        "(%(date)s) trước ngày hiện tại (ít nhất %(least)s ký tự)"), date=_fmt(day),
                                     least=EFFECTIVE_REASON_MIN), field=EFFECTIVE_REASON)
    if len(reason) > EFFECTIVE_REASON_MAX:
        return Rejection("field", msg(N_("Lý do ghi ngày thực hiện trước hôm nay quá dài (tối đa %(most)s ký tự)"),
                                      most=EFFECTIVE_REASON_MAX), field=EFFECTIVE_REASON)
    return day


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")
