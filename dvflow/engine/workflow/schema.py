"""Pydantic models of a workflow YAML file: the shape only; meaning is checked in ``validate.py``.

Every model forbids unknown keys and validates strictly (no silent "10" -> 10), so a typo in a workflow file is a
load error with its line, not a default quietly applied.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from dvflow.engine.workflow.facts import FACT_WORDS, FactKind

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
GuardName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Unit = Literal["working_days", "calendar_days"]
Status = Literal["open", "suspended", "closed"]
Variant = Literal["normal", "complex", "remote", "remote_complex", "especially_complex"]
Recipient = Literal["assignee", "unit_head", "parent_head", "supervisors", "reception", "handlers"]
LadderAction = Literal["raise_level", "reassign_parent", "mark_priority", "mark_missed"]
FieldType = Literal["string", "text", "date", "integer", "number", "boolean", "choice"]


def _fact_op(value: bool | str) -> bool | str:
    # one clear message instead of pydantic's per-branch ones ("should be a valid boolean")
    if isinstance(value, bool) or value in FACT_WORDS:
        return value
    raise ValueError(f"{value!r} is not a fact operation (use true, false, {', '.join(FACT_WORDS)})")


FactOp = Annotated[bool | str, AfterValidator(_fact_op)]

RECIPIENTS: tuple[str, ...] = Recipient.__args__  # type: ignore[attr-defined]
LADDER_ACTIONS: tuple[str, ...] = LadderAction.__args__  # type: ignore[attr-defined]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FieldSpec(Strict):
    type: FieldType
    required: bool = False
    label: Text
    label_en: str = ""
    help: str = ""
    legal_date: bool = False  # this date is the action's legal date (checked against today and the last event)
    #: the date of something that happened in this case, not the action's legal date: it may be neither after today
    #: nor before the case's receipt (e.g. the day the denouncer was told of the forwarding)
    event_date: bool = False
    #: the value names a person (who is to be protected, who withdrew): in a confidential case it is need-to-know,
    #: like the case's content; a `text` field is always treated so
    personal: bool = False
    choices: dict[Ident, Text] | None = None  # for type: choice
    min: int | float | None = None  # for integer / number
    max: int | float | None = None


class StateSpec(Strict):
    label: Text
    label_en: str = ""
    description: str = ""
    status: Status
    final: bool = False
    awaits: Literal["head_approval"] | None = None  # cases here wait for the head (the approval queue)


class LinkSpec(Strict):
    """A string field holding the tracking code of another case that the services link to this one."""
    field: Ident
    as_: Literal["duplicate_of", "guided_letter"] = Field(alias="as")


class ClockOpsSpec(Strict):
    start: list[Ident] = []
    stop: list[Ident] = []
    pause: list[Ident] = []
    resume: list[Ident] = []
    extend: list[Ident] = []
    cancel: list[Ident] = []


class NotifySpec(Strict):
    to: Annotated[list[Recipient], Field(min_length=1)]
    template: Ident


class DocumentSpec(Strict):
    """The document a transition produces (a type of workflows/documents/documents.yaml) and what it does with it:
    draft (generate or regenerate the draft the head approves), return (the head returns the draft with the action's
    `reason`) or issue (number, freeze and attach it; a pending draft of the type is the one issued)."""
    type: Ident
    step: Literal["draft", "return", "issue"] = "issue"


class TransitionSpec(Strict):
    trigger: Ident
    label: Text
    label_en: str = ""
    description: str = ""
    source: Ident | Literal["*"] | Annotated[list[Ident], Field(min_length=1)]
    dest: Ident | None = None
    roles: Annotated[list[Ident], Field(min_length=1)]
    head_only: bool = False
    guards: list[GuardName] = []
    fields: dict[Ident, FieldSpec] = {}
    clocks: ClockOpsSpec | None = None
    set_flags: list[Ident] = []
    facts: dict[Ident, FactOp] = {}  # what the action does to the case facts, e.g. {approved: true}
    notify: list[NotifySpec] = []
    basis: Text
    # services' steps of letter triage (services/cases/triage.py), each naming what it needs:
    hands_off: Ident | None = None  # a choice field whose value is the kind of the new case the letter becomes
    links_case: LinkSpec | None = None  # link to the case whose tracking code a field gives
    tells_sender: bool = False  # record a notice to the sender (and e-mail it when an address is on file)
    once_per_sender: bool = False  # refused when the same sender's letter on the same subject already went this way
    review: str | None = None  # a doubtful legal reading left for a lawyer: `workflows check` prints it as a warning
    #: the day the rule behind the action came into force: an action whose legal date is before it is refused, citing
    #: the basis (a complaint's suspension exists only from 01/07/2026)
    effective_from: date | None = None
    # the official document the transition issues (`document: notice_of_acceptance`) or drafts / returns
    # (`document: {type: complaint_decision_first, step: draft}`)
    document: Ident | DocumentSpec | None = None


class ClockStartSpec(Strict):
    on_enter: Ident | None = None
    on_trigger: Ident | None = None
    # the clock starts only when the case's facts after the action match (a list fact: any element); on its trigger
    # again with facts that no longer match, a running clock is cancelled
    when: dict[Ident, Annotated[list[str | bool], Field(min_length=1)]] = {}

    @model_validator(mode="after")
    def _exactly_one(self) -> "ClockStartSpec":
        if (self.on_enter is None) == (self.on_trigger is None):
            raise ValueError("start needs exactly one of on_enter or on_trigger")
        return self


class RuleSpec(Strict):
    effective_from: date
    effective_to: date | None = None
    unit: Unit
    days: dict[Variant, Annotated[int, Field(gt=0)]]
    basis: Text
    label: str = ""
    review: str | None = None  # a doubtful legal reading left for a lawyer (a warning, not an error)

    @model_validator(mode="after")
    def _normal_and_order(self) -> "RuleSpec":
        if "normal" not in self.days:
            raise ValueError("days must give the normal variant")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class ExtensionsSpec(Strict):
    max: dict[Literal["any", "normal", "complex", "especially_complex"], Annotated[int, Field(ge=0)]]
    days_max: Annotated[int, Field(gt=0)]
    basis: Text


class LadderStepSpec(Strict):
    key: Ident
    offset: int
    unit: Unit
    notify: list[Recipient] = []
    actions: list[LadderAction] = []
    label: Text


class ClockSpec(Strict):
    label: Text
    label_en: str = ""
    # information: a window of the complainant's ("may complain again until..."), shown to the handler; never stored
    # as a running clock, so never overdue nor escalated (see information.py)
    kind: Literal["deadline", "waiting_period", "information"] = "deadline"
    start: ClockStartSpec
    # field: the date in the start transition's field named by start_field (information clocks only)
    start_date: Literal["received_at", "legal_date", "field"]
    start_field: Ident | None = None
    # the limit's length is the case's `count` fact of this name (set by the services when they register the case,
    # e.g. the days a conclusion notice gives a task), capped by the rule's days, which are then the longest allowed
    days_fact: Ident | None = None
    meaning: str = ""  # information clocks: what the date means for the handler, Vietnamese
    meaning_en: str = ""
    stop_in: list[Ident] = []
    pause_in: list[Ident] = []
    cancel_in: list[Ident] = []
    rules: Annotated[list[RuleSpec], Field(min_length=1)]
    extensions: ExtensionsSpec | None = None
    ladder: list[LadderStepSpec] = []
    review: str | None = None  # a doubtful legal reading left for a lawyer (a warning, not an error)


class WorkflowSpec(Strict):
    id: Ident
    label: Text
    label_en: str = ""
    description: str = ""
    tracking_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,5}$")]
    confidential: bool = False
    # the case becomes confidential from the moment its facts match (a list fact: any element), e.g. a letter
    # naming a denouncer or classified as a denunciation
    confidential_when: dict[Ident, Annotated[list[str | bool], Field(min_length=1)]] = {}
    party_roles: list[Ident] = []
    requires_party: list[Ident] = []  # registration needs at least one party whose role is one of these
    # false: not registered at the reception desk; the services open such cases themselves (a follow-up task is
    # opened by a conclusion notice or a dialogue's minutes, never by a citizen's visit)
    intake: bool = True
    facts: dict[Ident, FactKind] = {}  # facts of this workflow beyond those the engine knows, by kind
    initial: Ident
    states: Annotated[dict[Ident, StateSpec], Field(min_length=1)]
    transitions: Annotated[list[TransitionSpec], Field(min_length=1)]
    clocks: dict[Ident, ClockSpec] = {}
