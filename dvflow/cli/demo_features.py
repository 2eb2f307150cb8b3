"""Demo data for what the other demo modules leave out: citizens' satisfaction ratings of resolved cases, a case
whose resolution time limit is suspended (with the related body's letter attached in the file storage), and a resolved
complaint whose tracking code and receipt secret `demo load` prints, so that a newcomer can look it up at /tra-cuu and
rate it as a citizen would, without reissuing the secret; and a commune's reply signed at the end of last month but
entered at the start of this one, so that the legal dates a time limit stopped and a case ended on (clocks.closed_on,
cases.closed_on) differ from the days they were entered somewhere.

Everything goes through the use cases, as the officers' and citizens' clicks would, relative to `now`."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case, Document, User
from ..services import cases, ratings
from ..services.cases import attachments, tracking
from ..services.documents import revocation
from ..timeutil import TZ
from .demo_data import _at, _intake, _steps

#: the resolved complaint a newcomer looks up: its subject (in demo_data._cases) and the secret its receipt prints.
#: A fixed secret (of the receipt alphabet), so that every `demo load` and the README can name it.
LOOKUP_SUBJECT = "Khiếu nại quyết định xử phạt vi phạm hành chính về môi trường"
LOOKUP_SECRET = "XEMTHU"

COURT_LETTER = ("TÒA ÁN NHÂN DÂN TỈNH AN PHÚ (demo)\n"
                "THÔNG BÁO VỀ VIỆC THỤ LÝ VỤ ÁN\n"
                "Tòa án đã thụ lý vụ án tranh chấp quyền sử dụng đất giữa ông Lê Văn Tranh và bà Lê Thị Chấp đối với\n"
                "thửa đất số 77, tờ bản đồ số 5, xã Bình Minh. Kết quả giải quyết vụ án là căn cứ để giải quyết khiếu\n"
                "nại về việc cấp giấy chứng nhận quyền sử dụng đất thửa số 77.\n")


def load(session: Session, workflows, users: dict[str, User], now: datetime, store=None) -> None:
    """`store`: the app's file storage (dvflow.storage); without one, the suspended case has no file attached."""
    today = now.astimezone(TZ).date()
    _lookup_secret(session)
    suspended = _suspended(session, workflows, users, today)
    if store is not None:
        attachments.add_attachment(session, users["truongso"], suspended.id, "thong-bao-thu-ly-cua-toa-an.txt",
                                   io.BytesIO(COURT_LETTER.encode("utf-8")), "text/plain",
                                   _at(today - timedelta(days=13), 16), store)
    _ratings(session, workflows, users, today, now)
    _entered_late(session, workflows, users, today)
    _revoked_notice(session, users, suspended, today)


def _revoked_notice(session: Session, users: dict[str, User], case: Case, today) -> None:
    """The suspended complaint's first issued document, revoked by the department head (shown on its page and in
    the case's documents and history)."""
    document = session.scalar(select(Document).where(Document.case_id == case.id, Document.status == "issued")
                              .order_by(Document.id).limit(1))
    if document is not None:
        revocation.revoke(session, users["truongso"], case.id, document.id,
                          "Ghi sai địa chỉ người khiếu nại; văn bản đúng gửi lại kèm quyết định thu hồi",
                          f"Quyết định số 01/QĐ-STNMT ngày {today - timedelta(days=12):%d/%m/%Y} (dữ liệu mẫu)",
                          _at(today - timedelta(days=12), 9))


def lookup_case(session: Session) -> Case | None:
    """The resolved demo complaint to look up, while its receipt's secret is still LOOKUP_SECRET (None once someone
    reissued it, or in a database without the demo)."""
    case = session.scalar(select(Case).where(Case.subject == LOOKUP_SUBJECT, Case.kind == "complaint_first",
                                             Case.status == "closed").order_by(Case.id).limit(1))
    return case if case is not None and tracking.secret_matches(case.tracking_secret_hash, LOOKUP_SECRET) else None


def _lookup_secret(session: Session) -> None:
    # stored as intake stores any secret (a keyed digest, never the plain text); intake's own secret is random
    case = session.scalar(select(Case).where(Case.subject == LOOKUP_SUBJECT).order_by(Case.id).limit(1))
    case.tracking_secret_hash = tracking.hash_secret(LOOKUP_SECRET)


