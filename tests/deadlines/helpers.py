"""Builders shared by the scheduler tests: a two-level unit tree, users, cases and clocks with a test ladder."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timezone

from factories import NOW

from dvflow.engine.types import LadderStep
from dvflow.models import Case, Clock, Membership, Unit, User, WorkflowVersion
from dvflow.services.deadlines.calendar import load_calendar
from dvflow.services.deadlines.clocks import refresh

# start 02/11/2026 (Monday) + 30 calendar days -> due 02/12/2026 (Wednesday), ends 02/12 24:00 local = 17:00 UTC
START = date(2026, 11, 2)
DUE = date(2026, 12, 2)
LADDER = (
    LadderStep("before_2", -2, "calendar_days", ("assignee",), (), "Nhắc trước 2 ngày"),
    LadderStep("due", 0, "calendar_days", ("assignee", "unit_head"), ("mark_missed",), "Đến hạn"),
    LadderStep("after_2", 2, "calendar_days", ("unit_head", "parent_head"), ("raise_level", "mark_priority"),
               "Quá hạn 2 ngày"),
    LadderStep("after_5", 5, "calendar_days", ("parent_head", "supervisors"), ("raise_level", "reassign_parent"),
               "Quá hạn 5 ngày"),
)
# when each step is due (UTC): before_2 = 00:00 local 30/11; the others = 24:00 local of 02/12, 04/12, 07/12
STEP_AT = {
    "before_2": datetime(2026, 11, 29, 17, 0, tzinfo=timezone.utc),
    "due": datetime(2026, 12, 2, 17, 0, tzinfo=timezone.utc),
    "after_2": datetime(2026, 12, 4, 17, 0, tzinfo=timezone.utc),
    "after_5": datetime(2026, 12, 7, 17, 0, tzinfo=timezone.utc),
}


def ladder_json(ladder=LADDER) -> list[dict]:
    """The ladder as JSON for the worker processes."""
    return [asdict(step) for step in ladder]


def fixed_ladder(ladder=LADDER):
    """A ladder lookup (session, workflow version, clock name) -> steps, as the workflow registry provides it."""
    return lambda session, workflow_version, clock_name: ladder


class FakeWorkflows:
    """Stands in for app.extensions["dvflow.workflows"]: only the ladder lookup the scheduler uses."""

    def __init__(self, ladder=LADDER):
        self.steps = ladder

    def ladder(self, session, workflow_version, clock_name):
        return self.steps


class World:
    """Units P (province) > D (department), users and the ids the tests check."""

    def __init__(self, session, now: datetime = NOW, tag: str = ""):
        self.session, self.now, self.tag = session, now, tag
        self.parent = self._unit("P", "UBND tỉnh", "province", None)
        self.unit = self._unit("D", "Thanh tra tỉnh", "department", self.parent)
        self.handler = self._user("handler", "Nguyễn Văn Hải", self.unit, "handler", email=True)
        self.head = self._user("head", "Trần Thị Hoa", self.unit, "head", email=True)
        self.parent_head = self._user("phead", "Lê Văn Phúc", self.parent, "head", email=True)
        self.supervisor = self._user("sup", "Phạm Giám Sát", self.parent, "supervisor", email=False)
        if session.get(WorkflowVersion, "wf-test") is None:
            session.add(WorkflowVersion(hash="wf-test", workflow_id="complaint_first", source="id: test",
                                        created_at=now))
        session.flush()
        self.count = 0

    def _unit(self, code, name, level, parent):
        unit = Unit(code=code + self.tag, name=name, level=level, parent=parent)
        self.session.add(unit)
        return unit

    def _user(self, name, full_name, unit, role, email):
        user = User(username=name + self.tag, full_name=full_name, password_hash="x", created_at=self.now,
                    email=f"{name}{self.tag}@example.vn" if email else None)
        user.memberships.append(Membership(unit=unit, role=role))
        self.session.add(user)
        return user

    def case(self, *, assignee=True) -> Case:
        self.count += 1
        case = Case(tracking_code=f"KN-2026-{self.tag}{self.count:06d}", tracking_secret_hash="s", kind="complaint_first",
                    workflow_id="complaint_first", workflow_version="wf-test", state="resolving", unit=self.unit,
                    assignee=self.handler if assignee else None, channel="letter", received_at=self.now,
                    subject="Khiếu nại về bồi thường đất đai", created_at=self.now, facts={})
        self.session.add(case)
        self.session.flush()
        return case

    def clock(self, case: Case, *, ladder=LADDER, start: date = START, days: int = 30, name="resolve") -> Clock:
        clock = Clock(case_id=case.id, name=name, label="Thời hạn giải quyết", unit="calendar_days", days=days,
                      start_date=start, started_at=self.now, state="running", pauses=[], extensions=[],
                      basis="Luật Khiếu nại 2011, Điều 28")
        self.session.add(clock)
        self.session.flush()
        refresh(self.session, clock, ladder, load_calendar(self.session), self.now)
        self.session.flush()
        return clock

    def pin(self, case: Case, version: str) -> Case:
        """Pin the case to another stored workflow version: a ladder lookup (by version) tells it apart."""
        if self.session.get(WorkflowVersion, version) is None:
            self.session.add(WorkflowVersion(hash=version, workflow_id="complaint_first", source="id: test",
                                             created_at=self.now))
        self.session.flush()
        case.workflow_version = version
        self.session.flush()
        return case

    def case_with_clock(self, **kwargs) -> tuple[Case, Clock]:
        case = self.case()
        return case, self.clock(case, **kwargs)
