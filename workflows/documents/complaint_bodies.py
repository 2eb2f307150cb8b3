"""The bodies of a complaint's decisions and dialogue minutes (read by template_bodies.TEMPLATES)."""

from body_parts import AUTHORITY, BASIS_COMPLAINT, DECIDES, REQUESTER_FULL, RESPONDENTS


def _complaint_decision(instance, rights):
    return {
        "title": "QUYẾT ĐỊNH",
        "excerpt": "Về việc giải quyết khiếu nại của ông (bà) {{ requester.name }} (" + instance + ")",
        "body": [AUTHORITY] + BASIS_COMPLAINT + [
            ("italic", ("Xét đơn khiếu nại ngày {{ case.received_on }} của ông (bà) {{ requester.name }}"
                       "{% if requester.address %}, địa chỉ: {{ requester.address }}{% endif %};")),
            ("italic", "Căn cứ kết quả xác minh nội dung khiếu nại và kết quả đối thoại (nếu có),"),
            ("heading", "I. NỘI DUNG KHIẾU NẠI"),
            "Ông (bà) {{ requester.name }} khiếu nại về việc: {{ case.subject }}.",
            ("ctrl", "{%p if case.content %}"),
            "{{ case.content }}",
            ("ctrl", "{%p endif %}"),
            ("ctrl", "{%p if respondents %}"),
            "Người bị khiếu nại: " + RESPONDENTS + ".",
            ("ctrl", "{%p endif %}"),
            ("heading", "II. KẾT LUẬN"),
            ("Căn cứ kết quả xác minh, kết quả đối thoại và quy định của pháp luật, kết luận: "
            "{{ fields.result_label }}."),
            DECIDES,
            ("**Điều 1.** Kết luận nội dung khiếu nại của ông (bà) {{ requester.name }} về việc {{ case.subject }}: "
            "{{ fields.result_label }}."),
            "**Điều 2.** " + rights,
            ("**Điều 3.** Ông (bà) {{ requester.name }}{% for r in respondents %}, {{ r.name }}{% endfor %} và các cơ "
            "quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./."),
        ],
    }


COMPLAINT_DECISION_FIRST = _complaint_decision(
    "lần đầu",
    "Trong thời hạn 30 ngày kể từ ngày nhận được Quyết định này (đối với vùng sâu, vùng xa đi lại khó khăn thì "
    "không quá 45 ngày), nếu không đồng ý với Quyết định này, ông (bà) {{ requester.name }} có quyền khiếu nại đến "
    "người có thẩm quyền giải quyết khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định "
    "của Luật Tố tụng hành chính.")
COMPLAINT_DECISION_SECOND = _complaint_decision(
    "lần hai",
    "Nếu không đồng ý với Quyết định này, ông (bà) {{ requester.name }} có quyền khởi kiện vụ án hành chính tại "
    "Tòa án theo quy định của Luật Tố tụng hành chính.")


