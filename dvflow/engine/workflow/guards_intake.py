"""Guards of what arrives: letter triage (xử lý đơn) by content, and mass cases' representatives. Registered in the
one guard table of `guards` (imported there, so every workflow load sees them)."""
from __future__ import annotations

from typing import Any, Mapping

from dvflow.engine.message import N_, Msg, msg
from dvflow.engine.types import Actor, CaseView
from dvflow.engine.workflow.facts import FactKind
from dvflow.engine.workflow.guards import _fact, guard

# --- letter triage (xử lý đơn) -------------------------------------------------------------------------------------

COMPLAINT_TYPES = frozenset({"complaint_first", "complaint_second", "complaint_discipline"})
IN_PERSON = "walk_in"  # the channel of a citizen who came to the reception (a reception visit registers so)
_TRIAGE_FACTS: Mapping[str, FactKind] = {"content_type": "text", "competent": "boolean"}


@guard("not_competent", facts={"competent": "boolean"})
def not_competent(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["competent"] is False (the classification found the unit not competent)."""
    if _fact(case, "competent") is False:
        return None
    return msg(N_("Đơn thuộc thẩm quyền giải quyết: đề xuất thụ lý, không chuyển đơn (Luật Tiếp công dân 2013, Điều 26 "
                  "khoản 2)"))


@guard("petition_letter", facts=_TRIAGE_FACTS)
def petition_letter(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["content_type"] is "petition": of the letters outside competence only petitions go by this forward
    (a denunciation is forwarded by the head; a complaint is guided, never forwarded)."""
    content = _fact(case, "content_type")
    if content == "petition":
        return None
    if content in COMPLAINT_TYPES:
        return msg(N_("Đơn khiếu nại không thuộc thẩm quyền không được chuyển: hướng dẫn người khiếu nại gửi đến cơ "
                      "quan có thẩm quyền (Luật Tiếp công dân 2013, Điều 26 khoản 1 điểm b)"))
    return msg(N_("Chỉ chuyển theo thao tác này đơn kiến nghị, phản ánh"))


@guard("denunciation_letter", facts=_TRIAGE_FACTS)
def denunciation_letter(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["content_type"] is "denunciation"."""
    if _fact(case, "content_type") == "denunciation":
        return None
    return msg(N_("Đơn không được phân loại là đơn tố cáo"))


@guard("anonymous_tip_letter", facts=_TRIAGE_FACTS)
def anonymous_tip_letter(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["content_type"] is "anonymous_tip"."""
    if _fact(case, "content_type") == "anonymous_tip":
        return None
    return msg(N_("Đơn không được phân loại là tố cáo nặc danh"))


@guard("guidable", facts=_TRIAGE_FACTS)
def guidable(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """A complaint outside competence (facts content_type a complaint kind and competent False), a denunciation
    outside competence brought in person (case.channel walk_in: Luật Tố cáo 2018, Điều 24 khoản 2; Luật Tiếp công
    dân 2013, Điều 26 khoản 1 điểm b), or a letter of several contents (content_type "mixed", guided to split it)."""
    content, outside = _fact(case, "content_type"), _fact(case, "competent") is False
    if content == "mixed" or (outside and content in COMPLAINT_TYPES):
        return None
    if outside and content == "denunciation" and case.channel == IN_PERSON:
        return None
    return msg(N_("Chỉ hướng dẫn đơn khiếu nại không thuộc thẩm quyền, tố cáo không thuộc thẩm quyền do người tố cáo "
                  "trực tiếp đến trình bày, hoặc đơn có nhiều nội dung (Luật Tiếp công dân 2013, Điều 25 khoản 3, "
                  "Điều 26 khoản 1 điểm b; Luật Tố cáo 2018, Điều 24 khoản 2)"))


@guard("target_matches_content", facts=_TRIAGE_FACTS)
def target_matches_content(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """facts["content_type"] is a kind a letter can become (not "mixed") and payload target_kind, when given,
    equals it."""
    content = _fact(case, "content_type")
    if content == "mixed":
        return msg(N_("Đơn có nhiều nội dung: hướng dẫn người gửi tách đơn (Luật Tiếp công dân 2013, Điều 25 khoản 3)"))
    target = payload.get("target_kind")
    if target is None or target == content:
        return None
    return msg(N_("Loại hồ sơ giải quyết phải đúng loại đơn đã phân loại; phân loại lại đơn nếu cần"))


# --- mass cases ------------------------------------------------------------------------------------------------------

MASS_PEOPLE = 5  # five or more people with the same content (Thông tư 07/2014/TT-TTCP, Điều 6 khoản 4)
MASS_BASIS = "Luật Tiếp công dân 2013, Điều 29; Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2"


def representatives_allowed(people: int) -> int:
    """The most representatives a mass case of `people` people may appoint: 2 up to ten people, 5 above."""
    return 2 if people <= 10 else 5


@guard("mass_representatives_valid",
       facts={"people_count": "count", "representatives_count": "count", "appointment_recorded": "boolean"})
def mass_representatives_valid(case: CaseView, actor: Actor, payload: Mapping[str, Any]) -> Msg | None:
    """A mass case (flag mass, or facts["people_count"] of 5 or more) has 1-2 representatives for 5-10 people and
    1-5 above ten (facts["representatives_count"]), appointed in writing (facts["appointment_recorded"])
    (Luật Tiếp công dân 2013, Điều 29; Nghị định 124/2020/NĐ-CP, Điều 6 khoản 2)."""
    people = int(_fact(case, "people_count", 0) or 0)
    if "mass" not in case.flags and people < MASS_PEOPLE:
        return None
    reps, most = int(_fact(case, "representatives_count", 0) or 0), representatives_allowed(people)
    problem = "none" if reps == 0 else "too_many" if reps > most else None
    if problem is None and _fact(case, "appointment_recorded") is not True:
        problem = "unappointed"
    if problem is None:
        return None
    # with the number of people when it is known: whole sentences, so that each translates as one
    return msg(MASS_REFUSALS[problem][bool(people)], people=people, most=most, reps=reps, basis=MASS_BASIS)


#: a mass case's refusals, each (without the number of people, with it)
MASS_REFUSALS = {
    "none": (N_("Vụ việc đông người chưa có người đại diện: phải cử từ 1 đến %(most)s người đại diện (%(basis)s)"),
             N_("Vụ việc đông người (%(people)s người) chưa có người đại diện: phải cử từ 1 đến %(most)s người đại "
                "diện (%(basis)s)")),
    "too_many": (N_("Vụ việc đông người chỉ được cử tối đa %(most)s người đại diện, hồ sơ đang có %(reps)s người "
                    "(%(basis)s)"),
                 N_("Vụ việc đông người (%(people)s người) chỉ được cử tối đa %(most)s người đại diện, hồ sơ đang có "
                    "%(reps)s người (%(basis)s)")),
    "unappointed": (N_("Vụ việc đông người chưa có văn bản cử người đại diện có chữ ký của những người cùng khiếu "
                       "nại, tố cáo, kiến nghị (%(basis)s)"),
                    N_("Vụ việc đông người (%(people)s người) chưa có văn bản cử người đại diện có chữ ký của những "
                       "người cùng khiếu nại, tố cáo, kiến nghị (%(basis)s)")),
}
