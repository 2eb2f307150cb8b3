"""letter hand-off links: a case records the letter it came from, and the letter the case it became

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A letter (triage case) handed off into a case of its kind: the new case keeps the letter
    (source_letter_id) and the letter keeps the case (handed_off_to_id), each at most once."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_letter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('handed_off_to_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_cases_source_letter_id'), ['source_letter_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_cases_handed_off_to_id'), ['handed_off_to_id'])
        batch_op.create_foreign_key(batch_op.f('fk_cases_source_letter_id_cases'), 'cases', ['source_letter_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_cases_handed_off_to_id_cases'), 'cases', ['handed_off_to_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_handed_off_to_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_source_letter_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_cases_handed_off_to_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_cases_source_letter_id'), type_='unique')
        batch_op.drop_column('handed_off_to_id')
        batch_op.drop_column('source_letter_id')
