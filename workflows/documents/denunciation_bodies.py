"""The bodies of a denunciation's decision of acceptance, notices and conclusion (read by template_bodies.TEMPLATES).

None of them prints the denouncer's identity but the notices addressed to the denouncer, through requester.name,
which the application withholds where it must (Luật Tố cáo 2018, Điều 47, 56). The letter's own text (case.content)
is printed in none of them: it may name the denouncer, and the conclusion goes to the accused and is published
(Luật Tố cáo 2018, Điều 35 khoản 3, Điều 40); they print the content as summarised for them on accept or submit."""

from body_parts import (
    ASKER,
    AUTHORITY,
    BASIS_DENUNCIATION,
    DECIDES,
    KINH_GUI,
    RECORD,
    RESPONDENTS,
    honorific,
)

ACCUSED = "{% if respondents %}" + RESPONDENTS + "{% else %}người bị tố cáo{% endif %}"
# what accept recorded: the acceptance decision's number and date, the content accepted (LTC Art 29(2)). A case
# accepted on an earlier workflow version issued a notice (TB) there, no decision: that number is not cited as one.
ACCEPTED = [RECORD, "{%p set acc = rec.accept or dict() %}",
            "{%p set decided = acc.decision_number and '/TB-' not in acc.decision_number %}"]
CONTENT_ACCEPTED = ("Nội dung tố cáo được thụ lý: {% if acc.accepted_content %}{{ acc.accepted_content }}"
                    "{% else %}{{ case.subject }}{% endif %}")
DECISION_CITED = ("Ngày {{ acc.decision_date }}, người giải quyết tố cáo đã ban hành Quyết định số "
                  "{{ acc.decision_number }} về việc thụ lý tố cáo đối với " + ACCUSED + ".")

# Luật Tố cáo 2018, Điều 29 khoản 2: (a) the date (heading), (b) the basis, (c) the content accepted, (d) the time
# limit (Điều 30)
DENUNCIATION_ACCEPTANCE_DECISION = {
    "title": "QUYẾT ĐỊNH",
    "excerpt": "Về việc thụ lý tố cáo",
    "body": [AUTHORITY] + BASIS_DENUNCIATION + [
        ("italic", "Xét đơn tố cáo tiếp nhận ngày {{ case.received_on }} đối với " + ACCUSED + " về việc: "
                   "{{ case.subject }} (mã số hồ sơ {{ case.tracking_code }});"),
        ("italic", "Xét thấy tố cáo có đủ điều kiện thụ lý theo quy định tại khoản 1 Điều 29 của Luật Tố cáo,"),
        DECIDES,
        ("**Điều 1.** Thụ lý tố cáo đối với " + ACCUSED + ". Nội dung tố cáo được thụ lý: "
         "{% if fields.accepted_content %}{{ fields.accepted_content }}{% else %}{{ case.subject }}{% endif %}"),
        ("**Điều 2.** Thời hạn giải quyết tố cáo là 30 ngày kể từ ngày {{ fields.decision_date or doc.date }}; đối "
         "với vụ việc phức tạp thì có thể gia hạn giải quyết một lần nhưng không quá 30 ngày; đối với vụ việc đặc "
         "biệt phức tạp thì có thể gia hạn giải quyết hai lần, mỗi lần không quá 30 ngày (Điều 30 của Luật Tố cáo)."),
        ("**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Người bị tố cáo và các cơ quan, tổ chức, cá nhân có "
         "liên quan chịu trách nhiệm thi hành Quyết định này./."),
    ],
}

