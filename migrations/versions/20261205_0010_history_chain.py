"""history hash chain: seq and hash on case_events, signed daily digests in history_anchors

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05

"""
import hashlib
import json
from datetime import timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GENESIS = '0' * 64
FIELDS = ('case_id', 'seq', 'actor_id', 'at', 'legal_date', 'action', 'from_state', 'to_state', 'payload')


def _link(previous: str, row: dict) -> str:
    """services.audit.chain.link as of this revision (a migration keeps its own copy: the code may move on)."""
    doc = {name: row.get(name) for name in FIELDS}
    at = row['at'] if row['at'].tzinfo else row['at'].replace(tzinfo=timezone.utc)
    doc['at'] = at.astimezone(timezone.utc).isoformat(timespec='microseconds')
    doc['legal_date'] = row['legal_date'].isoformat() if row.get('legal_date') else None
    payload = row.get('payload') or {}
    doc['payload'] = json.loads(json.dumps(json.loads(payload) if isinstance(payload, str) else payload))
    body = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
    return hashlib.sha256(previous.encode('ascii') + b'\n' + body).hexdigest()


def upgrade() -> None:
    """Chain the existing history of each case in id order (seq 1, 2, …), then make the columns required."""
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    events = sa.table('case_events', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer),
                      sa.column('actor_id', sa.Integer), sa.column('at', sa.DateTime(timezone=True)),
                      sa.column('legal_date', sa.Date), sa.column('action', sa.String),
                      sa.column('from_state', sa.String), sa.column('to_state', sa.String),
                      sa.column('payload', sa.JSON), sa.column('seq', sa.Integer), sa.column('hash', sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(events).order_by(events.c.case_id, events.c.id)).mappings().all()
    current, seq, previous, updates = None, 0, GENESIS, []
    for row in rows:
        if row['case_id'] != current:
            current, seq, previous = row['case_id'], 0, GENESIS
        seq += 1
        values = dict(row, seq=seq)
        previous = _link(previous, values)
        updates.append({'row_id': row['id'], 'seq': seq, 'hash': previous})
    if updates:
        conn.execute(events.update().where(events.c.id == sa.bindparam('row_id'))
                     .values(seq=sa.bindparam('seq'), hash=sa.bindparam('hash')), updates)
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_case_events_case_id_seq'), ['case_id', 'seq'])
        batch_op.create_index('ix_case_events_at', ['at'], unique=False)
    op.create_table('history_anchors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('previous', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_anchors')),
    sa.UniqueConstraint('day', name=op.f('uq_history_anchors_day'))
    )


def downgrade() -> None:
    op.drop_table('history_anchors')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_at')
        batch_op.drop_constraint(batch_op.f('uq_case_events_case_id_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('seq')
