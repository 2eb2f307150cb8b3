"""indexes for the scorecard: mass cases by day received, and conferences by year

At 1M cases the scorecard's count of the year's mass cases read the whole table (no index held `mass`: 140-190 ms
for a handful of rows), and loading a year's conferences of the communes read every dialogue case of ten years to
test the year in its facts (19,600 pages, 100-130 ms). Both are small partial indexes.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0029'
down_revision: Union[str, Sequence[str], None] = '0028'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: the year a conference counts in, exactly as services.dialogues.compliance.per_commune writes it (PostgreSQL
#: uses an expression index only for the same expression)
CONFERENCE_YEAR = ("substr(coalesce(CAST((facts ->> 'held_on') AS VARCHAR), "
                   "CAST((facts ->> 'planned_on') AS VARCHAR)), 1, 4)")


def upgrade() -> None:
    op.create_index('ix_cases_mass_received', 'cases', ['received_at', 'unit_id', 'kind', 'voided_at'], unique=False,
                    postgresql_where=sa.text('mass IS true'), sqlite_where=sa.text('mass IS 1'))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_cases_conference_year', 'cases', [sa.text(CONFERENCE_YEAR), 'unit_id'], unique=False,
                        postgresql_where=sa.text("kind = 'dialogue'"))
        op.execute('ANALYZE cases')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_conference_year', table_name='cases', postgresql_where=sa.text("kind = 'dialogue'"))
    op.drop_index('ix_cases_mass_received', table_name='cases', postgresql_where=sa.text('mass IS true'),
                  sqlite_where=sa.text('mass IS 1'))
