"""case_unit_moves: where a case was before a unit merger moved it, for the reports to date their facts

A merger (0038, services/cases/unit_merger.py) moves the open cases of a dissolved unit to its successor by changing
cases.unit_id, so every report counted such a case under the successor also for the days before the merger. Each move
is now a row: the case, the unit it left, the unit it entered and the first instant it belonged there (the start of
the successor's first day, local time). The moves made before this revision are read back from the cases' history:
every `reassign` event whose payload's reason is "merger" (from_unit, to_unit, merged_on). Escalations are not moves
here (models/case_move.py says why).

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-11

"""
import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0040'
down_revision: Union[str, Sequence[str], None] = '0039'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: Vietnam's offset from UTC (no daylight saving): the local midnight of a merger's day, as dvflow.timeutil computes it
VIETNAM = timedelta(hours=7)


def upgrade() -> None:
    op.create_table(
        'case_unit_moves',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('from_unit_id', sa.Integer(), nullable=False),
        sa.Column('to_unit_id', sa.Integer(), nullable=False),
        sa.Column('moved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moved_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.CheckConstraint("reason IN ('merger')", name=op.f('ck_case_unit_moves_reason')),
        sa.CheckConstraint('from_unit_id <> to_unit_id', name=op.f('ck_case_unit_moves_two_units')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_unit_moves_case_id_cases'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_case_unit_moves_from_unit_id_units'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_case_unit_moves_to_unit_id_units'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_unit_moves')),
    )
    op.create_index('ix_case_unit_moves_case', 'case_unit_moves', ['case_id', 'moved_at', 'id'], unique=False)
    op.create_index('ix_case_unit_moves_from', 'case_unit_moves', ['from_unit_id', 'case_id'], unique=False)
    _moves_from_history()


def _moves_from_history() -> None:
    """One row per merger event already in the cases' histories, in the order they were written."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    reason = "json_extract(payload, '$.reason')" if sqlite else "payload ->> 'reason'"
    events = bind.execute(sa.text(f"SELECT case_id, payload FROM case_events WHERE action = 'reassign' "
                                  f"AND {reason} = 'merger' ORDER BY id"))
    rows = [_row(case_id, payload, sqlite) for case_id, payload in events]
    rows = [r for r in rows if r is not None]
    if rows:
        table = sa.table('case_unit_moves', sa.column('case_id'), sa.column('from_unit_id'),
                         sa.column('to_unit_id'), sa.column('moved_at', sa.DateTime(timezone=True)),
                         sa.column('moved_on', sa.Date()),
                         sa.column('reason'))
        op.bulk_insert(table, rows)


def _row(case_id: int, payload, sqlite: bool) -> dict | None:
    data = json.loads(payload) if isinstance(payload, str) else payload
    try:
        day = date.fromisoformat(data["merged_on"])
        from_unit, to_unit = int(data["from_unit"]), int(data["to_unit"])
    except (KeyError, TypeError, ValueError):
        return None  # not a move a merger wrote (nothing to date it by)
    moved_at = datetime.combine(day, time(0, 0), tzinfo=timezone.utc) - VIETNAM
    return {"case_id": case_id, "from_unit_id": from_unit, "to_unit_id": to_unit, "reason": "merger", "moved_on": day,
            "moved_at": moved_at.replace(tzinfo=None) if sqlite else moved_at}


def downgrade() -> None:
    op.drop_index('ix_case_unit_moves_from', table_name='case_unit_moves')
    op.drop_index('ix_case_unit_moves_case', table_name='case_unit_moves')
    op.drop_table('case_unit_moves')
