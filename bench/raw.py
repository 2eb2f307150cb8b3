"""Raw DB-API access for the baselines: the same engine's connections (same pragmas, same durability), no ORM."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone


class Raw:
    """A DB-API connection of ``db.engine`` with the placeholders and value forms of its backend."""

    def __init__(self, db) -> None:
        self.kind = db.kind
        self.fairy = db.engine.raw_connection()
        self.conn = self.fairy.driver_connection
        self.p = "?" if self.kind == "sqlite" else "%s"
        self.jp = "?" if self.kind == "sqlite" else "%s::jsonb"

    def begin(self, cur) -> None:
        # make_engine's SQLite connections are in autocommit mode and take the write lock up front (BEGIN IMMEDIATE)
        if self.kind == "sqlite":
            cur.execute("BEGIN IMMEDIATE")

    def sql(self, text: str) -> str:
        """``:p`` / ``:j`` in ``text`` become the backend's placeholder / JSON placeholder."""
        return text.replace(":j", self.jp).replace(":p", self.p)

    def ts(self, value: datetime | None):
        if value is None or self.kind != "sqlite":
            return value
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    def day(self, value: date | None):
        return value.isoformat() if (value is not None and self.kind == "sqlite") else value

    def js(self, value) -> str:
        return json.dumps(value, ensure_ascii=False)

    def bool(self, value: bool):
        return int(value) if self.kind == "sqlite" else value

    def close(self) -> None:
        self.fairy.close()
