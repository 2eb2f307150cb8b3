"""The citizen's rating form (/tra-cuu/danh-gia, no login): every refusal is told on the page, in Vietnamese
(review of the public side, F1 and F8)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from dvflow.models import Rating

from .helpers import make_case

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def closed_case(app, session, org):
    case = make_case(app, session, org)
    case.status, case.state = "closed", "closed"
    session.flush()
    return case


def rate(client, case, **data):
    token = CSRF_RE.search(client.get("/tra-cuu").get_data(as_text=True)).group(1)
    form = {"tracking_code": case.tracking_code, "secret": case.tracking_secret, "score": "4", "csrf_token": token}
    return client.post("/tra-cuu/danh-gia", data={**form, **data})


def ratings(session):
    return session.scalar(select(func.count()).select_from(Rating))


def test_a_comment_over_the_limit_is_told_next_to_the_form(app, client, session, org):
    case = closed_case(app, session, org)
    answer = rate(client, case, comment="x" * 2001)
    assert answer.status_code == 400 and "Ý kiến: tối đa 2000 ký tự." in answer.get_data(as_text=True)
    assert ratings(session) == 0


def test_a_browsers_crlf_line_breaks_count_as_one_character(app, client, session, org):
    # 1801 characters with "\n", as the textarea's maxlength counts them; 2401 as the browser sends them
    case = closed_case(app, session, org)
    comment = "ab\r\n" * 600 + "x"
    assert len(comment) > 2000 and len(comment.replace("\r\n", "\n")) <= 2000
    answer = rate(client, case, comment=comment)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    stored = session.scalars(select(Rating)).one()
    assert "\r" not in stored.comment and len(stored.comment) == 1801


def test_a_tampered_score_gets_a_vietnamese_message(app, client, session, org):
    case = closed_case(app, session, org)
    for score in ("9", "9" * 5000):
        page = rate(client, case, score=score).get_data(as_text=True)
        assert "Not a valid choice" not in page and "Mức độ hài lòng: chọn từ 1 đến 5." in page
    assert ratings(session) == 0
