"""identity_key_checks: one known value per identity key id

A wrong key given under the right key id (a typo) was accepted at start: new identities were then encrypted with it
under that id, and became unreadable once the key was corrected. The app now records a value encrypted with each key
id the first time it sees the id, and refuses to start when the configured key does not decrypt it
(services.identity.key_checks). A new table, filled by the app at its next start.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0036'
down_revision: Union[str, Sequence[str], None] = '0035'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('identity_key_checks',
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_identity_key_checks'))
    )


def downgrade() -> None:
    op.drop_table('identity_key_checks')
