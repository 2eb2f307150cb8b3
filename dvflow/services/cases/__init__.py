"""Cases: intake, actions through the workflow engine, assignment, history, confidentiality, attachments, search.

The faces (web, api, cli) call the use cases named here; modules inside `services` import each other's modules
directly, so that no package has to be fully initialised before another.
"""
from .actions import actions_for, case_view, perform
from .assignment import assign
from .attachments import add_attachment, list_attachments, may_upload, open_attachment
from .confidentiality import is_hidden, revealed_earlier
from .confidentiality import reveal as reveal_identity
from .idempotency import register_once
from .intake import IntakeInput, PartyInput, register_case
from .intake_duplicates import LikelyDuplicate
from .lookup import load_case_for
from .mass import SignerInput
from .representatives import (
    RepresentativesInput,
    hidden_representatives,
    update_representatives,
)
from .representatives import check_may_update as check_may_update_representatives
from .representatives import may_update as may_update_representatives

__all__ = ["IntakeInput", "LikelyDuplicate", "PartyInput", "RepresentativesInput", "SignerInput", "actions_for",
           "add_attachment", "assign", "case_view", "check_may_update_representatives", "hidden_representatives",
           "is_hidden",
           "list_attachments", "load_case_for", "may_update_representatives", "may_upload", "open_attachment",
           "perform", "register_case", "register_once", "reveal_identity", "revealed_earlier", "update_representatives"]
