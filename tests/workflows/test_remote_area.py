"""'Vùng sâu, vùng xa đi lại khó khăn' (Luật Khiếu nại 2011, Điều 28, 33, 37, 44) as the complainant's, not only the
resolving unit's: after the two-level reform a provincial department (a unit not marked remote) resolves the second
complaint of a complainant from a remote commune. The case flag remote_area gives the remote variants like the unit's
flag: a complainant who learned of the first decision on 01/10/2026 may complain again until Monday 16/11/2026
(45 days, 15/11 a Sunday) instead of Monday 02/11 (30 days, 31/10 a Saturday), and the second-instance resolution
limit is 60 days instead of 45."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlalchemy import select

from dvflow.engine.calendar import WorkCalendar
from dvflow.engine.deadlines import compute_due
from dvflow.engine.types import (
    CASE_FLAGS,
    Actor,
    CaseView,
    ClockView,
    Outcome,
    Rejection,
)
from dvflow.engine.workflow import fire, load_all
from dvflow.engine.workflow.information import StartEvent, information_windows
from dvflow.models import Clock
from dvflow.services import cases
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.deadlines import windows
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.timeutil import TZ

REG = load_all(Path(__file__).resolve().parents[2] / "workflows")
KN, KN2 = REG.get("complaint_first"), REG.get("complaint_second")
HEAD = Actor(1, frozenset({"head", "handler"}), is_head=True)
CAL = WorkCalendar()
KNOWN = [StartEvent("record_known_date", date(2026, 10, 5), {"known_on": date(2026, 10, 1)})]


def window_until(flags: frozenset[str], unit_remote: bool = False) -> date:
    found = {w.clock: w for w in information_windows(KN2, KNOWN, received_on=date(2026, 10, 5), facts={}, flags=flags,
                                                     remote_area=unit_remote, calendar=CAL)}
    return found["limitation"].until


def test_remote_area_is_a_case_flag():
    assert "remote_area" in CASE_FLAGS


def test_the_case_flag_gives_the_remote_window_and_limit_like_the_unit_flag():
    assert window_until(frozenset()) == date(2026, 11, 2)
    assert window_until(frozenset({"remote_area"})) == date(2026, 11, 16)
    assert window_until(frozenset(), unit_remote=True) == date(2026, 11, 16)
    resolve = KN2.clocks["resolve"]
    assert resolve.choose_rule(date(2026, 11, 2), frozenset(), False).days == 45
    assert resolve.choose_rule(date(2026, 11, 2), frozenset({"remote_area"}), False).days == 60
    assert resolve.choose_rule(date(2026, 11, 2), frozenset({"remote_area", "complex"}), False).days == 70


def test_finding_the_complainant_remote_lengthens_the_running_limit():
    case = CaseView(kind=KN2.id, state="verifying", status="open", received_on=date(2026, 10, 28),
                    last_event_on=date(2026, 11, 2), facts={"party_roles": ["complainant"]},
                    clocks={"resolve": ClockView("resolve", "running", date(2026, 11, 2), due_on=date(2026, 12, 17))})
    o = fire(KN2, case, "mark_remote_area", HEAD, {"decided_on": "2026-11-10", "reason": "Xã Xa, đường đèo"},
             datetime(2026, 11, 10, 2, tzinfo=timezone.utc))
    assert isinstance(o, Outcome), o
    assert "remote_area" in o.set_flags
    [ext] = [x.extension for x in o.clock_ops if x.clock == "resolve" and x.op == "extend"]
    assert ext.days == 15 and "Điều 37" in ext.reason
    rule = KN2.clocks["resolve"].choose_rule(date(2026, 11, 2), frozenset(), False)
    assert compute_due(rule, date(2026, 11, 2), CAL, (), [ext]).due_date == date(2027, 1, 4)  # 60 d: Sat 01/01
    again = fire(KN2, replace(case, flags=frozenset({"remote_area"})), "mark_remote_area", HEAD,
                 {"decided_on": "2026-11-10", "reason": "Xã Xa"}, datetime(2026, 11, 10, 2, tzinfo=timezone.utc))
    assert isinstance(again, Rejection) and again.code == "guard"


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), TZ)


def second_complaint(session, workflows, org, remote: bool):
    data = IntakeInput(kind="complaint_second", unit_id=org["dept"].id, channel="letter", received_at=at(date(2026, 10, 5)),
                       subject="Khiếu nại lần hai về bồi thường", remote_area=remote,
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An")])
    head = org["users"]["head"]
    case = register_case(session, workflows, org["users"]["reception"], data, at(date(2026, 10, 5)))
    cases.perform(session, workflows, head, case.id, "record_known_date", {"known_on": "2026-10-01"}, at(date(2026, 10, 5)))
    cases.perform(session, workflows, head, case.id, "accept", {"decision_number": "1/TB", "decision_date": "2026-10-07"},
                  at(date(2026, 10, 7)))
    return case


def test_a_remote_complainant_at_a_department_gets_the_remote_limits(session, workflows, org):
    assert not org["dept"].remote_area  # the resolving department is not remote; the complainant is
    for remote, days, due, until in ((False, 45, date(2026, 11, 23), date(2026, 11, 2)),
                                     (True, 60, date(2026, 12, 7), date(2026, 11, 16))):
        case = second_complaint(session, workflows, org, remote)
        assert case.remote_area is remote and ("remote_area" in case.flags) is remote
        resolve = session.scalar(select(Clock).where(Clock.case_id == case.id, Clock.name == "resolve"))
        assert (resolve.days, resolve.due_date) == (days, due), remote
        shown = {w.clock: w.until for w in windows.windows_of(session, case, workflows.for_case(case, session),
                                                              load_calendar(session))}
        assert shown["limitation"] == until, remote
