"""The scorecard's refusals on an English page are English throughout: the criterion's unit of measure too (its
YAML unit_en, picked by the page's language)."""
from __future__ import annotations

import io


def test_a_value_out_of_range_is_refused_in_english(login, org):
    head = login("head")
    head.get("/ngon-ngu/en")
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"
    resp = head.post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "grassroots_democracy", "gia_tri": "11",
                                        "minh_chung": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                     token_from=f"{url}?nam=2026", content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Value: enter a number from 0 to 10 (points (0–10))." in html


def test_the_same_refusal_is_vietnamese_on_a_vietnamese_page(login, org):
    url = f"/bang-dieu-khien/cham-diem/don-vi/{org['dept'].id}"
    resp = login("head").post(f"{url}/ke-khai", {"nam": "2026", "tieu_chi": "grassroots_democracy", "gia_tri": "11",
                                                 "minh_chung": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                              token_from=f"{url}?nam=2026", content_type="multipart/form-data")
    assert "Giá trị: nhập một số từ 0 đến 10 (điểm (0–10))." in resp.get_data(as_text=True)
