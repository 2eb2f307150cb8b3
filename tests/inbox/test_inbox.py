"""The in-app inbox service: unread count, newest-first list, marking read (only one's own items)."""
from __future__ import annotations

from datetime import timedelta

from deadlines.helpers import STEP_AT, fixed_ladder

from dvflow.services.deadlines.sweep import sweep
from dvflow.services.inbox.notifications import (
    cursor_of,
    list_inbox,
    mark_all_read,
    mark_read,
    unread_count,
)


def test_inbox_lists_counts_and_marks_read(session, world):
    world.case_with_clock()
    sweep(session, now=STEP_AT["before_2"], ladder=fixed_ladder())
    sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())
    user = world.handler.id
    items = list_inbox(session, user)
    assert [n.template for n in items] == ["clock_overdue", "clock_due_soon"]  # newest first
    assert all(n.channel == "inbox" for n in items)  # the e-mail copies are not inbox items
    assert unread_count(session, user) == 2
    assert mark_read(session, user, items[0].id, STEP_AT["due"] + timedelta(hours=1))
    assert items[0].read_at == STEP_AT["due"] + timedelta(hours=1)
    assert unread_count(session, user) == 1
    assert mark_read(session, user, items[0].id, STEP_AT["due"] + timedelta(hours=2))  # already read: unchanged
    assert items[0].read_at == STEP_AT["due"] + timedelta(hours=1)
    assert list_inbox(session, user, limit=1, offset=1) == [items[1]]


def test_nobody_marks_someone_elses_item(session, world):
    world.case_with_clock()
    sweep(session, now=STEP_AT["before_2"], ladder=fixed_ladder())
    [item] = list_inbox(session, world.handler.id)
    assert not mark_read(session, world.head.id, item.id, STEP_AT["due"])
    assert not mark_read(session, world.head.id, 10**9, STEP_AT["due"])
    assert item.read_at is None and unread_count(session, world.head.id) == 0


def test_mark_all_read(session, world):
    world.case_with_clock()
    sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())
    assert mark_all_read(session, world.handler.id, STEP_AT["due"]) == 2
    assert unread_count(session, world.handler.id) == 0
    assert unread_count(session, world.head.id) == 1


def test_inbox_pages_by_cursor(session, world):
    world.case_with_clock()
    sweep(session, now=STEP_AT["before_2"], ladder=fixed_ladder())
    sweep(session, now=STEP_AT["due"], ladder=fixed_ladder())
    user = world.handler.id
    newest, older = list_inbox(session, user)
    assert list_inbox(session, user, limit=1, cursor=cursor_of(newest)) == [older]
    assert list_inbox(session, user, limit=1, cursor=cursor_of(older)) == []
    assert list_inbox(session, user, limit=1, offset=1, cursor="nonsense") == [older]  # a bad token: the offset
