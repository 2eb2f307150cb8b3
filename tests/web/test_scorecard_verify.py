"""The supervisor's "Xác nhận" verifies the value the page showed, not one submitted after it: refused with 409 and
the page as it is now."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from dvflow.models import ScorecardEntry


def _fill(browser, unit_id: int, value: str):
    url = f"/bang-dieu-khien/cham-diem/don-vi/{unit_id}"
    resp = browser.post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "dan_van_kheo_models", "gia_tri": value,
                                           "minh_chung": (io.BytesIO(b"%PDF-1.4"), "bien-ban.pdf")},
                        token_from=f"{url}?nam=2026", content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]


def test_verifying_a_value_that_changed_after_the_page_was_read_is_refused(login, session, org):
    head, supervisor = login("head"), login("supervisor")
    unit = org["dept"].id
    _fill(head, unit, "1")
    page = supervisor.get(f"/bang-dieu-khien/cham-diem/don-vi/{unit}?nam=2026").get_data(as_text=True)
    form = re.search(r'<form method="post" action="(/bang-dieu-khien/cham-diem/xac-minh/\d+)"(.*?)</form>', page,
                     re.S)
    shown = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    assert "Đơn vị kê khai:</strong> 1 — Chờ xác minh" in page and shown["lan_ke_khai"]
    _fill(head, unit, "2")  # the unit raises its value while the supervisor reads the evidence of "1"
    resp = supervisor.client.post(form.group(1), data={**shown, "ket_qua": "verified"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Đơn vị đã gửi giá trị kê khai mới sau khi bạn mở trang" in html
    assert "Đơn vị kê khai:</strong> 2 — Chờ xác minh" in html  # the page as it is now, with the new form
    entry = session.scalar(select(ScorecardEntry).where(ScorecardEntry.unit_id == unit))
    session.refresh(entry)
    assert (entry.value, entry.status) == (2, "submitted")


def test_the_head_of_the_unit_sees_no_review_form_even_as_a_supervisor(login, session, org):
    from dvflow.services.org import accounts

    accounts.grant_role(session, org["users"]["head"], org["province"], "supervisor")
    session.flush()
    head = login("head")
    _fill(head, org["dept"].id, "1")
    page = head.get(f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}?nam=2026").get_data(as_text=True)
    assert "/bang-dieu-khien/cham-diem/xac-minh/" not in page
    entry = session.scalar(select(ScorecardEntry).where(ScorecardEntry.unit_id == org["dept"].id))
    resp = head.post(f"/bang-dieu-khien/cham-diem/xac-minh/{entry.id}", {"lan_ke_khai": "0", "ket_qua": "verified"})
    assert resp.status_code == 403 and "Bạn đã kê khai giá trị này" in resp.get_data(as_text=True)
