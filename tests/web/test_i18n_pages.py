"""Every main page in English after /ngon-ngu/en (no common Vietnamese UI words left), and in Vietnamese by default."""
from __future__ import annotations

import re

import pytest

from .conftest import csrf_from
from .helpers import make_case

#: Vietnamese UI words that must not survive on an English page (they come from templates, labels or flashes)
VIETNAMESE_UI = ["Đăng xuất", "Hồ sơ của tôi", "Thời hạn", "Quá trình xử lý", "Trang chủ", "Bảng điều khiển",
                 "Hộp thư", "Tiếp nhận đơn", "Tìm kiếm", "Trạng thái", "Không có", "Đơn vị", "Mã hồ sơ"]

#: (who, path, English strings expected, Vietnamese strings expected); "{case}" is the case id
PAGES = [
    ("reception", "/trang-chu", ["Log out", "Your roles", "Reception officer"], ["Đăng xuất", "Vai trò của bạn"]),
    ("reception", "/tiep-nhan/moi", ["Register a letter or citizen reception visit", "Complainant"],
     ["Tiếp nhận đơn, lượt tiếp công dân", "Người khiếu nại"]),
    ("reception", "/tiep-nhan/so", ["Citizen ID number", "Following Form No. 03/TCD"],
     ["Số CCCD", "Theo Mẫu số 03/TCD"]),
    ("handler", "/trang-chu", ["My cases", "Log out"], ["Hồ sơ của tôi", "Đăng xuất"]),
    ("handler", "/ho-so", ["My cases", "Case number", "Unit cases"], ["Hồ sơ của tôi", "Mã hồ sơ"]),
    ("head", "/ho-so/{case}", ["Time limits", "Case history", "Actions", "Parties", "Complainant"],
     ["Thời hạn", "Quá trình xử lý", "Thao tác", "Người khiếu nại"]),
    ("handler", "/ho-so/{case}", ["Time limits", "Case history"], ["Thời hạn", "Quá trình xử lý"]),
    ("head", "/bang-dieu-khien", ["On-time resolution rate", "Overdue cases by unit", "This month"],
     ["Tỷ lệ giải quyết đúng hạn", "Tháng này"]),
    ("head", "/bang-dieu-khien/bao-cao-dinh-ky", ["Periodic reports", "Quarterly report", "Figures from", "By channel"],
     ["Báo cáo định kỳ", "Báo cáo quý", "Số liệu tính từ ngày", "Theo hình thức tiếp nhận"]),
    ("head", "/hop-thu", ["Inbox", "Mark all as read"], ["Hộp thư", "Đánh dấu tất cả đã đọc"]),
    ("supervisor", "/bang-dieu-khien", ["Figures for all units.", "Dashboard"], ["Bảng điều khiển"]),
    ("admin", "/quan-tri/lich", ["Days off and make-up working days in", "Make-up working day"],
     ["Ngày nghỉ, ngày làm bù năm", "Ngày làm việc bù"]),
    ("admin", "/quan-tri/don-vi", ["Create unit", "Province level"], ["Tạo đơn vị", "Cấp tỉnh"]),
]


#: the explanation of a time limit quotes the workflow's rule label and legal basis as recorded (Vietnamese, e.g.
#: "Thời hạn thụ lý: 7 ngày làm việc"), so it is left out of the "no Vietnamese left" check; its own lines are
#: checked in test_the_time_limits_explanation_follows_the_locale
CLOCK_EXPLANATION = re.compile(r"</summary>.*?</details>", re.S)


def _lang(html: str) -> str:
    match = re.search(r'<html lang="(\w+)"', html)
    assert match, "no <html lang> on the page"
    return match.group(1)


@pytest.fixture
def case(app, session, org):
    return make_case(app, session, org)


def _page(browser, path: str, case, lang: str) -> str:
    """The page at `path` as served in `lang`: 200 and <html lang> checked."""
    resp = browser.get(path.format(case=case.id))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[:500]
    assert _lang(html) == lang
    return html


