"""A document signs under the real title of the head of the unit (units.head_title: the provincial inspectorate's head
is "CHÁNH THANH TRA", not the "GIÁM ĐỐC" of its level), the level's title when the unit has none; the authority line
joins title and unit once ("CHÁNH THANH TRA TỈNH", never "CHÁNH THANH TRA THANH TRA TỈNH"). Issued with the shipped
templates."""
from __future__ import annotations

import pytest
from factories import NOW, PASSWORD

from dvflow.models import AdminEvent
from dvflow.services.cases.intake import IntakeInput, PartyInput, register_case
from dvflow.services.documents import recipients, signers
from dvflow.services.errors import ServiceError
from dvflow.services.org import accounts, titles

from .conftest import SHIPPED
from .helpers import DRAFT_FIRST, act, at, docs_of, docx_text


@pytest.fixture
def shipped(tmp_path):
    from dvflow.services.documents import flow

    return flow.Settings(documents_dir=str(SHIPPED), files=str(tmp_path / "f"), pdf=False)


@pytest.fixture
def inspectorate(session, org):
    """The provincial inspectorate (a unit of level "department") with its head and the org's reception officer."""
    unit = accounts.create_unit(session, "THANHTRA", "Thanh tra tỉnh", parent_code="TINH",
                                head_title="Chánh Thanh tra")
    head = accounts.create_user(session, "chanhthanhtra", PASSWORD, now=NOW, full_name="Hoàng Văn Chánh")
    accounts.grant_role(session, head, unit, "head")
    accounts.grant_role(session, org["users"]["reception"], unit, "reception")
    org["users"]["inspector"] = head
    return unit


def _complaint(session, workflows, org, unit):
    data = IntakeInput(kind="complaint_first", unit_id=unit.id, channel="letter", received_at=at(2, 9),
                       subject="Khiếu nại quyết định xử phạt",
                       parties=[PartyInput(role="complainant", name="Nguyễn Văn An", address="12 Lê Lợi, An Phú"),
                                PartyInput(role="respondent", name="Trần Thị Bình")])
    return register_case(session, workflows, org["users"]["reception"], data, at(2))


def test_the_inspectorates_head_signs_as_chief_inspector(session, workflows, org, inspectorate, shipped):
    case = _complaint(session, workflows, org, inspectorate)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped, user="inspector")
    [notice] = docs_of(session, case, "notice_of_acceptance")
    text = docx_text(notice.content)
    assert "CHÁNH THANH TRA\n" in text + "\n" and "Hoàng Văn Chánh" in text
    assert "GIÁM ĐỐC" not in text


def test_a_draft_decision_prints_the_heads_title_and_the_authority_line_once(session, workflows, org, inspectorate,
                                                                            shipped):
    case = _complaint(session, workflows, org, inspectorate)
    act(session, workflows, org, case, "accept", {"decision_date": "2026-11-04"}, at(4), shipped, user="inspector")
    act(session, workflows, org, case, "draft_decision", {}, at(5), shipped, user="inspector")
    act(session, workflows, org, case, "submit", DRAFT_FIRST, at(5, 11), shipped, user="inspector")
    [draft] = docs_of(session, case, "complaint_decision_first")
    text = docx_text(draft.content)
    assert "CHÁNH THANH TRA TỈNH\n" in text and "QUYẾT ĐỊNH:" in text
    assert "THANH TRA THANH TRA" not in text and "GIÁM ĐỐC" not in text


def test_blocks_use_the_units_title_or_its_levels(session, org, inspectorate):
    inspector = org["users"]["inspector"]
    assert signers.issuer_block(session, inspectorate, inspector) == {
        "title": "CHÁNH THANH TRA", "name": "Hoàng Văn Chánh", "authority": "CHÁNH THANH TRA TỈNH"}
    assert signers.unit_head_block(session, inspectorate)["title"] == "CHÁNH THANH TRA"
    # a unit without a title of its own: its level's, as before
    assert signers.unit_head_block(session, org["dept"])["title"] == "GIÁM ĐỐC"
    # the head of the unit above signs a document of the inspectorate under the province's title
    assert signers.issuer_block(session, inspectorate, org["users"]["chair"])["authority"] == "CHỦ TỊCH UBND TỈNH"


@pytest.mark.parametrize("title, name, line", [
    ("Chánh Thanh tra", "Thanh tra tỉnh", "Chánh Thanh tra tỉnh"),
    ("Chánh Văn phòng", "Văn phòng UBND tỉnh", "Chánh Văn phòng UBND tỉnh"),
    ("Trưởng Ban", "Ban Tiếp công dân tỉnh", "Trưởng Ban Tiếp công dân tỉnh"),
    ("Giám đốc", "Sở Nông nghiệp và Môi trường", "Giám đốc Sở Nông nghiệp và Môi trường"),
    ("Chủ tịch", "UBND xã Bình Minh", "Chủ tịch UBND xã Bình Minh"),
    ("Chánh thanh tra", "Thanh Tra tỉnh", "Chánh thanh tra tỉnh"),
])
def test_a_title_and_the_unit_it_heads_share_their_common_words(title, name, line):
    assert titles.with_unit(title, name) == line


def test_the_recipients_name_a_head_by_the_units_title(session, org, inspectorate):
    """"Nơi nhận" names the head of a unit (the direct superior, the first-instance resolver) by that title."""
    assert recipients._head_of(inspectorate) == "Chánh Thanh tra tỉnh"
    assert recipients._head_of(org["province"]) == "Chủ tịch UBND tỉnh"


def test_the_administrator_sets_and_clears_a_units_head_title(session, org):
    actor = org["users"]["chair"]
    unit = accounts.set_unit_head_title(session, "STNMT", "  Chánh   Văn phòng ", actor=actor)
    assert unit.head_title == "Chánh Văn phòng"
    event = session.query(AdminEvent).order_by(AdminEvent.id.desc()).first()
    assert (event.action, event.unit_id, event.detail) == ("unit_head_title_changed", unit.id,
                                                           {"head_title": [None, "Chánh Văn phòng"]})
    assert signers.unit_head_block(session, unit)["title"] == "CHÁNH VĂN PHÒNG"
    accounts.set_unit_head_title(session, "STNMT", "", actor=actor)
    assert unit.head_title is None and signers.unit_head_block(session, unit)["title"] == "GIÁM ĐỐC"


@pytest.mark.parametrize("title", ["x" * 101, "Chánh <b>Thanh tra</b>"])
def test_a_bad_head_title_is_refused_naming_the_field(session, org, title):
    with pytest.raises(ServiceError) as err:
        accounts.set_unit_head_title(session, "STNMT", title)
    assert err.value.field == "head_title" and "Chức danh thủ trưởng" in str(err.value)
    with pytest.raises(ServiceError) as err:
        accounts.create_unit(session, "MOI", "Đơn vị mới", head_title=title)
    assert err.value.field == "head_title"
