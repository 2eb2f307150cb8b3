"""visit_accesses: who opened a confidential reception visit's document

A denouncer's refusal notice names them (name, identity number, address, phone) and holds the summary of their
visit; it was opened by any officer of the unit's desk with nothing recorded. Each opening is now recorded here, as
a reveal of a case's denouncer is in identity_accesses (a visit may have no case and no party to name there). A new
table; the openings before it stay unknown.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0035'
down_revision: Union[str, Sequence[str], None] = '0034'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('visit_accesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_accesses_user_id_users'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['reception_visits.id'],
                            name=op.f('fk_visit_accesses_visit_id_reception_visits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_visit_accesses_document_id_documents'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_accesses'))
    )
    op.create_index(op.f('ix_visit_accesses_user_id'), 'visit_accesses', ['user_id'], unique=False)
    op.create_index(op.f('ix_visit_accesses_visit_id'), 'visit_accesses', ['visit_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_visit_accesses_visit_id'), table_name='visit_accesses')
    op.drop_index(op.f('ix_visit_accesses_user_id'), table_name='visit_accesses')
    op.drop_table('visit_accesses')
