"""The bodies of a complaint's decisions and dialogue minutes (read by template_bodies.TEMPLATES)."""

from body_parts import (
    ASKER,
    ASKER_CAP,
    AUTHORITY,
    BASIS_COMPLAINT,
    DECIDES,
    RECORD,
    REQUESTER_FULL,
    RESPONDENTS,
    honorific,
)

# the verification report and the dialogue minutes a decision restates (body_parts.RECORD); a case without them
# prints the fallback
EARLIER = [RECORD, "{%p set verified = rec.verification_report or dict() %}",
           "{%p set met = rec.record_minutes or dict() %}"]
COMPLAINANT = ("italic", "Xét đơn khiếu nại ngày {{ case.received_on }} của " + ASKER + "{{ requester.name }}"
                         "{% if requester.address %}, địa chỉ: {{ requester.address }}{% endif %};")
# LKN Art 31(2)(c), 40(2)(c), 54(1)(c), 56(1)(c): the complaint's content; (b) the respondent's name and address
CONTENT = [
    ASKER_CAP + "{{ requester.name }} khiếu nại về việc: {{ case.subject }}.",
    ("ctrl", "{%p if case.content %}"),
    "{{ case.content }}",
    ("ctrl", "{%p endif %}"),
    ("ctrl", "{%p if respondents %}"),
    "Người bị khiếu nại: " + RESPONDENTS + ".",
    ("ctrl", "{%p endif %}"),
]
# the approved draft's legal basis (e) and conclusion (g), drafted on submit
CONCLUSION = [
    ("ctrl", "{%p if fields.legal_basis %}"),
    "Căn cứ pháp luật để giải quyết khiếu nại: {{ fields.legal_basis }}",
    ("ctrl", "{%p endif %}"),
    ("ctrl", "{%p if fields.result_label %}"),
    "Kết luận nội dung khiếu nại: **{{ fields.result_label }}**.",
    ("ctrl", "{%p endif %}"),
]
# a draft submitted on an earlier workflow version has no disposition: its article 1 states the conclusion
ARTICLE_1 = ("**Điều 1.** {% if fields.disposition_label %}{{ fields.disposition_label }}{% if fields.resolution %}: "
             "{{ fields.resolution }}{% endif %}{% else %}Kết luận nội dung khiếu nại của " + ASKER
             + "{{ requester.name }} về việc {{ case.subject }}{% if fields.result_label %}: {{ fields.result_label }}"
             "{% endif %}{% endif %}")
COMPENSATION = [("ctrl", "{%p if fields.compensation %}"), "Việc bồi thường thiệt hại: {{ fields.compensation }}",
                ("ctrl", "{%p endif %}")]
EXECUTE = ("**Điều 3.** " + ASKER_CAP + "{{ requester.name }}{% for r in respondents %}, {{ r.name }}{% endfor %} và "
           "các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")


def _verification(heading, otherwise):
    """LKN Art 31(2)(d), 40(2)(đ), 54(1)(d), 56(1)(d): the verification result, from the report recorded."""
    return [("heading", heading), ("ctrl", "{%p if verified.summary %}"),
            ("Theo báo cáo kết quả xác minh{% if verified.report_number %} số {{ verified.report_number }}{% endif %}"
             "{% if verified.report_date %} ngày {{ verified.report_date }}{% endif %}: {{ verified.summary }}"),
            ("ctrl", "{%p else %}"), otherwise, ("ctrl", "{%p endif %}")]


def _dialogue(heading, otherwise):
    """LKN Art 31(2)(đ), 40(2)(e), 54(1)(đ), 56(1)(đ): the dialogue's result, from the latest minutes."""
    return [("heading", heading), ("ctrl", "{%p if met.held_on %}"),
            ("Ngày {{ met.held_on }}{% if met.place %}, tại {{ met.place }}{% endif %}, người giải quyết khiếu nại đã "
             "tổ chức đối thoại{% if met.minutes_number %} (biên bản số {{ met.minutes_number }}){% endif %}. Những "
             "nội dung đã thống nhất: {% if met.agreed %}{{ met.agreed }}{% else %}không có{% endif %}. Những vấn đề "
             "còn ý kiến khác nhau: {% if met.open_points %}{{ met.open_points }}{% else %}không có{% endif %}."),
            ("ctrl", "{%p else %}"), otherwise, ("ctrl", "{%p endif %}")]