def _suspended(session: Session, workflows, users: dict[str, User], today) -> Case:
    """A complaint whose resolution is suspended, waiting for a court's judgment on the land it is about (its time
    limit paused: the case page shows the days used and left)."""
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    case = _intake(session, workflows, users["tiepdan"], "complaint_first", "STNMT", d(40),
                   "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất thửa số 77 đang có tranh chấp",
                   [{"role": "complainant", "name": "Lê Văn Tranh", "identity_number": "001077004455",
                     "address": "Thôn 5, xã Bình Minh", "phone": "0913555777"},
                    {"role": "respondent", "name": "Văn phòng Đăng ký đất đai tỉnh", "kind": "organisation"}])
    cases.assign(session, users["truongso"], case.id, users["chuyenvien"].id, _at(d(40), 11))
    _steps(session, workflows, case, [
        ("truongso", "accept", d(37), {}),
        ("truongso", "verify", d(36), {"verifier": "Tổ xác minh 03"}),
        ("truongso", "suspend", d(13), {"ground": "awaiting_related_result"}),
        ("chuyenvien", "send_suspension_decision", d(12), {"recipients": "Ông Lê Văn Tranh\nVăn phòng Đăng ký "
                                                                        "đất đai tỉnh"}),
    ], users)
    return case


def _ratings(session: Session, workflows, users: dict[str, User], today, now: datetime) -> None:
    """Three citizens rated their resolved cases (the dashboard's satisfaction and /api/v1/ratings/summary): a
    commune's answer to a petition, the department's answer to the petition a letter was handed into, and a letter
    guided elsewhere. They rate at `now`, so that the dashboard's current month counts them."""
    d = lambda days: today - timedelta(days=days)  # noqa: E731
    commune = _intake(session, workflows, users["canboxa"], "petition", "XA-BINHMINH", d(21),
                      "Phản ánh rác thải tập kết sai nơi cạnh chợ Bình Minh",
                      [{"role": "petitioner", "name": "Tạ Thị Sạch", "address": "Ấp 2, xã Bình Minh",
                        "phone": "0905111333"}])
    _answer(session, workflows, users, commune, ("canboxa", "chutichxa"), [d(19), d(15), d(14), d(13), d(12)],
            "Xã đã bố trí điểm tập kết rác mới, thu gom hằng ngày.")
    handed = session.scalar(select(Case).where(Case.kind == "petition", Case.source_letter_id.is_not(None))
                            .order_by(Case.id).limit(1))
    _answer(session, workflows, users, handed, ("chuyenvien", "truongso"), [d(6), d(4), d(3), d(2), d(2)],
            "Sở đã kiểm tra, yêu cầu cơ sở chăn nuôi xử lý nước thải.")
    guided = session.scalar(select(Case).where(Case.kind == "triage", Case.state == "guided").order_by(Case.id)
                            .limit(1))
    for case, score, comment in [
        (commune, 5, "Xã giải quyết nhanh, bãi rác đã được dọn."),
        (handed, 4, "Được trả lời rõ ràng; mong Sở tiếp tục kiểm tra định kỳ."),
        (guided, 3, "Được hướng dẫn gửi đơn đúng nơi, nhưng phải đi lại thêm một lần."),
    ]:
        ratings.rate(session, case, score, comment, now)


def _entered_late(session: Session, workflows, users: dict[str, User], today: date) -> Case:
    """A commune's petition whose acts were entered after their dates, as happens when the signed paper reaches the
    officer late: the notice of acceptance dated 3 days after receipt, entered 3 days later (its reply time limit
    shows "đã dừng ngày" its date), and the reply signed 4 days before this month began, entered on the 4th of this
    month (or today, earlier in the month): the reports count the case resolved last month, as the act's date says."""
    first = today.replace(day=1)
    signed, entered = first - timedelta(days=4), min(today, first + timedelta(days=3))
    received = signed - timedelta(days=20)
    day = lambda n: received + timedelta(days=n)  # noqa: E731
    case = _intake(session, workflows, users["canboxa"], "petition", "XA-BINHMINH", received,
                   "Kiến nghị lắp đèn chiếu sáng đường liên thôn 3 - thôn 4",
                   [{"role": "petitioner", "name": "Đinh Văn Sáng", "address": "Thôn 3, xã Bình Minh",
                     "phone": "0916222444"}])
    _steps(session, workflows, case, [
        ("canboxa", "accept", day(6), {"reply_form": "written", "reply_date": day(3)}),
        ("canboxa", "draft_decision", day(8), {}),
        ("canboxa", "submit", day(10), {}),
        ("chutichxa", "approve", day(12), {}),
        ("chutichxa", "issue_decision", entered, {"decision_date": signed, "summary": "Xã đưa việc lắp 12 bộ đèn "
                                                  "chiếu sáng vào kế hoạch đầu tư công năm tới."}),
    ], users)
    return case


def _answer(session, workflows, users, case: Case, who: tuple[str, str], days: list, summary: str) -> None:
    """A petition accepted, its reply drafted and submitted by the officer, approved and issued by the head (the
    case closed), on the five `days`."""
    officer, head = who
    accepted, drafted, submitted, approved, issued = days
    _steps(session, workflows, case, [
        (officer, "accept", accepted, {"reply_form": "written"}),
        (officer, "draft_decision", drafted, {}),
        (officer, "submit", submitted, {}),
        (head, "approve", approved, {}),
        (head, "issue_decision", issued, {"summary": summary}),
    ], users)
