"""Vietnamese notification templates: key -> (subject, body), formatted with str.format(**params)."""
from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "case_registered": ("Hồ sơ mới {code}: {subject}",
                        "Hồ sơ {code} ({kind}) đã được tiếp nhận ngày {received}. Nội dung: {subject}."),
    "mass_case_registered": ("Vụ việc đông người {code}: {subject}",
                             "Hồ sơ {code} ({kind}) của {people} người cùng nội dung đã được tiếp nhận ngày "
                             "{received}. Thủ trưởng trực tiếp hoặc phân công người tiếp đại diện của những người này "
                             "(Luật Tiếp công dân 2013, Điều 30). Nội dung: {subject}."),
    "case_transition": ("Hồ sơ {code}: {action}",
                        "Hồ sơ {code} đã chuyển sang bước \"{state}\" sau thao tác \"{action}\" của {actor}."),
    "case_assigned": ("Bạn được giao hồ sơ {code}", "Bạn được giao xử lý hồ sơ {code}: {subject}."),
    "case_unit_merged": ("Hồ sơ {code} chuyển sang {to_unit}",
                         "{from_unit} giải thể, sáp nhập vào {to_unit} từ ngày {day}: hồ sơ {code} ({subject}) "
                         "chuyển sang {to_unit}, thời hạn giải quyết giữ nguyên. Người xử lý không có vai trò ở "
                         "đơn vị mới thì thủ trưởng đơn vị giao lại."),
    "case_voided": ("Hồ sơ {code} đã bị hủy", "Hồ sơ {code} ({subject}) đã bị hủy: {reason}. Hồ sơ không còn trong "
                    "danh sách việc cần xử lý."),
    # {you}: "ông/bà" to a person, "Quý cơ quan, tổ chức" to an organisation that sent the letter (outbox.address)
    "sender_notice": ("Thông báo về đơn {code} của {you}",
                      "{notice}\n\nMã hồ sơ: {code}. {You} tra cứu tình trạng đơn bằng mã hồ sơ và mã bí mật in trên "
                      "phiếu hẹn hoặc giấy biên nhận. Thư này được gửi tự động, xin không trả lời."),
    "clock_due_soon": ("Sắp đến hạn: {code} - {clock}",
                       "{clock} của hồ sơ {code} sẽ hết ngày {due} ({step}). Nội dung: {subject}."),
    "clock_overdue": ("Quá hạn: {code} - {clock}",
                      "{clock} của hồ sơ {code} đã hết ngày {due} mà chưa hoàn thành ({step}). Nội dung: {subject}."),
    "clock_escalated": ("Chuyển cấp trên: {code} - {clock}",
                        "{clock} của hồ sơ {code} quá hạn từ ngày {due}; hồ sơ được báo cáo lên cấp trên ({step})."),
    # a citizen's booking of a reception slot (public schedule); the address is the booking's
    "booking_confirmed": ("Xác nhận đặt lịch tiếp công dân {code}",
                          "Ông/bà đã đặt lịch tiếp công dân: mã đặt lịch {code}, {when} tại {place} ({unit}). "
                          "Người tiếp: {who}. Khi đến, xin mang theo giấy tờ tùy thân và mã đặt lịch. Thư này được "
                          "gửi tự động, xin không trả lời."),
    "booking_reminder": ("Nhắc lịch tiếp công dân ngày mai ({code})",
                         "Ông/bà có lịch tiếp công dân {when} tại {place} ({unit}), mã đặt lịch {code}. Xin đến "
                         "đúng giờ và mang theo giấy tờ tùy thân. Thư này được gửi tự động, xin không trả lời."),
    "booking_cancelled": ("Lịch tiếp công dân {code} bị hủy",
                          "Phiên tiếp công dân {when} tại {place} ({unit}) đã bị hủy: {reason}. Xin ông/bà xem lịch "
                          "tiếp công dân mới trên trang Lịch tiếp công dân. Thư này được gửi tự động."),
    # one booking cancelled by the unit (services.reception.booking_staff): to the citizen, and its record to the
    # unit's heads and the officer who did it
    "booking_cancelled_by_unit": ("Lượt đặt lịch tiếp công dân {code} bị hủy",
                                  "Lượt đặt lịch tiếp công dân {code} của ông/bà ({when} tại {place}, {unit}) đã bị "
                                  "cơ quan hủy: {reason}. Nếu vẫn cần được tiếp, xin đặt lịch lại trên trang Lịch tiếp "
                                  "công dân hoặc đến nơi tiếp công dân. Thư này được gửi tự động, xin không trả lời."),
    "booking_cancelled_by_staff": ("Đã hủy lượt đặt lịch {code}",
                                   "{actor} đã hủy lượt đặt lịch {code} ({when}, {place}, {unit}). Lý do: {reason}."),
}

# templates named by the workflows' transitions (notify: [{to: [...], template: ...}])
_STEP = "Hồ sơ {code} ({subject}): {what}. Thao tác của {actor}; bước hiện tại: \"{state}\"."
for _key, _what in {
    "case_accepted": "đã thụ lý",
    "case_refused": "không thụ lý",
    "case_forwarded": "đã chuyển đơn đến cơ quan có thẩm quyền",
    "case_marked_complex": "được xác định là vụ việc phức tạp",
    "case_partly_withdrawn": "người gửi đơn rút một phần nội dung",
    "case_withdrawn": "người gửi đơn rút toàn bộ nội dung",
    "case_suspended": "tạm đình chỉ giải quyết",
    "case_resumed": "tiếp tục giải quyết",
    "case_terminated": "đình chỉ giải quyết",
    "verification_assigned": "giao xác minh",
    "verification_reported": "đã có báo cáo kết quả xác minh",
    "dialogue_scheduled": "đã lên lịch đối thoại",
    "dialogue_held": "đã tổ chức đối thoại",
    "follow_up_reported": "đơn vị được giao đã báo cáo kết quả thực hiện, chờ xác nhận",
    "follow_up_confirmed": "đã được xác nhận hoàn thành",
    "follow_up_sent_back": "kết quả chưa đạt, yêu cầu thực hiện lại",
    "decision_submitted": "dự thảo đã trình ký, chờ phê duyệt",
    "decision_approved": "dự thảo đã được phê duyệt",
    "decision_returned": "dự thảo bị trả lại để chỉnh sửa",
    "decision_issued": "đã ban hành quyết định giải quyết",
    "decision_sent": "đã gửi quyết định giải quyết",
    "decision_published": "đã công khai quyết định / kết luận",
    "conclusion_issued": "đã ban hành kết luận nội dung tố cáo",
    "conclusion_acted": "đã xử lý kết luận nội dung tố cáo",
    "extension_granted": "đã gia hạn thời hạn giải quyết",
    "inspection_started": "bắt đầu thanh tra, kiểm tra theo thông tin phản ánh",
    "letter_accepted": "đơn đã được tiếp nhận xử lý",
    "protection_requested": "người tố cáo đề nghị áp dụng biện pháp bảo vệ",
    "case_taken_over": "cấp trên trực tiếp lấy vụ việc để giải quyết, hồ sơ đã chuyển",
}.items():
    TEMPLATES.setdefault(_key, ("Hồ sơ {code}: " + _what, _STEP.replace("{what}", _what)))


def render(template: str, params: dict) -> tuple[str, str]:
    subject, body = TEMPLATES[template]
    values = _Defaults({"template": template, **params})
    return subject.format_map(values), body.format_map(values)


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return ""
