"""TOTP secrets encrypted at rest like the parties' identity

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.Text))


def _crypto():
    """dvflow.crypto with keys (as in 0015): the app's, else those the configuration reads from the environment."""
    from dvflow import crypto

    try:
        crypto.installed()
    except crypto.IdentityKeyError:
        from config import load_config

        crypto.install_from(load_config())
    return crypto


def upgrade() -> None:
    """Whoever reads users.totp_secret can make a head's second factor: it is encrypted with the identity keys (the
    keys are needed only when there is a secret to encrypt)."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.Text(), existing_nullable=True)
    conn = op.get_bind()
    for user_id, secret in conn.execute(sa.select(users.c.id, users.c.totp_secret)
                                        .where(users.c.totp_secret.is_not(None))).all():
        conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=_crypto().encrypt(secret)))


def downgrade() -> None:
    conn = op.get_bind()
    for user_id, secret in conn.execute(sa.select(users.c.id, users.c.totp_secret)
                                        .where(users.c.totp_secret.is_not(None))).all():
        conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=_crypto().decrypt(secret)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.Text(), type_=sa.String(length=64), existing_nullable=True)
