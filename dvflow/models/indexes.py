"""Trigram indexes: PostgreSQL-only GIN indexes (pg_trgm) that serve `ILIKE '%q%'` searches.

SQLite has no trigram index; it keeps its plain LIKE fallback, so these indexes are created on PostgreSQL only
(`ddl_if`), and the model-vs-migration comparison leaves them out on other databases (`applies_to`).
"""
from __future__ import annotations

from sqlalchemy import Index


def trigram_index(name: str, column: str) -> Index:
    return Index(name, column, postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"}).ddl_if(dialect="postgresql")


def applies_to(index: Index, dialect_name: str) -> bool:
    """Whether `index` is built on `dialect_name` (an index limited by `ddl_if` to another database is not)."""
    condition = getattr(index, "_ddl_if", None)
    return condition is None or condition.dialect is None or condition.dialect == dialect_name
