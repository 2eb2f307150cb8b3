"""A confidential case's content and attachments are need-to-know like its denouncer: only those who may reveal see
them; every download is recorded, and heads and supervisors read the reveals and downloads (issue #14, item 1)."""
from __future__ import annotations

import io

import pytest
from factories import NOW, make_org
from sqlalchemy import func, select

from dvflow.models import AttachmentDownload
from dvflow.services.cases import assign, confidentiality, reveal_identity
from dvflow.services.cases import attachments as files
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.errors import Forbidden, NotFound
from dvflow.storage import LocalStorage

REASON = "Cần liên hệ người tố cáo để bổ sung chứng cứ"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def team(session):
    return make_org(session, units=("province", "dept", "other"),
                    users=("reception", "handler", "head", "supervisor", "other_head"))


def _case(session, workflows, org, kind="denunciation", **kw):
    data = IntakeInput(kind=kind, unit_id=org["dept"].id, channel="walk_in", received_at=NOW,
                       subject="Tố cáo cán bộ địa chính", content="Ông A nhận tiền của tôi tại nhà riêng",
                       parties=[PartyInput(role="denouncer" if kind == "denunciation" else "complainant",
                                           name="Phan Văn Kín", identity_number="001086000555"),
                                *([PartyInput(role="accused", name="Ông Bị Tố")] if kind == "denunciation" else [])],
                       **kw)
    case = register_case(session, workflows, org["users"]["reception"], data, NOW)
    session.flush()
    return case


def _attach(session, org, case, tmp_path):
    return files.add_attachment(session, org["users"]["reception"], case.id, "bien-ban.pdf", io.BytesIO(PDF),
                                "application/pdf", NOW, tmp_path)


def test_content_of_a_confidential_case_is_for_those_who_may_reveal(session, workflows, team):
    users = team["users"]
    case = _case(session, workflows, team)
    assert case.confidential
    assert confidentiality.may_see_content(session, users["head"], case)
    for who in ("reception", "handler", "supervisor"):
        assert not confidentiality.may_see_content(session, users[who], case)
    assign(session, users["handler"], case.id, users["handler"].id, NOW)  # took it by themself: not designated
    assert not confidentiality.may_see_content(session, users["handler"], case)
    assign(session, users["head"], case.id, users["handler"].id, NOW)
    assert confidentiality.may_see_content(session, users["handler"], case)
    plain = _case(session, workflows, team, kind="complaint_first")
    assert confidentiality.may_see_content(session, users["reception"], plain)


def test_a_download_of_a_confidential_file_is_recorded_and_others_get_nothing(session, workflows, team, tmp_path):
    users = team["users"]
    case = _case(session, workflows, team)
    attachment = _attach(session, team, case, tmp_path)
    with pytest.raises(Forbidden):
        files.download(session, users["handler"], case.id, attachment.id, tmp_path, NOW)
    with pytest.raises(NotFound):
        files.download(session, users["other_head"], case.id, attachment.id, tmp_path, NOW)
    assert session.scalar(select(func.count()).select_from(AttachmentDownload)) == 0
    got = files.download(session, users["head"], case.id, attachment.id, tmp_path, NOW)
    assert got.id == attachment.id and LocalStorage(tmp_path).get(got.stored_path) == PDF
    row = session.scalar(select(AttachmentDownload))
    assert (row.user_id, row.case_id, row.attachment_id, row.at) == (users["head"].id, case.id, attachment.id, NOW)


def test_a_download_from_an_ordinary_case_is_not_recorded(session, workflows, team, tmp_path):
    case = _case(session, workflows, team, kind="complaint_first")
    attachment = _attach(session, team, case, tmp_path)
    files.download(session, team["users"]["handler"], case.id, attachment.id, tmp_path, NOW)
    assert session.scalar(select(func.count()).select_from(AttachmentDownload)) == 0


def test_heads_and_supervisors_read_the_access_log(session, workflows, team, tmp_path):
    users = team["users"]
    case = _case(session, workflows, team)
    attachment = _attach(session, team, case, tmp_path)
    party = next(cp.party_id for cp in case.parties if cp.role == "denouncer")
    reveal_identity(session, users["head"], case.id, party, REASON, NOW)
    files.download(session, users["head"], case.id, attachment.id, tmp_path, NOW.replace(hour=NOW.hour + 1))
    for who in ("head", "supervisor"):
        log = confidentiality.access_log(session, users[who], case.id)
        assert [r["kind"] for r in log] == ["download", "reveal"]  # newest first
        assert log[0]["filename"] == "bien-ban.pdf" and log[0]["user_name"] == "Cán bộ head"
        assert log[1]["reason"] == REASON and log[1]["role"] == "denouncer" and log[1]["party_id"] == party
    for who in ("handler", "reception"):
        with pytest.raises(Forbidden):
            confidentiality.access_log(session, users[who], case.id)
    with pytest.raises(NotFound):
        confidentiality.access_log(session, users["other_head"], case.id)
