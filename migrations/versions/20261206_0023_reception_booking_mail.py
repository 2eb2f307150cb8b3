"""reception bookings: one booking per slot; an e-mail to a citizen may be about a booking

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_RECIPIENT = "user_id IS NOT NULL OR (party_id IS NOT NULL AND channel = 'email')"
NEW_RECIPIENT = ("user_id IS NOT NULL OR ((party_id IS NOT NULL OR booking_id IS NOT NULL) "
                 "AND channel = 'email')")
ACTIVE = sa.text("status <> 'cancelled'")


def upgrade() -> None:
    """The booking a citizen's e-mail is about (confirmation, reminder; the address is read from the booking), and
    a partial unique index so that two citizens booking at once never get the same slot."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_booking_id'), ['booking_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_booking_id_reception_bookings'),
                                    'reception_bookings', ['booking_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_notifications_recipient'), type_='check')
        batch_op.create_check_constraint('recipient', NEW_RECIPIENT)
    op.create_index('uq_reception_bookings_slot', 'reception_bookings', ['session_id', 'slot_time'], unique=True,
                    postgresql_where=ACTIVE, sqlite_where=ACTIVE)


def downgrade() -> None:
    op.drop_index('uq_reception_bookings_slot', table_name='reception_bookings',
                  postgresql_where=ACTIVE, sqlite_where=ACTIVE)
    op.execute("DELETE FROM notifications WHERE booking_id IS NOT NULL AND user_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_recipient'), type_='check')
        batch_op.create_check_constraint('recipient', OLD_RECIPIENT)
        batch_op.drop_constraint(batch_op.f('fk_notifications_booking_id_reception_bookings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notifications_booking_id'))
        batch_op.drop_column('booking_id')
