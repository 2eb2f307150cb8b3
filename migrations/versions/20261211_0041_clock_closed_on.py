"""clocks.closed_on: the legal date a time limit stopped on, which the reports count it by

A time limit stops on the date of the act that stops it (a reply dated 28/12/2026), not on the day that act is
entered (03/01/2027): the dashboard, the periodic report and the yearly scorecard counted a stopped limit in the
period of `closed_at`, the instant it was entered, so a limit met in December counted in January (or as overdue at
December's end). `closed_on` keeps the act's date; a CHECK keeps it set exactly when `closed_at` is. Existing rows
take the legal date of the history row written at the instant the clock was closed (the action that stopped it:
`apply_outcome` writes both with one `now`), else the local (UTC+7) day of `closed_at`. The reports' index by
`closed_at` (0026) gives way to one by `closed_on`, with the same columns after it.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-11

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0041'
down_revision: Union[str, Sequence[str], None] = '0040'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHECK = "(closed_at IS NULL) = (closed_on IS NULL)"
#: the legal date of the action recorded at the very instant the clock was closed (a stop's date is that action's)
FROM_HISTORY = ("UPDATE clocks SET closed_on = (SELECT max(e.legal_date) FROM case_events e "
                "WHERE e.case_id = clocks.case_id AND e.at = clocks.closed_at AND e.legal_date IS NOT NULL) "
                "WHERE closed_at IS NOT NULL")
#: else the local day (UTC+7, no daylight saving) of the instant it was closed
LOCAL_DAY = {"sqlite": "date(closed_at, '+7 hours')",
             "postgresql": "CAST((closed_at AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS DATE)"}
NEW_INDEX = ('ix_clocks_closed_on', ['closed_on', 'case_id', 'state'], "closed_on IS NOT NULL")
OLD_INDEX = ('ix_clocks_closed', ['closed_at', 'case_id', 'state'], "closed_at IS NOT NULL")


def _create(name, columns, where) -> None:
    op.create_index(name, 'clocks', columns, unique=False, postgresql_where=sa.text(where),
                    sqlite_where=sa.text(where))


def upgrade() -> None:
    op.drop_index(OLD_INDEX[0], table_name='clocks')
    with op.batch_alter_table('clocks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
    op.execute(FROM_HISTORY)
    local_day = LOCAL_DAY[op.get_bind().dialect.name]
    op.execute(f"UPDATE clocks SET closed_on = {local_day} WHERE closed_at IS NOT NULL AND closed_on IS NULL")
    with op.batch_alter_table('clocks', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_clocks_closed_on_with_closed_at'), sa.text(CHECK))
    _create(*NEW_INDEX)


def downgrade() -> None:
    op.drop_index(NEW_INDEX[0], table_name='clocks')
    with op.batch_alter_table('clocks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_clocks_closed_on_with_closed_at'), type_='check')
        batch_op.drop_column('closed_on')
    _create(*OLD_INDEX)
