"""The reception side of a confidential case's hidden parties (review "secret", F2, F3, F6, F8): a mass
denunciation's representatives are neither shown nor replaced without need-to-know, and each look is recorded; the
desk's duplicate suggestions never match them; a booking received into a confidential visit is redacted like the
visit; a confidential visit's summary is shown only to those who may see the content of the case it opened."""
from __future__ import annotations

from sqlalchemy import func, select
from web.helpers import make_case

from dvflow.models import Case, IdentityAccess
from dvflow.services.cases.intake import PartyInput

REP, REP_NUMBER, REP_PHONE = "Trần Đại Diện", "001099888777", "0911222333"
CITIZEN, CITIZEN_PHONE = "Phạm Văn Dũng", "0912345678"
SUMMARY = "Tố cáo ông Trưởng phòng nhận tiền\nChi tiết: ông A nhận 50 triệu tại nhà riêng tối 20/11"
SECRET_PART = "50 triệu"
WITHHELD = "Nội dung được bảo mật"
REASON = "Kiểm tra văn bản cử người đại diện trước khi thụ lý"


def mass_case(app, session, org, kind="denunciation"):
    """A mass case of the department: five people who signed and their representative."""
    role = "denouncer" if kind == "denunciation" else "complainant"
    parties = [PartyInput(role=role, name=f"Người Ký {i}", identity_number=f"00109900000{i}") for i in range(5)]
    parties.append(PartyInput(role="representative", name=REP, identity_number=REP_NUMBER, phone=REP_PHONE,
                              identity_type="cccd"))
    return make_case(app, session, org, kind=kind, subject="Đơn tập thể của cán bộ xã", parties=parties)


def leaked(html: str) -> list[str]:
    return [x for x in (REP, REP_NUMBER, REP_PHONE) if x in html]


def looks(session) -> int:
    return session.scalar(select(func.count()).select_from(IdentityAccess))


def reps(session, case) -> list[str]:
    session.expire_all()
    return sorted(cp.party.name for cp in session.get(Case, case.id).parties if cp.role == "representative")


UPDATE = {"people_count": "6", "rep-0-name": "Lê Văn Thay", "rep-0-identity_type": "cccd",
          "rep-0-identity": "001099000999"}


# --- F3: the desk's duplicate suggestions ----------------------------------------------------------------------

def test_the_duplicate_suggestions_never_match_a_hidden_representative(app, session, org, login):
    secret = mass_case(app, session, org)
    b = login("reception")
    found = b.post("/tiep-nhan/trung-lap", {"identity": REP_NUMBER}, token_from="/tiep-nhan/moi")
    assert found.status_code == 200 and secret.tracking_code not in found.get_data(as_text=True)
    plain = mass_case(app, session, org, kind="complaint_first")  # the same person in an ordinary case: matched
    found = b.post("/tiep-nhan/trung-lap", {"identity": REP_NUMBER}, token_from="/tiep-nhan/moi")
    codes = [row["tracking_code"] for row in found.get_json()]
    assert codes == [plain.tracking_code]
