"""one covering index on cases(id) instead of two overlapping ones

0025 made `ix_cases_id_visible` (PostgreSQL: id INCLUDE unit_id, status, voided_at) for the lists that start from
clocks or search matches; 0026 made `ix_cases_report_cover` (id, unit_id, kind, voided_at) for the reports that
join clocks, events and ratings to their cases. Both are read by id for a case's unit and voiding, and every insert
and every status change maintained both. One index with all four columns serves every reader of either.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0028'
down_revision: Union[str, Sequence[str], None] = '0027'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ['id', 'unit_id', 'status', 'kind', 'voided_at']


def upgrade() -> None:
    # made before the old ones go, so no reader is left without a covering index mid-migration
    op.create_index('ix_cases_id_cover', 'cases', COLUMNS, unique=False)
    op.drop_index('ix_cases_report_cover', table_name='cases')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_id_visible', table_name='cases')
        op.execute('ANALYZE cases')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_cases_id_visible', 'cases', ['id'], unique=False,
                        postgresql_include=['unit_id', 'status', 'voided_at'])
    op.create_index('ix_cases_report_cover', 'cases', ['id', 'unit_id', 'kind', 'voided_at'], unique=False)
    op.drop_index('ix_cases_id_cover', table_name='cases')
