"""A denouncer's identity, on paths a review found open (2026-12-06): a correction form that trusted the client's
word for what was revealed, search names left in clear on a letter that became confidential, a correction shown
in clear once its party became a denouncer, and a refused e-mail's address written to the log."""
from __future__ import annotations

import json
import logging

import pytest
from factories import WEB_ORG, make_org
from sqlalchemy import func, select, text
from web.helpers import make_case

from dvflow.models import CaseEvent, IdentityAccess, Notification
from dvflow.notify import outbox
from dvflow.notify.dispatcher import dispatch_batch
from dvflow.notify.email import MailSettings
from dvflow.services import cases
from dvflow.services.cases import corrections
from dvflow.services.cases.intake import PartyInput

NAME, NUMBER, PHONE, ADDRESS = "Phạm Văn Dũng", "079000111222", "0988777666", "Số 9 phố Bí Mật"
REP, REP_NUMBER = "Trần Đại Diện", "001099888777"
REASON = "Cần xác minh nội dung tố cáo với người tố cáo"


@pytest.fixture
def org(session):
    return make_org(session, **{**WEB_ORG, "tokens": True})


def leaked(page: str, *values: str) -> list[str]:
    return [v for v in (values or (NAME, NUMBER, PHONE, ADDRESS)) if v in page]


def denunciation(app, session, org):
    return make_case(app, session, org, kind="denunciation", subject="Tố cáo cán bộ địa chính", parties=[
        PartyInput(role="denouncer", name=NAME, identity_number=NUMBER, phone=PHONE, address=ADDRESS,
                   email="dung.tocao@example.vn"),
        PartyInput(role="accused", name="Ông Bị Tố Cáo")])


def denouncer_id(case) -> int:
    return next(cp.party_id for cp in case.parties if cp.role == "denouncer")


def reveals(session) -> int:
    return session.scalar(select(func.count()).select_from(IdentityAccess))


# --- a refused correction or voiding shows again only what was revealed and recorded -----------------------------

@pytest.mark.parametrize("who, path", [("reception", "sua"), ("handler", "sua"), ("supervisor", "sua"),
                                       ("supervisor", "huy"), ("head", "sua")])
def test_a_form_claiming_a_reveal_shows_no_hidden_party(app, session, org, login, who, path):
    case = denunciation(app, session, org)
    browser = login(who)
    r = browser.post(f"/ho-so/{case.id}/{path}", {"revealed": str(denouncer_id(case)), "reason": "",
                                                  "version": str(case.version)}, token_from=f"/ho-so/{case.id}")
    assert r.status_code in (400, 403)
    assert leaked(r.get_data(as_text=True)) == []
    assert reveals(session) == 0


def test_a_recorded_reveal_still_shows_the_party_in_the_form_refused(app, session, org, login):
    case = denunciation(app, session, org)
    browser = login("head")
    shown = browser.post(f"/ho-so/{case.id}/danh-tinh/{denouncer_id(case)}", {"reason": REASON},
                         token_from=f"/ho-so/{case.id}")
    assert NAME in shown.get_data(as_text=True) and reveals(session) == 1
    again = browser.post(f"/ho-so/{case.id}/sua", {"revealed": str(denouncer_id(case)), "reason": "",
                                                   "version": str(case.version)}, token_from=f"/ho-so/{case.id}")
    assert again.status_code == 400
    assert NAME in again.get_data(as_text=True)  # the officer's own recorded look, shown in the form again


def test_a_reveal_by_someone_else_does_not_cover_the_form(app, session, org, login):
    case = denunciation(app, session, org)
    login("head").post(f"/ho-so/{case.id}/danh-tinh/{denouncer_id(case)}", {"reason": REASON},
                       token_from=f"/ho-so/{case.id}")
    r = login("handler").post(f"/ho-so/{case.id}/sua", {"revealed": str(denouncer_id(case)), "reason": ""},
                              token_from=f"/ho-so/{case.id}")
    assert leaked(r.get_data(as_text=True)) == []


