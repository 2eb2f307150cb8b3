"""The record of administrators' acts (auth review #3): each act writes one row in its own transaction, with who did
it (None from the command line), what, and on whom; a refused act writes none; no password or secret reaches it;
the administrator's user page lists the last acts on the account."""
from __future__ import annotations

import json
import re

import pytest
from factories import NOW, PASSWORD, WEB_ORG, make_org
from sqlalchemy import func, select
from web.conftest import Browser

from dvflow.models import AdminEvent, Membership, Unit, User
from dvflow.services.errors import NotFound, ServiceError
from dvflow.services.org import accounts, admin_log, totp


def _events(session) -> list[AdminEvent]:
    return list(session.scalars(select(AdminEvent).order_by(AdminEvent.id)))


def _one_new(session, before: int) -> AdminEvent:
    """The act wrote exactly one row; that row."""
    events = _events(session)
    assert len(events) == before + 1, [(e.action, e.detail) for e in events[before:]]
    return events[-1]


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(AdminEvent))


@pytest.fixture
def people(session, org):
    return org["users"]["chair"], org["users"]["handler"]


def test_each_use_case_writes_one_event_with_actor_action_and_target(session, org, people):
    actor, handler = people
    acts = [
        (lambda: accounts.create_unit(session, "MOI", "Đơn vị mới", parent_code="TINH", actor=actor),
         "unit_created", None, "MOI"),
        (lambda: accounts.set_unit_contact(session, "MOI", "Số 1 Lê Lợi", "0270 3822 000", actor=actor),
         "unit_contact_changed", None, "MOI"),
        (lambda: accounts.create_user(session, "moi", PASSWORD, now=NOW, actor=actor), "user_created", "moi", None),
        (lambda: accounts.grant_role(session, handler, org["other"], "reception", actor=actor),
         "role_granted", "handler", "SYT"),
        (lambda: accounts.update_user(session, handler, full_name="Trần Văn B", email="b@donvi.gov.vn", actor=actor),
         "user_updated", "handler", None),
        (lambda: accounts.set_active(session, actor, handler, False, NOW), "deactivated", "handler", None),
        (lambda: accounts.set_active(session, actor, handler, True, NOW), "reactivated", "handler", None),
        (lambda: accounts.reset_password(session, handler, NOW, actor=actor), "password_reset", "handler", None),
        (lambda: totp.reset(session, handler, actor=actor), "second_factor_reset", "handler", None),
    ]
    for act, action, username, unit_code in acts:
        before = _count(session)
        act()
        event = _one_new(session, before)
        assert (event.action, event.actor_id) == (action, actor.id)
        assert (session.get(User, event.user_id).username if event.user_id else None) == username
        assert (session.get(Unit, event.unit_id).code if event.unit_id else None) == unit_code
        assert event.at.tzinfo is not None
    mine = [e for e in _events(session) if e.actor_id == actor.id]  # the org fixture's acts came before, actor None
    granted = next(e for e in mine if e.action == "role_granted")
    assert granted.detail == {"role": "reception", "unit_code": "SYT"}
    updated = next(e for e in mine if e.action == "user_updated")
    assert updated.detail == {"full_name": ["", "Trần Văn B"], "email": ["handler@example.test", "b@donvi.gov.vn"]}


def test_a_removed_role_stays_in_the_record(session, org, people):
    actor, handler = people
    membership = accounts.grant_role(session, handler, org["other"], "reception", actor=actor)
    before = _count(session)
    accounts.revoke_role(session, actor, handler, membership.id)
    event = _one_new(session, before)
    assert session.get(Membership, membership.id) is None  # the row went, the record stays
    assert (event.action, event.actor_id, event.user_id, event.unit_id) == ("role_revoked", actor.id, handler.id,
                                                                            org["other"].id)
    assert event.detail == {"role": "reception", "unit_code": "SYT"}


