"""Guards of the law on denunciations (Luật Tố cáo 2018): a notice sent once, a withdrawal that cannot end the case,
an expert assessment pending, an anonymous tip worth inspecting, the denouncer's identity struck out, the conclusion
sent before closing. Registered in the one guard table of `guards` (imported there, so every workflow load sees
them)."""
from __future__ import annotations

from typing import Any, Mapping

from dvflow.engine.message import N_, Msg, msg
from dvflow.engine.types import Actor, CaseView
from dvflow.engine.workflow.guards import _fact, guard

# --- the notices of an acceptance, each sent once (LTC 2018 Art 29(3); NĐ 31/2019 Art 9(2)) -----------------------

@guard("acceptance_not_notified", facts={"acceptance_notified": "boolean"})
def acceptance_not_notified(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["acceptance_notified"] (set by the notice of the acceptance to the denouncer, Mẫu 05) is not True: one
    acceptance, one notice, one number of the unit's register."""
    if _fact(case, "acceptance_notified") is not True:
        return None
    return msg(N_("Đã thông báo việc thụ lý cho người tố cáo (Mẫu 05); mỗi quyết định thụ lý chỉ thông báo một lần "
                  "(Nghị định 31/2019/NĐ-CP, Điều 9 khoản 2)"))


@guard("accused_not_notified", facts={"accused_notified": "boolean"})
def accused_not_notified(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["accused_notified"] (set by the notice of the content to the accused, Mẫu 06) is not True."""
    if _fact(case, "accused_notified") is not True:
        return None
    return msg(N_("Đã thông báo nội dung tố cáo cho người bị tố cáo (Mẫu 06); mỗi quyết định thụ lý chỉ thông báo một "
                  "lần (Nghị định 31/2019/NĐ-CP, Điều 9 khoản 2)"))


# --- withdrawal (denunciations) ------------------------------------------------------------------------------------

@guard("withdrawal_allowed",
       facts={"violation_signs": "boolean", "withdrawal_coerced": "boolean", "slander_suspected": "boolean"})
def withdrawal_allowed(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """Refuses a whole withdrawal that cannot end the case: facts["violation_signs"],
    facts["withdrawal_coerced"] or facts["slander_suspected"] True (Luật Tố cáo 2018, Điều 33 khoản 3)."""
    if _fact(case, "violation_signs") is True:
        why = N_("hành vi bị tố cáo có dấu hiệu vi phạm pháp luật")
    elif _fact(case, "withdrawal_coerced") is True:
        why = N_("việc rút tố cáo do bị đe dọa, mua chuộc")
    elif _fact(case, "slander_suspected") is True:
        why = N_("có căn cứ cho thấy người tố cáo lợi dụng việc tố cáo để vu khống")
    else:
        return None
    return msg(N_("Không đình chỉ vì %(why)s: vụ việc vẫn phải được giải quyết; ghi nhận việc rút tố cáo "
                  "bằng thao tác rút một phần (Luật Tố cáo 2018, Điều 33 khoản 3)"), why=msg(why))


# --- expert assessment (denunciations) ----------------------------------------------------------------------------

@guard("assessment_pending", facts={"assessment_pending": "boolean"})
def assessment_pending(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["assessment_pending"] is True: an expert assessment was requested and its conclusion not yet received."""
    if _fact(case, "assessment_pending") is True:
        return None
    return msg(N_("Không có việc trưng cầu giám định nào đang chờ kết luận"))


@guard("no_assessment_pending", facts={"assessment_pending": "boolean"})
def no_assessment_pending(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["assessment_pending"] is not True: no expert assessment is awaiting its conclusion."""
    if _fact(case, "assessment_pending") is not True:
        return None
    return msg(N_("Đang chờ kết luận giám định (thời gian giám định không tính vào thời hạn giải quyết tố cáo): ghi "
                  "nhận kết luận giám định trước (Nghị định 31/2019/NĐ-CP, Điều 15 khoản 4)"))


# --- the anonymous tip, verification and the conclusion -----------------------------------------------------------

@guard("tip_specific")
def tip_specific(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload has_specific_evidence is True (anonymous tip names the violator with verifiable evidence)."""
    if payload.get("has_specific_evidence") in (None, True):
        return None
    return msg(N_("Thông tin không nêu rõ người vi phạm, hành vi vi phạm và không có cơ sở thẩm tra, xác minh: "
                  "không tiến hành thanh tra, kiểm tra (Luật Tố cáo 2018, Điều 25 khoản 2)"))


@guard("identity_removed")
def identity_removed(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload identity_removed is not False: the denouncer's identity is struck from what the verifiers get."""
    if payload.get("identity_removed") in (None, True):
        return None
    return msg(N_("Phải lược bỏ họ tên, địa chỉ, bút tích và thông tin cá nhân khác của người tố cáo khỏi đơn và tài "
                  "liệu trước khi giao xác minh (Luật Tố cáo 2018, Điều 56 khoản 2)"))


@guard("conclusion_sent", facts={"conclusion_sent": "boolean", "conclusion_notified": "boolean"})
def conclusion_sent(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["conclusion_sent"] (sent to the accused) and facts["conclusion_notified"] (denouncer told) are True."""
    missing = (_fact(case, "conclusion_sent") is not True, _fact(case, "conclusion_notified") is not True)
    return msg(CONCLUSION_MISSING[missing]) if any(missing) else None


#: what is missing before closing, by (not sent to the accused, denouncer not told): whole sentences, one each
CONCLUSION_MISSING = {
    (True, True): N_("Chưa gửi kết luận cho người bị tố cáo và thông báo kết luận cho người tố cáo "
                     "(Luật Tố cáo 2018, Điều 35 khoản 3)"),
    (True, False): N_("Chưa gửi kết luận cho người bị tố cáo (Luật Tố cáo 2018, Điều 35 khoản 3)"),
    (False, True): N_("Chưa thông báo kết luận cho người tố cáo (Luật Tố cáo 2018, Điều 35 khoản 3)"),
}
