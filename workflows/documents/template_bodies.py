"""The texts of the official documents, one entry per document type of documents.yaml.

Read by build_templates.py. Each body follows the form the sources give (NĐ 155/2026 Mẫu 03, 04, 14, 14a, 14b;
NĐ 154/2026 Mẫu 02/TCD; NĐ 31/2019 Mẫu 01, 04, 05, 06, 12; TT 05/2021 Mẫu 03) and uses only the contract's context
names.
Documents that may reach the accused never print the denouncer's identity (Luật Tố cáo 2018, Điều 47, 56):
the denunciation branches name no denouncer, except through requester.name where the manifest says who receives
the document (doc_core prints "(được giữ bí mật)" there for documents sent out).
"""

from body_parts import (
    ASKER,
    AUTHORITY,
    BASIS_BY_KIND,
    BASIS_DENUNCIATION,
    CASE_REF,
    DECIDES,
    DENUNCIATION,
    EXECUTORS,
    KINH_GUI,
    REQUESTER_FULL,
    REQUESTER_SHORT,
    RESPONDENTS,
    WHAT,
    honorific,
)
from complaint_bodies import (
    COMPLAINT_DECISION_DISCIPLINE,
    COMPLAINT_DECISION_FIRST,
    COMPLAINT_DECISION_SECOND,
    DIALOGUE_MINUTES,
)
from denunciation_bodies import (
    DENUNCIATION_ACCEPTANCE_DECISION,
    DENUNCIATION_ACCEPTANCE_NOTICE,
    DENUNCIATION_CONCLUSION,
    DENUNCIATION_CONTENT_NOTICE,
    DENUNCIATION_REFUSAL_NOTICE,
)

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
        "Vậy thông báo để " + ASKER + "{{ requester.name }} được biết./.",
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
        "khiếu nại của " + ASKER + "{{ requester.name }} không đủ điều kiện để thụ lý giải quyết vì: "
        "{{ fields.ground_label }}."),
        ("ctrl", "{%p if fields.reason %}"),
        "{{ fields.reason }}",
        ("ctrl", "{%p endif %}"),
        "Vậy thông báo để " + ASKER + "{{ requester.name }} được biết./.",
    ],
}


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


# NĐ 155/2026 Art 28(1): written notice of the time, place and content, to every party, at least 5 days before
DIALOGUE_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc đối thoại",
    "body": [
        ("plain", ("Kính gửi: {% for p in parties %}" + honorific("p") + "{{ p.name }} ({{ p.role_label|lower }})"
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
        "pháp luật, {{ unit.name }} hướng dẫn " + ASKER + "{{ requester.name }} như sau:"),
        "{{ fields.guidance }}",
        "{{ unit.name }} thông báo để " + ASKER + "{{ requester.name }} biết và thực hiện./.",
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
        "{{ unit.name }} trả lời để " + ASKER + "{{ requester.name }} được biết./.",
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
         "từ chối tiếp nhận nội dung {{ fields.content_type_label }} của " + ASKER + "{{ requester.name }} và "
         "thông báo để ông (bà) được biết./."),
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
    "complaint_decision_discipline": COMPLAINT_DECISION_DISCIPLINE,
    "extension_decision": EXTENSION_DECISION,
    "suspension_decision": SUSPENSION_DECISION,
    "continuation_decision": CONTINUATION_DECISION,
    "termination_decision": TERMINATION_DECISION,
    "dialogue_minutes": DIALOGUE_MINUTES,
    "dialogue_notice": DIALOGUE_NOTICE,
    "conference_minutes": CONFERENCE_MINUTES,
    "denunciation_acceptance_decision": DENUNCIATION_ACCEPTANCE_DECISION,
    "denunciation_acceptance_notice": DENUNCIATION_ACCEPTANCE_NOTICE,
    "denunciation_content_notice": DENUNCIATION_CONTENT_NOTICE,
    "denunciation_refusal_notice": DENUNCIATION_REFUSAL_NOTICE,
    "denunciation_conclusion": DENUNCIATION_CONCLUSION,
    "forwarding_slip": FORWARDING_SLIP,
    "guidance_letter": GUIDANCE_LETTER,
    "petition_reply": PETITION_REPLY,
    "reception_refusal_notice": RECEPTION_REFUSAL_NOTICE,
    "reception_conclusion_notice": RECEPTION_CONCLUSION_NOTICE,
}
