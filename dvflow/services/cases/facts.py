"""The facts guards read, kept on the case and updated by each action (see workflows/README.md)."""
from __future__ import annotations

from typing import Any, Mapping

from ...engine.types import Outcome

# payload fields copied into the facts under the same name when an action carries them
COPIED = ("content_type", "competent", "violation_signs", "withdrawal_coerced", "slander_suspected",
          "open_commitments")


def updated_facts(facts: Mapping[str, Any], outcome: Outcome) -> dict[str, Any]:
    new = dict(facts)
    action, payload = outcome.action, outcome.payload
    if action == "forward":
        new["forward_count"] = int(new.get("forward_count", 0)) + 1
    elif action == "verification_report":
        new["verification_report_recorded"] = True
    elif action in ("record_minutes", "hold"):
        new["dialogue_held"] = True
    elif action in ("schedule_dialogue", "send_notice"):
        sent = payload.get("notice_sent_on") or outcome.legal_date
        new["notice_sent_on"] = sent.isoformat() if hasattr(sent, "isoformat") else str(sent)
        new["dialogue_held"] = False
    elif action == "approve":
        new["approved"] = True
    elif action in ("submit", "return", "draft_decision"):
        new["approved"] = False
    elif action == "publish":
        new["published"] = True
    for key in COPIED:
        if key in payload and payload[key] is not None:
            new[key] = payload[key]
    return new
