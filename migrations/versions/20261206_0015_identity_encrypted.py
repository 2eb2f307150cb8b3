"""parties' identity encrypted at rest, looked up by a keyed hash of the identity number

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: the encrypted columns and their plain types before this revision
PLAIN = {'name': sa.String(length=255), 'identity_number': sa.String(length=40), 'address': sa.String(length=500),
         'phone': sa.String(length=40), 'email': sa.String(length=255)}
NOT_NULL = {'name'}
#: the roles a confidential case hides (dvflow.services.cases.confidentiality.HIDDEN_ROLES, as of this revision)
HIDDEN_ROLES = ('denouncer', 'representative')

parties = sa.table('parties', sa.column('id', sa.Integer), sa.column('name_search', sa.String),
                   sa.column('identity_hash', sa.String), *(sa.column(c, sa.Text) for c in PLAIN))
case_parties = sa.table('case_parties', sa.column('case_id', sa.Integer), sa.column('party_id', sa.Integer),
                        sa.column('role', sa.String))
cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('confidential', sa.Boolean))


def _crypto():
    """dvflow.crypto with keys: those the app installed (`dvflow db upgrade` runs in an app), else the configuration
    read from the environment as the app reads it (DVFLOW_IDENTITY_KEYS, DVFLOW_IDENTITY_HASH_KEY); a missing key
    stops the migration with its message, before anything is written."""
    from dvflow import crypto

    try:
        crypto.installed()
    except crypto.IdentityKeyError:
        from config import load_config

        crypto.install_from(load_config())
    return crypto


def upgrade() -> None:
    """Name, identity number, address, phone and e-mail become AES-GCM ciphertexts (TEXT: longer than the text);
    the identity number is looked up by `identity_hash` (HMAC-SHA256) instead of its own index; a hidden party (a
    denouncer of a confidential case) loses its plaintext search name. Existing rows are encrypted in place."""
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_identity_number'))
        for column, plain in PLAIN.items():
            batch_op.alter_column(column, existing_type=plain, type_=sa.Text(),
                                  existing_nullable=column not in NOT_NULL)
        batch_op.add_column(sa.Column('identity_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_parties_identity_hash'), ['identity_hash'], unique=False)
    _encrypt_rows()


def _hidden_ids(conn) -> set[int]:
    return set(conn.scalars(sa.select(case_parties.c.party_id).join(cases, cases.c.id == case_parties.c.case_id)
                            .where(cases.c.confidential.is_(True), case_parties.c.role.in_(HIDDEN_ROLES))))


def _encrypt_rows() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(parties.c.id, *(parties.c[c] for c in PLAIN))).all()
    if not rows:
        return
    crypto = _crypto()
    hidden = _hidden_ids(conn)
    for row in rows:
        values = {c: None if getattr(row, c) is None else crypto.encrypt(getattr(row, c)) for c in PLAIN}
        values['identity_hash'] = crypto.identity_hash(row.identity_number)
        if row.id in hidden:
            values['name_search'] = ''
        conn.execute(parties.update().where(parties.c.id == row.id).values(**values))


def _decrypt_rows() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.select(parties.c.id, *(parties.c[c] for c in PLAIN))).all()
    if not rows:
        return
    crypto = _crypto()
    from dvflow.services.cases.search import search_key

    hidden = _hidden_ids(conn)
    for row in rows:
        values = {c: None if getattr(row, c) is None else crypto.decrypt(getattr(row, c)) for c in PLAIN}
        if row.id in hidden:  # the plain schema searched every name (the queries left hidden ones out)
            values['name_search'] = search_key(values['name'])[:255]
        conn.execute(parties.update().where(parties.c.id == row.id).values(**values))


def downgrade() -> None:
    _decrypt_rows()
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_identity_hash'))
        batch_op.drop_column('identity_hash')
        for column, plain in PLAIN.items():
            batch_op.alter_column(column, existing_type=sa.Text(), type_=plain,
                                  existing_nullable=column not in NOT_NULL)
        batch_op.create_index(batch_op.f('ix_parties_identity_number'), ['identity_number'], unique=False)
