"""Demo of the 2025 reorganisation of local government: xã Bình An merged into xã Bình Minh from 01/07/2025 (the
communes were rearranged by resolutions of the Standing Committee of the National Assembly in force on 01/07/2025,
when the district level ended: Luật Tổ chức chính quyền địa phương 2025).

A first complaint Bình An received and accepted in June 2025 moved to Bình Minh with its time limit as it ran (a
merger is no new receipt): its history says so, naming both communes. Bình An's officer holds no role in Bình Minh,
so the case waits for Bình Minh's chair to assign it; Bình An itself stays, dissolved, with its lifetime shown on the
administrator's units page, and no compliance or report asks anything of it after 30/06/2025."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ..models import User
from ..services import cases
from ..services.org.units import dissolve_unit
from ..timeutil import local_date
from .demo_data import _at, _intake, _steps

MERGED_ON = date(2025, 7, 1)
DISSOLVED, SUCCESSOR = "XA-BINHAN", "XA-BINHMINH"
RECEIVED = date(2025, 6, 16)


def load(session: Session, workflows, users: dict[str, User], now: datetime) -> None:
    case = _intake(session, workflows, users["canbobinhan"], "complaint_first", DISSOLVED, RECEIVED,
                   "Khiếu nại quyết định thu hồi đất làm đường liên ấp Bình An",
                   [{"role": "complainant", "name": "Châu Văn Lộc", "identity_number": "001079006688",
                     "address": "Ấp 5, xã Bình An (nay là xã Bình Minh)", "phone": "0918222444"},
                    {"role": "respondent", "name": "Ủy ban nhân dân xã Bình An", "kind": "organisation"}])
    cases.assign(session, users["chutichbinhan"], case.id, users["canbobinhan"].id, _at(RECEIVED, 11))
    _steps(session, workflows, case, [("chutichbinhan", "accept", date(2025, 6, 19), {})], users)
    if local_date(now) >= MERGED_ON:  # a dissolution is never entered ahead of its day
        dissolve_unit(session, None, DISSOLVED, MERGED_ON, SUCCESSOR, now)