def _first_decision(heading):
    """LKN Art 40(2)(d), 56(1)(g): the first-instance decision and its result, as drafted, and its case here."""
    return [("heading", heading),
            ("ctrl", "{%p if fields.first_decision %}"), "{{ fields.first_decision }}", ("ctrl", "{%p endif %}"),
            ("ctrl", "{%p if case.related_code %}"),
            "Hồ sơ giải quyết khiếu nại lần đầu: mã số {{ case.related_code }}.",
            ("ctrl", "{%p endif %}")]


def _decision(excerpt, sections, rights):
    return {
        "prelude": EARLIER,
        "title": "QUYẾT ĐỊNH",
        "excerpt": excerpt,
        "body": [AUTHORITY] + BASIS_COMPLAINT + [
            COMPLAINANT, ("italic", "Căn cứ kết quả xác minh nội dung khiếu nại và kết quả đối thoại (nếu có),"),
        ] + sections + [DECIDES, ARTICLE_1 + "."] + COMPENSATION + ["**Điều 2.** " + rights, EXECUTE],
    }


AT_ONCE = ("Người giải quyết khiếu nại đã kiểm tra lại quyết định hành chính, hành vi hành chính bị khiếu nại, thấy "
           "nội dung khiếu nại đúng nên không tiến hành xác minh (Điều 29 khoản 1 điểm a Luật Khiếu nại).")
# LKN Art 31(2): (a) the date is the heading's, (b)-(i) below, (k) the rights of Điều 2
COMPLAINT_DECISION_FIRST = _decision(
    "Về việc giải quyết khiếu nại của " + ASKER + "{{ requester.name }} (lần đầu)",
    [("heading", "I. NỘI DUNG KHIẾU NẠI")] + CONTENT
    + _verification("II. KẾT QUẢ XÁC MINH NỘI DUNG KHIẾU NẠI", AT_ONCE)
    + _dialogue("III. KẾT QUẢ ĐỐI THOẠI", "Không tổ chức đối thoại.")
    + [("heading", "IV. KẾT LUẬN")] + CONCLUSION,
    "Trong thời hạn 30 ngày kể từ ngày nhận được Quyết định này (đối với vùng sâu, vùng xa đi lại khó khăn thì "
    "không quá 45 ngày), nếu không đồng ý với Quyết định này, " + ASKER + "{{ requester.name }} có quyền khiếu nại đến "
    "người có thẩm quyền giải quyết khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định "
    "của Luật Tố tụng hành chính.")
# LKN Art 40(2): (d) the first-instance result, (đ) verification, (e) dialogue, (g) basis, (h) conclusion and what is
# required, (i) compensation, (k) the right to sue
COMPLAINT_DECISION_SECOND = _decision(
    "Về việc giải quyết khiếu nại của " + ASKER + "{{ requester.name }} (lần hai)",
    [("heading", "I. NỘI DUNG KHIẾU NẠI")] + CONTENT
    + _first_decision("II. KẾT QUẢ GIẢI QUYẾT KHIẾU NẠI CỦA NGƯỜI GIẢI QUYẾT KHIẾU NẠI LẦN ĐẦU")
    + _verification("III. KẾT QUẢ XÁC MINH NỘI DUNG KHIẾU NẠI", "Không tiến hành xác minh.")
    + _dialogue("IV. KẾT QUẢ ĐỐI THOẠI", "Không tổ chức đối thoại.")
    + [("heading", "V. KẾT LUẬN")] + CONCLUSION,
    "Nếu không đồng ý với Quyết định này, " + ASKER + "{{ requester.name }} có quyền khởi kiện vụ án hành chính tại "
    "Tòa án theo quy định của Luật Tố tụng hành chính.")


# A disciplinary decision (LKN Art 54(1) first instance, 56(1) second), switching on what accept recorded: the
# instance, and the penalty, which decides the complainant's rights. An unknown penalty prints the law's condition.
DISCIPLINE = EARLIER + ["{%p set acc = rec.accept or dict() %}", "{%p set second = acc.instance == 'second' %}",
                        "{%p set dismissal = acc.penalty == 'dismissal' %}",
                        "{%p set known = acc.penalty in ['dismissal', 'other'] %}"]
