"""A realistic province on PostgreSQL for the page-latency benchmark (issue #19): ``python -m bench.world --url URL
--cases N [--seed S]``.

A fresh database migrated to head; the org tree (a province, 15 departments, 10 area offices, 35 communes = 61
units), the users and their roles and the workflow versions through the real services (so logins work); then the
bulk of ten years (cases of every kind in states of their workflows, 5% open with running or overdue clocks,
parties, history with its hash chain, clocks, notifications, some documents, ratings, reception sessions and visits
of recent months) by COPY. The big department receives ~11% of the cases. Identity is encrypted with the
development keys (config.DevelopmentConfig); every user's password is PASSWORD.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import make_url

from .world_extra import load_reception, named_users
from .world_load import bulk_load, drop_indexes, finish
from .world_plan import KIND_SHARES, kind_plan
from .world_rows import Pools, Staff, org_names, person_names

PASSWORD = "bench-password-1"
#: the last instant of the loaded history (received dates end here; "now" of the generated clocks)
END = datetime(2026, 12, 5, 10, 0, tzinfo=timezone.utc)
YEARS = 10
OPEN_SHARE = 0.05
TRACKING_SECRET = "BENCH2"  # every generated case opens its public tracking page with this secret
BIG = "SNNMT"
COMMUNE = "XA01"
#: the benchmark's roles: the big department's head and a commune's handler (each also works cases like the others)
NAMED = {(BIG, "truong"): "truongso", (COMMUNE, "cv1"): "canboxa"}

@dataclass
class Org:
    units: list[tuple[int, str, str, float]]  # id, code, level, share of cases
    staff: dict[int, Staff]
    users: dict[str, int]


def _units() -> list[tuple[str, str, str | None, str, float]]:
    """code, name, parent, level, share of the cases."""
    depts = [("BTCD", "Ban Tiếp công dân tỉnh", 0.05), ("THANHTRA", "Thanh tra tỉnh", 0.06),
             (BIG, "Sở Nông nghiệp và Môi trường", 0.112), ("SXD", "Sở Xây dựng", 0.03), ("STC", "Sở Tài chính", 0.02),
             ("SYT", "Sở Y tế", 0.02), ("SGDDT", "Sở Giáo dục và Đào tạo", 0.02), ("SNV", "Sở Nội vụ", 0.02),
             ("SCT", "Sở Công Thương", 0.015), ("STP", "Sở Tư pháp", 0.015), ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch",
                                                                            0.01),
             ("SKHCN", "Sở Khoa học và Công nghệ", 0.01), ("SDTTG", "Sở Dân tộc và Tôn giáo", 0.01),
             ("BQLKCN", "Ban Quản lý các khu công nghiệp", 0.015), ("CATINH", "Công an tỉnh", 0.02)]
    units = [("TINH", "Ủy ban nhân dân tỉnh An Phú (đo hiệu năng)", None, "province", 0.06)]
    units += [(c, n, "TINH", "department", s) for c, n, s in depts]
    rest = 1.0 - sum(u[4] for u in units)
    areas = [(f"KV{i:02d}", f"Văn phòng tiếp công dân khu vực {i}", "TINH", "department", rest * 0.15 / 10)
             for i in range(1, 11)]
    communes = [(f"XA{i:02d}", f"Ủy ban nhân dân xã {name}", f"KV{(i - 1) // 4 + 1:02d}" if i <= 35 else "TINH",
                 "commune", rest * 0.85 / 35)
                for i, name in enumerate(_COMMUNES, start=1)]
    return units + areas + communes


_COMMUNES = ("Bình Minh", "Sơn Cao", "An Hòa", "Tân Phú", "Phú Lộc", "Hòa Bình", "Thạnh Mỹ", "Long Hưng", "Vĩnh Phúc",
             "Đông Sơn", "Tây Hồ", "Nam Định", "Bắc Sơn", "Hưng Thịnh", "Phước Lợi", "Quảng Điền", "Mỹ Xuyên",
             "Thuận An", "Lộc Ninh", "Tân Lập", "Hòa Hiệp", "Cẩm Phô", "Bình An", "Phú Mỹ", "Tam Hiệp", "An Lạc",
             "Đức Hòa", "Thạch Bàn", "Hải Vân", "Gia Lộc", "Tiên Lữ", "Kim Sơn", "Yên Bình", "Ninh Hải", "Xuân Thủy")


def build_org(session, now: datetime) -> Org:
    from dvflow.services.org import accounts, passwords

    # one argon2 hash for everybody (same password): hashing 190 times would be most of a 10k load's time
    real_hash, memo = passwords.hash_password, {}
    passwords.hash_password = lambda pw: memo.setdefault(pw, real_hash(pw))
    try:
        return _build_org(session, accounts, now)
    finally:
        passwords.hash_password = real_hash


def _build_org(session, accounts, now: datetime) -> Org:
    units, staff, users = [], {}, {}
    for code, name, parent, level, share in _units():
        u = accounts.create_unit(session, code, name, parent_code=parent, level=level,
                                 address=f"Trụ sở {name}", phone="0270 3822 000")
        units.append((u, code, level, share))
    session.flush()
    for u, code, level, _s in units:
        low = code.lower()
        ids = []
        for suffix, role in (("truong", "head"), ("cv1", "handler"), ("cv2", "handler")):
            username = NAMED.get((code, suffix), f"{low}-{suffix}")
            user = accounts.create_user(session, username, PASSWORD, now=now, full_name=f"Cán bộ {code} {suffix}",
                                        email=f"{low}-{suffix}@bench.local")
            accounts.grant_role(session, user, u, role)
            if suffix == "cv1":
                accounts.grant_role(session, user, u, "reception")
            ids.append(user.id)
            users[username] = user.id
        staff[u.id] = Staff(head=ids[0], handlers=(ids[1], ids[2]), reception=ids[1])
    users.update(named_users(session, accounts, {code: u for u, code, _l, _s in units}, PASSWORD, now))
    session.flush()
    return Org([(u.id, code, level, share) for u, code, level, share in units], staff, users)


def _pools() -> Pools:
    from dvflow import crypto
    from dvflow.services.cases.search import search_key
    from dvflow.services.cases.tracking import hash_secret

    people = [(crypto.encrypt(n), search_key(n)) for n in person_names()]
    orgs = [(crypto.encrypt(n), search_key(n)) for n in org_names()]
    rnd = random.Random(7)
    numbers = {f"0{rnd.randint(1, 96):02d}{rnd.randint(0, 999_999_999):09d}" for _ in range(20_000)}
    identities = [(crypto.encrypt(n), crypto.identity_hash(n)) for n in sorted(numbers)]
    from pathlib import Path

    docx = (Path(__file__).resolve().parent.parent / "workflows" / "documents" / "petition_reply.docx")
    content = docx.read_bytes() if docx.exists() else b"PK"
    return Pools(people, orgs, identities, crypto.encrypt("Thôn 3, xã Bình Minh, tỉnh An Phú"),
                 hash_secret(TRACKING_SECRET), content, hashlib.sha256(content).hexdigest())


def _schedule(n: int, seed: int) -> list[tuple[datetime, bool]]:
    """(received_at, open) of every case, in time order (ids grow with time, as in a real register): closed cases
    spread over the ten years, open ones mostly received in the last months."""
    rnd = random.Random(seed)
    start = END - timedelta(days=365 * YEARS)
    span = (END - timedelta(days=20) - start).total_seconds()
    n_open = int(n * OPEN_SHARE)
    out = [(start + timedelta(seconds=rnd.random() * span), False) for _ in range(n - n_open)]
    out += [(END - timedelta(days=min(300.0, rnd.expovariate(1 / 60)), minutes=rnd.randint(0, 600)), True)
            for _ in range(n_open)]
    out.sort()
    return out


def load_world(url: str, n_cases: int, seed: int = 2026, *, jobs: int = 2, chunk: int = 10_000, log=print) -> dict:
    """Create (drop first) the database at ``url`` and fill it; returns counts and timings."""
    import psycopg

    from bench.common import _install_identity_keys, _pg_create
    from dvflow import migrate
    from dvflow.db import make_engine, make_session_factory
    from dvflow.workflows import load_registry

    t0 = time.perf_counter()
    _pg_create(url)
    engine = make_engine(url)
    _install_identity_keys()
    migrate.upgrade(engine)
    engine.dispose()
    workflows = load_registry(str(_root() / "workflows"))
    with make_session_factory(engine)() as s:
        for defn in workflows.kinds():
            workflows.ensure_stored(s, defn, END - timedelta(days=365 * YEARS + 30))
        org = build_org(s, END - timedelta(days=365 * YEARS + 30))
        s.commit()
    engine.dispose()
    log(f"# schema, units, {len(org.users)} users: {time.perf_counter() - t0:.0f}s")
    pools = _pools()
    ctx = {"plans": {d.id: kind_plan(d) for d in workflows.kinds() if d.id in KIND_SHARES}, "staff": org.staff,
           "pools": pools, "now": END, "seed": seed, "schedule": _schedule(n_cases, seed),
           "unit_ids": [u[0] for u in org.units], "unit_w": [u[3] for u in org.units],
           "kinds": list(KIND_SHARES), "kind_w": list(KIND_SHARES.values())}
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as raw:
        indexes = drop_indexes(raw.cursor())
    counts = bulk_load(dsn, ctx, n_cases, jobs=jobs, chunk=chunk, log=log)
    with psycopg.connect(dsn) as raw:
        cur = raw.cursor()
        counts["reception_visits"] = load_reception(cur, org, pools, END, random.Random(seed))
        t1 = time.perf_counter()
        finish(cur, indexes)
        raw.commit()
        log(f"# indexes rebuilt, counters set: {time.perf_counter() - t1:.0f}s")
        loaded = time.perf_counter() - t0
        raw.autocommit = True
        cur.execute("VACUUM ANALYZE")
        size = cur.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    total = time.perf_counter() - t0
    log(f"# loaded in {loaded:.0f}s, with VACUUM ANALYZE {total:.0f}s; database {size / 2**30:.2f} GiB")
    return {"counts": counts, "load_seconds": round(loaded, 1), "total_seconds": round(total, 1),
            "bytes": size, "users": org.users, "units": {code: uid for uid, code, _l, _s in org.units}}


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.world", description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="PostgreSQL URL of the database to (re)create")
    ap.add_argument("--cases", type=int, required=True)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes generating and copying (default 2)")
    args = ap.parse_args(argv)
    if make_url(args.url).get_backend_name() != "postgresql":
        ap.error("--url must be a PostgreSQL URL (the loader uses COPY)")
    info = load_world(args.url, args.cases, args.seed, jobs=args.jobs)
    print({k: v for k, v in info.items() if k not in ("users", "units")})
    print("units:", info["units"])
    return 0


if __name__ == "__main__":
    sys.exit(main())


