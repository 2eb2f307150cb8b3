"""Vietnamese labels of the fixed vocabularies (English comes from the translation catalogue)."""

N_ = lambda s: s  # noqa: E731 - marks a label for extraction; pages call gettext() on it when rendering

ROLE_LABELS = {
    "reception": N_("Cán bộ tiếp công dân"),
    "handler": N_("Chuyên viên xử lý"),
    "head": N_("Thủ trưởng đơn vị"),
    "supervisor": N_("Giám sát"),
    "admin": N_("Quản trị hệ thống"),
}

#: an administrator's acts on accounts and units (models.admin_event.ADMIN_ACTIONS)
ADMIN_ACTION_LABELS = {
    "unit_created": N_("Tạo đơn vị"),
    "unit_contact_changed": N_("Sửa địa chỉ, điện thoại đơn vị"),
    "user_created": N_("Tạo người dùng"),
    "user_updated": N_("Sửa thông tin người dùng"),
    "role_granted": N_("Thêm vai trò"),
    "role_revoked": N_("Bỏ vai trò"),
    "deactivated": N_("Khóa tài khoản"),
    "reactivated": N_("Mở lại tài khoản"),
    "password_reset": N_("Đặt lại mật khẩu"),
    "second_factor_reset": N_("Đặt lại xác thực hai bước"),
    "unit_dissolved": N_("Giải thể, sáp nhập đơn vị"),
    "unit_parent_changed": N_("Đổi đơn vị cấp trên"),
    "unit_head_title_changed": N_("Sửa chức danh thủ trưởng đơn vị"),
}

LEVEL_LABELS = {"province": N_("Cấp tỉnh"), "department": N_("Sở, ngành"), "commune": N_("Cấp xã")}

CHANNEL_LABELS = {
    "walk_in": N_("Trực tiếp"),
    "letter": N_("Qua bưu chính / thư"),
    "online": N_("Trực tuyến"),
    "forwarded": N_("Cơ quan khác chuyển đến"),
    "phone": N_("Điện thoại"),
    "assigned": N_("Giao theo kết luận, cam kết"),
}

#: where a follow-up task (a commitment) comes from (models.reception.COMMITMENT_SOURCES)
COMMITMENT_SOURCE_LABELS = {
    "reception_conclusion": N_("Thông báo kết luận tiếp công dân"),
    "dialogue": N_("Đối thoại trong giải quyết khiếu nại"),
    "conference": N_("Hội nghị đối thoại ở cơ sở"),
}

STATUS_LABELS = {"open": N_("Đang giải quyết"), "suspended": N_("Tạm đình chỉ"), "closed": N_("Đã kết thúc")}

PARTY_ROLE_LABELS = {
    "complainant": N_("Người khiếu nại"),
    "denouncer": N_("Người tố cáo"),
    "petitioner": N_("Người kiến nghị, phản ánh"),
    "respondent": N_("Người bị khiếu nại"),
    "accused": N_("Người bị tố cáo"),
    "representative": N_("Người đại diện"),
}

IDENTITY_TYPE_LABELS = {
    "cccd": N_("Căn cước công dân (CCCD)"),
    "passport": N_("Hộ chiếu"),
    "tax_code": N_("Mã số thuế"),
    "business_registration": N_("Số đăng ký kinh doanh"),
    "other": N_("Giấy tờ khác"),
}

CLOCK_STATE_LABELS = {
    "running": N_("đang chạy"),
    "paused": N_("tạm dừng"),
    "met": N_("hoàn thành đúng hạn"),
    "missed": N_("quá hạn"),
    "cancelled": N_("đã hủy"),
}

#: what became of a citizen received at the desk (models.reception.VISIT_OUTCOMES): the desk, the reception book's
#: page and its XLSX (column 12) print the same words
VISIT_OUTCOME_LABELS = {
    "answered": N_("Trả lời trực tiếp"),
    "guided": N_("Hướng dẫn"),
    "case_opened": N_("Nhận đơn, chuyển xử lý"),
    "refused": N_("Từ chối tiếp"),
}
