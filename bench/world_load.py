"""The bulk of the benchmark province: cases and their rows generated in chunks and streamed by COPY, by several
worker processes at once (each chunk's rows have ids of their own: world_rows.IDS_PER_CASE), then the plain indexes
rebuilt, the numbering counters and sequences set past the loaded rows."""
from __future__ import annotations

import multiprocessing
import random
import time

from .world_rows import Generator, Out

COLS = {
    "cases": ("id", "tracking_code", "tracking_secret_hash", "kind", "workflow_id", "workflow_version", "state",
              "status", "unit_id", "assignee_id", "complex", "especially_complex", "mass", "people_count",
              "confidential", "channel", "received_at", "subject", "subject_search", "content", "escalation_level",
              "priority", "facts", "version", "created_at", "closed_at", "last_legal_date", "closed_on"),
    "parties": ("id", "kind", "name", "name_search", "identity_number", "identity_hash", "identity_type", "address"),
    "case_parties": ("id", "case_id", "party_id", "role"),
    "case_events": ("id", "case_id", "actor_id", "at", "legal_date", "action", "from_state", "to_state", "payload",
                    "seq", "hash"),
    "clocks": ("id", "case_id", "name", "label", "basis", "rule_label", "variant", "unit", "days", "start_date",
               "started_at", "due_date", "due_at", "pauses", "extensions", "state", "next_escalation_at",
               "next_step_key", "version", "closed_at", "closed_on"),
    "notifications": ("id", "user_id", "case_id", "channel", "template", "subject", "body", "created_at", "read_at",
                      "delivery", "attempts", "next_attempt_at", "sent_at"),
    "documents": ("id", "case_id", "type", "status", "unit_id", "number", "symbol", "year", "number_symbol",
                  "content", "sha256", "action", "fields", "created_by_id", "created_at", "issued_by_id",
                  "issued_at"),
    "ratings": ("id", "case_id", "score", "comment", "created_at"),
}
#: Out attribute -> table
TABLE_OF = {"cases": "cases", "parties": "parties", "case_parties": "case_parties", "events": "case_events",
            "clocks": "clocks", "notifications": "notifications", "documents": "documents", "ratings": "ratings"}
SEQUENCES = ("cases", "parties", "case_parties", "case_events", "clocks", "notifications", "documents", "ratings",
             "reception_sessions", "reception_visits")

#: what the workers share, set before the pool forks (no pickling of the plans and the schedule)
_CTX: dict = {}
_CONN = None


def _connect(dsn: str):
    import psycopg

    conn = psycopg.connect(dsn)
    conn.execute("SET synchronous_commit = off")
    # generated rows are consistent by construction: no per-row foreign-key trigger during COPY
    conn.execute("SET session_replication_role = replica")
    return conn


def _copy(cur, table: str, rows: list) -> None:
    if not rows:
        return
    with cur.copy(f"COPY {table} ({', '.join(COLS[table])}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _chunk(lo: int) -> tuple[int, dict, float, float]:
    """Generate and COPY the cases [lo, lo + chunk) of the schedule (one transaction); returns the row counts."""
    global _CONN
    c = _CTX
    if _CONN is None:
        _CONN = _connect(c["dsn"])
    part = c["schedule"][lo:lo + c["chunk"]]
    rnd = random.Random(c["seed"] * 1_000_003 + lo)
    gen = Generator(c["plans"], c["staff"], c["pools"], c["now"], c["seed"] + lo, first_case=lo + 1)
    t1 = time.perf_counter()
    units = rnd.choices(c["unit_ids"], c["unit_w"], k=len(part))
    kinds = rnd.choices(c["kinds"], c["kind_w"], k=len(part))
    out = Out()
    for j, (received, is_open) in enumerate(part):
        gen.case(out, lo + j + 1, kinds[j], units[j], received, is_open)
    t2 = time.perf_counter()
    counts = {}
    with _CONN.cursor() as cur:
        for attr, table in TABLE_OF.items():
            rows = getattr(out, attr)
            _copy(cur, table, rows)
            counts[attr] = len(rows)
    _CONN.commit()
    return len(part), counts, t2 - t1, time.perf_counter() - t2


def bulk_load(dsn: str, ctx: dict, n_cases: int, *, jobs: int, chunk: int, log) -> dict:
    _CTX.clear()
    _CTX.update(ctx, dsn=dsn, chunk=chunk)
    counts = dict.fromkeys(TABLE_OF, 0)
    done, t_gen, t_copy, t0 = 0, 0.0, 0.0, time.perf_counter()
    starts = list(range(0, n_cases, chunk))
    if jobs <= 1:
        results = map(_chunk, starts)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(jobs)
        results = pool.imap_unordered(_chunk, starts)
    try:
        for n, part, g, cp in results:
            done += n
            t_gen, t_copy = t_gen + g, t_copy + cp
            for k, v in part.items():
                counts[k] += v
            log(f"  {done:>9,} cases, {counts['events']:,} events, {counts['notifications']:,} notifications: "
                f"{time.perf_counter() - t0:.0f}s (worker time: generating {t_gen:.0f}s, COPY {t_copy:.0f}s)",
                flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return counts


def drop_indexes(cur) -> list[tuple[str, str]]:
    """Drop the bulk tables' indexes that back no constraint; returns (name, CREATE INDEX …) to rebuild them with
    exactly the definitions the migrations gave."""
    rows = cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = ANY(%s) AND c.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        (list(TABLE_OF.values()),)).fetchall()
    for name, _ddl in rows:
        cur.execute(f"DROP INDEX {name}")
    return rows


def finish(cur, indexes: list[tuple[str, str]]) -> None:
    """Rebuild the indexes; the next tracking code, document number and id continue after the loaded ones."""
    cur.execute("SET maintenance_work_mem = '256MB'")
    for _name, ddl in indexes:
        cur.execute(ddl)
    cur.execute("INSERT INTO tracking_counters (prefix, year, last) SELECT split_part(tracking_code, '-', 1), "
                "split_part(tracking_code, '-', 2)::int, max(split_part(tracking_code, '-', 3)::int) FROM cases "
                "GROUP BY 1, 2")
    cur.execute("INSERT INTO document_series (unit_id, type, year, last) SELECT unit_id, type, year, max(number) "
                "FROM documents WHERE number IS NOT NULL GROUP BY 1, 2, 3")
    for table in SEQUENCES:
        cur.execute(f"SELECT setval('{table}_id_seq', GREATEST((SELECT max(id) FROM {table}), 1))")
