"""read_mostly_version: a token that every change of the data the processes cache moves (by triggers)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

"""
import secrets
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0027'
down_revision: Union[str, Sequence[str], None] = '0026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: the tables whose rows the processes cache (dvflow.read_mostly), and for users only the columns cached
WATCHED = ("units", "memberships", "calendar_overrides", "workflow_versions")
USER_COLUMNS = "email, active"
PG_NEW_TOKEN = "md5(random()::text || clock_timestamp()::text)"
SQLITE_NEW_TOKEN = "lower(hex(randomblob(16)))"


def upgrade() -> None:
    """The table, its one row (a random first token: two fresh databases never share one), and the triggers."""
    op.create_table('read_mostly_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_read_mostly_version'))
    )
    op.execute(sa.text("INSERT INTO read_mostly_version (id, token) VALUES (1, :t)").bindparams(t=secrets.token_hex(16)))
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _postgres_triggers() -> None:
    # statement-level: a bulk load of a thousand units moves the token once; TRUNCATE is a change too
    op.execute("CREATE FUNCTION dvflow_read_mostly_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"UPDATE read_mostly_version SET token = {PG_NEW_TOKEN}; RETURN NULL; END $$")
    for table in WATCHED:
        op.execute(f"CREATE TRIGGER read_mostly_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION dvflow_read_mostly_bump()")
    op.execute("CREATE TRIGGER read_mostly_users AFTER INSERT OR DELETE OR TRUNCATE ON users "
               "FOR EACH STATEMENT EXECUTE FUNCTION dvflow_read_mostly_bump()")
    # a login writes the user row too (failed_logins, session_version): only what the caches hold moves the token
    op.execute(f"CREATE TRIGGER read_mostly_users_cols AFTER UPDATE OF {USER_COLUMNS} ON users "
               "FOR EACH STATEMENT EXECUTE FUNCTION dvflow_read_mostly_bump()")


def _sqlite_triggers() -> None:
    body = f"BEGIN UPDATE read_mostly_version SET token = {SQLITE_NEW_TOKEN}; END"
    for table in WATCHED:
        for op_name in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER read_mostly_{table}_{op_name.lower()} AFTER {op_name} ON {table} {body}")
    for name, when in (("insert", "INSERT"), ("delete", "DELETE"), ("update", f"UPDATE OF {USER_COLUMNS}")):
        op.execute(f"CREATE TRIGGER read_mostly_users_{name} AFTER {when} ON users {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*WATCHED, "users"):
            op.execute(f"DROP TRIGGER IF EXISTS read_mostly_{table} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS read_mostly_users_cols ON users")
        op.execute("DROP FUNCTION IF EXISTS dvflow_read_mostly_bump()")
    else:
        for table in WATCHED:
            for op_name in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS read_mostly_{table}_{op_name}")
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS read_mostly_users_{name}")
    op.drop_table('read_mostly_version')
