"""Which cases count as citizens' matters (vụ việc) in the figures: the one rule shared by the dashboard's flow, the
periodic report's intake and results, and the scorecard's mass cases criterion, so that the three agree; the case
list's `pham_vi` filter applies it too, so that a figure's drill-down lists what the figure counted.

A citizen's matter is a case of one of CITIZEN_KINDS. What is left out, and why:
- a letter (kind `triage`) is not yet a matter: the periodic report counts letters in a section of their own. A
  letter handed off becomes a new case of a citizen kind (with the letter's receipt instant and its mass mark), and
  that case is the matter: counting the letter too would count one citizen's matter twice, and its hand-off (which
  closes the letter) as a resolution;
- a dialogue (kind `dialogue`) is a meeting, reported in a section of its own;
- a follow-up task (kind `follow_up`) is internal work on a conclusion or commitment, not a citizen's matter.

Voided cases count in no figure either; each report applies that with its own unit filter.
"""
from __future__ import annotations

from ...models import Case

#: kinds never counted as citizens' matters (internal work)
INTERNAL_KINDS = ("follow_up",)
#: kinds reported in a section of their own, never among the matters
OWN_SECTION_KINDS = ("triage", "dialogue")
#: the complaints, of every tier and of discipline: one family of matters
COMPLAINT_KINDS = ("complaint_first", "complaint_second", "complaint_discipline")
#: the citizens' matters, in the order of the forms (complaints, denunciations, petitions)
CITIZEN_KINDS = (*COMPLAINT_KINDS, "denunciation", "anonymous_tip", "petition")


#: the matters a citizen can rate once closed (SIPAS): every one but an anonymous tip, information given without a
#: name (Luật Tố cáo 2018, Điều 25), whose receipt no citizen holds to rate it by
RATEABLE_KINDS = tuple(k for k in CITIZEN_KINDS if k != "anonymous_tip")


def citizen_matter():
    """The WHERE clause of the cases counted as citizens' matters (see the module's docstring)."""
    return Case.kind.in_(CITIZEN_KINDS)


def rateable_matter():
    """The WHERE clause of the citizens' matters a citizen can rate (RATEABLE_KINDS)."""
    return Case.kind.in_(RATEABLE_KINDS)


__all__ = ["CITIZEN_KINDS", "COMPLAINT_KINDS", "INTERNAL_KINDS", "OWN_SECTION_KINDS", "RATEABLE_KINDS",
           "citizen_matter", "rateable_matter"]