# Mẫu số 05, to the denouncer (NĐ 31/2019, Điều 9 khoản 2): it cites the acceptance decision
DENUNCIATION_ACCEPTANCE_NOTICE = {
    "prelude": ACCEPTED,
    "title": "THÔNG BÁO",
    "excerpt": "Về việc thụ lý tố cáo",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn tố cáo của " + ASKER + "**{{ requester.name }}**"
        "{% if respondents %}, tố cáo " + RESPONDENTS + "{% endif %} về việc: {{ case.subject }}.",
        ("ctrl", "{%p if decided %}"),
        DECISION_CITED,
        ("ctrl", "{%p endif %}"),
        CONTENT_ACCEPTED,
        ("Căn cứ Điều 29 của Luật Tố cáo, {{ unit.name }} thông báo việc thụ lý giải quyết tố cáo (mã số hồ sơ "
        "{{ case.tracking_code }}). Thời hạn giải quyết tố cáo thực hiện theo Điều 30 của Luật Tố cáo. Người tố "
        "cáo có các quyền và nghĩa vụ quy định tại Điều 9 của Luật Tố cáo."),
        "Vậy thông báo để " + ASKER + "{{ requester.name }} được biết./.",
    ],
}

# Mẫu số 06, to the accused (NĐ 31/2019, Điều 9 khoản 2; LTC Art 10(1)(a), (b), 10(2)(a), (b)): the content
# accepted, nothing of the denouncer
DENUNCIATION_CONTENT_NOTICE = {
    "prelude": ACCEPTED,
    "title": "THÔNG BÁO",
    "excerpt": "Về nội dung tố cáo",
    "body": [
        ("plain", "Kính gửi: {% for r in respondents %}" + honorific("r") + "{{ r.name }}{% if not loop.last %}; "
                  "{% endif %}{% else %}người bị tố cáo{% endfor %}."),
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn tố cáo đối với " + ACCUSED + " về việc: "
        "{{ case.subject }}.",
        ("ctrl", "{%p if decided %}"),
        DECISION_CITED,
        ("ctrl", "{%p endif %}"),
        CONTENT_ACCEPTED,
        ("Căn cứ khoản 3 Điều 29 của Luật Tố cáo và khoản 2 Điều 9 của Nghị định số 31/2019/NĐ-CP, {{ unit.name }} "
         "thông báo nội dung tố cáo (mã số hồ sơ {{ case.tracking_code }}). Người bị tố cáo có quyền được giải "
         "trình, đưa ra chứng cứ để chứng minh nội dung tố cáo là không đúng sự thật; có nghĩa vụ có mặt để làm "
         "việc theo yêu cầu của người giải quyết tố cáo, giải trình về hành vi bị tố cáo, cung cấp thông tin, tài "
         "liệu liên quan khi được yêu cầu, và các quyền, nghĩa vụ khác quy định tại Điều 10 của Luật Tố cáo."),
        # addressed to the accused: a body accused alone is told by its name (test_organisations)
        "Vậy thông báo để {% if respondents|length == 1 and respondents[0].kind == 'organisation' %}"
        "{{ respondents[0].name }}{% else %}ông (bà){% endif %} được biết và thực hiện./.",
    ],
}

# Luật Tố cáo 2018, Điều 24 khoản 1: the denouncer is told at once why the denunciation is not accepted; sent to
# the denouncer only (documents.yaml), so it names the accused as the acceptance notice does
DENUNCIATION_REFUSAL_NOTICE = {
    "title": "THÔNG BÁO",
    "excerpt": "Về việc không thụ lý tố cáo",
    "body": [
        KINH_GUI,
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được đơn tố cáo của " + ASKER + "**{{ requester.name }}**"
        "{% if respondents %}, tố cáo " + RESPONDENTS + "{% endif %} về việc: {{ case.subject }} (mã số hồ sơ "
        "{{ case.tracking_code }}).",
        ("Căn cứ Điều 24 khoản 1 và Điều 29 của Luật Tố cáo, {{ unit.name }} không thụ lý tố cáo vì: "
         "{{ fields.ground_label }}."),
        ("ctrl", "{%p if fields.reason %}"),
        "{{ fields.reason }}",
        ("ctrl", "{%p endif %}"),
        "Vậy thông báo để " + ASKER + "{{ requester.name }} được biết./.",
    ],
}


def _section(heading, condition, lines):
    """A numbered part of the conclusion, its heading with it, printed only when drafted: a draft of an earlier
    version lacks it, and a signed conclusion must not show a heading with nothing under it."""
    return [("ctrl", "{%p if " + condition + " %}"), ("heading", heading)] + lines + [("ctrl", "{%p endif %}")]


