"""documents: numbered per register series (the symbol's type part: TB, QĐ, KL…) per unit and year

Several document types print one symbol (six print TB, six QĐ) while each type ran its own series from 1, so a
unit issued two different documents as 1/TB-STNMT in one year. A document now takes the next number of its unit's
series (`series`, filled at issue) and the database keeps (unit, year, series, number) unique. The documents issued
before keep their numbers (they are signed) and no series: NULLs never collide, so their duplicates stand, and a
series starts after the highest number they used (services/documents/numbering.py). `documents` carries none of
0027's triggers (those are on units, memberships, calendar_overrides, workflow_versions and users), so the SQLite
batch copy of the table loses none.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0032'
down_revision: Union[str, Sequence[str], None] = '0031'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series', sa.String(length=20), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_documents_unit_id_type_year_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_documents_unit_id_year_series_number'),
                                          ['unit_id', 'year', 'series', 'number'])


def downgrade() -> None:
    # numbers given per series are unique per type too (a type prints one symbol), so the former constraint holds
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_documents_unit_id_year_series_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_documents_unit_id_type_year_number'),
                                          ['unit_id', 'type', 'year', 'number'])
        batch_op.drop_column('series')
