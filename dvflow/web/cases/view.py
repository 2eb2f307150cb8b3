"""What the case page shows: labels, masked parties, timeline, clocks with their explanation, actions."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from ...engine.workflow.effective import action_fields
from ...engine.workflow.graph import render_svg
from ...i18n import is_english, loc
from ...labels import (
    CHANNEL_LABELS,
    CLOCK_STATE_LABELS,
    COMMITMENT_SOURCE_LABELS,
    IDENTITY_TYPE_LABELS,
    PARTY_ROLE_LABELS,
)
from ...models import Case, User
from ...services import cases
from ...services.cases import (
    confidentiality,
    corrections,
    history,
    queries,
    unit_merger,
    voiding,
)
from ...services.deadlines import clocks, windows
from ...services.deadlines.calendar import load_calendar
from ...services.documents import flow as doc_flow
from ...services.org import access
from ...timeutil import TZ

N_ = lambda s: s  # noqa: E731 - extracted for translation; gettext() is called when the page is built



@dataclass
class PartyRow:
    id: int
    role: str
    name: str
    identity_number: str | None
    address: str | None
    phone: str | None
    hidden: bool
    can_reveal: bool
    email: str | None = None
    kind: str = "person"
    #: the document's label (Vietnamese), or the name given for an "other" document
    identity_type: str | None = None


def party_rows(session: Session, user: User, case: Case, revealed: set[int]) -> list[PartyRow]:
    rows, reveal_ok = [], confidentiality.may_reveal(session, user, case)
    for cp in case.parties:
        p = cp.party
        hidden = confidentiality.is_hidden(case, cp.role) and p.id not in revealed
        rows.append(PartyRow(id=p.id, role=cp.role, name="" if hidden else p.name,
                             identity_number=None if hidden else p.identity_number,
                             address=None if hidden else p.address, phone=None if hidden else p.phone,
                              hidden=hidden, can_reveal=hidden and reveal_ok, email=None if hidden else p.email,
                              kind=p.kind, identity_type=None if hidden else _identity_label(p)))
    return rows


def _identity_label(party) -> str | None:
    if party.identity_type == "other":
        return party.identity_type_name
    return IDENTITY_TYPE_LABELS.get(party.identity_type or "")


def diagram(defn, state: str) -> str:
    """The workflow's diagram in the page's language: in English, a copy of the definition with the English labels
    the workflow gives (a state or action without one keeps its Vietnamese label)."""
    if is_english():
        defn = replace(defn, label=loc(defn), transitions=tuple(replace(t, label=loc(t)) for t in defn.transitions),
                       states={name: replace(s, label=loc(s)) for name, s in defn.states.items()})
    return render_svg(defn, state, many=gettext("từ %(count)s trạng thái", count="{count}"))


def _reason(event, case: Case, content_ok: bool) -> str | None:
    """The reason an officer typed for a system event (a correction, a new receipt secret, a voiding), as the
    viewer may read it; a move's reason is a code, explained by its note."""
    reason = (event.payload or {}).get("reason")
    if not reason or event.action in confidentiality.CODED_REASONS:
        return None
    return gettext(confidentiality.WITHHELD) if confidentiality.reason_withheld(case, event.action, content_ok) \
        else reason


def event_details(defn, event, case: Case | None = None, content_ok: bool = True,
                  workflows=None) -> list[tuple[str, str]]:
    """The fields an action recorded, as (label, readable value): dates dd/mm/yyyy, choices by (Vietnamese) label.
    `content_ok`: whether the viewer may see a confidential case's content (a correction of it is redacted)."""
    if event.action == "correct":
        shown = corrections.shown(event.payload or {}, case)
        if not content_ok and shown.get("field") == "content":
            shown = {**shown, "old": None, "new": None, "redacted": True}
        return _correction(shown)
    if event.action in SYSTEM_DETAILS:
        return SYSTEM_DETAILS[event.action](event.payload or {})
    specs = {f.name: f for t in defn.transitions_for(event.action) for f in action_fields(t)}
    withheld = (confidentiality.personal_fields(workflows, defn, event.action) if not content_ok and workflows
                else frozenset())
    out = []
    for name, value in ((event.payload or {}).get("fields") or {}).items():
        spec = specs.get(name)
        if spec is None and (value is None or value == ""):
            continue  # a system field with nothing recorded (e.g. no people count): no empty line
        if name in withheld and value:
            shown = gettext("Đã được bảo mật")
        else:  # a field the system recorded (history.SYSTEM_FIELDS) has no spec in the workflow
            shown = _readable(spec, value) if spec is not None else _system_value(name, value)
        out.append((loc(spec) if spec else gettext(history.SYSTEM_FIELDS.get(name, name)), shown))
    return out


#: the codes a system field records, by field: shown by their label (the raw code stays in the API's payload)
SYSTEM_VALUES = {"channel": CHANNEL_LABELS, "source": COMMITMENT_SOURCE_LABELS}


def _system_value(name: str, value) -> str:
    labels = SYSTEM_VALUES.get(name)
    return gettext(labels[value]) if labels and value in labels else str(value)


def _correction(shown: dict) -> list[tuple[str, str]]:
    """A correction as it may be shown (``corrections.shown``): the field, and its old and new value."""
    label = gettext(shown.get("label", ""))
    if shown.get("redacted"):
        return [(label, gettext("Đã được bảo mật"))]
    if shown.get("withheld") and not isinstance(shown.get("old") or shown.get("new"), dict):
        return [(label, gettext("Đã sửa"))]  # an identity field: the history records no value (corrections._withheld)
    old, new = (_change_text(shown.get("field"), shown.get(k)) for k in ("old", "new"))
    return [(label, f"{old} → {new}")]


