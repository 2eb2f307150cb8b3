"""Named guards a workflow may attach to a transition.

A guard is a function ``(case: CaseView, actor: Actor, payload: Mapping) -> Msg | None``: it returns the reason
when the action must be refused (a Vietnamese template and its values, which a page translates), None when it may go
ahead. Guards are pure: they read the case snapshot
(``case.facts``, ``case.flags``), the actor and the typed payload of the action, nothing else.

A name ``base:arg`` calls a parametric guard registered with ``arg=...`` (e.g. ``has_party:complainant``).
Each guard declares the facts it reads (``facts={name: kind}``): these are the facts a workflow may set without
declaring them (see ``facts.py``), and ``workflows/README.md`` lists them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Literal, Mapping

from dvflow.engine.message import N_, Msg, msg
from dvflow.engine.types import Actor, CaseView
from dvflow.engine.workflow.facts import SYSTEM_FACTS, FactKind

GuardFn = Callable[..., "Msg | None"]
ArgKind = Literal["party_role"]


@dataclass(frozen=True)
class GuardEntry:
    name: str
    fn: GuardFn
    arg: ArgKind | None = None  # what the ``:arg`` names, checked at load time
    doc: str = ""
    facts: Mapping[str, FactKind] = field(default_factory=dict)  # the facts it reads, by kind


GUARDS: dict[str, GuardEntry] = {}

PARTY_ROLE_LABELS = {
    "complainant": N_("người khiếu nại"),
    "denouncer": N_("người tố cáo"),
    "petitioner": N_("người kiến nghị, phản ánh"),
    "respondent": N_("người bị khiếu nại"),
    "accused": N_("người bị tố cáo"),
    "representative": N_("người đại diện"),
}


def guard(name: str, *, arg: ArgKind | None = None,
          facts: Mapping[str, FactKind] | None = None) -> Callable[[GuardFn], GuardFn]:
    """Register ``fn`` under ``name``; ``arg`` makes it parametric (``name:value`` in YAML); ``facts`` are the case
    facts it reads, with their kind."""

    def register(fn: GuardFn) -> GuardFn:
        if name in GUARDS:
            raise ValueError(f"guard {name!r} registered twice")
        known = known_facts()
        for fact, kind in (facts or {}).items():
            if known.get(fact, kind) != kind:  # one fact, one meaning: a second reader must agree on its kind
                raise ValueError(f"guard {name!r}: fact {fact!r} is a {known[fact]}, not a {kind}")
        GUARDS[name] = GuardEntry(name, fn, arg, (fn.__doc__ or "").strip(), dict(facts or {}))
        return fn

    return register


def known_facts() -> dict[str, FactKind]:
    """Every fact the engine knows, by kind: those the guards read and the system facts the services set."""
    out: dict[str, FactKind] = dict(SYSTEM_FACTS)
    for entry in GUARDS.values():
        out.update(entry.facts)
    return out


def split_name(name: str) -> tuple[str, str | None]:
    base, sep, arg = name.partition(":")
    return base, (arg if sep else None)


def lookup(name: str) -> GuardEntry | None:
    """The entry for a guard name as written in YAML, or None when unknown or misused (arg missing/extra)."""
    base, arg = split_name(name)
    entry = GUARDS.get(base)
    if entry is None or (entry.arg is None) != (arg is None) or arg == "":
        return None
    return entry


def run_guard(name: str, case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    entry = lookup(name)
    if entry is None:
        raise KeyError(f"unknown guard {name!r}")
    _, arg = split_name(name)
    if entry.arg is None:
        return entry.fn(case, actor, payload)
    return entry.fn(case, actor, payload, arg)


def _fact(case: CaseView, key: str, default: Any = None) -> Any:
    return case.facts.get(key, default)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


# --- parties ---------------------------------------------------------------------------------------------------

@guard("has_party", arg="party_role", facts={"party_roles": "list"})
def has_party(case: CaseView, actor: Actor, payload: Mapping[str, Any], role: str) -> str | None:
    """facts["party_roles"] (the party roles recorded on the case) contains the role."""
    if role in (_fact(case, "party_roles") or ()):
        return None
    label = PARTY_ROLE_LABELS.get(role)
    return msg(N_("Hồ sơ chưa có thông tin %(role)s"), role=msg(label) if label else role)


@guard("has_complainant", facts={"party_roles": "list"})
def has_complainant(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """Same as has_party:complainant."""
    return has_party(case, actor, payload, "complainant")


@guard("has_denouncer", facts={"party_roles": "list"})
def has_denouncer(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """Same as has_party:denouncer; the denouncer must be identified (Luật Tố cáo 2018, Điều 23, 25)."""
    if has_party(case, actor, payload, "denouncer") is None:
        return None
    return msg(N_("Hồ sơ chưa có thông tin người tố cáo (họ tên, địa chỉ): không thụ lý theo Luật Tố cáo (Điều 23, "
                  "25)"))


@guard("has_petitioner", facts={"party_roles": "list"})
def has_petitioner(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """Same as has_party:petitioner."""
    return has_party(case, actor, payload, "petitioner")


# --- forwarding and competence -----------------------------------------------------------------------------------

FORWARD_ONCE = N_("Tố cáo cùng nội dung chỉ được chuyển một lần (Thông tư 05/2021/TT-TTCP, Điều 14)")


@guard("not_forwarded_before", facts={"forward_count": "count"})
def not_forwarded_before(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["forward_count"] (times this content was already forwarded, default 0) must be 0."""
    return None if int(_fact(case, "forward_count", 0) or 0) == 0 else msg(FORWARD_ONCE)


