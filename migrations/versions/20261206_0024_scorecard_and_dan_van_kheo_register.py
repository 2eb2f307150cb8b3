"""the yearly scorecard: "Dân vận khéo" models, manual criteria and their evidence files

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The register of "Dân vận khéo" models, the values of manual scorecard criteria with their verification, and
    the evidence files of either (exactly one owner each)."""
    op.create_table('dan_van_kheo_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('field', sa.String(length=255), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dan_van_kheo_models_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dan_van_kheo_models_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dan_van_kheo_models'))
    )
    with op.batch_alter_table('dan_van_kheo_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dan_van_kheo_models_unit_id'), ['unit_id'], unique=False)

    op.create_table('scorecard_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'verified', 'rejected')", name=op.f('ck_scorecard_entries_status')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_scorecard_entries_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_scorecard_entries_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_scorecard_entries_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_entries')),
    sa.UniqueConstraint('unit_id', 'year', 'criterion', name='unit_year_criterion')
    )
    with op.batch_alter_table('scorecard_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorecard_entries_unit_id'), ['unit_id'], unique=False)

    op.create_table('scorecard_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(entry_id IS NULL) <> (model_id IS NULL)', name=op.f('ck_scorecard_evidence_one_owner')),
    sa.CheckConstraint('size >= 0', name=op.f('ck_scorecard_evidence_size_nonnegative')),
    sa.ForeignKeyConstraint(['entry_id'], ['scorecard_entries.id'], name=op.f('fk_scorecard_evidence_entry_id_scorecard_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['dan_van_kheo_models.id'], name=op.f('fk_scorecard_evidence_model_id_dan_van_kheo_models'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_scorecard_evidence_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorecard_evidence'))
    )
    with op.batch_alter_table('scorecard_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorecard_evidence_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorecard_evidence_model_id'), ['model_id'], unique=False)



def downgrade() -> None:
    """Drop the three tables, the evidence first (it refers to the other two)."""
    with op.batch_alter_table('scorecard_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorecard_evidence_model_id'))
        batch_op.drop_index(batch_op.f('ix_scorecard_evidence_entry_id'))

    op.drop_table('scorecard_evidence')
    with op.batch_alter_table('scorecard_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorecard_entries_unit_id'))

    op.drop_table('scorecard_entries')
    with op.batch_alter_table('dan_van_kheo_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dan_van_kheo_models_unit_id'))

    op.drop_table('dan_van_kheo_models')
