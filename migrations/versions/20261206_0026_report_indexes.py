"""indexes for the dashboard, the periodic reports, the scorecard and the overdue lists

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0026'
down_revision: Union[str, Sequence[str], None] = '0025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: (table, index, columns, partial WHERE or None), on both databases
INDEXES = (
    # cases ended in a period: the resolved bars of the chart, the periodic report's results and timeliness
    ('cases', 'ix_cases_closed', ['closed_at', 'unit_id', 'kind', 'voided_at'], None),
    # open cases by unit, kind and state: the dashboard's open figures and intake's duplicate check
    ('cases', 'ix_cases_open_unit_kind_state', ['unit_id', 'kind', 'state'],
     "status <> 'closed' AND voided_at IS NULL"),
    # a case's unit, kind and voiding by its id: the reports join clocks, events and ratings to their cases by the
    # tens of thousands and read only these (index-only, instead of the table)
    ('cases', 'ix_cases_report_cover', ['id', 'unit_id', 'kind', 'voided_at'], None),
    # the cases received in a period with what the chart counts: its received bars read only the index
    ('cases', 'ix_cases_received_cover', ['received_at', 'unit_id', 'kind', 'voided_at'], None),
    # clocks stopped in a period, with what the on-time counts read (dashboard, scorecard): answered by the index;
    # partial, so that no planner takes it for the open clocks (the sweep's `closed_at IS NULL` has its own index)
    ('clocks', 'ix_clocks_closed', ['closed_at', 'case_id', 'state'], "closed_at IS NOT NULL"),
    # the few meeting events of a period: the periodic report's dialogues held
    ('case_events', 'ix_case_events_meeting_day', ['legal_date'], "action IN ('record_minutes', 'hold')"),
    # each ended case's last decision: the periodic report's results
    ('case_events', 'ix_case_events_decisions', ['case_id', 'id'], "action IN ('issue_decision', 'conclude')"),
    # the ratings given in a period: satisfaction in the reports, the dashboard and the scorecard
    ('ratings', 'ix_ratings_created', ['created_at'], None),
)


def _where(clause):
    return {} if clause is None else {'postgresql_where': sa.text(clause), 'sqlite_where': sa.text(clause)}


def upgrade() -> None:
    for table, name, columns, where in INDEXES:
        op.create_index(name, table, columns, unique=False, **_where(where))


def downgrade() -> None:
    for table, name, _columns, where in reversed(INDEXES):
        op.drop_index(name, table_name=table, **_where(where))
