"""e-mails to citizens: a notification may go to a party of the case instead of an officer

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The sender of a letter is told what became of it by e-mail (Luật Tố cáo 2018, Điều 24; TT 05/2021): the row
    names the party, whose address is read when the e-mail is sent."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_party_id_parties'), 'parties', ['party_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_check_constraint(
            'recipient', "user_id IS NOT NULL OR (party_id IS NOT NULL AND channel = 'email')")


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE user_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_recipient'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_notifications_party_id_parties'), type_='foreignkey')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('party_id')