# --- search names of hidden parties ------------------------------------------------------------------------------

def _letter(app, session, org):
    return make_case(app, session, org, kind="triage", subject="Đơn thư gửi Sở", parties=[
        PartyInput(role="denouncer", name=NAME, identity_number=NUMBER, phone=PHONE),
        PartyInput(role="representative", name=REP, identity_number=REP_NUMBER)])


def _search_names(connection, case_id: int) -> dict[str, str]:
    return dict(connection.execute(text(
        "SELECT cp.role, p.name_search FROM parties p JOIN case_parties cp ON cp.party_id = p.id "
        "WHERE cp.case_id = :id"), {"id": case_id}).all())


def test_a_letter_naming_a_denouncer_keeps_no_search_name_and_is_not_found_by_it(app, session, org, login,
                                                                                  connection):
    letter = _letter(app, session, org)
    assert letter.confidential
    assert _search_names(connection, letter.id) == {"denouncer": "", "representative": ""}
    browser = login("reception")
    for q in ("Tran Dai Dien", "Pham Van Dung"):
        page = browser.post("/ho-so", {"q": q}, token_from="/ho-so").get_data(as_text=True)
        assert letter.tracking_code not in page, q
    api = app.test_client().get("/api/v1/cases?q=Tran%20Dai%20Dien",
                                headers={"Authorization": f"Bearer {org['tokens']['handler']}"})
    assert api.status_code == 200 and letter.tracking_code not in api.get_data(as_text=True)


