"""The texts of the official documents, one entry per document type of documents.yaml.

Read by build_templates.py. Each body follows the form the sources give (NĐ 155/2026 Mẫu 03, 04, 14, 14a, 14b;
NĐ 154/2026 Mẫu 02/TCD; NĐ 31/2019 Mẫu 01, 05, 12; TT 05/2021 Mẫu 03) and uses only the contract's context names.
Documents that may reach the accused never print the denouncer's identity (Luật Tố cáo 2018, Điều 47, 56):
the denunciation branches name no denouncer, except through requester.name where the manifest says who receives
the document (doc_core prints "(được giữ bí mật)" there for documents sent out).
"""

# the kinds (workflow ids) resolved under the Luật Tố cáo; every other kind reads as a complaint
DENUNCIATION = "{%p set is_den = case.kind in ['denunciation', 'anonymous_tip'] %}"
WHAT = "{% if is_den %}tố cáo{% else %}khiếu nại{% endif %}"

# the requester with address and identity, for documents addressed to him or her
REQUESTER_FULL = (
    "ông (bà) **{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}{% endif %}"
    "{% if requester.identity_number %}, {{ (requester.identity_label or 'số định danh cá nhân')|lower }}: "
    "{{ requester.identity_number }}{% endif %}"
)
# name and address only, for letters that need no identity document number
REQUESTER_SHORT = ("ông (bà) **{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}"
                   "{% endif %}")
RESPONDENTS = ("{% for r in respondents %}ông (bà) **{{ r.name }}**{% if r.address %} ({{ r.address }}){% endif %}"
               "{% if not loop.last %}; {% endif %}{% endfor %}")
KINH_GUI = ("plain", "Kính gửi: ông (bà) {{ requester.name }}.")

BASIS_COMPLAINT = [
    ("italic", "Căn cứ Luật Khiếu nại số 02/2011/QH13, được sửa đổi, bổ sung bởi Luật số 136/2025/QH15;"),
    ("italic", ("Căn cứ Nghị định số 124/2020/NĐ-CP của Chính phủ quy định chi tiết một số điều và biện pháp thi "
               "hành Luật Khiếu nại, được sửa đổi, bổ sung bởi Nghị định số 155/2026/NĐ-CP;")),
]
BASIS_DENUNCIATION = [
    ("italic", "Căn cứ Luật Tố cáo số 25/2018/QH14;"),
    ("italic", ("Căn cứ Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ quy định chi tiết một số "
               "điều và biện pháp tổ chức thi hành Luật Tố cáo, được sửa đổi, bổ sung bởi Nghị định số "
               "156/2026/NĐ-CP;")),
]
BASIS_BY_KIND = ([("ctrl", "{%p if is_den %}")] + BASIS_DENUNCIATION + [("ctrl", "{%p else %}")]
                 + BASIS_COMPLAINT + [("ctrl", "{%p endif %}")])
AUTHORITY = ("centre", "{{ signer.title|upper }} {{ unit.name|upper }}")
DECIDES = ("centre", "QUYẾT ĐỊNH:")
# the case a decision is about: a complaint names the complainant; a denunciation names only the accused
CASE_REF = ("Xét {% if is_den %}vụ việc tố cáo đối với {% if respondents %}" + RESPONDENTS + "{% else %}người bị tố "
            "cáo{% endif %} về việc: {{ case.subject }}{% else %}đơn khiếu nại ngày {{ case.received_on }} của ông (bà) "
            "**{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}{% endif %}, "
            "khiếu nại về việc: {{ case.subject }}{% endif %} (mã số hồ sơ {{ case.tracking_code }});")
EXECUTORS = ("**Điều 3.** {% if is_den %}Người tố cáo, người bị tố cáo{% else %}Ông (bà) {{ requester.name }}"
             "{% for r in respondents %}, {{ r.name }}{% endfor %}{% endif %} và các cơ quan, tổ chức, cá nhân có "
             "liên quan chịu trách nhiệm thi hành Quyết định này./.")

