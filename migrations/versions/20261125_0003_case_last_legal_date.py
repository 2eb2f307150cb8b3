"""cases.last_legal_date, and the party roles in cases.facts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('facts', sa.JSON),
                 sa.column('last_legal_date', sa.Date))
case_events = sa.table('case_events', sa.column('case_id', sa.Integer), sa.column('legal_date', sa.Date))
case_parties = sa.table('case_parties', sa.column('case_id', sa.Integer), sa.column('role', sa.String))


def upgrade() -> None:
    """Keep on each case what a transition used to read from other tables: the latest legal date of its history
    (was max(case_events.legal_date)) and the roles of its parties (was a load of case_parties), backfilled here."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_legal_date', sa.Date(), nullable=True))
    latest = (sa.select(sa.func.max(case_events.c.legal_date)).where(case_events.c.case_id == cases.c.id)
              .scalar_subquery())
    op.execute(cases.update().values(last_legal_date=latest))
    conn = op.get_bind()
    roles: dict[int, set[str]] = {}
    for case_id, role in conn.execute(sa.select(case_parties.c.case_id, case_parties.c.role)):
        roles.setdefault(case_id, set()).add(role)
    for case_id, facts in conn.execute(sa.select(cases.c.id, cases.c.facts)).all():
        conn.execute(cases.update().where(cases.c.id == case_id).values(
            facts={**(facts or {}), 'party_roles': sorted(roles.get(case_id, ()))}))


def downgrade() -> None:
    """Drop the column; the party roles left in the facts are harmless to the older code, which recomputes them."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('last_legal_date')
