"""clocks: close the limits left open on closed cases

The scheduler marks a limit "missed" on its last day and leaves it open (it still counts, and its ladder goes on).
The workflow engine took such a clock for a stopped one, so the case's later stop, cancel or final state never
closed it: a case resolved late kept an open clock, listed as overdue and escalated after it was closed. The engine
now ends them; this closes the ones left open on cases already closed, as missed, at the case's closing instant.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0033'
down_revision: Union[str, Sequence[str], None] = '0032'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(
        "UPDATE clocks SET closed_at = (SELECT c.closed_at FROM cases c WHERE c.id = clocks.case_id), "
        "next_escalation_at = NULL, next_step_key = NULL "
        "WHERE closed_at IS NULL AND state = 'missed' AND case_id IN ("
        "SELECT id FROM cases WHERE status = 'closed' AND closed_at IS NOT NULL)")


def downgrade() -> None:
    # which clocks were left open by the old engine is not recorded; they stay closed (their state is unchanged)
    pass