RECEIPT = {
    "title": "GIẤY BIÊN NHẬN",
    "excerpt": "Đơn và thông tin, tài liệu",
    "body": [
        "Ngày {{ case.received_on }}, tại {{ unit.name }}{% if unit.address %}, địa chỉ: {{ unit.address }}"
        "{% endif %}, tôi là {{ signer.name }}, {{ signer.title|lower }}, đã nhận của " + REQUESTER_FULL + ":",
        "- Đơn {{ case.kind_label|lower }} về việc: {{ case.subject }};",
        "- Hình thức tiếp nhận: {{ case.channel_label }};",
        ("ctrl", "{%p if case.people_count and case.people_count > 1 %}"),
        "- Số người cùng đứng đơn: {{ case.people_count }};",
        ("ctrl", "{%p endif %}"),
        "- Các thông tin, tài liệu, bằng chứng kèm theo đơn (nếu có).",
        ("Mã số hồ sơ để tra cứu tình trạng xử lý đơn: **{{ case.tracking_code }}**"
        "{% if unit.phone %}; số điện thoại liên hệ: {{ unit.phone }}{% endif %}."),
        "Giấy biên nhận được lập thành 02 bản, giao cho người gửi đơn 01 bản, lưu hồ sơ 01 bản./.",
    ],
    "signatures": [(("NGƯỜI GỬI ĐƠN", "(Ký, ghi rõ họ tên hoặc điểm chỉ)", "{{ requester.name }}"),
                    ("NGƯỜI NHẬN", "(Ký, ghi rõ họ tên)", "{{ signer.name }}"))],
}

NOTICE_OF_ACCEPTANCE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc thụ lý giải quyết khiếu nại",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} đã nhận được đơn khiếu nại của " + REQUESTER_FULL + ".",
        "Khiếu nại về việc: {{ case.subject }}.",
        ("ctrl", "{%p if fields.forwarded_by_body_label %}"),
        "Đơn khiếu nại do {{ fields.forwarded_by_body_label }} chuyển đến.",
        ("ctrl", "{%p endif %}"),
        ("Sau khi xem xét nội dung đơn khiếu nại, căn cứ quy định của pháp luật về khiếu nại, {{ unit.name }} nhận "
        "thấy đơn khiếu nại đủ điều kiện thụ lý. Đơn khiếu nại được thụ lý giải quyết"
        "{% if case.kind == 'complaint_second' %} lần hai{% elif case.kind == 'complaint_first' %} lần đầu{% endif %}"
        " kể từ ngày {{ fields.decision_date or doc.date }}, mã số hồ sơ {{ case.tracking_code }}."),
        "Vậy thông báo để ông (bà) {{ requester.name }} được biết./.",
    ],
}

NOTICE_OF_REFUSAL = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc không thụ lý giải quyết khiếu nại",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} đã nhận được đơn khiếu nại của " + REQUESTER_SHORT
        + ", khiếu nại về việc: {{ case.subject }}.",
        ("Sau khi xem xét nội dung đơn khiếu nại, căn cứ Điều 11 của Luật Khiếu nại, {{ unit.name }} nhận thấy đơn "
        "khiếu nại của ông (bà) {{ requester.name }} không đủ điều kiện để thụ lý giải quyết vì: "
        "{{ fields.ground_label }}."),
        ("ctrl", "{%p if fields.reason %}"),
        "{{ fields.reason }}",
        ("ctrl", "{%p endif %}"),
        "Vậy thông báo để ông (bà) {{ requester.name }} được biết./.",
    ],
}


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

EXTENSION_DECISION = {
    "title": "QUYẾT ĐỊNH",
    "excerpt": "Về việc gia hạn giải quyết tố cáo",
    "body": [AUTHORITY] + BASIS_DENUNCIATION + [
        ("italic", "Xét vụ việc tố cáo tiếp nhận ngày {{ case.received_on }} đối với {% if respondents %}"
                   + RESPONDENTS + "{% else %}người bị tố cáo{% endif %} về việc: {{ case.subject }} (mã số hồ sơ "
                   "{{ case.tracking_code }});"),
        ("italic", "Xét tính chất phức tạp của vụ việc{% if fields.reason %}: {{ fields.reason }}{% endif %},"),
        DECIDES,
        ("**Điều 1.** Gia hạn giải quyết tố cáo đối với vụ việc nêu trên. Thời gian gia hạn là {{ fields.days }} "
        "ngày, kể từ ngày hết thời hạn giải quyết tố cáo."),
        "**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký.",
        ("**Điều 3.** Người tố cáo, người bị tố cáo và các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm "
        "thi hành Quyết định này./."),
    ],
}


def _suspension_like(excerpt, article1, reason):
    return {
        "prelude": [DENUNCIATION],
        "title": "QUYẾT ĐỊNH",
        "excerpt": excerpt,
        "body": [AUTHORITY] + BASIS_BY_KIND + [
            ("italic", CASE_REF),
            ("italic", reason),
            DECIDES,
            "**Điều 1.** " + article1,
            "**Điều 2.** Quyết định này có hiệu lực thi hành kể từ ngày ký.",
            EXECUTORS,
        ],
    }


