"""Demo data of the yearly scorecard: the department's "Dân vận khéo" model with an evidence file, and the two
manual criteria it filled for the year, one of them verified by the supervisor (the other waits), so the board
shows a value counted and one not yet counted. Goes through the services, as the users' clicks would."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from ..models import User
from ..services.org import accounts
from ..services.reports import scorecard, scorecard_entries
from ..timeutil import local_date

MINUTES = ("BIÊN BẢN KIỂM TRA MÔ HÌNH \"DÂN VẬN KHÉO\" (demo)\n"
           "Mô hình vận động người dân hiến đất mở rộng đường giao thông nông thôn: 1,2 km đường, 36 hộ hiến đất.\n")


def load(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    directory = getattr(workflows, "directory", None)
    if directory is None:
        return
    year = local_date(now).year
    criteria = scorecard.load_card(directory).for_year(year)
    if criteria is None:
        return
    unit = accounts.find_unit(session, "STNMT")
    evidence = [scorecard_entries.Upload("bien-ban-kiem-tra-mo-hinh.txt", "text/plain", MINUTES.encode("utf-8"))]
    scorecard_entries.register_model(
        session, users["chuyenvien"], unit_id=unit.id, year=year,
        name="Vận động nhân dân hiến đất mở rộng đường giao thông nông thôn", field="Đất đai, xây dựng nông thôn mới",
        started_on=date(year, 3, 1).isoformat(),
        results="1,2 km đường được mở rộng; 36 hộ tự nguyện hiến đất, không phát sinh khiếu nại.",
        files=evidence, now=now)
    models = scorecard_entries.fill(session, users["truongso"], criteria=criteria, unit_id=unit.id, year=year,
                                    key="dan_van_kheo_models", raw_value="1",
                                    note="Một mô hình đã đăng ký trong sổ mô hình \"Dân vận khéo\".", files=evidence,
                                    now=now)
    scorecard_entries.review(session, users["giamsat"], entry_id=models.id,
                             submission=scorecard_entries.current_submission(session, models.id), decision="verified",
                             note="Đã đối chiếu biên bản kiểm tra.", now=now)
    # a value rejected, then submitted again: the unit's card shows both in its trail, with the reason
    first = scorecard_entries.fill(session, users["truongso"], criteria=criteria, unit_id=unit.id, year=year,
                                   key="grassroots_democracy", raw_value="10",
                                   note="Công khai quy hoạch sử dụng đất, lấy ý kiến người dân tại 5 xã.",
                                   files=[scorecard_entries.Upload("cong-khai-quy-hoach.txt", "text/plain",
                                                                   "Danh sách điểm công khai (demo)".encode("utf-8"))],
                                   now=now - timedelta(days=2))
    scorecard_entries.review(session, users["giamsat"], entry_id=first.id,
                             submission=scorecard_entries.current_submission(session, first.id), decision="rejected",
                             note="Biên bản lấy ý kiến chỉ có 4 xã; xã thứ năm chưa có biên bản.",
                             now=now - timedelta(days=1))
    scorecard_entries.fill(session, users["truongso"], criteria=criteria, unit_id=unit.id, year=year,
                           key="grassroots_democracy", raw_value="8",
                           note="Sửa lại: công khai quy hoạch, lấy ý kiến người dân tại 4 xã (có biên bản).",
                           files=[], now=now)
