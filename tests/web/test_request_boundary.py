"""The pages' request boundary (dvflow.request.PageBlueprint): a page handler never commits; the boundary commits
once after a successful answer, and a commit the database refuses is a 409 with the Vietnamese message, nothing kept
and the handler's success message taken back."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dvflow.models import ApiToken, Case

from .helpers import make_case

CREATED = "Đã tạo mã truy cập"


@pytest.fixture
def commits(monkeypatch):
    """Counts the commits of the request sessions (the test's own session never commits)."""
    calls: list[int] = []
    original = Session.commit

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Session, "commit", counting)
    return calls


def test_a_successful_page_commits_once(app, session, login, org, commits):
    handler = login("handler")
    case = make_case(app, session, org)
    commits.clear()
    resp = handler.post(f"/ho-so/{case.id}/giao-viec", {"assignee_id": org["users"]["handler"].id})
    assert resp.status_code == 302 and len(commits) == 1
    session.expire_all()
    assert session.get(Case, case.id).assignee_id == org["users"]["handler"].id


def test_a_refused_use_case_commits_nothing(app, session, login, org, commits):
    case = make_case(app, session, org)
    head = login("head")
    commits.clear()
    resp = head.post(f"/ho-so/{case.id}/thao-tac/accept", {"decision_number": "1", "decision_date": "2026-11-25",
                                                            "version": case.version + 5}, token_from=f"/ho-so/{case.id}")
    assert resp.status_code == 409 and commits == []


@pytest.mark.parametrize("error", [StaleDataError("changed meanwhile"), IntegrityError("INSERT", {}, Exception())])
def test_a_refused_commit_is_a_409_and_takes_back_the_success_message(app, session, login, org, monkeypatch, error):
    handler = login("handler")
    page = "/tai-khoan/ma-api"
    handler.get(page)

    def refused(self):
        raise error

    monkeypatch.setattr(Session, "commit", refused)
    resp = handler.post(page, {"name": "Phần mềm một cửa"}, token_from=page)
    monkeypatch.undo()
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Hồ sơ vừa được người khác thay đổi" in html and CREATED not in html
    assert CREATED not in handler.get(page).get_data(as_text=True)
    assert session.scalar(select(ApiToken).where(ApiToken.name == "Phần mềm một cửa")) is None


def test_every_page_blueprint_commits_at_the_boundary(app):
    """The staff pages and the citizen pages alike; only the API commits in its handlers (dvflow.request.commit)."""
    from dvflow.request import PageBlueprint

    pages = {name for name, bp in app.blueprints.items() if isinstance(bp, PageBlueprint)}
    assert set(app.blueprints) - pages == {"api"} and "public" in pages
