"""users.totp_pending_secret: the TOTP secret being enrolled, kept on the server and encrypted

During enrolment the secret travelled in the signed (not encrypted) session cookie, readable by anything that keeps
or logs cookies; it now waits on the user row, encrypted with the identity keys like `totp_secret`, until the user
proves their app holds it. A plain ADD / DROP COLUMN (no SQLite batch copy of `users`), so 0027's triggers on
`users` stay as they are.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0034'
down_revision: Union[str, Sequence[str], None] = '0033'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('users', sa.Column('totp_pending_secret', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'totp_pending_secret')
