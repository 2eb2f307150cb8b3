"""The scorecard's reception criterion (reception_days_ratio) against the compliance engine's reading of the rules:
a finished year is judged whole, and each month (or week) is counted apart, as on the compliance page."""
from __future__ import annotations

from datetime import date, time

from factories import NOW

from dvflow.models import ReceptionOfficial, ReceptionSession
from dvflow.services.reports import scorecard_facts as facts

from . import scorecard_fixtures as fx


def _official(session, unit, position, start, end=None) -> ReceptionOfficial:
    row = ReceptionOfficial(unit_id=unit.id, full_name="Nguyễn Văn A", title="Thủ trưởng", position=position,
                            active_from=start, active_to=end, created_at=NOW)
    session.add(row)
    session.flush()
    return row


def _held(session, official, *days) -> None:
    for day in days:
        session.add(ReceptionSession(unit_id=official.unit_id, kind="periodic", mode="in_person",
                                     official_id=official.id, day=day, start_time=time(8), end_time=time(11),
                                     place="Trụ sở", status="held", created_at=NOW))
    session.flush()


def _ratio(session, unit, year: int) -> facts.Fact:
    return facts.reception_days_ratio(session, unit.id, {unit.id}, facts.Year(year, NOW), fx.context())


def test_a_finished_year_owes_its_december(session, org):
    # one day a month in 2025, held January to November (the 10th, or the next working day), December not
    official = _official(session, org["dept"], "agency_head", date(2025, 1, 1))
    _held(session, official, *(date(2025, month, 10) for month in (1, 2, 3, 4, 6, 7, 9, 10, 11)),
          date(2025, 5, 12), date(2025, 8, 11))  # 10/5 and 10/8/2025 are Saturday and Sunday
    fact = _ratio(session, org["dept"], 2025)
    assert fact.value == round(100 * 11 / 12, 2) and [n for _label, n in fact.counts] == [11, 12]


def test_a_finished_year_owes_its_last_week_running_into_january(session, org):
    # weekly rule of 2020: the week of Thursday 31/12/2020 runs to Sunday 3/1/2021 and belongs to December
    official = _official(session, org["remote"], "commune_chair", date(2020, 11, 30))
    _held(session, official, date(2020, 12, 1), date(2020, 12, 8), date(2020, 12, 15), date(2020, 12, 22))
    fact = _ratio(session, org["remote"], 2020)
    assert fact.value == 80.0 and [n for _label, n in fact.counts] == [4, 5]


def test_extra_days_of_one_week_never_make_up_for_another(session, org):
    # March 2026, weekly rule (commune chair before 01/7/2026): four days in the week of Thursday 5/3 and nothing
    # in the weeks of 12, 19 and 26/3 — one week kept of four, as on the compliance page (LTCD Art 15(2)(d))
    official = _official(session, org["remote"], "commune_chair", date(2026, 3, 1), date(2026, 3, 31))
    _held(session, official, date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5))
    fact = _ratio(session, org["remote"], 2026)
    assert fact.value == 25.0 and [n for _label, n in fact.counts] == [1, 4]
