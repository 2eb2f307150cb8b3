"""A follow-up task's time limit met or missed by its dates alone, the top of the tree told of its own overdue
tasks, and no mail to an officer who has left (a review's reproductions, 2026-12-06)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from dvflow import org_tree
from dvflow.models import Clock, EscalationRecord, Notification, ReceptionSession
from dvflow.notify.dispatcher import INACTIVE, dispatch_batch
from dvflow.notify.email import MailSettings
from dvflow.services import commitments
from dvflow.services.cases.actions import perform
from dvflow.services.commitments import CommitmentInput
from dvflow.services.deadlines.sweep import sweep
from dvflow.services.org import accounts
from dvflow.timeutil import TZ

GIVEN = date(2026, 11, 23)
NOW = datetime.combine(date(2026, 11, 25), time(9), TZ)


def _task(session, workflows, org, unit="dept"):
    held = ReceptionSession(unit_id=org["province"].id, kind="periodic", mode="in_person", day=GIVEN,
                            start_time=time(8), end_time=time(11), place="Trụ sở", status="held", created_at=NOW)
    session.add(held)
    session.flush()
    return commitments.create(session, workflows, org["users"]["chair"], CommitmentInput(
        source="reception_conclusion", unit_id=org[unit].id, session_id=held.id, days=10,
        description="Trả lời công dân", start_on=GIVEN), NOW)


def _clock(session, case_id):
    return session.scalars(select(Clock).where(Clock.case_id == case_id).order_by(Clock.id.desc())).first()


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


def test_a_report_dated_before_the_last_day_is_on_time_whether_or_not_the_sweep_ran(session, workflows, org):
    states = []
    for sweep_first in (False, True):
        task = _task(session, workflows, org)
        assert _clock(session, task.case_id).due_date == date(2026, 12, 3)
        if sweep_first:  # the sweep marks the limit overdue on 04/12 ...
            sweep(session, now=_at(date(2026, 12, 4)), ladder=workflows.ladder)
        # ... the report, dated 02/12, is entered on 07/12
        perform(session, workflows, org["users"]["head"], task.case_id, "report",
                {"reported_on": "2026-12-02", "result": "Đã trả lời bằng văn bản"}, _at(date(2026, 12, 7)))
        session.expire_all()
        states.append(_clock(session, task.case_id).state)
    assert states == ["met", "met"]


def test_a_report_dated_after_the_last_day_is_late(session, workflows, org):
    task = _task(session, workflows, org)
    perform(session, workflows, org["users"]["head"], task.case_id, "report",
            {"reported_on": "2026-12-04", "result": "Đã trả lời bằng văn bản"}, _at(date(2026, 12, 7)))
    session.expire_all()
    assert _clock(session, task.case_id).state == "missed"


def test_the_top_of_the_tree_tells_its_own_head_when_its_task_is_overdue(session, workflows, org):
    task = _task(session, workflows, org, unit="province")
    clock = _clock(session, task.case_id)
    sweep(session, now=_at(date(2026, 12, 21)), ladder=workflows.ladder)
    steps = session.scalars(select(EscalationRecord).where(EscalationRecord.clock_id == clock.id)).all()
    told = session.scalars(select(Notification.user_id).where(Notification.case_id == task.case_id,
                                                              Notification.channel == "inbox")).all()
    assert steps and org["users"]["chair"].id in told  # the province's own head, for want of one above


class _Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send(self, msg, to_address) -> None:
        self.sent.append(msg["To"])


def test_mail_queued_for_an_officer_who_has_left_is_not_sent(session, workflows, org):
    _task(session, workflows, org)
    at = _at(date(2026, 12, 4), 1)
    sweep(session, now=at, ladder=workflows.ladder)
    head = org["users"]["head"]
    pending = session.scalars(select(Notification).where(Notification.user_id == head.id,
                                                         Notification.channel == "email",
                                                         Notification.delivery == "pending")).all()
    assert pending
    accounts.set_active(session, org["users"]["chair"], head, False, at + timedelta(hours=1))
    org_tree.forget(session)
    recorder = _Recorder()
    dispatch_batch(session, now=at + timedelta(hours=2), mailer_factory=lambda: recorder,
                   settings=MailSettings(host="smtp.example", port=25, sender="dvflow@example.vn"))
    assert head.email not in " ".join(recorder.sent)
    assert {(n.delivery, n.last_error) for n in pending} == {("skipped", INACTIVE)}


def test_a_task_done_late_leaves_no_open_clock_and_no_overdue_line(session, workflows, org):
    """The sweep marks the limit overdue on its last day; the late report then stops it (missed) and the
    confirmation closes the case: nothing stays open to be listed as overdue or escalated again."""
    from dvflow.services.reports.overdue import overdue_page

    task = _task(session, workflows, org)
    sweep(session, now=_at(date(2026, 12, 4)), ladder=workflows.ladder)
    assert _clock(session, task.case_id).state == "missed" and _clock(session, task.case_id).closed_at is None
    perform(session, workflows, org["users"]["head"], task.case_id, "report",
            {"reported_on": "2026-12-05", "result": "Đã trả lời bằng văn bản"}, _at(date(2026, 12, 7)))
    perform(session, workflows, org["users"]["chair"], task.case_id, "confirm", {"confirmed_on": "2026-12-08"},
            _at(date(2026, 12, 8)))
    session.flush()
    session.expire_all()
    clocks = session.scalars(select(Clock).where(Clock.case_id == task.case_id)).all()
    assert [(c.state, c.closed_at is not None) for c in clocks] == [("missed", True)]
    listed = overdue_page(session, None, _at(date(2026, 12, 30)))
    assert task.case_id not in [c.case_id for u in listed.units for c in u.cases]
    before = session.scalar(select(func.count()).select_from(EscalationRecord))
    sweep(session, now=_at(date(2026, 12, 30)), ladder=workflows.ladder)
    assert session.scalar(select(func.count()).select_from(EscalationRecord)) == before


def test_calling_a_task_off_is_judged_by_its_dates_whether_or_not_the_sweep_ran(session, workflows, org):
    """Called off on 01/12 (before its last day, 03/12), entered on 07/12: cancelled either way; called off on
    05/12: missed either way."""
    outcomes = []
    for cancelled_on in ("2026-12-01", "2026-12-05"):
        for sweep_first in (False, True):
            task = _task(session, workflows, org)
            if sweep_first:
                sweep(session, now=_at(date(2026, 12, 4)), ladder=workflows.ladder)
            perform(session, workflows, org["users"]["chair"], task.case_id, "cancel",
                    {"cancelled_on": cancelled_on, "reason": "Nhiệm vụ không còn cần thực hiện"},
                    _at(date(2026, 12, 7)))
            session.expire_all()
            outcomes.append(_clock(session, task.case_id).state)
    assert outcomes == ["cancelled", "cancelled", "missed", "missed"]
