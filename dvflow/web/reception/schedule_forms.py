"""Reading the schedule pages' forms: typed values, or a ServiceError naming the field in Vietnamese."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from ...services.reception import compliance, officials, schedule
from .fields import form_day, form_int, form_time


def rules():
    return compliance.schedule_rules(current_app.config["WORKFLOWS_DIR"])


def session_input(form) -> schedule.SessionInput:
    return schedule.SessionInput(
        unit_id=form_int(form, "unit_id", _("Đơn vị")), kind=form.get("kind", ""), mode=form.get("mode", ""),
        day=form_day(form, "day", _("Ngày tiếp")), start_time=form_time(form, "start_time", _("Giờ bắt đầu")),
        end_time=form_time(form, "end_time", _("Giờ kết thúc")), place=form.get("place", ""),
        official_id=form_int(form, "official_id", _("Người tiếp")), meeting_url=form.get("meeting_url", ""),
        booking_capacity=form_int(form, "booking_capacity", _("Số lượt đặt lịch"), 0),
        slot_minutes=form_int(form, "slot_minutes", _("Thời lượng mỗi lượt"), 20), notes=form.get("notes", ""))


def official_input(form) -> officials.OfficialInput:
    return officials.OfficialInput(
        unit_id=form_int(form, "unit_id", _("Đơn vị")), full_name=form.get("full_name", ""),
        title=form.get("title", ""), position=form.get("position", ""),
        active_from=form_day(form, "active_from", _("Giữ chức vụ từ ngày")),
        active_to=form_day(form, "active_to", _("Giữ chức vụ đến ngày")), username=form.get("username", ""))
