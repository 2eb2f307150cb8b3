"""scorecard_entry_events: the trail of every submission and review of a manual criterion's value

A new submission replaced the value, the note and the review before it, so a value rejected and submitted again
left no trace of the first value or of why it was rejected. Existing entries get their trail from what they hold:
their last submission, and their review when there was one.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0030'
down_revision: Union[str, Sequence[str], None] = '0029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('scorecard_entry_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.CheckConstraint("action IN ('submitted', 'verified', 'rejected')",
                       name=op.f('ck_scorecard_entry_events_action')),
    sa.CheckConstraint('files >= 0', name=op.f('ck_scorecard_entry_events_files_nonnegative')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_scorecard_entry_events_actor_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['scorecard_entries.id'],
                            name=op.f('fk_scorecard_entry_events_entry_id_scorecard_entries'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_entry_events'))
    )
    op.create_index(op.f('ix_scorecard_entry_events_entry_id'), 'scorecard_entry_events', ['entry_id'], unique=False)
    # the trail of the entries made before it: the submission each holds, then its review (in that order, by id)
    op.execute("INSERT INTO scorecard_entry_events (entry_id, action, at, actor_id, value, note, files) "
               "SELECT e.id, 'submitted', e.submitted_at, e.submitted_by_id, e.value, e.note, "
               "(SELECT count(*) FROM scorecard_evidence f WHERE f.entry_id = e.id) "
               "FROM scorecard_entries e ORDER BY e.id")
    op.execute("INSERT INTO scorecard_entry_events (entry_id, action, at, actor_id, value, note, files) "
               "SELECT e.id, e.status, e.reviewed_at, e.reviewed_by_id, NULL, e.review_note, 0 "
               "FROM scorecard_entries e WHERE e.status <> 'submitted' AND e.reviewed_at IS NOT NULL ORDER BY e.id")


def downgrade() -> None:
    op.drop_index(op.f('ix_scorecard_entry_events_entry_id'), table_name='scorecard_entry_events')
    op.drop_table('scorecard_entry_events')
