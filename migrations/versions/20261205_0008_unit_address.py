"""unit address and phone, printed on the citizen's receipt

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-05

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Where a citizen finds and calls the unit: printed on the receipt (phiếu hẹn / giấy biên nhận)."""
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('phone')
        batch_op.drop_column('address')
