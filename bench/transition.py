"""Figure 1: ``services.cases.perform`` (one action on an existing case, committed) per second.

Baselines, on the same cases in the same run (runs interleaved, median of the repeats):
(a) ORM get-modify-commit of the case row (version-guarded UPDATE by the mapper);
(b) raw SQL: UPDATE cases SET state, version=version+1 WHERE id AND version; INSERT case_events; COMMIT.

The cases are petitions cycling drafting --submit--> submitted --return--> drafting, acted on by the unit head,
each call in a session of its own (as a web request would be). A pool of cases keeps each one's history short.
"""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

from dvflow.services.audit.chain import GENESIS, link

from .common import (
    NOW,
    database,
    make_drafting_cases,
    make_world,
    pct_figure,
    statements_per_call,
    trips_figure,
)
from .raw import Raw

NEXT = {"drafting": ("submit", "submitted", {}), "submitted": ("return", "drafting", {"reason": "Sửa lại đoạn 2"})}


class Cycle:
    def __init__(self, db, world, ids):
        self.db, self.world, self.ids = db, world, ids
        self.state = {i: "drafting" for i in ids}
        self.now = NOW

    def _next(self, k: int):
        cid = self.ids[k % len(self.ids)]
        action, dest, payload = NEXT[self.state[cid]]
        self.now += timedelta(seconds=1)
        return cid, action, dest, payload

    def perform(self, k: int) -> None:
        from dvflow.services import cases
        from dvflow.services.org.access import load_user

        cid, action, dest, payload = self._next(k)
        with self.db.sessions() as s:
            user = load_user(s, self.world.head_id)  # as the web's user loader does
            cases.perform(s, self.db.workflows, user, cid, action, payload, self.now)
            s.commit()
        self.state[cid] = dest

    def orm(self, k: int) -> None:
        from dvflow.models import Case

        cid, _action, dest, _payload = self._next(k)
        with self.db.sessions() as s:
            case = s.get(Case, cid)
            case.state = dest
            s.commit()
        self.state[cid] = dest

    def raw_setup(self) -> None:
        self.raw = Raw(self.db)
        cur = self.raw.conn.cursor()
        cur.execute(self.raw.sql("SELECT id, version FROM cases"))
        self.version = dict(cur.fetchall())
        if self.raw.kind == "postgres":
            self.raw.conn.commit()

    def raw_sql(self, k: int) -> None:
        r = self.raw
        cid, action, dest, payload = self._next(k)
        cur = r.conn.cursor()
        r.begin(cur)
        v = self.version[cid]
        cur.execute(r.sql("UPDATE cases SET state = :p, version = version + 1 WHERE id = :p AND version = :p"),
                    (dest, cid, v))
        if cur.rowcount != 1:
            raise RuntimeError("raw transition lost its version guard")
        # the history's chain, as the product writes it: the case's last (seq, hash), then this row's
        cur.execute(r.sql("SELECT seq, hash FROM case_events WHERE case_id = :p ORDER BY seq DESC LIMIT 1"), (cid,))
        seq, previous = cur.fetchone() or (0, GENESIS)
        event = dict(case_id=cid, seq=seq + 1, actor_id=self.world.head_id, at=self.now, legal_date=self.now.date(),
                     action=action, from_state=self.state[cid], to_state=dest,
                     payload={"fields": payload, "clocks": [], "label": action})
        cur.execute(r.sql("INSERT INTO case_events (case_id, actor_id, at, legal_date, action, from_state, to_state, "
                          "payload, seq, hash) VALUES (:p, :p, :p, :p, :p, :p, :p, :j, :p, :p)"),
                    (cid, self.world.head_id, r.ts(self.now), r.day(self.now.date()), action, self.state[cid], dest,
                     r.js(event["payload"]), seq + 1, link(previous, event)))
        if r.kind == "sqlite":
            cur.execute("COMMIT")
        else:
            r.conn.commit()
        self.version[cid] = v + 1
        self.state[cid] = dest


def interleaved(fns: dict, n: int, repeats: int, warmup: int, before=None) -> dict[str, float]:
    """Median ops/s of each function; each repeat runs all of them in turn (shared machine noise hits all)."""
    rates: dict[str, list[float]] = {k: [] for k in fns}
    for name, fn in fns.items():
        if before:
            before(name)
        for i in range(warmup):
            fn(i)
    for _ in range(repeats):
        for name, fn in fns.items():
            if before:
                before(name)
            t0 = time.perf_counter()
            for i in range(n):
                fn(i)
            rates[name].append(n / (time.perf_counter() - t0))
    return {k: statistics.median(v) for k, v in rates.items()}


def run(kind: str, cfg, results) -> dict:
    with database(kind) as db:
        world = make_world(db)
        cycle = Cycle(db, world, make_drafting_cases(db, world, cfg.transition_cases))
        cycle.raw_setup()

        def before(name):
            if name == "raw":  # the ORM runs bumped versions: re-read them (outside the timing)
                cur = cycle.raw.conn.cursor()
                cur.execute("SELECT id, version FROM cases")
                cycle.version = dict(cur.fetchall())
                if kind == "postgres":
                    cycle.raw.conn.commit()

        r = interleaved({"perform": cycle.perform, "orm": cycle.orm, "raw": cycle.raw_sql},
                        cfg.transition_n, cfg.repeats, warmup=20, before=before)
        cycle.raw.close()
        r["trips"] = statements_per_call(db.engine, cycle.perform)[0]
        r["orm_trips"] = statements_per_call(db.engine, cycle.orm)[0]
        raw_target = 0.35 if kind == "postgres" else 0.10
        pct_figure(results, name="transition.orm", db=kind, metric="perform vs ORM get-modify-commit",
                   value=r["perform"], baseline=r["orm"], baseline_name="ORM get-modify-commit", target=0.60)
        pct_figure(results, name="transition.raw", db=kind, metric="perform vs raw-SQL transition",
                   value=r["perform"], baseline=r["raw"], baseline_name="raw SQL", target=raw_target)
        trips_figure(results, name="transition.trips", db=kind, metric="statements per perform (no BEGIN/COMMIT)",
                     value=r["trips"], baseline=r["orm_trips"], baseline_name="ORM get-modify-commit")
        return r
