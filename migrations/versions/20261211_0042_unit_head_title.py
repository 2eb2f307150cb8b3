"""units.head_title: the title the unit's head signs documents under; admin_events may record its change

The title came from the unit's level alone, so the provincial inspectorate's head (a unit of level "department")
signed as "GIÁM ĐỐC" instead of "CHÁNH THANH TRA", the People's Committee's office's as "GIÁM ĐỐC" instead of "CHÁNH
VĂN PHÒNG". Existing units get NULL: their level's title, as before, until an administrator sets theirs.

On SQLite the column is added in place (ALTER TABLE ADD COLUMN: `units` is not copied, so 0027's triggers on it
stay); the CHECK of admin_events needs the batch copy of that table, which has no trigger.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-11

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0042'
down_revision: Union[str, Sequence[str], None] = '0041'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: the acts 0038 allowed (written out here: a migration never imports live enums)
OLD_ACTIONS = ("unit_created", "unit_contact_changed", "user_created", "user_updated", "role_granted", "role_revoked",
               "deactivated", "reactivated", "password_reset", "second_factor_reset", "unit_dissolved",
               "unit_parent_changed")
NEW_ACTIONS = ("unit_head_title_changed",)


def _actions(actions: tuple[str, ...]) -> str:
    return "action IN (%s)" % ", ".join(f"'{a}'" for a in actions)


def _admin_actions(new: tuple[str, ...]) -> None:
    with op.batch_alter_table('admin_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_admin_events_action'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_admin_events_action'), sa.text(_actions(new)))


def upgrade() -> None:
    op.add_column('units', sa.Column('head_title', sa.String(length=100), nullable=True))
    _admin_actions(OLD_ACTIONS + NEW_ACTIONS)


def downgrade() -> None:
    # the record of a title's change goes with the column it describes (the old CHECK would refuse the rows)
    op.execute(sa.text("DELETE FROM admin_events WHERE " + _actions(NEW_ACTIONS)))
    _admin_actions(OLD_ACTIONS)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('head_title')
    _units_triggers_again()


#: 0027's SQLite triggers on units (written out here: a migration never imports another), dropped with the table
#: the batch copy of the downgrade replaces
SQLITE_TRIGGER = ("CREATE TRIGGER read_mostly_units_{op} AFTER {OP} ON units BEGIN UPDATE read_mostly_version "
                  "SET token = lower(hex(randomblob(16))); END")


def _units_triggers_again() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS read_mostly_units_{name}")
            op.execute(SQLITE_TRIGGER.format(op=name, OP=name.upper()))
