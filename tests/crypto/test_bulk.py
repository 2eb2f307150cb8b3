"""The bulk writers (dvflow.db.bulk: an executemany on SQLite, COPY on PostgreSQL) convert each value with its
column type's bind processor: an encrypted column is written encrypted there too."""
from __future__ import annotations

from sqlalchemy import select, text

from dvflow import crypto
from dvflow.db.bulk import BulkInsert
from dvflow.models import Party


def test_a_bulk_insert_of_parties_encrypts_them(session):
    rows = [{"kind": "person", "name": f"Người số {i}", "name_search": "", "identity_number": f"07918800000{i}",
             "identity_hash": crypto.identity_hash(f"07918800000{i}"), "phone": "0987654321"} for i in range(3)]
    assert BulkInsert(Party.__table__).execute(session, rows) == 3
    raw = session.execute(text("SELECT name, identity_number, phone FROM parties ORDER BY id")).all()
    assert all(v.startswith("e1:dev1:") for row in raw for v in row)
    session.expire_all()
    assert [p.name for p in session.scalars(select(Party).order_by(Party.id))] == [r["name"] for r in rows]
    assert session.scalar(select(Party.id).where(Party.identity_hash == crypto.identity_hash("079188000001")))
