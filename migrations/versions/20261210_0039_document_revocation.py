"""documents: an issued document is frozen by the database, and its revocation (thu hồi) is recorded

An issued document is numbered, signed and sent: nothing may change it afterwards (its SHA-256 was stored and its
file attached). The service never did; now the database refuses it too, whoever writes: an UPDATE that changes an
issued row's status, content, fingerprint, number or issuer is aborted. What may still change is what the database
itself does to references (the attachment set to NULL when its file goes) and, once, the record of its revocation:
a head's decision that withdraws it, with who, when, why and the reference of the deciding document (that decision
is itself a document of the same authority, issued outside this record or as another document).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-10

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0039'
down_revision: Union[str, Sequence[str], None] = '0038'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FROZEN = ("status", "content", "sha256", "number", "symbol", "number_symbol", "year", "series", "issued_at",
          "issued_by_id", "unit_id", "type", "case_id", "session_id")
REVOCATION = ("revoked_at", "revoked_by_id", "revoke_reason", "revoke_reference")
MESSAGE = "documents: an issued document is frozen"


def _changed(columns) -> str:
    return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)


def _changed_sqlite(columns) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def upgrade() -> None:
    # SQLite rebuilds the table for the foreign key (documents carries no trigger before this one)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revoke_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('revoke_reference', sa.String(length=255), nullable=True))
        batch_op.create_foreign_key('fk_documents_revoked_by_id_users', 'users', ['revoked_by_id'], ['id'],
                                    ondelete='SET NULL')
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION documents_issued_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.status = 'issued' AND ({_changed(FROZEN)}
                    OR (OLD.revoked_at IS NOT NULL AND ({_changed(REVOCATION)}))) THEN
                    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER documents_issued_frozen BEFORE UPDATE ON documents "
                   "FOR EACH ROW EXECUTE FUNCTION documents_issued_frozen()")
    else:
        op.execute(f"""
            CREATE TRIGGER documents_issued_frozen BEFORE UPDATE ON documents
            WHEN OLD.status = 'issued' AND ({_changed_sqlite(FROZEN)}
                OR (OLD.revoked_at IS NOT NULL AND ({_changed_sqlite(REVOCATION)})))
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS documents_issued_frozen" +
               (" ON documents" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS documents_issued_frozen()")
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint('fk_documents_revoked_by_id_users', type_='foreignkey')
        for column in reversed(REVOCATION):
            batch_op.drop_column(column)