def test_refused_acts_and_a_role_already_held_write_nothing(session, org, people):
    actor, handler = people
    before = _count(session)
    refusals = [
        lambda: accounts.create_unit(session, "TINH", "Trùng mã", actor=actor),
        lambda: accounts.set_unit_contact(session, "STNMT", None, "gọi tôi", actor=actor),
        lambda: accounts.create_user(session, "handler", PASSWORD, now=NOW, actor=actor),
        lambda: accounts.grant_role(session, handler, org["other"], "vua", actor=actor),
        lambda: accounts.update_user(session, handler, full_name="B", email="b@", actor=actor),
        lambda: accounts.set_active(session, actor, actor, False, NOW),
        lambda: accounts.revoke_role(session, actor, handler, 999999),
    ]
    for refused in refusals:
        with pytest.raises((ServiceError, NotFound)):
            refused()
    accounts.grant_role(session, handler, org["dept"], "handler", actor=actor)  # already held: nothing changes
    assert _count(session) == before


def test_no_password_or_secret_in_any_detail(session, org, people):
    actor, handler = people
    handler.totp_secret = "JBSWY3DPEHPK3PXP"
    temporary = accounts.reset_password(session, handler, NOW, actor=actor)
    totp.reset(session, handler, actor=actor)
    accounts.create_user(session, "moi", "mat-khau-rat-dai-123", now=NOW, actor=actor)
    stored = json.dumps([e.detail for e in _events(session)], ensure_ascii=False)
    for secret in (temporary, "JBSWY3DPEHPK3PXP", "mat-khau-rat-dai-123", PASSWORD):
        assert secret not in stored
    with pytest.raises(ValueError):  # the helper refuses one passed by mistake, before writing
        admin_log.record(session, actor, "password_reset", user=handler, new_password="x")


def test_the_command_line_records_no_actor(app, session):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["dvflow", "units", "create", "TINH", "UBND tỉnh", "--level", "province"]).exit_code == 0
    result = runner.invoke(args=["dvflow", "users", "create", "canbo", "--unit", "TINH", "--role", "admin"],
                           input="mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    assert [(e.action, e.actor_id) for e in _events(session)] == [
        ("unit_created", None), ("user_created", None), ("role_granted", None)]


# --- the administrator's user page -------------------------------------------------------------------------------

@pytest.fixture
def web_org(session):
    return make_org(session, **WEB_ORG)


def _admin(app) -> Browser:
    browser = Browser(app.test_client())
    browser.login("admin")
    return browser


def test_the_users_page_lists_the_acts_newest_first(app, session, web_org):
    admin, handler = _admin(app), web_org["users"]["handler"]
    page = f"/quan-tri/nguoi-dung/{handler.id}"
    assert admin.post(page + "/vai-tro", {"unit_code": "SYT", "role": "reception"}, token_from=page).status_code == 302
    shown = admin.post(page + "/dat-lai-mat-khau", token_from=page)
    temporary = re.search(r'<code id="temporary-password">([^<]+)</code>', shown.get_data(as_text=True)).group(1)
    assert admin.post(page + "/khoa", token_from=page).status_code == 302
    assert admin.post(page + "/khoa", token_from=f"/quan-tri/nguoi-dung/{web_org['users']['admin'].id}") \
        .status_code == 302
    refused = admin.post(f"/quan-tri/nguoi-dung/{web_org['users']['admin'].id}/khoa", token_from=page)
    assert refused.status_code == 400  # one's own account: refused, not recorded
    html = admin.get(page).get_data(as_text=True)
    table = html[html.index('id="admin-events"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>\s*<td>(\d\d/\d\d/\d{4} \d\d:\d\d)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", table)
    assert [(who, what) for _, who, what in rows] == [
        ("admin", "Khóa tài khoản"), ("admin", "Khóa tài khoản"), ("admin", "Đặt lại mật khẩu"),
        ("admin", "Thêm vai trò"), ("Dòng lệnh (máy chủ)", "Thêm vai trò"), ("Dòng lệnh (máy chủ)", "Tạo người dùng")]
    assert "Cán bộ tiếp công dân" in table  # the granted role, by its label
    assert temporary not in table
    admin_events = session.scalars(select(AdminEvent).where(AdminEvent.user_id == web_org["users"]["admin"].id))
    assert all(e.action != "deactivated" for e in admin_events)


def test_the_page_shows_at_most_fifty_acts(app, session, web_org):
    handler = web_org["users"]["handler"]
    for _ in range(60):
        admin_log.record(session, web_org["users"]["admin"], "reactivated", user=handler)
    html = _admin(app).get(f"/quan-tri/nguoi-dung/{handler.id}").get_data(as_text=True)
    assert html.count("Mở lại tài khoản</td>") == 50
