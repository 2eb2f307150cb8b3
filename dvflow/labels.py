"""Vietnamese labels of the fixed vocabularies (English comes from the translation catalogue)."""

ROLE_LABELS = {
    "reception": "Cán bộ tiếp công dân",
    "handler": "Chuyên viên xử lý",
    "head": "Thủ trưởng đơn vị",
    "supervisor": "Giám sát",
    "admin": "Quản trị hệ thống",
}

LEVEL_LABELS = {"province": "Cấp tỉnh", "department": "Sở, ngành", "commune": "Cấp xã"}

CHANNEL_LABELS = {
    "walk_in": "Trực tiếp",
    "letter": "Qua bưu chính / thư",
    "online": "Trực tuyến",
    "forwarded": "Cơ quan khác chuyển đến",
    "phone": "Điện thoại",
}

STATUS_LABELS = {"open": "Đang giải quyết", "suspended": "Tạm đình chỉ", "closed": "Đã kết thúc"}

PARTY_ROLE_LABELS = {
    "complainant": "Người khiếu nại",
    "denouncer": "Người tố cáo",
    "petitioner": "Người kiến nghị, phản ánh",
    "respondent": "Người bị khiếu nại",
    "accused": "Người bị tố cáo",
    "representative": "Người đại diện",
}
