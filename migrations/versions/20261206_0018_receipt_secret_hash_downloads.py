"""receipt secrets kept only as a hash; downloads of confidential cases' files recorded

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

"""
import hashlib
import secrets
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0018'
# 0015 is written in parallel; the lead re-chains this file onto it when merging
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('tracking_secret', sa.String),
                 sa.column('tracking_secret_hash', sa.String))
# the same format as dvflow.services.cases.tracking.hash_secret (copied: a migration must not change with the app)
ROUNDS = 30_000
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _hash(secret: str) -> str:
    salt = secrets.token_hex(16)
    normalized = "".join(secret.split()).upper()
    digest = hashlib.pbkdf2_hmac("sha256", normalized.encode(), salt.encode(), ROUNDS).hex()
    return f"pbkdf2_sha256${ROUNDS}${salt}${digest}"


def upgrade() -> None:
    """The receipt's secret is shown once and stored only as a salted hash: the existing secrets are hashed (the
    receipts already printed keep working) and the plain column is dropped. Every download of a confidential case's
    file is recorded."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_secret_hash', sa.String(length=128), nullable=True))
    conn = op.get_bind()
    for case_id, secret in conn.execute(sa.select(cases.c.id, cases.c.tracking_secret)).all():
        conn.execute(cases.update().where(cases.c.id == case_id).values(tracking_secret_hash=_hash(secret or '')))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('tracking_secret_hash', existing_type=sa.String(length=128), nullable=False)
        batch_op.drop_column('tracking_secret')

    op.create_table('attachment_downloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'],
                            name=op.f('fk_attachment_downloads_attachment_id_attachments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachment_downloads_case_id_cases'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attachment_downloads_user_id_users'),
                            ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment_downloads'))
    )
    with op.batch_alter_table('attachment_downloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_downloads_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_downloads_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """The plain secrets cannot come back from their hashes: every case gets a new secret (printed receipts stop
    working; reprint them)."""
    with op.batch_alter_table('attachment_downloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_downloads_user_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_downloads_case_id'))
    op.drop_table('attachment_downloads')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_secret', sa.String(length=16), nullable=True))
    conn = op.get_bind()
    for (case_id,) in conn.execute(sa.select(cases.c.id)).all():
        secret = "".join(secrets.choice(ALPHABET) for _ in range(6))
        conn.execute(cases.update().where(cases.c.id == case_id).values(tracking_secret=secret))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('tracking_secret', existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_column('tracking_secret_hash')