@guard("denunciation_not_forwarded_before", facts={"content_type": "text", "forward_count": "count"})
def denunciation_not_forwarded_before(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """In triage: when facts["content_type"] is "denunciation", facts["forward_count"] must be 0."""
    if _fact(case, "content_type") != "denunciation":
        return None
    return not_forwarded_before(case, actor, payload)


@guard("competent", facts={"competent": "boolean"})
def competent(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["competent"] is True (the classification found the unit competent)."""
    if _fact(case, "competent") is True:
        return None
    return msg(N_("Đơn chưa được phân loại là thuộc thẩm quyền giải quyết: chuyển đơn hoặc hướng dẫn "
                  "(Luật Tiếp công dân 2013, Điều 26 khoản 2)"))


# --- verification, dialogue, approval ----------------------------------------------------------------------------

@guard("verification_report_recorded", facts={"verification_report_recorded": "boolean"})
def verification_report_recorded(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["verification_report_recorded"] is True."""
    if _fact(case, "verification_report_recorded") is True:
        return None
    return msg(N_("Chưa có báo cáo kết quả xác minh"))


@guard("verified_unless_right", facts={"verification_report_recorded": "boolean"})
def verified_unless_right(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload result is "right" (or not given yet), or facts["verification_report_recorded"] is True: only a
    complaint found right is decided at once; one found wrong or partly right is verified first."""
    if payload.get("result") in (None, "right") or _fact(case, "verification_report_recorded") is True:
        return None
    return msg(N_("Chỉ khiếu nại đúng mới được ra quyết định giải quyết ngay; khiếu nại sai hoặc đúng một phần phải "
                  "được xác minh, có báo cáo kết quả xác minh trước khi ra quyết định (Luật Khiếu nại 2011, Điều 29 "
                  "khoản 1 điểm a, b)"))


@guard("result_as_submitted", facts={"result": "text"})
def result_as_submitted(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload result is the result of the draft last submitted (facts["result"], recorded by `submit`), or either
    is not given: the head issues the decision or conclusion he approved, not another one (a draft submitted
    before the result was drafted, on an earlier workflow version, records none)."""
    drafted, given = _fact(case, "result"), payload.get("result")
    if drafted is None or given is None or given == drafted:
        return None
    return msg(N_("Kết luận khi ban hành phải đúng như dự thảo đã được phê duyệt; muốn thay đổi kết luận, trả lại dự "
                  "thảo để sửa và trình ký lại"))


@guard("dialogue_held", facts={"dialogue_held": "boolean"})
def dialogue_held(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["dialogue_held"] is True (minutes of a dialogue recorded)."""
    if _fact(case, "dialogue_held") is True:
        return None
    return msg(N_("Chưa tổ chức đối thoại: phải đối thoại với người khiếu nại trước khi dự thảo quyết định giải quyết"))


@guard("dialogue_held_if_differs", facts={"request_differs": "boolean", "dialogue_held": "boolean"})
def dialogue_held_if_differs(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["request_differs"] (recorded with the verification report) is not True, or a dialogue was held."""
    if _fact(case, "request_differs") is not True or _fact(case, "dialogue_held") is True:
        return None
    return msg(N_("Yêu cầu của người khiếu nại và kết quả xác minh còn khác nhau: phải tổ chức đối thoại trước khi dự "
                  "thảo quyết định giải quyết (Luật Khiếu nại 2011, Điều 30 khoản 1)"))


@guard("no_excused_absence", facts={"attendance": "text"})
def no_excused_absence(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["attendance"] (the latest dialogue minutes) is not absent_valid_reason."""
    if _fact(case, "attendance") != "absent_valid_reason":
        return None
    return msg(N_("Người khiếu nại vắng mặt có lý do chính đáng: gửi thông báo đối thoại mới hoặc tạm đình chỉ giải "
                  "quyết, không dự thảo quyết định (Nghị định 124/2020/NĐ-CP, Điều 28 khoản 5, Điều 28a, sửa đổi, bổ "
                  "sung bởi Nghị định 155/2026/NĐ-CP)"))


@guard("absence_reason_given")
def absence_reason_given(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload attendance is not absent_valid_reason, or payload absence_reason says what the reason was."""
    if payload.get("attendance") != "absent_valid_reason" or str(payload.get("absence_reason") or "").strip():
        return None
    return msg(N_("Người khiếu nại vắng mặt có lý do chính đáng: ghi rõ lý do và tài liệu chứng minh vào biên bản "
                  "(Nghị định 124/2020/NĐ-CP, Điều 28a, bổ sung bởi Nghị định 155/2026/NĐ-CP)"))


@guard("forwarder_informed", facts={"forwarded_by_body": "text", "forwarder_informed": "boolean"})
def forwarder_informed(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["forwarded_by_body"] (recorded on accept) is not "national_assembly", or facts["forwarder_informed"]
    is True."""
    if _fact(case, "forwarded_by_body") != "national_assembly" or _fact(case, "forwarder_informed") is True:
        return None
    return msg(N_("Vụ việc do cơ quan của Quốc hội, đại biểu Quốc hội hoặc Ban tiếp công dân chuyển đến: phải thông "
                  "báo kết quả giải quyết cho cơ quan đã chuyển đơn trước (Luật Tiếp công dân 2013, Điều 27 khoản 2)"))


NOTICE_DAYS = 5
#: the 5-day notice applies to a dialogue notified from this day, also in complaints accepted before it (NĐ 155/2026
#: Art 21(1), 22(1)); before it LKN Art 30(2) asked only for a written notice
NOTICE_RULE_FROM = date(2026, 7, 1)


def _notice_rule_applies(sent: date | None) -> bool:
    return sent is not None and sent >= NOTICE_RULE_FROM


@guard("notice_lead_time")
def notice_lead_time(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload scheduled_on is at least 5 days after payload notice_sent_on, for a notice sent from 01/07/2026."""
    scheduled, sent = _as_date(payload.get("scheduled_on")), _as_date(payload.get("notice_sent_on"))
    if scheduled is None or not _notice_rule_applies(sent) or (scheduled - sent).days >= NOTICE_DAYS:
        return None
    return msg(N_("Thông báo đối thoại phải gửi ít nhất %(days)s ngày trước ngày đối thoại "
                  "(Nghị định 155/2026/NĐ-CP, Điều 28 khoản 1)"), days=NOTICE_DAYS)


@guard("notice_period_respected", facts={"notice_sent_on": "date"})
def notice_period_respected(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """payload held_on is at least 5 days after facts["notice_sent_on"] (skipped when either is unknown, and for a
    notice sent before 01/07/2026)."""
    held, sent = _as_date(payload.get("held_on")), _as_date(_fact(case, "notice_sent_on"))
    if held is None or not _notice_rule_applies(sent) or (held - sent).days >= NOTICE_DAYS:
        return None
    return msg(N_("Đối thoại chỉ được tổ chức sau ít nhất %(days)s ngày kể từ ngày gửi thông báo "
                  "(%(sent)s) (Nghị định 155/2026/NĐ-CP, Điều 28 khoản 1)"), days=NOTICE_DAYS,
               sent=sent.strftime("%d/%m/%Y"))


@guard("approved", facts={"approved": "boolean"})
def approved(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["approved"] is True: the head approved the current draft (no submit/return since)."""
    if _fact(case, "approved") is True:
        return None
    return msg(N_("Dự thảo chưa được thủ trưởng phê duyệt: phải trình và được phê duyệt trước khi ban hành"))


@guard("published", facts={"published": "boolean"})
def published(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["published"] is True: the conclusion was made public (Luật Tố cáo 2018, Điều 40)."""
    if _fact(case, "published") is True:
        return None
    return msg(N_("Chưa công khai kết luận nội dung tố cáo (Luật Tố cáo 2018, Điều 40)"))


@guard("commitments_done", facts={"open_commitments": "count"})
def commitments_done(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """facts["open_commitments"] (commitments from the minutes not yet done, default 0) is 0."""
    left = int(_fact(case, "open_commitments", 0) or 0)
    return None if left == 0 else msg(N_("Còn %(left)s nội dung cam kết sau đối thoại chưa hoàn thành"), left=left)


# --- flags and payload ---------------------------------------------------------------------------------------------

@guard("not_complex")
def not_complex(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """case.flags does not contain complex."""
    return msg(N_("Vụ việc đã được xác định là phức tạp")) if "complex" in case.flags else None


@guard("not_especially_complex")
def not_especially_complex(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """case.flags does not contain especially_complex."""
    if "especially_complex" in case.flags:
        return msg(N_("Vụ việc đã được xác định là đặc biệt phức tạp"))
    return None


@guard("not_remote_area")
def not_remote_area(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> str | None:
    """case.flags does not contain remote_area (the complainant was found to live in a remote area already)."""
    if "remote_area" in case.flags:
        return msg(N_("Đã xác định người khiếu nại ở vùng sâu, vùng xa đi lại khó khăn"))
    return None


# the guards of the law on denunciations (Luật Tố cáo 2018) and of what arrives (letters, mass cases) live beside
# these and register themselves on import
from dvflow.engine.workflow import guards_denunciation, guards_intake  # noqa: E402,F401
