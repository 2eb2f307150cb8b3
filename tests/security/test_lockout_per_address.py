"""The login lock as a denial of service (a stranger keeping a head out), and the administrator's way out of a lock:
the user's page and its "Mở khóa đăng nhập", and the commands `users unlock` / `users reset-password`. From a
review's reproductions (limits)."""
from __future__ import annotations

from datetime import timedelta

from factories import PASSWORD
from sqlalchemy import select

from dvflow.models import AdminEvent
from dvflow.security import verify_password
from dvflow.services.org import login as login_service
from dvflow.services.org.login_locks import Origin

from .conftest import post_login

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
HEAD_DESK = {"REMOTE_ADDR": "10.1.2.3"}


def _wrong(client):
    return post_login(client, "head", "doan-bua-mot-mat-khau")


def _client(app, environ):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _attacker_lock(app, clock):
    origin = Origin(ATTACKER["REMOTE_ADDR"], app.extensions["dvflow.login_locks"])
    return login_service.address_locked_until("head", clock(), origin)


def test_a_stranger_cannot_keep_a_head_out_with_one_wrong_login_each_time_the_lock_ends(app, session, org, clock):
    """5 wrong logins, then one more each time the lock runs out, for a day and a half: the stranger's address stays
    locked, the head signs in from their own with the right password."""
    attacker = _client(app, ATTACKER)
    for _ in range(5):
        _wrong(attacker)
    for _ in range(12):
        clock.set(_attacker_lock(app, clock) + timedelta(seconds=1))
        _wrong(attacker)
    assert _attacker_lock(app, clock) is not None
    clock.advance(minutes=30)
    assert post_login(_client(app, HEAD_DESK), "head", PASSWORD).status_code == 302
    assert post_login(attacker, "head", PASSWORD).status_code == 200  # still locked from the stranger's address


def _user_page(browser, user) -> str:
    return browser.get(f"/quan-tri/nguoi-dung/{user.id}").get_data(as_text=True)


def _lock_line(page: str) -> str:
    return page.split('id="login-lock">', 1)[1].split("</p>", 1)[0]


def test_the_administrator_sees_the_lock_and_lifts_it(app, session, org, clock, login):
    head = org["users"]["head"]
    failures = login_service.ACCOUNT_MAX_FAILURES  # five from each of ten addresses
    for i in range(failures):
        _wrong(_client(app, {"REMOTE_ADDR": f"203.0.113.{i // login_service.MAX_FAILURES + 1}"}))
    admin = login("admin")
    line = _lock_line(_user_page(admin, head))
    assert "Đang bị khóa đăng nhập đến" in line and f"{failures} lần đăng nhập sai" in line
    assert post_login(_client(app, HEAD_DESK), "head", PASSWORD).status_code == 200  # the whole account is locked
    answer = admin.post(f"/quan-tri/nguoi-dung/{head.id}/mo-khoa-dang-nhap", {},
                        token_from=f"/quan-tri/nguoi-dung/{head.id}")
    assert answer.status_code == 302
    page = _user_page(admin, head)
    assert "Đang bị khóa" not in _lock_line(page) and "Mở khóa đăng nhập" in page
    event = session.scalars(select(AdminEvent).where(AdminEvent.user_id == head.id)
                            .order_by(AdminEvent.id.desc())).first()
    assert event.action == "user_updated" and event.detail["login_unlocked"] is True
    assert event.detail["failed_logins"] == [failures, 0] and event.actor_id == org["users"]["admin"].id
    assert post_login(_client(app, HEAD_DESK), "head", PASSWORD).status_code == 302
    assert post_login(_client(app, ATTACKER), "head", PASSWORD).status_code == 302  # every address's lock too


def test_a_few_failures_show_on_the_users_page(app, session, org, login):
    for _ in range(3):
        _wrong(_client(app, ATTACKER))
    assert "3 lần đăng nhập sai liên tiếp" in _lock_line(_user_page(login("admin"), org["users"]["head"]))


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["dvflow", "users", *args])


def test_users_unlock_from_the_command_line(app, session, org, clock):
    """Every administrator kept locked (`admin` is an easy guess): the server's command line lifts the locks."""
    attacker = _client(app, ATTACKER)
    for _ in range(5):
        post_login(attacker, "admin", "doan-bua-mot-mat-khau")
    assert post_login(attacker, "admin", PASSWORD).status_code == 200
    result = _cli(app, "unlock", "ADMIN")
    assert result.exit_code == 0, result.output
    assert "Đã mở khóa đăng nhập của admin" in result.output
    assert post_login(attacker, "admin", PASSWORD).status_code == 302
    event = session.scalars(select(AdminEvent).order_by(AdminEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.user_id) == ("user_updated", None, org["users"]["admin"].id)
    assert _cli(app, "unlock", "khong-co").exit_code != 0


def test_users_reset_password_from_the_command_line(app, session, org):
    result = _cli(app, "reset-password", "handler")
    assert result.exit_code == 0, result.output
    temporary = result.output.strip().splitlines()[-1]
    handler = org["users"]["handler"]
    session.refresh(handler)
    assert verify_password(handler.password_hash, temporary) and handler.must_change_password
    event = session.scalars(select(AdminEvent).order_by(AdminEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.user_id) == ("password_reset", None, handler.id)
    assert temporary not in str(event.detail)