def test_a_case_made_confidential_by_a_step_clears_its_hidden_parties_search_names(app, session, org, connection):
    """A letter registered with a representative (not confidential: it names no denouncer) and then classified as
    a denunciation: from that step on its representative keeps no search name."""
    letter = make_case(app, session, org, kind="triage", subject="Đơn thư phản ánh", parties=[
        PartyInput(role="complainant", name="Lê Thị Gửi"), PartyInput(role="representative", name=REP)])
    assert not letter.confidential
    assert _search_names(connection, letter.id)["representative"] == "tran dai dien"
    cases.perform(session, app.extensions["dvflow.workflows"], org["users"]["reception"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": True}, app.config["NOW"]())
    session.flush()
    assert letter.confidential
    assert _search_names(connection, letter.id) == {"complainant": "", "representative": ""}  # both sent it


# --- a correction's history once its party is hidden ---------------------------------------------------------------

def test_a_correction_is_redacted_once_its_party_becomes_a_denouncer(app, session, org, login):
    letter = make_case(app, session, org, kind="triage", subject="Đơn thư phản ánh cán bộ",
                       parties=[PartyInput(role="complainant", name="Phạm Văn Dung", identity_number=NUMBER)])
    wf, now, users = app.extensions["dvflow.workflows"], app.config["NOW"](), org["users"]
    pid = letter.parties[0].party_id
    corrections.correct_case(session, wf, users["reception"], letter.id, corrections.CorrectionInput(
        reason="Sửa lỗi chính tả họ tên", parties=[corrections.PartyEdit(party_id=pid, name=NAME)]), now)
    cases.perform(session, wf, users["reception"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": True}, now)
    corrections.correct_case(session, wf, users["head"], letter.id, corrections.CorrectionInput(
        reason="Người gửi đơn là người tố cáo", parties=[corrections.PartyEdit(party_id=pid, role="denouncer")]),
        now)
    session.flush()
    for who in ("reception", "handler", "supervisor"):
        page = login(who).get(f"/ho-so/{letter.id}").get_data(as_text=True)
        assert leaked(page, NAME, "Phạm Văn Dung") == [], who
    api = app.test_client().get(f"/api/v1/cases/{letter.id}/events",
                                headers={"Authorization": f"Bearer {org['tokens']['handler']}"})
    assert leaked(json.dumps(api.json, ensure_ascii=False), NAME, "Phạm Văn Dung") == []


def test_a_party_added_by_a_correction_and_hidden_later_is_redacted(app, session, org):
    """A party added by a correction is recorded without its id. A row written before identity values left the
    history holds its name: once the party is re-roled a denouncer, that row is matched by the name and shown
    redacted. A row written now holds no identity to match or to show."""
    case = denunciation(app, session, org)
    wf, now, head = app.extensions["dvflow.workflows"], app.config["NOW"](), org["users"]["head"]
    corrections.correct_case(session, wf, head, case.id, corrections.CorrectionInput(
        reason="Bổ sung người bị tố cáo theo biên bản", parties=[corrections.PartyEdit(
            role="accused", name="Ngô Văn Chứng", kind="person")]), now)
    session.flush()
    added = next(cp for cp in case.parties if cp.party.name == "Ngô Văn Chứng")
    change = next(e.payload for e in session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "correct")) if e.payload.get("field") == "party_added")
    assert "Ngô Văn Chứng" not in json.dumps(change, ensure_ascii=False) and change["withheld"]
    older = {**change, "new": {**change["new"], "name": "Ngô Văn Chứng"}}  # as rows were written before
    assert corrections.shown(older, case).get("redacted") is None  # an accused: shown
    corrections.correct_case(session, wf, head, case.id, corrections.CorrectionInput(
        reason="Người này cũng là người tố cáo", parties=[corrections.PartyEdit(
            party_id=added.party_id, role="denouncer")]), now)
    session.flush()
    assert corrections.shown(older, case)["redacted"] is True


# --- a refused e-mail ---------------------------------------------------------------------------------------------

def test_a_refused_mail_to_a_denouncer_keeps_the_address_out_of_the_log_and_the_row(app, session, org,
                                                                                    refusing_smtp_server, caplog):
    case = denunciation(app, session, org)
    now = app.config["NOW"]()
    outbox.queue_to_party(session, case, denouncer_id(case), "sender_notice", {"notice": "Đơn đã được chuyển"}, now)
    session.flush()
    caplog.set_level(logging.WARNING)
    dispatch_batch(session, now=now, settings=MailSettings(host="127.0.0.1", port=refusing_smtp_server.port))
    row = session.scalar(select(Notification).where(Notification.party_id == denouncer_id(case)))
    assert row.last_error and "550" in row.last_error  # the reason is kept, without the address
    assert "dung.tocao@example.vn" not in caplog.text.lower()
    assert "dung.tocao@example.vn" not in row.last_error.lower()


# --- an action's fields that name a person ------------------------------------------------------------------------

def test_a_protection_request_names_the_denouncer_only_to_those_who_may_see_the_content(app, session, org, login):
    """The protection request names whom to protect (`personal: true`) and why (a free text): in a confidential
    case both are withheld from the history of whoever may not see its content, on the page and in the API."""
    case = denunciation(app, session, org)
    now = app.config["NOW"]()
    cases.perform(session, app.extensions["dvflow.workflows"], org["users"]["handler"], case.id,
                  "request_protection", {"requested_on": now.date().isoformat(), "protected_person": NAME,
                                         "scope": "job", "grounds": f"Ông {NAME} bị đe dọa tại nơi làm việc"}, now)
    session.flush()
    for who in ("reception", "handler", "supervisor"):
        page = login(who).get(f"/ho-so/{case.id}").get_data(as_text=True)
        assert leaked(page, NAME) == [], who
        assert "Đã được bảo mật" in page
    api = app.test_client().get(f"/api/v1/cases/{case.id}/events",
                                headers={"Authorization": f"Bearer {org['tokens']['handler']}"})
    event = next(e for e in api.json["items"] if e["action"] == "request_protection")
    assert event["payload"]["redacted_fields"] == ["grounds", "protected_person"]
    assert leaked(json.dumps(api.json, ensure_ascii=False), NAME) == []
    assert event["payload"]["fields"]["scope"] == "job"  # what names no one is still shown
    head = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert NAME in head  # the head may see the content: the history is whole


# --- the sender of a letter classified as a denunciation --------------------------------------------------------

def test_the_sender_of_a_letter_classified_as_a_denunciation_is_hidden(app, session, org, login, connection):
    """The desk registered the letter's sender as a complainant; once the letter is classified as a denunciation
    (and so confidential) the sender denounces: hidden on the page, unsearchable, without waiting for a role
    correction. The person complained about stays shown."""
    letter = make_case(app, session, org, kind="triage", subject="Đơn thư gửi Sở", parties=[
        PartyInput(role="complainant", name=NAME, identity_number=NUMBER, phone=PHONE),
        PartyInput(role="accused", name="Ông Bị Tố Cáo")])
    assert _search_names(connection, letter.id)["complainant"] == "pham van dung"
    cases.perform(session, app.extensions["dvflow.workflows"], org["users"]["reception"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": True}, app.config["NOW"]())
    session.flush()
    assert _search_names(connection, letter.id) == {"complainant": "", "accused": "ong bi to cao"}
    for who in ("reception", "handler", "supervisor"):
        page = login(who).get(f"/ho-so/{letter.id}").get_data(as_text=True)
        assert leaked(page, NAME, NUMBER, PHONE) == [], who
        assert "Ông Bị Tố Cáo" in page
    found = login("handler").post("/ho-so", {"q": "Pham Van Dung"}, token_from="/ho-so").get_data(as_text=True)
    assert letter.tracking_code not in found
    api = app.test_client().get(f"/api/v1/cases/{letter.id}",
                                headers={"Authorization": f"Bearer {org['tokens']['handler']}"})
    assert leaked(api.get_data(as_text=True), NAME, NUMBER, PHONE) == []


def test_a_complaint_keeps_its_complainant_shown_even_when_marked_confidential(app, session, org, login):
    """The letters' rule is for letters: a complaint's complainant is no denouncer."""
    case = make_case(app, session, org, kind="complaint_first", subject="Khiếu nại thu hồi đất")
    case.confidential = True
    session.flush()
    assert "Nguyễn Văn An" in login("handler").get(f"/ho-so/{case.id}").get_data(as_text=True)


def _classified_letter(app, session, org):
    letter = make_case(app, session, org, kind="triage", subject="Đơn thư gửi Sở", parties=[
        PartyInput(role="complainant", name=NAME, identity_number=NUMBER, phone=PHONE, address=ADDRESS),
        PartyInput(role="accused", name="Ông Bị Tố Cáo")])
    cases.perform(session, app.extensions["dvflow.workflows"], org["users"]["reception"], letter.id, "classify",
                  {"content_type": "denunciation", "competent": False}, app.config["NOW"]())
    session.flush()
    return letter


def test_the_reception_book_and_its_xlsx_hide_a_confidential_letters_sender(app, session, org, login):
    import io

    import openpyxl

    letter = _classified_letter(app, session, org)
    month = app.config["NOW"]().strftime("%Y-%m")
    for who in ("reception", "supervisor"):
        browser = login(who)
        page = browser.get(f"/tiep-nhan/so?thang={month}").get_data(as_text=True)
        assert letter.tracking_code in page and leaked(page, NAME, NUMBER, ADDRESS) == [], who
        book = openpyxl.load_workbook(io.BytesIO(browser.get(f"/tiep-nhan/so.xlsx?thang={month}").data))
        cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c for c in cells if NAME in c or NUMBER in c], who


def test_documents_print_a_confidential_letters_sender_withheld(app, session, org):
    from dvflow.services.documents import context

    letter = _classified_letter(app, session, org)
    requester = context._requester(letter, own_copy=False)  # every copy but the sender's own (documents.own_copy)
    assert NAME not in requester["name"] and requester["address"] == "" and requester["identity_number"] == ""


@pytest.mark.parametrize("path", ["/tiep-nhan/so", "/tiep-nhan/so.xlsx", "/tiep-nhan/lich"])
def test_a_month_beyond_any_date_is_this_month_not_an_error(login, org, path):
    r = login("reception").get(f"{path}?thang=99999999999999999999-01")
    assert r.status_code == 200
