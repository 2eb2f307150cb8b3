"""cases.closed_on: the legal date a case ended on, which the reports count its end by

A case ends on the date of the act that ends it (a reply dated 28/12/2026), not on the day that act is entered
(03/01/2027): the periodic report's cases ended in the period (results, timeliness, letters handled, commitments
done), the dashboard chart's resolved bars, the scorecard's matters ended in the year and the case list's
xong_tu/xong_den filter counted a case's end by `closed_at`, the instant it was entered, so a case resolved in
December counted in January (and as still open at December's end). `closed_on` keeps the act's date; a CHECK keeps
it set exactly when `closed_at` is. Existing rows take the legal date of the history row written at the instant the
case was closed (the action that closed it: `apply_outcome` writes both with one `now`), else the local (UTC+7) day
of `closed_at`, as 0041 did for the clocks. The reports' index by `closed_at` (0026) gives way to one by
`closed_on`, with the same columns after it.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-12

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0043'
down_revision: Union[str, Sequence[str], None] = '0042'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHECK = "(closed_at IS NULL) = (closed_on IS NULL)"
#: the legal date of the action recorded at the very instant the case was closed (its end is that action's date)
FROM_HISTORY = ("UPDATE cases SET closed_on = (SELECT max(e.legal_date) FROM case_events e "
                "WHERE e.case_id = cases.id AND e.at = cases.closed_at AND e.legal_date IS NOT NULL) "
                "WHERE closed_at IS NOT NULL")
#: else the local day (UTC+7, no daylight saving) of the instant it was closed
LOCAL_DAY = {"sqlite": "date(closed_at, '+7 hours')",
             "postgresql": "CAST((closed_at AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS DATE)"}
NEW_INDEX = ('ix_cases_closed_on', ['closed_on', 'unit_id', 'kind', 'voided_at'])
OLD_INDEX = ('ix_cases_closed', ['closed_at', 'unit_id', 'kind', 'voided_at'])


def upgrade() -> None:
    op.drop_index(OLD_INDEX[0], table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
    op.execute(FROM_HISTORY)
    local_day = LOCAL_DAY[op.get_bind().dialect.name]
    op.execute(f"UPDATE cases SET closed_on = {local_day} WHERE closed_at IS NOT NULL AND closed_on IS NULL")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_cases_closed_on_with_closed_at'), sa.text(CHECK))
    op.create_index(NEW_INDEX[0], 'cases', NEW_INDEX[1], unique=False)


def downgrade() -> None:
    op.drop_index(NEW_INDEX[0], table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cases_closed_on_with_closed_at'), type_='check')
        batch_op.drop_column('closed_on')
    op.create_index(OLD_INDEX[0], 'cases', OLD_INDEX[1], unique=False)
