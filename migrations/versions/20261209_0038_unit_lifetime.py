"""units.active_from, active_to, successor_id: the days a unit existed and who took over its work

From 01/07/2025 the district level was abolished and communes were merged (Luật Tổ chức chính quyền địa phương 2025;
Nghị quyết 202/2025/QH15 merged provinces too): a deployment has communes that exist only from that day and others
dissolved into a successor. Units had no lifetime, so compliance asked a new commune for the years before it existed
and a dissolved one after. Existing units always existed and still exist (NULL, NULL). admin_events may record the
dissolution and the change of a parent it makes.

On SQLite the foreign key and the CHECK constraints need the batch copy of `units`, and dropping the old table drops
0027's triggers on it: they are created again, so a dissolution still moves the read-mostly token (dvflow.read_mostly)
and every process sees the new lifetime. On PostgreSQL the triggers are statement-level on the whole table and cover
the new columns as they are.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-09

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0038'
down_revision: Union[str, Sequence[str], None] = '0037'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_ACTIONS = ("unit_created", "unit_contact_changed", "user_created", "user_updated", "role_granted", "role_revoked",
               "deactivated", "reactivated", "password_reset", "second_factor_reset")
NEW_ACTIONS = ("unit_dissolved", "unit_parent_changed")
LIFETIME = "active_to IS NULL OR active_from IS NULL OR active_to >= active_from"
SUCCESSOR = "successor_id IS NULL OR (active_to IS NOT NULL AND successor_id <> id)"
#: 0027's SQLite triggers on units (written out here: a migration never imports another)
SQLITE_TRIGGER = ("CREATE TRIGGER read_mostly_units_{op} AFTER {OP} ON units BEGIN UPDATE read_mostly_version "
                  "SET token = lower(hex(randomblob(16))); END")


def _actions(actions: tuple[str, ...]) -> str:
    return "action IN (%s)" % ", ".join(f"'{a}'" for a in actions)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _units_triggers_again() -> None:
    if _sqlite():
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS read_mostly_units_{name}")
            op.execute(SQLITE_TRIGGER.format(op=name, OP=name.upper()))


def _admin_actions(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    with op.batch_alter_table('admin_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_admin_events_action'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_admin_events_action'), sa.text(_actions(new)))


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('active_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_units_successor_id_units'), 'units', ['successor_id'], ['id'],
                                    ondelete='RESTRICT')
        batch_op.create_check_constraint(batch_op.f('ck_units_lifetime'), sa.text(LIFETIME))
        batch_op.create_check_constraint(batch_op.f('ck_units_successor'), sa.text(SUCCESSOR))
    _units_triggers_again()
    _admin_actions(OLD_ACTIONS, OLD_ACTIONS + NEW_ACTIONS)


def downgrade() -> None:
    # the record of a dissolution goes with the columns it describes (the old CHECK would refuse the rows)
    op.execute(sa.text("DELETE FROM admin_events WHERE " + _actions(NEW_ACTIONS)))
    _admin_actions(OLD_ACTIONS + NEW_ACTIONS, OLD_ACTIONS)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_units_successor'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_units_lifetime'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_units_successor_id_units'), type_='foreignkey')
        batch_op.drop_column('successor_id')
        batch_op.drop_column('active_to')
        batch_op.drop_column('active_from')
    _units_triggers_again()
