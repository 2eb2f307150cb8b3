"""an e-mail to a citizen may carry an issued document

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The issued document a citizen's e-mail attaches (the dispatcher reads the file when it sends)."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notifications_document_id_documents'), 'documents',
                                    ['document_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_document_id_documents'), type_='foreignkey')
        batch_op.drop_column('document_id')
