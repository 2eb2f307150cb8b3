"""indexes for the case lists, search, open clocks and the inbox (pg_trgm on PostgreSQL)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: the lists' indexes carry voided_at on PostgreSQL (INCLUDE): a capped count of a list reads the index alone
LISTED = {'postgresql_include': ['voided_at']}
#: (table, index, columns, partial WHERE or None, options): B-tree indexes, on both databases
BTREE = (
    ('cases', 'ix_cases_received', ['received_at', 'id'], None, LISTED),
    ('cases', 'ix_cases_unit_received', ['unit_id', 'received_at', 'id'], None, LISTED),
    ('cases', 'ix_cases_assignee_received', ['assignee_id', 'received_at', 'id'], None, LISTED),
    ('cases', 'ix_cases_status_received', ['status', 'received_at', 'id'], None, LISTED),
    ('cases', 'ix_cases_kind_state', ['kind', 'state'], None, {}),
    # the case page reads a case's duplicates and related cases by these (a scan of every case without them)
    ('cases', 'ix_cases_duplicate_of_id', ['duplicate_of_id'], None, {}),
    ('cases', 'ix_cases_related_case_id', ['related_case_id'], None, {}),
    ('clocks', 'ix_clocks_open_case_due', ['case_id', 'due_date'], 'closed_at IS NULL', {}),
    ('clocks', 'ix_clocks_open_due', ['due_date', 'case_id'], 'closed_at IS NULL', {}),
    ('clocks', 'ix_clocks_open_due_at', ['due_at', 'case_id'], 'closed_at IS NULL', {}),
    ('notifications', 'ix_notifications_user_inbox', ['user_id', 'channel', 'created_at', 'id'], None, {}),
    ('notifications', 'ix_notifications_user_inbox_unread', ['user_id', 'channel', 'read_at'], None, {}),
)
#: the indexes the ones above replace (they begin with the same columns, or count unread e-mails too)
REPLACED = (
    ('cases', 'ix_cases_kind', ['kind']),
    ('cases', 'ix_cases_assignee_id', ['assignee_id']),
    ('notifications', 'ix_notifications_user_unread', ['user_id', 'read_at']),
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
    for table, name, columns, where, options in BTREE:
        op.create_index(name, table, columns, unique=False, **_where(where), **options)
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
        # the lists that start from clocks or search matches check each case from this index alone
        op.create_index('ix_cases_id_visible', 'cases', ['id'], unique=False,
                        postgresql_include=['unit_id', 'status', 'voided_at'])
        # an assignee works in one unit: without this the planner multiplies the two filters' selectivities,
        # expects a handful of a handler's cases in their unit and sorts thousands (228 -> 6 ms at 1M cases)
        op.execute('CREATE STATISTICS IF NOT EXISTS st_cases_unit_assignee (dependencies, ndistinct) '
                   'ON unit_id, assignee_id FROM cases')
        # the home page's open-case counts by unit, from the index alone
        op.drop_index('ix_cases_unit_status', table_name='cases')
        op.create_index('ix_cases_unit_status', 'cases', ['unit_id', 'status'], unique=False,
                        postgresql_include=['voided_at'])
        op.execute('ANALYZE cases')


def downgrade() -> None:
    # the extension stays: other databases' objects in the cluster may use it, and it holds no data
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_unit_status', table_name='cases')
        op.create_index('ix_cases_unit_status', 'cases', ['unit_id', 'status'], unique=False)
        op.execute('DROP STATISTICS IF EXISTS st_cases_unit_assignee')
        op.drop_index('ix_cases_id_visible', table_name='cases')
        for table, name, _column in reversed(TRIGRAM):
            op.drop_index(name, table_name=table)
    for table, name, columns in REPLACED:
        op.create_index(name, table, columns, unique=False)
    for table, name, _columns, where, _options in reversed(BTREE):
        op.drop_index(name, table_name=table, **_where(where))
