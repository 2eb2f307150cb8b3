"""mass cases (number of people, written appointment of representatives, as a reference, a date or an attached
file) and parties' identity document types

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('facts', sa.JSON), sa.column('mass', sa.Boolean))
case_parties = sa.table('case_parties', sa.column('case_id', sa.Integer), sa.column('role', sa.String))
PEOPLE = ('complainant', 'denouncer', 'petitioner')


def upgrade() -> None:
    """A mass case records its number of people and the written appointment of its representatives, which the
    acceptance guard reads (Luật Tiếp công dân 2013, Điều 29); a party records the type of its identity document.
    Existing mass cases get the facts the guard reads, counted from their parties."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('people_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('appointment_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('appointment_date', sa.Date(), nullable=True))
        batch_op.create_check_constraint('people_count_not_negative', 'people_count >= 0')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_type', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('identity_type_name', sa.String(length=100), nullable=True))
        batch_op.create_check_constraint(
            'identity_type',
            "identity_type IN ('cccd', 'passport', 'tax_code', 'business_registration', 'other')")
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=30), nullable=True))
        batch_op.create_check_constraint('purpose', "purpose IN ('appointment')")
    _backfill_mass_facts()


def _backfill_mass_facts() -> None:
    conn = op.get_bind()
    counts: dict[int, dict[str, int]] = {}
    for case_id, role in conn.execute(sa.select(case_parties.c.case_id, case_parties.c.role)):
        key = 'people_count' if role in PEOPLE else 'representatives_count' if role == 'representative' else None
        if key:
            counts.setdefault(case_id, {'people_count': 0, 'representatives_count': 0})[key] += 1
    for case_id, facts in conn.execute(sa.select(cases.c.id, cases.c.facts).where(cases.c.mass.is_(True))).all():
        found = counts.get(case_id, {'people_count': 0, 'representatives_count': 0})
        conn.execute(cases.update().where(cases.c.id == case_id).values(
            facts={**(facts or {}), **found, 'appointment_recorded': False}))


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint('purpose', type_='check')
        batch_op.drop_column('purpose')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_constraint('identity_type', type_='check')
        batch_op.drop_column('identity_type_name')
        batch_op.drop_column('identity_type')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('people_count_not_negative', type_='check')
        batch_op.drop_column('appointment_date')
        batch_op.drop_column('appointment_reference')
        batch_op.drop_column('people_count')
