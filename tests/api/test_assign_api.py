"""POST /cases/{id}/assign: the version read is honoured (409 when stale); a handler cannot take a colleague's case."""
from __future__ import annotations

from .conftest import complaint_body


def test_assignment_with_a_stale_version_is_409_and_a_taken_case_is_403(api, org):
    case = api("reception").post("/cases", complaint_body()).get_json()
    head, handler = api("head"), api("handler")
    first = head.post(f"/cases/{case['id']}/assign", {"assignee_id": org["users"]["handler"].id,
                                                       "version": case["version"]})
    assert first.status_code == 200, first.get_json()
    stale = head.post(f"/cases/{case['id']}/assign", {"assignee_id": org["users"]["head"].id,
                                                       "version": case["version"]})
    assert stale.status_code == 409 and "tải lại" in stale.get_json()["error"]["message"]
    assert api("other_handler").post(f"/cases/{case['id']}/assign", {}).status_code == 404
    api("head").post(f"/cases/{case['id']}/assign", {"assignee_id": org["users"]["head"].id})
    taken = handler.post(f"/cases/{case['id']}/assign", {})
    assert taken.status_code == 403 and "thủ trưởng" in taken.get_json()["error"]["message"]
