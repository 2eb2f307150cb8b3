"""admin_events: what administrators do to accounts and units

Granting or removing a role, creating a user or a unit, deactivating or reactivating an account, resetting a password
or a second factor, changing a user's name or e-mail or a unit's contact left no record, and removing a role deleted
its membership row: nothing told who had decided who may see what. A new table; the acts before it stay unknown.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0034'
down_revision: Union[str, Sequence[str], None] = '0033'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ACTIONS = ("unit_created", "unit_contact_changed", "user_created", "user_updated", "role_granted", "role_revoked",
           "deactivated", "reactivated", "password_reset", "second_factor_reset")


def upgrade() -> None:
    op.create_table('admin_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.CheckConstraint("action IN (%s)" % ", ".join(f"'{a}'" for a in ACTIONS), name=op.f('ck_admin_events_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_events_actor_id_users'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_admin_events_user_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_admin_events_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_events'))
    )
    op.create_index(op.f('ix_admin_events_at'), 'admin_events', ['at'], unique=False)
    op.create_index(op.f('ix_admin_events_user_id'), 'admin_events', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_admin_events_user_id'), table_name='admin_events')
    op.drop_index(op.f('ix_admin_events_at'), table_name='admin_events')
    op.drop_table('admin_events')