def _optional(field, line):
    """One line of a section, printed when `field` is given."""
    return [("ctrl", "{%p if " + field + " %}"), line, ("ctrl", "{%p endif %}")]


# Luật Tố cáo 2018, Điều 35 khoản 2 (Mẫu số 12 of NĐ 31/2019): (a) the verification result, from the report recorded
# (an anonymous tip's management inspection: its submitted result); (b) the legal basis; (c) the conclusion and each
# one's responsibility; (d) the measures; (đ) the recommendations. The drafted summary of what was denounced stands
# for the letter, which is never printed: the conclusion reaches the accused and the public.
DENUNCIATION_CONCLUSION = {
    "prelude": [RECORD, "{%p set verified = rec.verification_report or rec.submit or dict() %}"],
    "title": "KẾT LUẬN",
    "excerpt": "Nội dung tố cáo",
    "body": [
        "Ngày {{ case.received_on }}, {{ unit.name }} nhận được {% if case.kind == 'anonymous_tip' %}thông tin có "
        "nội dung tố cáo{% else %}đơn tố cáo{% endif %} đối với " + ACCUSED + " về việc: {{ case.subject }} (mã số "
        "hồ sơ {{ case.tracking_code }}).",
        ("Căn cứ Luật Tố cáo số 25/2018/QH14, Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ, được "
        "sửa đổi, bổ sung bởi Nghị định số 156/2026/NĐ-CP, căn cứ kết quả xác minh nội dung tố cáo và các thông "
        "tin, tài liệu, bằng chứng có liên quan, người giải quyết tố cáo kết luận như sau:"),
        ("heading", "1. Nội dung tố cáo"),
        ("{% if fields.denounced_content %}{{ fields.denounced_content }}{% elif (rec.accept or dict())"
         ".accepted_content %}{{ rec.accept.accepted_content }}{% else %}{{ case.subject }}{% endif %}"),
        ("heading", "2. Kết quả xác minh nội dung tố cáo"),
        ("ctrl", "{%p if verified.summary %}"),
        ("{% if verified.report_date %}Theo báo cáo kết quả xác minh{% if verified.report_number %} số "
         "{{ verified.report_number }}{% endif %} ngày {{ verified.report_date }}: {% endif %}{{ verified.summary }}"),
        ("ctrl", "{%p endif %}"),
    ] + _section("3. Căn cứ pháp luật để xác định có hay không có hành vi vi phạm pháp luật", "fields.legal_basis",
                 ["{{ fields.legal_basis }}"])
    + [
        ("heading", "4. Kết luận về nội dung tố cáo"),
        "{{ fields.result_label }}.",
        ("ctrl", "{%p if fields.responsibilities %}"),
        "Trách nhiệm của cơ quan, tổ chức, cá nhân liên quan: {{ fields.responsibilities }}",
        ("ctrl", "{%p endif %}"),
    ] + _section("5. Biện pháp xử lý, kiến nghị xử lý", "fields.measures or fields.recommendations",
                 _optional("fields.measures", "{{ fields.measures }}")
                 + _optional("fields.recommendations", "Kiến nghị: {{ fields.recommendations }}"))
    + [
        ("ctrl", "{%p if fields.criminal_signs %}"),
        ("heading", "6. Dấu hiệu tội phạm"),
        ("Hành vi vi phạm có dấu hiệu tội phạm; hồ sơ vụ việc được chuyển ngay cho Cơ quan điều tra hoặc Viện "
        "kiểm sát nhân dân có thẩm quyền theo khoản 2 Điều 36 của Luật Tố cáo."),
        ("ctrl", "{%p endif %}"),
        ("Kết luận này được gửi cho người bị tố cáo, cơ quan, tổ chức quản lý người bị tố cáo và thông báo cho "
        "người tố cáo theo quy định tại Điều 35 của Luật Tố cáo./."),
    ],
}
