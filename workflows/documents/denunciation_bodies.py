"""The bodies of a denunciation's notices and conclusion (read by template_bodies.TEMPLATES). None of them prints the
denouncer's identity but through requester.name, which the application withholds (Luật Tố cáo 2018, Điều 47, 56)."""

from body_parts import KINH_GUI, RESPONDENTS

DENUNCIATION_ACCEPTANCE_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc thụ lý tố cáo",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn tố cáo của ông (bà) **{{ requester.name }}**"
        "{% if respondents %}, tố cáo " + RESPONDENTS + "{% endif %} về việc: {{ case.subject }}.",
        ("ctrl", "{%p if fields.decision_number %}"),
        ("Ngày {{ fields.decision_date }}, người giải quyết tố cáo đã ban hành Quyết định số "
        "{{ fields.decision_number }} về việc thụ lý tố cáo."),
        ("ctrl", "{%p endif %}"),
        ("Căn cứ Điều 29 của Luật Tố cáo, {{ unit.name }} thông báo việc thụ lý giải quyết tố cáo (mã số hồ sơ "
        "{{ case.tracking_code }}). Thời hạn giải quyết tố cáo thực hiện theo Điều 30 của Luật Tố cáo. Người tố "
        "cáo có các quyền và nghĩa vụ quy định tại Điều 9 của Luật Tố cáo."),
        "Vậy thông báo để ông (bà) {{ requester.name }} được biết./.",
    ],
}

# Luật Tố cáo 2018, Điều 24 khoản 1: the denouncer is told at once why the denunciation is not accepted; sent to
# the denouncer only (documents.yaml), so it names the accused as the acceptance notice does
DENUNCIATION_REFUSAL_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc không thụ lý tố cáo",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn tố cáo của ông (bà) **{{ requester.name }}**"
        "{% if respondents %}, tố cáo " + RESPONDENTS + "{% endif %} về việc: {{ case.subject }} (mã số hồ sơ "
        "{{ case.tracking_code }}).",
        ("Căn cứ Điều 24 khoản 1 và Điều 29 của Luật Tố cáo, {{ unit.name }} không thụ lý tố cáo vì: "
         "{{ fields.ground_label }}."),
        ("ctrl", "{%p if fields.reason %}"),
        "{{ fields.reason }}",
        ("ctrl", "{%p endif %}"),
        "Vậy thông báo để ông (bà) {{ requester.name }} được biết./.",
    ],
}

DENUNCIATION_CONCLUSION = {
    "title": "KẾT LUẬN",
    "excerpt": "Nội dung tố cáo",
    "body": [
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được {% if requester.name %}đơn tố cáo, người tố cáo: "
        "{{ requester.name }}, tố cáo{% else %}thông tin có nội dung tố cáo đối với{% endif %} "
        "{% if respondents %}" + RESPONDENTS + "{% else %}người bị tố cáo{% endif %} về việc: {{ case.subject }}.",
        ("Căn cứ Luật Tố cáo số 25/2018/QH14, Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ, được "
        "sửa đổi, bổ sung bởi Nghị định số 156/2026/NĐ-CP, căn cứ kết quả xác minh nội dung tố cáo và các thông "
        "tin, tài liệu, bằng chứng có liên quan, người giải quyết tố cáo kết luận như sau:"),
        ("heading", "1. Nội dung tố cáo"),
        "{{ case.content or case.subject }}",
        ("heading", "2. Kết luận về nội dung tố cáo"),
        ("{% if fields.result_label %}{{ fields.result_label }}{% elif fields.violation_found %}Có hành vi vi phạm "
        "pháp luật{% else %}Không có hành vi vi phạm pháp luật{% endif %}."),
        ("ctrl", "{%p if fields.criminal_signs %}"),
        ("heading", "3. Dấu hiệu tội phạm"),
        ("Hành vi vi phạm có dấu hiệu tội phạm; hồ sơ vụ việc được chuyển ngay cho Cơ quan điều tra hoặc Viện "
        "kiểm sát nhân dân có thẩm quyền theo khoản 2 Điều 36 của Luật Tố cáo."),
        ("ctrl", "{%p endif %}"),
        ("Kết luận này được gửi cho người bị tố cáo, cơ quan, tổ chức quản lý người bị tố cáo và thông báo cho "
        "người tố cáo theo quy định tại Điều 35 của Luật Tố cáo./."),
    ],
}
