"""Vietnamese notification templates: key -> (subject, body), formatted with str.format(**params)."""
from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "case_registered": ("Hồ sơ mới {code}: {subject}",
                        "Hồ sơ {code} ({kind}) đã được tiếp nhận ngày {received}. Nội dung: {subject}."),
    "case_transition": ("Hồ sơ {code}: {action}",
                        "Hồ sơ {code} đã chuyển sang bước \"{state}\" sau thao tác \"{action}\" của {actor}."),
    "case_assigned": ("Bạn được giao hồ sơ {code}", "Bạn được giao xử lý hồ sơ {code}: {subject}."),
    "clock_due_soon": ("Sắp đến hạn: {code} - {clock}",
                       "{clock} của hồ sơ {code} sẽ hết ngày {due} ({step}). Nội dung: {subject}."),
    "clock_overdue": ("Quá hạn: {code} - {clock}",
                      "{clock} của hồ sơ {code} đã hết ngày {due} mà chưa hoàn thành ({step}). Nội dung: {subject}."),
    "clock_escalated": ("Chuyển cấp trên: {code} - {clock}",
                        "{clock} của hồ sơ {code} quá hạn từ ngày {due}; hồ sơ được báo cáo lên cấp trên ({step})."),
}


def render(template: str, params: dict) -> tuple[str, str]:
    subject, body = TEMPLATES.get(template, ("{code}: {template}", "{code}: {template}"))
    values = _Defaults({"template": template, **params})
    return subject.format_map(values), body.format_map(values)


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return ""
