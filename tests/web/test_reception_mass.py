"""The intake page: mass cases, identity types, party rows that follow the kind, likely duplicates confirmed before
saving; the "Cập nhật người đại diện" page; the reception log's number of people."""
from __future__ import annotations

import re

from sqlalchemy import select

from dvflow.models import Case, CaseEvent

from .test_reception import intake_form

SIGNERS = "\n".join(f"Người ký {i}; 0010860003{i:02d}" for i in range(6)) + "\nNgười không giấy tờ"


def mass_form(org, **kw) -> dict:
    return intake_form(org, subject="Khiếu nại của nhiều hộ dân", signers=SIGNERS,
                       **{"people_count": "14", "party-1-role": "representative", "party-1-name": "Trần Đại Diện",
                          "party-1-identity": "001086000444", "party-1-identity_type": "cccd", **kw})


def register(b, org, form):
    resp = b.post("/tiep-nhan/moi", form, token_from="/tiep-nhan/moi")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    return resp


def test_a_mass_case_through_the_form_then_its_representatives_completed(session, login, org):
    b = login("reception")
    register(b, org, mass_form(org))
    case = session.scalar(select(Case).where(Case.subject == "Khiếu nại của nhiều hộ dân"))
    roles = [cp.role for cp in case.parties]
    assert (case.mass, case.people_count, roles.count("complainant"), roles.count("representative")) == (True, 14, 8, 1)
    signer = next(cp.party for cp in case.parties if cp.party.name == "Người ký 0")
    assert (signer.identity_number, signer.identity_type) == ("001086000300", "cccd")

    head = login("head")
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Đông người (14 người)" in page and "chưa có văn bản cử người đại diện" in page
    assert f"/tiep-nhan/{case.id}/nguoi-dai-dien" in page
    form = head.get(f"/tiep-nhan/{case.id}/nguoi-dai-dien").get_data(as_text=True)
    assert 'value="Trần Đại Diện"' in form
    resp = head.post(f"/tiep-nhan/{case.id}/nguoi-dai-dien",
                     {"people_count": "14", "appointment_reference": "01/VB-CD", "appointment_date": "2026-11-20",
                      "rep-0-name": "Trần Đại Diện", "rep-0-identity": "001086000444", "rep-0-identity_type": "cccd",
                      "rep-1-name": "Lê Thị Hai"}, token_from=f"/tiep-nhan/{case.id}/nguoi-dai-dien")
    assert resp.status_code == 302
    session.expire_all()
    case = session.get(Case, case.id)
    assert sorted(cp.party.name for cp in case.parties if cp.role == "representative") == ["Lê Thị Hai",
                                                                                          "Trần Đại Diện"]
    assert session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                  CaseEvent.action == "update_representatives")) is not None
    page = head.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "01/VB-CD" in page and "Cập nhật người đại diện" in page  # the history row's label too


def test_too_many_representatives_rerender_the_form_with_the_reason(session, login, org):
    b = login("reception")
    register(b, org, mass_form(org, people_count="8"))
    case = session.scalar(select(Case).where(Case.subject == "Khiếu nại của nhiều hộ dân"))
    data = {f"rep-{i}-name": f"Đại diện {i}" for i in range(3)}
    resp = b.post(f"/tiep-nhan/{case.id}/nguoi-dai-dien", data, token_from=f"/tiep-nhan/{case.id}/nguoi-dai-dien")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "tối đa 2 người đại diện" in html and 'value="Đại diện 2"' in html


def test_the_representatives_page_is_for_open_mass_cases_of_the_unit(session, login, org):
    b = login("reception")
    register(b, org, intake_form(org))
    plain = session.scalar(select(Case))
    assert b.get(f"/tiep-nhan/{plain.id}/nguoi-dai-dien").status_code == 403
    register(b, org, mass_form(org))
    mass = session.scalar(select(Case).where(Case.mass.is_(True)))
    assert login("other_head").get(f"/tiep-nhan/{mass.id}/nguoi-dai-dien").status_code == 404


def test_the_log_shows_the_recorded_number_of_people(session, login, org):
    b = login("reception")
    register(b, org, mass_form(org))
    html = b.get("/tiep-nhan/so?thang=2026-11").get_data(as_text=True)
    assert "<td>14</td>" in html