SUSPENSION_DECISION = _suspension_like(
    "Về việc tạm đình chỉ giải quyết " + WHAT,
    "Tạm đình chỉ việc giải quyết " + WHAT + " đối với vụ việc nêu trên kể từ ngày "
    "{{ fields.decision_date or doc.date }}. Lý do: {{ fields.ground_label }}. Việc giải quyết được tiếp tục "
    "khi lý do tạm đình chỉ không còn.",
    "Xét thấy: {{ fields.ground_label }},")
CONTINUATION_DECISION = _suspension_like(
    "Về việc tiếp tục giải quyết " + WHAT,
    "Tiếp tục giải quyết " + WHAT + " đối với vụ việc nêu trên kể từ ngày {{ fields.decision_date or doc.date }}.",
    "Xét thấy: {% if fields.reason %}{{ fields.reason }}{% else %}căn cứ tạm đình chỉ việc giải quyết " + WHAT
    + " không còn{% endif %},")
TERMINATION_DECISION = _suspension_like(
    "Về việc đình chỉ giải quyết " + WHAT,
    "Đình chỉ việc giải quyết " + WHAT + " đối với vụ việc nêu trên. Lý do: {{ fields.ground_label }}.",
    "Xét thấy: {{ fields.ground_label }},")

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
DIALOGUE_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc đối thoại",
    "body": [
        ("plain", ("Kính gửi: {% for p in parties %}ông (bà) {{ p.name }} ({{ p.role_label|lower }})"
                   "{% if not loop.last %}; {% endif %}{% endfor %}.")),
        ("Trong quá trình giải quyết khiếu nại{% if case.kind == 'complaint_second' %} lần hai{% else %} lần đầu"
        "{% endif %} đơn ngày {{ case.received_on }} của " + REQUESTER_SHORT + " về việc: {{ case.subject }} (mã số hồ sơ "
        "{{ case.tracking_code }}), "
        "căn cứ Điều 30{% if case.kind == 'complaint_second' %}, Điều 39{% endif %} của Luật Khiếu nại và Điều 28 "
        "của Nghị định số 124/2020/NĐ-CP (được sửa đổi, bổ sung bởi Nghị định số 155/2026/NĐ-CP), {{ unit.name }} "
        "tổ chức đối thoại như sau:"),
        "1. Thời gian: ngày {{ fields.scheduled_on }}.",
        "2. Địa điểm: {{ fields.place }}.",
        "3. Nội dung đối thoại: {{ fields.content }}.",
        ("ctrl", "{%p if fields.chair %}"),
        "4. Người chủ trì đối thoại: ông (bà) {{ fields.chair }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.invitees %}"),
        "Cơ quan, tổ chức, cá nhân khác được mời tham gia:",
        ("ctrl", "{%p for line in fields.invitees.splitlines() if line.strip() %}"),
        "- {{ line.strip() }};",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("Đề nghị các bên có mặt đúng thời gian, địa điểm nêu trên; mang theo giấy tờ tùy thân và tài liệu liên quan "
        "(nếu có). Trường hợp vắng mặt vì lý do chính đáng, đề nghị báo trước và gửi kèm tài liệu chứng minh; vắng "
        "mặt không có lý do chính đáng thì việc giải quyết khiếu nại vẫn được tiếp tục."),
        "Thông báo này được gửi ngày {{ fields.notice_sent_on }}./.",
    ],
}

