"""The pieces the document bodies share (template_bodies.py and its siblings): who asked, who is complained of or
accused, the legal bases, the authority line and the executors' article of a decision."""

# the kinds (workflow ids) resolved under the Luật Tố cáo; every other kind reads as a complaint
DENUNCIATION = "{%p set is_den = case.kind in ['denunciation', 'anonymous_tip'] %}"
WHAT = "{% if is_den %}tố cáo{% else %}khiếu nại{% endif %}"

# what earlier actions of the case recorded (context case.record: the latest fields of each action, by trigger); a
# template picks an action with `rec.<trigger> or dict()`, so a case without it reads an empty mapping
RECORD = "{%p set rec = case.record or dict() %}"

def honorific(party: str, capital: bool = False) -> str:
    """"ông (bà) " before the name of the party `party` (a loop variable over parties or respondents, or
    `requester`) when it is a person; an organisation (its `kind`) is named alone: "Chi cục Quản lý đất đai",
    "Công ty TNHH A", never "ông (bà) Chi cục …". `capital`: "Ông (bà) " opening a sentence."""
    return "{% if " + party + ".kind != 'organisation' %}" + ("Ông" if capital else "ông") + " (bà) {% endif %}"


# before the name of who asked (the complainant, denouncer or petitioner: a person, or a company complaining)
ASKER = honorific("requester")
ASKER_CAP = honorific("requester", capital=True)

# the requester with address and identity, for documents addressed to him or her
REQUESTER_FULL = (
    ASKER + "**{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}{% endif %}"
    "{% if requester.identity_number %}, {{ (requester.identity_label or 'số định danh cá nhân')|lower }}: "
    "{{ requester.identity_number }}{% endif %}"
)
# name and address only, for letters that need no identity document number
REQUESTER_SHORT = (ASKER + "**{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}"
                   "{% endif %}")


RESPONDENTS = ("{% for r in respondents %}" + honorific("r") + "**{{ r.name }}**{% if r.address %} ({{ r.address }})"
               "{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}")
KINH_GUI = ("plain", "Kính gửi: " + ASKER + "{{ requester.name }}.")

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
AUTHORITY = ("centre", "{{ signer.authority }}")
DECIDES = ("centre", "QUYẾT ĐỊNH:")
# the case a decision is about: a complaint names the complainant; a denunciation names only the accused
CASE_REF = ("Xét {% if is_den %}vụ việc tố cáo đối với {% if respondents %}" + RESPONDENTS + "{% else %}người bị tố "
            "cáo{% endif %} về việc: {{ case.subject }}{% else %}đơn khiếu nại ngày {{ case.received_on }} của "
            + ASKER + "**{{ requester.name }}**{% if requester.address %}, địa chỉ: {{ requester.address }}"
            "{% endif %}, "
            "khiếu nại về việc: {{ case.subject }}{% endif %} (mã số hồ sơ {{ case.tracking_code }});")
EXECUTORS = ("**Điều 3.** {% if is_den %}Người tố cáo, người bị tố cáo{% else %}" + ASKER_CAP + "{{ requester.name }}"
             "{% for r in respondents %}, {{ r.name }}{% endfor %}{% endif %} và các cơ quan, tổ chức, cá nhân có "
             "liên quan chịu trách nhiệm thi hành Quyết định này./.")
