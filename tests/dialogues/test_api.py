"""GET /api/v1/dialogues/compliance: the communes' year as JSON, for heads over their subtree and supervisors
everywhere; 403 with a Vietnamese message for anyone else, 400 naming the field for a wrong year."""
from __future__ import annotations

from datetime import date

import pytest

from .conftest import hold, plan


@pytest.fixture
def api(client, session, communes):
    from dvflow.services.org import tokens

    raw = {name: tokens.create_token(session, user, "kiểm thử", communes["users"]["a_head"].created_at)[1]
           for name, user in communes["users"].items()}
    session.flush()

    def _get(username: str, path: str):
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw[username]}"})
    return _get


def test_compliance_as_json(app, session, api, communes):
    workflows, now = app.extensions["dvflow.workflows"], app.config["NOW"]()
    held = plan(session, workflows, communes, on=date(2026, 11, 20), now=now)
    hold(session, workflows, communes, held, held_on=date(2026, 11, 20), now=now)
    session.flush()
    resp = api("inspector", "/dialogues/compliance?year=2026")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["year"] == 2026 and "Điều 32" in body["basis"]
    rows = {c["unit_code"]: c for c in body["communes"]}
    assert rows["XA-AB"]["compliant"] and rows["XA-AB"]["held"] == [{"case_id": held.id,
                                                                      "tracking_code": held.tracking_code}]
    assert rows["XA-BM"]["missing"] == 1 and not rows["XA-BM"]["compliant"]
    mine = api("a_head", "/dialogues/compliance?year=2026").get_json()
    assert [c["unit_code"] for c in mine["communes"]] == ["XA-AB"]


def test_compliance_refused_or_wrong(api):
    refused = api("a_handler", "/dialogues/compliance")
    assert refused.status_code == 403 and "hội nghị đối thoại" in refused.get_json()["error"]["message"]
    wrong = api("chair", "/dialogues/compliance?year=abc")
    assert wrong.status_code == 400 and "year" in wrong.get_data(as_text=True)