@pytest.mark.parametrize("who, path, english, vietnamese", PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_page_in_english(login, case, who, path, english, vietnamese):
    browser = login(who)
    assert browser.get("/ngon-ngu/en").status_code in (302, 303)
    html = _page(browser, path, case, "en")
    for text in english:
        assert text in html, f"{text!r} missing from {path} in English"
    ui = CLOCK_EXPLANATION.sub("", html)
    left = [w for w in VIETNAMESE_UI if w in ui]
    assert not left, f"Vietnamese UI words on {path} in English: {left}"


@pytest.mark.parametrize("who, path, english, vietnamese", PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_page_in_vietnamese(login, case, who, path, english, vietnamese):
    browser = login(who)
    browser.get("/ngon-ngu/en")
    browser.get("/ngon-ngu/vi")
    html = _page(browser, path, case, "vi")
    for text in vietnamese:
        assert text in html, f"{text!r} missing from {path} in Vietnamese"
    assert "Log out" not in html


def test_workflow_labels_follow_the_locale(app, login, case):
    browser = login("head")
    vi_html = browser.get(f"/ho-so/{case.id}").get_data(as_text=True)
    browser.get("/ngon-ngu/en")
    en_html = browser.get(f"/ho-so/{case.id}").get_data(as_text=True)
    kinds = {d.id: d for d in app.extensions["dvflow.workflows"].kinds()}
    kind = kinds[case.kind]
    state = kind.states[case.state]
    assert kind.label in vi_html and state.label in vi_html
    assert kind.label_en and kind.label_en in en_html
    assert state.label_en and state.label_en in en_html
    assert f"· {kind.label}</h1>" not in en_html


def test_public_tracking_in_english(app, client, case):
    client.get("/ngon-ngu/en")
    page = client.get("/tra-cuu").get_data(as_text=True)
    assert _lang(page) == "en" and "Look up the status of a case" in page and "Secret code" in page
    resp = client.post("/tra-cuu", data={"tracking_code": case.tracking_code, "secret": case.tracking_secret,
                                         "csrf_token": csrf_from(page)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[:500]
    kind = {d.id: d for d in app.extensions["dvflow.workflows"].kinds()}[case.kind]
    assert kind.label_en in html and "In progress" in html
    # the heading names one case ("Hồ sơ" alone is the menu's "Cases")
    assert f"Case {case.tracking_code}</h2>" in html and "Cases " not in html
    assert not [w for w in ("Tra cứu tình trạng hồ sơ", "Loại hồ sơ", "Tình trạng", "Đang giải quyết") if w in html]
    # a failed lookup flashes in English too
    resp = client.post("/tra-cuu", data={"tracking_code": "NOPE", "secret": "NOPE", "csrf_token": csrf_from(page)})
    assert "No case matches" in resp.get_data(as_text=True)


def test_public_tracking_in_vietnamese(client, case):
    page = client.get("/tra-cuu").get_data(as_text=True)
    assert _lang(page) == "vi" and "Tra cứu tình trạng hồ sơ" in page and "Mã bí mật" in page


def test_a_services_refusal_is_shown_in_the_pages_language(login, case):
    """A refusal raised by a service (here: the case changed since the form was loaded) is flashed in English on an
    English page, in Vietnamese on a Vietnamese one: the services' messages are extracted by their error class."""
    vi, en = "Hồ sơ vừa được người khác thay đổi.", "Someone else has just changed this case."
    browser = login("head")
    stale = {"version": str(case.version - 1)}
    r = browser.post(f"/ho-so/{case.id}/thao-tac/accept", stale, token_from=f"/ho-so/{case.id}")
    assert r.status_code == 409 and vi in r.get_data(as_text=True)
    browser.get("/ngon-ngu/en")
    r = browser.post(f"/ho-so/{case.id}/thao-tac/accept", stale, token_from=f"/ho-so/{case.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and en in html and vi not in html


def test_the_workflow_diagram_follows_the_locale(app, login, case):
    """The case page's diagram: its states and actions in English on an English page, where the workflow gives an
    English label (the state boxes are the diagram's <g id="state-…"> nodes)."""
    kind = {d.id: d for d in app.extensions["dvflow.workflows"].kinds()}[case.kind]
    named = [s for s in kind.states.values() if s.label_en]
    assert named
    browser = login("head")
    vi_svg = browser.get(f"/ho-so/{case.id}").get_data(as_text=True).split("<svg", 1)[1].split("</svg>", 1)[0]
    browser.get("/ngon-ngu/en")
    en_svg = browser.get(f"/ho-so/{case.id}").get_data(as_text=True).split("<svg", 1)[1].split("</svg>", 1)[0]
    assert all(s.label in vi_svg for s in named)
    assert all(s.label_en in en_svg for s in named)
    assert not [s.label for s in named if s.label != s.label_en and f">{s.label}<" in en_svg]
    assert "trạng thái)" not in en_svg


def test_the_time_limits_explanation_follows_the_locale(login, case):
    """"Why this date?" is built by the engine as Vietnamese templates with their values: an English page shows
    each line, its weekdays and its unit of days in English (the workflow's own rule label and the legal basis,
    recorded text, stay as written)."""
    browser = login("head")
    explanation = re.compile(r"</summary>.*?<ol>(.*?)</ol>", re.S)
    vi = " ".join(explanation.findall(browser.get(f"/ho-so/{case.id}").get_data(as_text=True)))
    assert "Ngày bắt đầu: 25/11/2026 (Thứ Tư) — ngày này không tính" in vi and "Đơn vị tính: ngày làm việc" in vi
    browser.get("/ngon-ngu/en")
    en = " ".join(explanation.findall(browser.get(f"/ho-so/{case.id}").get_data(as_text=True)))
    assert "Start day: 25/11/2026 (Wednesday) — this day is not counted" in en
    assert "Counted in: working days (Saturdays, Sundays" in en and "Civil Code 2015, Article 147" in en
    assert "Due: end of" in en and "Working day" in en
    left = [w for w in ("Ngày bắt đầu", "Đơn vị tính", "Hạn cuối", "Tính ngày", "Thứ ", "Không tính", "Điều 147")
            if w in en]
    assert not left, f"Vietnamese left in the English explanation: {left}"


def test_a_workflow_refusal_is_shown_in_english_with_the_workflows_english_labels(login, case):
    """The engine's refusals are Vietnamese templates with their values, the workflow's labels among them: an English
    page shows the English sentence and the YAML label_en (a finished Vietnamese f-string could not be translated),
    a Vietnamese page the Vietnamese as before."""
    handler, head = login("handler"), login("head")
    vi_role = "Vai trò của bạn không được thực hiện «Thụ lý»"
    r = handler.post(f"/ho-so/{case.id}/thao-tac/accept", {}, token_from=f"/ho-so/{case.id}")
    assert r.status_code == 403 and vi_role in r.get_data(as_text=True)
    handler.get("/ngon-ngu/en")
    r = handler.post(f"/ho-so/{case.id}/thao-tac/accept", {}, token_from=f"/ho-so/{case.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "Your role may not do “Accept”" in html and vi_role not in html
    head.get("/ngon-ngu/en")
    future = {"decision_number": "1/TB", "decision_date": "2099-01-01", "version": str(case.version)}
    html = head.post(f"/ho-so/{case.id}/thao-tac/accept", future, token_from=f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Acceptance date (01/01/2099) must not be after today (" in html
    assert "không được sau ngày hiện tại" not in html and "Ngày thụ lý (01/01/2099)" not in html