# LDCCS 2022 Art 32 gives no minutes form (UNCONFIRMED); the opinions, answers and what was agreed follow Art 27(3)
CONFERENCE_MINUTES = {
    "title": "BIÊN BẢN",
    "excerpt": "Hội nghị đối thoại giữa Ủy ban nhân dân xã với Nhân dân năm {{ doc.year }}",
    "body": [
        ("Hôm nay, ngày {{ fields.held_on or doc.date }}{% if fields.place %}, tại {{ fields.place }}{% endif %}, "
        "{{ unit.name }} phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã tổ chức hội nghị đối thoại với Nhân "
        "dân theo Điều 32 Luật Thực hiện dân chủ ở cơ sở (mã số {{ case.tracking_code }})."),
        ("heading", "I. THÀNH PHẦN"),
        "1. Chủ trì hội nghị: ông (bà) {{ fields.chair or signer.name }}.",
        ("2. Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã: {% if fields.front_representative %}ông (bà) "
        "{{ fields.front_representative }}, {% endif %}{% if fields.front_present %}có mặt{% else %}vắng mặt"
        "{% endif %}."),
        "3. Số người dân tham dự: {{ fields.attendance_count }}.",
        ("heading", "II. NỘI DUNG ĐỐI THOẠI"),
        "{{ case.subject }}:",
        ("ctrl", "{%p for line in case.content.splitlines() if line.strip() %}"),
        "- {{ line.strip() }};",
        ("ctrl", "{%p endfor %}"),
        ("heading", "III. Ý KIẾN CỦA NHÂN DÂN VÀ GIẢI TRÌNH CỦA ỦY BAN NHÂN DÂN XÃ"),
        "1. Ý kiến, kiến nghị của người dân:",
        ("ctrl", "{%p for line in (fields.opinions or '').splitlines() if line.strip() %}"),
        "- {{ line.strip() }};",
        ("ctrl", "{%p endfor %}"),
        "2. Giải trình, trả lời của {{ unit.name }}: {{ fields.answers }}.",
        ("heading", "IV. KẾT QUẢ"),
        "1. Những nội dung đã thống nhất: {% if fields.agreed %}{{ fields.agreed }}{% else %}không có{% endif %}.",
        ("2. Những nội dung chưa thống nhất, tiếp tục giải quyết: {% if fields.open_points %}{{ fields.open_points }}"
        "{% else %}không có{% endif %}."),
        ("Các nội dung Ủy ban nhân dân xã cam kết thực hiện được theo dõi đến khi hoàn thành. Biên bản được thông qua "
        "tại hội nghị./."),
    ],
    "signatures": [
        (("ĐẠI DIỆN ỦY BAN MẶT TRẬN TỔ QUỐC", "(Ký, ghi rõ họ tên)", "{{ fields.front_representative or '' }}"),
         ("CHỦ TRÌ HỘI NGHỊ", "(Ký, ghi rõ họ tên, đóng dấu)", "{{ fields.chair or signer.name }}")),
        (("", "", ""), ("NGƯỜI GHI BIÊN BẢN", "(Ký, ghi rõ họ tên)", "")),
    ],
}

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

FORWARDING_SLIP = {
    "title": "PHIẾU CHUYỂN ĐƠN",
    "body": [
        ("plain", "Kính gửi: {{ fields.to_body }}."),
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn của " + REQUESTER_SHORT
        + ", nội dung: {{ case.subject }}.",
        ("Sau khi xem xét, nội dung đơn không thuộc thẩm quyền giải quyết của {{ unit.name }}. Căn cứ quy định của "
        "pháp luật, {{ unit.name }} chuyển đơn và các thông tin, tài liệu kèm theo (nếu có) đến {{ fields.to_body }} "
        "để xem xét, giải quyết theo thẩm quyền{% if fields.forwarded_on %} (ngày chuyển: {{ fields.forwarded_on }})"
        "{% endif %}."),
        ("ctrl", "{%p if fields.slip %}"),
        "{{ fields.slip }}",
        ("ctrl", "{%p endif %}"),
        "Việc chuyển đơn chỉ thực hiện một lần đối với đơn có cùng nội dung./.",
    ],
}

GUIDANCE_LETTER = {
    "excerpt_left": "V/v hướng dẫn gửi đơn",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn của " + REQUESTER_SHORT
        + ", nội dung: {{ case.subject }}.",
        ("Sau khi xem xét, nội dung đơn không thuộc thẩm quyền giải quyết của {{ unit.name }}. Căn cứ quy định của "
        "pháp luật, {{ unit.name }} hướng dẫn ông (bà) {{ requester.name }} như sau:"),
        "{{ fields.guidance }}",
        "{{ unit.name }} thông báo để ông (bà) {{ requester.name }} biết và thực hiện./.",
    ],
}

PETITION_REPLY = {
    "excerpt_left": "V/v trả lời kiến nghị, phản ánh",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn kiến nghị, phản ánh của " + REQUESTER_SHORT
        + " về việc: {{ case.subject }}.",
        "Sau khi xem xét, {{ unit.name }} trả lời như sau:",
        "{{ fields.summary }}",
        "{{ unit.name }} trả lời để ông (bà) {{ requester.name }} được biết./.",
    ],
}