# LKN Art 48, 54(1)(k): a second complaint within 10 days (30 against a dismissal); a lawsuit only against a dismissal
RIGHTS_FIRST = (
    "Trong thời hạn {% if dismissal %}30 ngày{% elif known %}10 ngày{% else %}10 ngày (30 ngày đối với quyết định kỷ "
    "luật buộc thôi việc){% endif %} kể từ ngày nhận được Quyết định này, nếu không đồng ý, " + ASKER
    + "{{ requester.name }} có quyền khiếu nại lần hai đến người có thẩm quyền giải quyết khiếu nại lần hai"
    "{% if dismissal %} hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định của Luật Tố tụng hành chính"
    "{% elif not known %}; đối với quyết định kỷ luật buộc thôi việc, có quyền khởi kiện vụ án hành chính tại Tòa án "
    "theo quy định của Luật Tố tụng hành chính{% endif %}.")
# LKN Art 56(1)(i), 57(1)(b): a lawsuit only against a dismissal; otherwise the decision takes effect after 30 days
RIGHTS_SECOND = (
    "{% if dismissal %}Nếu không đồng ý với Quyết định này, " + ASKER + "{{ requester.name }} có quyền khởi kiện vụ án "
    "hành chính tại Tòa án theo quy định của Luật Tố tụng hành chính.{% elif known %}Quyết định này có hiệu lực pháp "
    "luật sau 30 ngày kể từ ngày ban hành (Điều 57 khoản 1 điểm b Luật Khiếu nại).{% else %}Quyết định này có hiệu "
    "lực pháp luật sau 30 ngày kể từ ngày ban hành (Điều 57 khoản 1 điểm b Luật Khiếu nại); đối với quyết định kỷ "
    "luật buộc thôi việc, " + ASKER + "{{ requester.name }} có quyền khởi kiện vụ án hành chính tại Tòa án theo "
    "quy định của Luật Tố tụng hành chính.{% endif %}")
COMPLAINT_DECISION_DISCIPLINE = {
    "prelude": DISCIPLINE,
    "title": "QUYẾT ĐỊNH",
    "excerpt": ("Về việc giải quyết khiếu nại quyết định kỷ luật của " + ASKER + "{{ requester.name }}"
                "{% if second %} (lần hai){% else %} (lần đầu){% endif %}"),
    "body": [AUTHORITY] + BASIS_COMPLAINT + [
        COMPLAINANT, ("italic", "Căn cứ kết quả xác minh nội dung khiếu nại và kết quả đối thoại,"),
        ("heading", "I. NỘI DUNG KHIẾU NẠI"),
    ] + CONTENT + [
        ("ctrl", "{%p if acc.penalty_label %}"),
        "Hình thức kỷ luật bị khiếu nại: {{ acc.penalty_label|lower }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if second %}"),
    ] + _first_decision("II. VIỆC GIẢI QUYẾT CỦA NGƯỜI GIẢI QUYẾT KHIẾU NẠI LẦN ĐẦU") + [
        ("ctrl", "{%p endif %}"),
    ] + _verification("{% if second %}III{% else %}II{% endif %}. KẾT QUẢ XÁC MINH NỘI DUNG KHIẾU NẠI",
                      "Không tiến hành xác minh.")
    + _dialogue("{% if second %}IV{% else %}III{% endif %}. KẾT QUẢ ĐỐI THOẠI", "Không tổ chức đối thoại.")
    + [("heading", "{% if second %}V{% else %}IV{% endif %}. KẾT LUẬN")] + CONCLUSION
    + [DECIDES, ARTICLE_1 + "."] + COMPENSATION + [
        "**Điều 2.** {% if second %}" + RIGHTS_SECOND + "{% else %}" + RIGHTS_FIRST + "{% endif %}",
        EXECUTE,
    ],
}