WHO = "{% if is_complaint %}người khiếu nại{% else %}người kiến nghị, phản ánh{% endif %}"
DIALOGUE_MINUTES = {
    "prelude": ["{%p set is_complaint = case.kind.startswith('complaint') %}"],
    "title": "BIÊN BẢN ĐỐI THOẠI{% if is_complaint %} VỚI NGƯỜI KHIẾU NẠI{% endif %}",
    "body": [
        ("Vào ngày {{ fields.held_on or doc.date }}, {% if fields.place %}tại {{ fields.place }}, {% endif %}"
        "{{ unit.name }} tổ chức đối thoại về vụ việc: {{ case.subject }} (mã số hồ sơ {{ case.tracking_code }})."),
        ("heading", "I. THÀNH PHẦN THAM GIA ĐỐI THOẠI"),
        ("1. {% if is_complaint %}Người giải quyết khiếu nại, người được phân công chủ trì đối thoại"
        "{% else %}Người chủ trì đối thoại{% endif %}: ông (bà) "
        "{{ fields.chair or signer.name }}, {{ unit.name }}."),
        "2. {% if is_complaint %}Người khiếu nại{% else %}Người kiến nghị, phản ánh{% endif %} "
        "(hoặc người đại diện, người được ủy quyền): " + REQUESTER_FULL + ".",
        ("ctrl", "{%p if fields.attendance_label %}"),
        "Việc tham gia đối thoại của " + WHO + ": {{ fields.attendance_label }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.absence_reason %}"),
        "Lý do vắng mặt và tài liệu chứng minh: {{ fields.absence_reason }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if respondents %}"),
        "3. Người bị khiếu nại: " + RESPONDENTS + ".",
        ("ctrl", "{%p endif %}"),
        ("ctrl", ("{%p set others = parties|rejectattr('name', 'equalto', requester.name)"
                 "|rejectattr('role', 'in', ['complainant', 'petitioner', 'respondent'])|list %}")),
        ("ctrl", "{%p if others %}"),
        "4. Người có quyền, nghĩa vụ liên quan, đại diện cơ quan, tổ chức, cá nhân có liên quan:",
        ("ctrl", "{%p for p in others %}"),
        "- {{ p.role_label }}: ông (bà) {{ p.name }}{% if p.address %}, địa chỉ: {{ p.address }}{% endif %};",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.attendees %}"),
        "Những người có mặt:",
        ("ctrl", "{%p for line in fields.attendees.splitlines() if line.strip() %}"),
        "- {{ line.strip() }};",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.absentees %}"),
        "Những người vắng mặt:",
        ("ctrl", "{%p for line in fields.absentees.splitlines() if line.strip() %}"),
        "- {{ line.strip() }};",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("heading", "II. NỘI DUNG ĐỐI THOẠI"),
        ("Người chủ trì đối thoại nêu mục đích, yêu cầu của việc đối thoại, tóm tắt kết quả xác minh và những nội "
        "dung đối thoại: {{ case.subject }}{% if fields.content %}; {{ fields.content }}{% endif %}. Những người "
        "tham gia đối thoại trình bày ý kiến về từng nội dung đối thoại."),
        ("heading", "III. KẾT QUẢ ĐỐI THOẠI"),
        "1. Những nội dung đã thống nhất: {% if fields.agreed %}{{ fields.agreed }}{% else %}không có{% endif %}.",
        ("2. Những vấn đề còn ý kiến khác nhau: {% if fields.open_points %}{{ fields.open_points }}"
        "{% else %}không có{% endif %}."),
        ("ctrl", "{%p if fields.commitments %}"),
        "3. Số nội dung cam kết cần theo dõi thực hiện: {{ fields.commitments }}.",
        ("ctrl", "{%p endif %}"),
        ("Biên bản đối thoại đã được đọc lại cho những người tham gia đối thoại nghe và ký xác nhận (trường hợp người "
        "tham gia đối thoại không ký xác nhận thì ghi rõ lý do)."),
        ("ctrl", "{%p if fields.refused_to_sign %}"),
        "Người không ký biên bản và lý do: {{ fields.refused_to_sign }}.",
        ("ctrl", "{%p endif %}"),
        "Biên bản được lập thành {{ fields.copies or '03' }} bản; mỗi bên giữ 01 bản./.",
    ],
    "signatures": [
        (("NGƯỜI BỊ KHIẾU NẠI", "(Ký, ghi rõ họ tên)",
          "{% for r in respondents %}{{ r.name }}{% if not loop.last %}, {% endif %}{% endfor %}"),
         ("NGƯỜI CHỦ TRÌ ĐỐI THOẠI", "(Ký, ghi rõ họ tên, đóng dấu (nếu có))", "{{ fields.chair or signer.name }}")),
        (("{% if is_complaint %}NGƯỜI KHIẾU NẠI{% else %}NGƯỜI KIẾN NGHỊ, PHẢN ÁNH{% endif %}",
          "(Ký, ghi rõ họ tên hoặc điểm chỉ)", "{{ requester.name }}"),
         ("NGƯỜI GHI BIÊN BẢN", "(Ký, ghi rõ họ tên)", "")),
    ],
}

# NĐ 155/2026 Art 28(1): written notice of the time, place and content, to every party, at least 5 days before