# NĐ 154/2026, Mẫu số 01/TCD: the refusal notice of a citizen refused at a reception session (no case; the visitor
# is the requester, case.received_on is the session's day, the session's facts are fields: content_type_label, summary, ground_label,
# ground_basis)
RECEPTION_REFUSAL_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc từ chối tiếp công dân",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, " + REQUESTER_FULL + " đến {{ unit.name }} để {{ fields.content_type_label }}"
        " về việc: {{ fields.summary }}.",
        ("Căn cứ {{ fields.ground_basis }} ({{ fields.ground_label|lower }}) và Nghị định số 154/2026/NĐ-CP của "
         "Chính phủ quy định chi tiết một số điều và biện pháp tổ chức thi hành Luật Tiếp công dân, {{ unit.name }} "
         "từ chối tiếp nhận nội dung {{ fields.content_type_label }} của ông (bà) {{ requester.name }} và thông báo "
         "để ông (bà) được biết./."),
    ],
}

# NĐ 154/2026, Điều 25 khoản 2; LTCD 2013, Điều 18 khoản 4: the head's conclusion after a periodic or ad hoc
# reception session: the directions for each citizen received and the follow-up tasks with their time frames
# (case.received_on: the session's day; fields: place, official, summary, directions[], tasks[])
RECEPTION_CONCLUSION_NOTICE = {
    "title": "THÔNG BÁO KẾT LUẬN",
    "excerpt": "Việc tiếp công dân ngày {{ case.received_on }}",
    "body": [
        ("Ngày {{ case.received_on }}, tại {{ fields.place }}, {% if fields.official %}{{ fields.official }}"
         "{% else %}người đứng đầu {{ unit.name }}{% endif %} đã tiếp công dân. Sau khi nghe công dân trình bày và "
         "ý kiến của các cơ quan, đơn vị có liên quan, kết luận như sau:"),
        ("ctrl", "{%p if fields.summary %}"),
        "{{ fields.summary }}",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.directions %}"),
        ("heading", "1. Ý kiến chỉ đạo đối với từng công dân được tiếp"),
        ("ctrl", "{%p for d in fields.directions %}"),
        "- Ông (bà) {{ d.name }} (số thứ tự {{ d.book_number }} trong Sổ tiếp công dân), nội dung: {{ d.summary }}. "
        "Ý kiến chỉ đạo: {{ d.direction }}",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.tasks %}"),
        ("heading", "2. Nhiệm vụ giao các cơ quan, đơn vị"),
        ("ctrl", "{%p for t in fields.tasks %}"),
        "- {{ t.unit }}: {{ t.description }}; thời hạn thực hiện {{ t.days }} ngày kể từ ngày ban hành Thông báo "
        "này{% if t.due %} (đến ngày {{ t.due }}){% endif %}{% if t.tracking_code %}, mã theo dõi "
        "{{ t.tracking_code }}{% endif %}.",
        ("ctrl", "{%p endfor %}"),
        ("ctrl", "{%p endif %}"),
        ("Các cơ quan, đơn vị được giao nhiệm vụ tổ chức thực hiện theo đúng nội dung chỉ đạo, gửi kết quả giải "
         "quyết cho công dân và báo cáo {{ unit.name }}./."),
    ],
}

TEMPLATES = {
    "receipt": RECEIPT,
    "notice_of_acceptance": NOTICE_OF_ACCEPTANCE,
    "notice_of_refusal": NOTICE_OF_REFUSAL,
    "complaint_decision_first": COMPLAINT_DECISION_FIRST,
    "complaint_decision_second": COMPLAINT_DECISION_SECOND,
    "extension_decision": EXTENSION_DECISION,
    "suspension_decision": SUSPENSION_DECISION,
    "continuation_decision": CONTINUATION_DECISION,
    "termination_decision": TERMINATION_DECISION,
    "dialogue_minutes": DIALOGUE_MINUTES,
    "dialogue_notice": DIALOGUE_NOTICE,
    "conference_minutes": CONFERENCE_MINUTES,
    "denunciation_acceptance_notice": DENUNCIATION_ACCEPTANCE_NOTICE,
    "denunciation_refusal_notice": DENUNCIATION_REFUSAL_NOTICE,
    "denunciation_conclusion": DENUNCIATION_CONCLUSION,
    "forwarding_slip": FORWARDING_SLIP,
    "guidance_letter": GUIDANCE_LETTER,
    "petition_reply": PETITION_REPLY,
    "reception_refusal_notice": RECEPTION_REFUSAL_NOTICE,
    "reception_conclusion_notice": RECEPTION_CONCLUSION_NOTICE,
}
