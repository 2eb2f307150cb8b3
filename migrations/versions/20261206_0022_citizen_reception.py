"""citizen reception: officials, sessions, visits, bookings, commitments; documents of a session

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


OLD_CHANNELS = "channel IN ('walk_in', 'letter', 'online', 'forwarded', 'phone')"
NEW_CHANNELS = "channel IN ('walk_in', 'letter', 'online', 'forwarded', 'phone', 'assigned')"


def upgrade() -> None:
    """Tables of citizen reception (models/reception.py); a document may belong to a reception session instead of a
    case (its conclusion notice, a refusal notice)."""
    op.create_table('reception_officials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('position', sa.String(length=40), nullable=False),
    sa.Column('active_from', sa.Date(), nullable=False),
    sa.Column('active_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reception_officials_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reception_officials_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_officials'))
    )
    with op.batch_alter_table('reception_officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_officials_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_officials_user_id'), ['user_id'], unique=False)

    op.create_table('reception_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('meeting_url', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('booking_capacity', sa.Integer(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('delegate_name', sa.String(length=255), nullable=True),
    sa.Column('delegation_reason', sa.Text(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('recording_ref', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('regular', 'periodic', 'ad_hoc')", name=op.f('ck_reception_sessions_kind')),
    sa.CheckConstraint("mode IN ('in_person', 'online')", name=op.f('ck_reception_sessions_mode')),
    sa.CheckConstraint("status IN ('planned', 'published', 'held', 'cancelled')", name=op.f('ck_reception_sessions_status')),
    sa.CheckConstraint('booking_capacity >= 0', name=op.f('ck_reception_sessions_capacity_nonnegative')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_reception_sessions_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reception_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['official_id'], ['reception_officials.id'], name=op.f('fk_reception_sessions_official_id_reception_officials'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reception_sessions_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_sessions'))
    )
    with op.batch_alter_table('reception_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_reception_sessions_official_day', ['official_id', 'day'], unique=False)
        batch_op.create_index('ix_reception_sessions_unit_day', ['unit_id', 'day'], unique=False)

    op.create_table('reception_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('phone', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('slot_time', sa.Time(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('booked', 'cancelled', 'received', 'no_show')", name=op.f('ck_reception_bookings_status')),
    sa.ForeignKeyConstraint(['session_id'], ['reception_sessions.id'], name=op.f('fk_reception_bookings_session_id_reception_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_bookings')),
    sa.UniqueConstraint('code', name=op.f('uq_reception_bookings_code'))
    )
    with op.batch_alter_table('reception_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_bookings_session_id'), ['session_id'], unique=False)

    op.create_table('reception_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('citizen_name', sa.Text(), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('identity_number', sa.Text(), nullable=True),
    sa.Column('identity_hash', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('prior_resolver', sa.String(length=500), nullable=True),
    sa.Column('within_competence', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('guided_to', sa.String(length=500), nullable=True),
    sa.Column('guidance_number', sa.String(length=80), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('refusal_ground', sa.String(length=40), nullable=True),
    sa.Column('refusal_notice_due', sa.Date(), nullable=True),
    sa.Column('refusal_notice_sent_on', sa.Date(), nullable=True),
    sa.Column('result_note', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('confidential', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("content_type IN ('complaint', 'denunciation', 'petition', 'feedback')", name=op.f('ck_reception_visits_content_type')),
    sa.CheckConstraint("outcome IN ('answered', 'guided', 'case_opened', 'refused')", name=op.f('ck_reception_visits_outcome')),
    sa.CheckConstraint('people_count >= 1', name=op.f('ck_reception_visits_people_positive')),
    sa.ForeignKeyConstraint(['booking_id'], ['reception_bookings.id'], name=op.f('fk_reception_visits_booking_id_reception_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reception_visits_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reception_visits_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['reception_sessions.id'], name=op.f('fk_reception_visits_session_id_reception_sessions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reception_visits_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_visits')),
    sa.UniqueConstraint('unit_id', 'year', 'seq', name=op.f('uq_reception_visits_unit_id_year_seq'))
    )
    with op.batch_alter_table('reception_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_visits_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_visits_identity_hash'), ['identity_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_reception_visits_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_reception_visits_unit_received', ['unit_id', 'received_on'], unique=False)

    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('origin_case_id', sa.Integer(), nullable=True),
    sa.Column('promised_by', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('reception_conclusion', 'dialogue', 'conference')", name=op.f('ck_commitments_source')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_commitments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['origin_case_id'], ['cases.id'], name=op.f('fk_commitments_origin_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['reception_sessions.id'], name=op.f('fk_commitments_session_id_reception_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['reception_visits.id'], name=op.f('fk_commitments_visit_id_reception_visits'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments')),
    sa.UniqueConstraint('case_id', name=op.f('uq_commitments_case_id'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_origin_case_id'), ['origin_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_documents_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_session_id_reception_sessions'), 'reception_sessions', ['session_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_documents_visit_id_reception_visits'), 'reception_visits', ['visit_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint('owner', 'case_id IS NOT NULL OR session_id IS NOT NULL')
    # a follow-up case is opened by a conclusion notice or a dialogue's minutes: its channel is "assigned"
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_channel'), type_='check')
        batch_op.create_check_constraint('channel', NEW_CHANNELS)



def downgrade() -> None:
    op.execute("UPDATE cases SET channel = 'forwarded' WHERE channel = 'assigned'")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_channel'), type_='check')
        batch_op.create_check_constraint('channel', OLD_CHANNELS)
    op.execute("DELETE FROM documents WHERE case_id IS NULL")  # a session's documents have no case to keep them under
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_documents_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_documents_visit_id_reception_visits'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_documents_session_id_reception_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_session_id'))
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('visit_id')
        batch_op.drop_column('session_id')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_session_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_origin_case_id'))

    op.drop_table('commitments')
    with op.batch_alter_table('reception_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_reception_visits_unit_received')
        batch_op.drop_index(batch_op.f('ix_reception_visits_session_id'))
        batch_op.drop_index(batch_op.f('ix_reception_visits_identity_hash'))
        batch_op.drop_index(batch_op.f('ix_reception_visits_case_id'))

    op.drop_table('reception_visits')
    with op.batch_alter_table('reception_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reception_bookings_session_id'))

    op.drop_table('reception_bookings')
    with op.batch_alter_table('reception_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_reception_sessions_unit_day')
        batch_op.drop_index('ix_reception_sessions_official_day')

    op.drop_table('reception_sessions')
    with op.batch_alter_table('reception_officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reception_officials_user_id'))
        batch_op.drop_index(batch_op.f('ix_reception_officials_unit_id'))

    op.drop_table('reception_officials')