WHO = "{% if is_complaint %}người khiếu nại{% else %}người kiến nghị, phản ánh{% endif %}"
# Mẫu 14 (NĐ 155/2026, Điều 20; NĐ 124/2020, Điều 28 khoản 4): the hours it began and ended and the minute-taker,
# as recorded, else the form's blanks to fill in by hand; the chair named when the dialogue was scheduled
BLANK_HOUR = "..... giờ ....."
CHAIR = "{{ fields.chair or sched.chair or signer.name }}"
DIALOGUE_MINUTES = {
    "prelude": ["{%p set is_complaint = case.kind.startswith('complaint') %}", RECORD,
                "{%p set sched = rec.schedule_dialogue or dict() %}"],
    "title": "BIÊN BẢN ĐỐI THOẠI{% if is_complaint %} VỚI NGƯỜI KHIẾU NẠI{% endif %}",
    "body": [
        ("Vào hồi {{ fields.started_at or '" + BLANK_HOUR + "' }}, ngày {{ fields.held_on or doc.date }}, "
         "{% if fields.place %}tại {{ fields.place }}, {% endif %}{{ unit.name }} tổ chức đối thoại về vụ việc: "
         "{{ case.subject }} (mã số hồ sơ {{ case.tracking_code }})."),
        ("heading", "I. THÀNH PHẦN THAM GIA ĐỐI THOẠI"),
        ("1. {% if is_complaint %}Người giải quyết khiếu nại, người được phân công chủ trì đối thoại"
        "{% else %}Người chủ trì đối thoại{% endif %}: ông (bà) " + CHAIR + ", {{ unit.name }}."),
        "2. Người ghi biên bản: ông (bà) {{ fields.recorder or '...............' }}, {{ unit.name }}.",
        "3. {% if is_complaint %}Người khiếu nại{% else %}Người kiến nghị, phản ánh{% endif %} "
        "(hoặc người đại diện, người được ủy quyền): " + REQUESTER_FULL + ".",
        ("ctrl", "{%p if fields.attendance_label %}"),
        "Việc tham gia đối thoại của " + WHO + ": {{ fields.attendance_label }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if fields.absence_reason %}"),
        "Lý do vắng mặt và tài liệu chứng minh: {{ fields.absence_reason }}.",
        ("ctrl", "{%p endif %}"),
        ("ctrl", "{%p if respondents %}"),
        "4. Người bị khiếu nại: " + RESPONDENTS + ".",
        ("ctrl", "{%p endif %}"),
        ("ctrl", ("{%p set others = parties|rejectattr('name', 'equalto', requester.name)"
                 "|rejectattr('role', 'in', ['complainant', 'petitioner', 'respondent'])|list %}")),
        ("ctrl", "{%p if others %}"),
        "5. Người có quyền, nghĩa vụ liên quan, đại diện cơ quan, tổ chức, cá nhân có liên quan:",
        ("ctrl", "{%p for p in others %}"),
        "- {{ p.role_label }}: " + honorific("p") + "{{ p.name }}{% if p.address %}, địa chỉ: {{ p.address }}"
        "{% endif %};",
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
        ("Buổi đối thoại kết thúc hồi {{ fields.ended_at or '" + BLANK_HOUR + "' }} ngày "
         "{{ fields.held_on or doc.date }}."),
        ("Biên bản đối thoại đã được đọc lại cho những người tham gia đối thoại nghe và ký xác nhận (trường hợp người "
        "tham gia đối thoại không ký xác nhận thì ghi rõ lý do)."),
        ("ctrl", "{%p if fields.refused_to_sign %}"),
        "Người không ký biên bản và lý do: {{ fields.refused_to_sign }}.",
        ("ctrl", "{%p endif %}"),
        "Biên bản được lập thành {{ fields.copies or '03' }} bản; mỗi người nhận 01 bản./.",
    ],
    # Mẫu 14's six signature blocks, in its order
    "signatures": [
        (("NGƯỜI BỊ KHIẾU NẠI", "(Ký, ghi rõ họ tên)",
          "{% for r in respondents %}{{ r.name }}{% if not loop.last %}, {% endif %}{% endfor %}"),
         ("{% if is_complaint %}NGƯỜI GIẢI QUYẾT KHIẾU NẠI (HOẶC NGƯỜI ĐƯỢC PHÂN CÔNG CHỦ TRÌ ĐỐI THOẠI){% else %}"
          "NGƯỜI CHỦ TRÌ ĐỐI THOẠI{% endif %}", "(Ký, ghi rõ họ tên, đóng dấu (nếu có))", CHAIR)),
        (("{% if is_complaint %}NGƯỜI KHIẾU NẠI{% else %}NGƯỜI KIẾN NGHỊ, PHẢN ÁNH{% endif %} (HOẶC NGƯỜI ĐẠI DIỆN, "
          "NGƯỜI ĐƯỢC ỦY QUYỀN)", "(Ký, ghi rõ họ tên hoặc điểm chỉ)", "{{ requester.name }}"),
         ("ĐẠI DIỆN CƠ QUAN, TỔ CHỨC, CÁ NHÂN CÓ LIÊN QUAN", "(Ký, ghi rõ họ tên, đóng dấu (nếu có))", "")),
        (("NGƯỜI CÓ QUYỀN VÀ NGHĨA VỤ LIÊN QUAN", "(Ký, ghi rõ họ tên hoặc điểm chỉ)", ""),
         ("NGƯỜI GHI BIÊN BẢN", "(Ký, ghi rõ họ tên)", "{{ fields.recorder or '' }}")),
    ],
}