def _change_text(name: str | None, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):  # a party added or removed
        role = gettext(PARTY_ROLE_LABELS.get(value.get("role"), value.get("role") or ""))
        if "name" not in value:  # recorded without identity values (corrections._withheld): the role alone
            return role
        rest = ", ".join(str(value[k]) for k in ("identity_number", "address", "phone", "email") if value.get(k))
        return f"{value.get('name', '')} ({role})" + (f", {rest}" if rest else "")
    if name == "received_at":
        try:
            return datetime.fromisoformat(str(value)).astimezone(TZ).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return str(value)
    if name == "channel":
        return gettext(CHANNEL_LABELS.get(value, value))
    if name == "role":
        return gettext(PARTY_ROLE_LABELS.get(value, value))
    return str(value)


def _void(payload: dict) -> list[tuple[str, str]]:
    code, moved = payload.get("duplicate_of_code"), payload.get("commitments_moved")
    return ([(gettext("Trùng với hồ sơ"), code)] if code else []) + (
        [(gettext("Cam kết chuyển sang hồ sơ gốc"), ", ".join(moved))] if moved else [])


def _recompute(payload: dict) -> list[tuple[str, str]]:
    label = payload.get("label") or payload.get("clock") or ""
    old, new = (_readable_day(payload.get(k)) for k in ("old_due_date", "new_due_date"))
    return [(label, f"{old} → {new}")]


def _readable_day(value) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return "—"


def _reassign(payload: dict) -> list[tuple[str, str]]:
    """A move to another unit: by an escalation to the unit above, or by a merger (the sentence the history keeps,
    in the page's language)."""
    moved = [(gettext("Chuyển đơn vị"), f"{payload.get('from_unit_code', '')} → {payload.get('to_unit_code', '')}")]
    if payload.get("reason") == unit_merger.REASON:
        return moved + [(gettext("Lý do"), gettext(unit_merger.NOTE) % unit_merger.note_values(payload))]
    if payload.get("reason") == "escalation":
        return moved + [(gettext("Lý do"), gettext("Quá hạn, chuyển cấp trên giải quyết"))]
    return moved


SYSTEM_DETAILS = {"void": _void, "recompute_due": _recompute, "reassign": _reassign}


def _readable(spec, value) -> str:
    if value is None or value == "":
        return ""
    if spec is not None and spec.type == "choice":
        return dict(spec.choices).get(value, str(value))
    if spec is not None and spec.type == "boolean":
        return gettext("Có") if value else gettext("Không")
    if spec is not None and spec.type == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def _access_log(session: Session, user: User, case: Case) -> list[dict] | None:
    """The reveals and downloads, for heads and supervisors; None (no section) for others, and for a case that is
    not confidential and has none."""
    if not confidentiality.may_see_log(session, user, case):
        return None
    rows = confidentiality.access_log(session, user, case.id)
    return rows if (rows or case.confidential) else None


def context(session: Session, workflows, user: User, case: Case, today: date, *, revealed: set[int] | None = None,
            typed: dict | None = None, error_field: str | None = None, correct_form: dict | None = None,
            void_form: dict | None = None) -> dict:
    defn = workflows.for_case(case, session)
    labels = {t.trigger: loc(t) for t in defn.transitions}
    calendar = load_calendar(session)
    clock_rows = []
    for c in queries.open_clocks(session, case):
        due = clocks.explain(c, calendar) if c.closed_at is None else None
        days_left = (c.due_date - today).days if (c.due_date and c.closed_at is None) else None
        clock_rows.append({"clock": c, "why": due.lines if due else [], "days_left": days_left})
    actor = access.actor_for(session, user, case)
    content_ok = confidentiality.may_see_content(session, user, case)
    return {
        "case": case, "defn": defn,
        "state_label": loc(defn.states[case.state]) if case.state in defn.states else case.state,
        "parties": party_rows(session, user, case, revealed or set()),
        "events": [(e, labels.get(e.action) or gettext(history.SYSTEM_ACTIONS.get(e.action, e.action)),
                     event_details(defn, e, case, content_ok, workflows), _reason(e, case, content_ok))
                   for e in queries.events(session, case)],
        "void_reason": confidentiality.void_reason_for(session, user, case),
        "content_ok": content_ok,
        "access_log": _access_log(session, user, case),
        "state_labels": {k: loc(s) for k, s in defn.states.items()},
        "clocks": clock_rows, "windows": windows.windows_of(session, case, defn, calendar),
        "actions": doc_flow.as_offered(doc_flow.settings_from(current_app.config), defn, case.state,
                                       cases.actions_for(session, workflows, user, case),
                                       issuer=(session, case, user)),
        "is_head": actor.is_head, "is_handler": "handler" in actor.roles,
        "assignable": queries.assignable_users(session, case.unit_id) if actor.is_head else [],
        "svg": Markup(diagram(defn, case.state)), "typed": typed or {},
        "clock_state_labels": {k: gettext(v) for k, v in CLOCK_STATE_LABELS.items()},
        "may_correct": corrections.may_correct(session, user, case),
        "may_void": voiding.may_void(session, user, case), "revealed": revealed or set(),
        # the service's own rule, so the link is offered exactly to those its page lets in
        "may_update_representatives": cases.may_update_representatives(session, user, case),
        "channel_labels": CHANNEL_LABELS, "party_roles": defn.party_roles or tuple(PARTY_ROLE_LABELS),
        "error_field": error_field, "received_local": case.received_at.astimezone(TZ), "correct_form": correct_form,
        "void_form": void_form or {},
    }
