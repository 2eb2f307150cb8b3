"""A manual criterion's trail: every submission and review is kept (a value submitted again replaces the value the
score reads, never the record of the one before, nor why it was rejected), and a refused submission adds nothing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dvflow.models import ScorecardEntryEvent
from dvflow.services.errors import ServiceError
from dvflow.services.reports import scorecard_entries

from . import scorecard_fixtures as fx
from .scorecard_fixtures import shown

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def _upload(name="bien-ban.pdf"):
    return scorecard_entries.Upload(name, "application/pdf", b"%PDF-1.4 minh chung")


def _fill(session, user, org, value: str, files, note="", at=NOW):
    return scorecard_entries.fill(session, user, criteria=fx.criteria(), unit_id=org["dept"].id, year=2026, key="dvk",
                                  raw_value=value, note=note, files=files, now=at)


def _trail(entry) -> list[tuple]:
    return [(ev.action, ev.value, ev.note, ev.files, ev.actor.username, ev.at) for ev in entry.events]


def test_submissions_and_reviews_are_all_kept_in_order(session, org):
    handler, head, supervisor = (org["users"][r] for r in ("handler", "head", "supervisor"))
    hour = timedelta(hours=1)
    entry = _fill(session, handler, org, "80", [_upload(), _upload("anh.jpg")], note="Tám mươi")
    scorecard_entries.review(session, supervisor, entry_id=entry.id, submission=shown(session, entry),
                             decision="rejected", note="Thiếu biên bản", now=NOW + hour)
    _fill(session, head, org, "95,5", [], note="Bổ sung", at=NOW + 2 * hour)
    scorecard_entries.review(session, supervisor, entry_id=entry.id, submission=shown(session, entry),
                             decision="verified", note="", now=NOW + 3 * hour)
    session.expire(entry)
    assert (entry.value, entry.status, entry.review_note) == (95.5, "verified", "")  # what the score reads
    assert _trail(entry) == [
        ("submitted", 80, "Tám mươi", 2, handler.username, NOW),
        ("rejected", None, "Thiếu biên bản", 0, supervisor.username, NOW + hour),
        ("submitted", 95.5, "Bổ sung", 0, head.username, NOW + 2 * hour),
        ("verified", None, "", 0, supervisor.username, NOW + 3 * hour)]


def test_a_refused_submission_or_review_adds_nothing_to_the_trail(session, org):
    entry = _fill(session, org["users"]["handler"], org, "3", [_upload()])
    with pytest.raises(ServiceError):
        _fill(session, org["users"]["handler"], org, "ba", [])
    with pytest.raises(ServiceError):
        scorecard_entries.review(session, org["users"]["supervisor"], entry_id=entry.id,
                                 submission=shown(session, entry), decision="rejected", note=" ", now=NOW)
    assert session.scalar(select(func.count(ScorecardEntryEvent.id))) == 1


def test_the_board_does_not_read_the_evidence_files_bytes(session, org):
    """Their bytes (up to 10 MB each) are read only when a file is downloaded: the board and the unit's card list
    the files of every entry."""
    from sqlalchemy import inspect

    from dvflow.services.reports import scorecard

    _fill(session, org["users"]["handler"], org, "3", [_upload()])
    session.expunge_all()
    entries = scorecard.entries_of(session, [org["dept"].id], 2026)
    evidence = entries[org["dept"].id]["dvk"].files[0]
    assert "content" in inspect(evidence).unloaded and evidence.filename == "bien-ban.pdf"
    assert evidence.content == b"%PDF-1.4 minh chung"  # loaded when asked for
