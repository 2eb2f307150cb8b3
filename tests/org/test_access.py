"""Who sees which units; the per-session memo is dropped when roles or units change."""
from __future__ import annotations

from dvflow.services.org import access, accounts


def test_visibility_by_role(session, org):
    u = org["users"]
    dept, province, other = org["dept"].id, org["province"].id, org["other"].id
    assert access.visible_unit_ids(session, u["handler"]) == {dept}
    assert access.visible_unit_ids(session, u["chair"]) >= {province, dept, other}  # a head sees the units below
    assert access.visible_unit_ids(session, u["supervisor"]) is None  # supervisors see everything


def test_new_role_and_new_unit_are_seen_at_once(session, org):
    handler = org["users"]["handler"]
    assert org["other"].id not in access.visible_unit_ids(session, handler)
    accounts.grant_role(session, handler, org["other"], "handler")
    assert org["other"].id in access.visible_unit_ids(session, handler)
    head = org["users"]["head"]
    before = access.visible_unit_ids(session, head)
    child = accounts.create_unit(session, "PHONG", "Phòng thuộc sở", parent_code="STNMT")
    assert access.visible_unit_ids(session, head) == before | {child.id}