def test_identity_type_is_checked_stored_and_shown(session, login, org):
    b = login("reception")
    bad = b.post("/tiep-nhan/moi", intake_form(org, **{"party-0-identity_type": "cccd", "party-0-identity": "12345"}),
                 token_from="/tiep-nhan/moi")
    assert bad.status_code == 400 and "Số CCCD của đương sự thứ 1 không hợp lệ" in bad.get_data(as_text=True)
    register(b, org, intake_form(org, **{"party-1-role": "respondent", "party-1-name": "Chi nhánh Công ty A",
                                          "party-1-identity_type": "tax_code", "party-1-identity": "0101234567-001"}))
    case = session.scalar(select(Case))
    org_party = case.parties[1].party
    assert (org_party.kind, org_party.identity_type) == ("organisation", "tax_code")
    page = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "Mã số thuế:</span> 0101234567-001" in page


def test_party_rows_follow_the_kind_and_the_form_works_with_one_row(session, login, org):
    b = login("reception")
    html = b.get("/tiep-nhan/moi").get_data(as_text=True)
    rows = re.findall(r'<tr class="party-row">', html)
    assert len(rows) == 2  # one row, and the hidden template the script copies
    assert 'name="party-0-role"' in html and '<option value="complainant" selected>' in html
    assert 'value="denouncer"' not in html.split('id="party-row-template"')[0]
    denunciation = b.post("/tiep-nhan/moi", intake_form(org, kind="denunciation", **{"party-0-role": "complainant"}),
                          token_from="/tiep-nhan/moi")
    page = denunciation.get_data(as_text=True)
    assert denunciation.status_code == 400 and '<option value="denouncer" selected>' in page
    gap = intake_form(org, **{"party-7-role": "respondent", "party-7-name": "UBND xã"})  # a row removed between
    register(b, org, gap)
    assert [cp.role for cp in session.scalar(select(Case)).parties] == ["complainant", "respondent"]


def test_a_likely_duplicate_is_shown_and_saved_only_when_confirmed(session, login, org):
    b = login("reception")
    register(b, org, intake_form(org))
    first = session.scalar(select(Case))
    form = {k: v for k, v in intake_form(org, subject="Đề nghị khác").items() if k != "confirm_duplicate"}
    asked = b.post("/tiep-nhan/moi", form, token_from="/tiep-nhan/moi")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 409 and first.tracking_code in html and 'name="confirm_duplicate"' in html
    assert "Vẫn tiếp nhận" in html and len(session.scalars(select(Case)).all()) == 1
    register(b, org, {**form, "confirm_duplicate": "1"})
    assert len(session.scalars(select(Case)).all()) == 2


def test_the_written_appointment_uploaded_on_the_representatives_page(app, session, login, org):
    import io
    from pathlib import Path

    from dvflow.models import Attachment

    b = login("reception")
    register(b, org, mass_form(org))
    case = session.scalar(select(Case).where(Case.mass.is_(True)))
    url = f"/tiep-nhan/{case.id}/nguoi-dai-dien"
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    refused = b.post(url, {"people_count": "9", "rep-0-name": "A", "rep-1-name": "B", "rep-2-name": "C",
                           "appointment_file": (io.BytesIO(pdf), "van-ban-cu.pdf")}, token_from=url)  # 3 for 9
    assert refused.status_code == 400 and session.scalars(select(Attachment)).all() == []
    assert not [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]  # gone with the refusal
    ok = b.post(url, {"rep-0-name": "A", "appointment_file": (io.BytesIO(pdf), "van-ban-cu.pdf")}, token_from=url)
    assert ok.status_code == 302
    file = session.scalars(select(Attachment)).one()
    assert file.purpose == "appointment"
    page = login("head").get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert "van-ban-cu.pdf" in page and "chưa có văn bản cử người đại diện" not in page


def test_the_representatives_link_is_offered_only_to_whom_its_page_lets_in(session, login, org):
    # the page refuses a supervisor, an administrator and a head above the unit (403): the case page asks the same
    # rule (cases.may_update_representatives) instead of offering the link on every open mass case
    register(login("reception"), org, mass_form(org))
    case = session.scalar(select(Case).where(Case.mass.is_(True)))
    link = f"/tiep-nhan/{case.id}/nguoi-dai-dien"
    for name in ("supervisor", "admin"):
        b = login(name)
        assert b.get(link).status_code == 403
        assert link not in b.get(f"/ho-so/{case.id}").get_data(as_text=True), name
    reception = login("reception")
    assert link in reception.get(f"/ho-so/{case.id}").get_data(as_text=True)
    assert reception.get(link).status_code == 200
