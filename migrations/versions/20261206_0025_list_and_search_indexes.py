"""indexes for the case lists, search, open clocks and the inbox (pg_trgm on PostgreSQL)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: (table, index, columns, partial WHERE or None): B-tree indexes, on both databases
BTREE = (
    ('cases', 'ix_cases_received', ['received_at', 'id'], None),
    ('cases', 'ix_cases_unit_received', ['unit_id', 'received_at', 'id'], None),
    ('cases', 'ix_cases_assignee_received', ['assignee_id', 'received_at', 'id'], None),
    ('cases', 'ix_cases_status_received', ['status', 'received_at', 'id'], None),
    ('cases', 'ix_cases_kind_state', ['kind', 'state'], None),
    ('clocks', 'ix_clocks_open_case_due', ['case_id', 'due_date'], 'closed_at IS NULL'),
    ('clocks', 'ix_clocks_open_due', ['due_date', 'case_id'], 'closed_at IS NULL'),
    ('clocks', 'ix_clocks_open_due_at', ['due_at', 'case_id'], 'closed_at IS NULL'),
    ('notifications', 'ix_notifications_user_inbox', ['user_id', 'channel', 'created_at', 'id'], None),
)
#: the single-column indexes the composite ones above begin with (they serve the same lookups)
REPLACED = (
    ('cases', 'ix_cases_kind', ['kind']),
    ('cases', 'ix_cases_assignee_id', ['assignee_id']),
)
#: (table, index, column): trigram GIN indexes serving ILIKE '%q%', PostgreSQL only
TRIGRAM = (
    ('cases', 'ix_cases_subject_search_trgm', 'subject_search'),
    ('cases', 'ix_cases_tracking_code_trgm', 'tracking_code'),
    ('parties', 'ix_parties_name_search_trgm', 'name_search'),
    ('documents', 'ix_documents_number_symbol_trgm', 'number_symbol'),
)


def _where(clause):
    return {} if clause is None else {'postgresql_where': sa.text(clause), 'sqlite_where': sa.text(clause)}


def upgrade() -> None:
    """Lists sort by (received_at DESC, id DESC) under each role's filter; search matches parts of words."""
    for table, name, columns, where in BTREE:
        op.create_index(name, table, columns, unique=False, **_where(where))
    for table, name, columns in REPLACED:
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        # the operator class by its schema: the extension may live outside the search path (made earlier, elsewhere)
        schema = op.get_bind().scalar(sa.text(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"))
        for table, name, column in TRIGRAM:
            op.create_index(name, table, [column], unique=False, postgresql_using='gin',
                            postgresql_ops={column: f'{schema}.gin_trgm_ops'})


def downgrade() -> None:
    # the extension stays: other databases' objects in the cluster may use it, and it holds no data
    if op.get_bind().dialect.name == 'postgresql':
        for table, name, _column in reversed(TRIGRAM):
            op.drop_index(name, table_name=table)
    for table, name, columns in REPLACED:
        op.create_index(name, table, columns, unique=False)
    for table, name, _columns, where in reversed(BTREE):
        op.drop_index(name, table_name=table, **_where(where))
