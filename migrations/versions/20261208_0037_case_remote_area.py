"""cases.remote_area: the complainant lives in a remote or hard-to-reach area

Luật Khiếu nại 2011, Điều 28, 33, 37 and 44 give longer limits "ở vùng sâu, vùng xa đi lại khó khăn". The engine read
it from the resolving unit only; after the two-level reform a provincial department resolves the second complaint of
a complainant from a remote commune. A case flag, set at intake or by the workflow's action, used with the unit's.
Existing cases are not remote (the unit's flag still applies to them).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-08

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0037'
down_revision: Union[str, Sequence[str], None] = '0036'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remote_area', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('remote_area')
