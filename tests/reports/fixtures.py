"""A hand-counted world for the periodic report: cases on both sides of the cut-off days of the third quarter of
2026 on the inspectorate's cut-off (15/06/2026 to 14/09/2026, local time), in Sở NN&MT (dept), Sở Y tế (other) and
Xã Xa (remote), under UBND tỉnh (province).

Built through the intake service, then moved back in time by setting the columns the report reads (received_at,
closed_at, state, status, ...); the clocks intake started are removed and the ones a case needs are added by hand,
so every figure is known: see the expectations in test_periodic.py.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from factories import NOW
from sqlalchemy import delete

from dvflow.models import CaseEvent, Clock, Rating
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.timeutil import TZ

ROLE = {"complaint_first": "complainant", "complaint_second": "complainant", "denunciation": "denouncer",
        "petition": "petitioner", "triage": "complainant", "follow_up": "petitioner", "anonymous_tip": "accused"}
ACTOR = {"dept": "reception", "other": "other_head", "remote": "xa_reception"}  # a user of each unit


def local(day: date, hh: int = 9, mm: int = 0) -> datetime:
    """A local (Hanoi) wall-clock time as an aware instant."""
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


class World:
    def __init__(self, session, workflows, org):
        self.session, self.workflows, self.org = session, workflows, org
        self.seq = 100

    def case(self, kind: str, received: datetime, *, unit: str = "dept", channel: str = "walk_in",
             state: str | None = None, closed: datetime | None = None, result: str | None = None,
             mass: bool = False, people: int | None = None, voided: bool = False, ended_on: date | None = None):
        """A case of `kind`; a closed one ended legally on `ended_on` (default: the day it was closed)."""
        name = "Đối tượng bị tố cáo" if kind == "denunciation" else "Nguyễn Văn An"
        parties = [PartyInput(role=ROLE[kind], name="Nguyễn Văn An")]
        if kind == "denunciation":
            parties.append(PartyInput(role="accused", name=name))
        data = IntakeInput(kind="petition" if kind == "follow_up" else kind, unit_id=self.org[unit].id,
                           channel="walk_in", received_at=NOW, subject=f"{kind} {received:%d/%m %H:%M}",
                           parties=parties)
        c = register_case(self.session, self.workflows, self.org["users"][ACTOR[unit]], data, NOW)
        self.session.execute(delete(Clock).where(Clock.case_id == c.id))
        c.kind, c.channel, c.received_at, c.mass, c.people_count = kind, channel, received, mass, people
        if state:
            c.state = state
        if closed:
            c.closed_at, c.closed_on, c.status = closed, ended_on or local_date_of(closed), "closed"
        if voided:
            c.voided_at = NOW
        if result:
            self.seq += 1
            self.session.add(CaseEvent(case_id=c.id, at=closed or NOW, legal_date=(closed or NOW).date(),
                                       action="conclude" if kind == "denunciation" else "issue_decision",
                                       from_state="approved", to_state="decided", seq=self.seq, hash="0" * 64,
                                       payload={"fields": {"result": result}}))
        self.session.flush()
        return c

    def clock(self, case, *, due: date, state: str = "running", closed: datetime | None = None,
              stopped_on: date | None = None):
        """A time limit of `case`; a closed one stopped legally on `stopped_on` (default: the day it was closed)."""
        due_at = local(due + timedelta(days=1), 0, 0)
        clock = Clock(case_id=case.id, name="resolve", label="Thời hạn giải quyết", unit="working_days",
                      days=30, start_date=local_date_of(case.received_at), started_at=case.received_at,
                      due_date=due, due_at=due_at, state=state, closed_at=closed)
        clock.closed_on = stopped_on or (local_date_of(closed) if closed else None)
        self.session.add(clock)
        self.session.flush()

    def rating(self, case, score: int, at: datetime):
        self.session.add(Rating(case_id=case.id, score=score, created_at=at))
        self.session.flush()


def local_date_of(instant: datetime) -> date:
    return instant.astimezone(TZ).date()


def build(session, workflows, org) -> dict:
    w = World(session, workflows, org)
    d = date
    cases = {
        # out: received 14/06 late evening; ended 15/06 on time, decision "right"
        "c1": w.case("complaint_first", local(d(2026, 6, 14), 23, 30), state="closed",
                     closed=local(d(2026, 6, 15), 8), result="right"),
        # in: received 15/06 just after midnight, ended 14/09 late evening: partly right, a time limit missed
        "c2": w.case("complaint_first", local(d(2026, 6, 15), 0, 30), channel="letter", state="closed",
                     closed=local(d(2026, 9, 14), 22), result="partly_right"),
        # in: received, ended 15/09 just after midnight (after the period): open and overdue at the period's end
        "c3": w.case("complaint_second", local(d(2026, 7, 1)), channel="online", state="closed",
                     closed=local(d(2026, 9, 15), 0, 10), result="wrong"),
        # in: a mass denunciation of 12 people, concluded untrue
        "c4": w.case("denunciation", local(d(2026, 8, 1)), state="closed", closed=local(d(2026, 8, 20)),
                     result="untrue", mass=True, people=12),
        # in: a petition answered
        "c5": w.case("petition", local(d(2026, 8, 10)), channel="phone", state="closed",
                     closed=local(d(2026, 8, 12))),
        # another department: open
        "c6": w.case("complaint_first", local(d(2026, 8, 2)), unit="other"),
        # never counted: a follow-up task (internal work) and a voided case
        "c8": w.case("follow_up", local(d(2026, 8, 4)), channel="assigned"),
        "c9": w.case("complaint_first", local(d(2026, 8, 5)), voided=True),
        # out: received 15/09 just after midnight
        "c10": w.case("denunciation", local(d(2026, 9, 15), 0, 30)),
    }
    if "remote" in org:  # the commune under the province (the services' organisation): terminated in the period
        cases["c7"] = w.case("complaint_first", local(d(2026, 8, 3)), unit="remote", channel="forwarded",
                             state="terminated", closed=local(d(2026, 9, 5)))
    w.clock(cases["c2"], due=d(2026, 9, 1), state="missed", closed=cases["c2"].closed_at)
    w.clock(cases["c3"], due=d(2026, 9, 10), state="missed", closed=cases["c3"].closed_at)
    w.clock(cases["c4"], due=d(2026, 9, 30), state="met", closed=cases["c4"].closed_at)
    letters = {
        "l1": w.case("triage", local(d(2026, 6, 20)), channel="letter", state="accepted", closed=local(d(2026, 6, 25))),
        "l2": w.case("triage", local(d(2026, 6, 21)), channel="letter", state="guided", closed=local(d(2026, 6, 22))),
        "l3": w.case("triage", local(d(2026, 6, 22)), channel="letter", state="archived",
                     closed=local(d(2026, 6, 23))),
        "l4": w.case("triage", local(d(2026, 6, 23)), channel="letter", state="archived",
                     closed=local(d(2026, 6, 24))),
        "l5": w.case("triage", local(d(2026, 6, 24)), channel="letter", state="forwarded",
                     closed=local(d(2026, 9, 15), 0, 10)),
        "l6": w.case("triage", local(d(2026, 6, 14), 23, 59), channel="letter"),
        "l7": w.case("triage", local(d(2026, 6, 25)), channel="letter", state="classified"),
    }
    letters["l1"].handed_off_to_id = cases["c2"].id
    letters["l3"].duplicate_of_id = cases["c3"].id
    session.flush()
    w.rating(cases["c4"], 5, local(d(2026, 8, 21)))
    w.rating(cases["c5"], 2, local(d(2026, 9, 15), 0, 10))  # out
    w.rating(cases["c1"], 4, local(d(2026, 9, 14), 23))
    return {**cases, **letters}
