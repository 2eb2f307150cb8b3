"""parties: no search name for a hidden party of a confidential case

A letter naming a denouncer became confidential only after its parties were written, and a case made confidential
by a workflow step (a letter classified as a denunciation) never recomputed its parties' search names: the plain,
accent-free names of such denouncers and representatives stayed in `parties.name_search`, the one column a database
dump shows in clear. Intake and actions now leave them empty; this clears the ones already written, the senders of
a confidential letter included (they denounce, whatever role the desk gave them).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0031'
down_revision: Union[str, Sequence[str], None] = '0030'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: confidentiality.HIDDEN_ROLES and LETTER_SENDER_ROLES when written (a migration keeps the rule it applied): in a
#: confidential letter whoever sent it is hidden
HIDDEN_ROLES = ("denouncer", "representative")
LETTER_SENDER_ROLES = ("complainant", "denouncer", "petitioner", "representative")


def _in(roles) -> str:
    return ", ".join(f"'{r}'" for r in roles)


def upgrade() -> None:
    op.execute(
        "UPDATE parties SET name_search = '' WHERE name_search <> '' AND id IN ("
        "SELECT cp.party_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.confidential AND ("
        f"cp.role IN ({_in(HIDDEN_ROLES)}) OR (c.kind = 'triage' AND cp.role IN ({_in(LETTER_SENDER_ROLES)}))))")


def downgrade() -> None:
    # the names cleared cannot be written back in clear (the names are encrypted); nothing to undo in the schema
    pass
