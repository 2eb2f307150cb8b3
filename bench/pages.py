"""Page latency at 10k and 1M cases (issue #19): every page a role opens, timed through the Flask test client
against the benchmark province (bench/world.py), as a department head, a commune handler, the province-wide
supervisor (and a reception officer, and anonymous for public tracking). 1 warm-up, then the median of 5 requests;
a status other than the expected one is recorded as an error of that page, never a crash.

Databases: ``DVFLOW_BENCH_PAGES_10K`` / ``DVFLOW_BENCH_PAGES_1M`` (URLs), else ``dvflow_bench_10k_pages`` /
``dvflow_bench_1m_pages`` on the benchmark's PostgreSQL server, copied from ``dvflow_bench_10k`` / ``dvflow_bench_1m``
when missing (the originals stay untouched: this benchmark logs in, creates API tokens and writes access logs).
Each database is migrated to head first, so a run after new migrations measures their indexes.
Quick mode: the 10k database only. ``--full``: 10k and 1M.
"""
from __future__ import annotations

import os
import re
import statistics
import time
from dataclasses import dataclass
from typing import Callable

from .common import postgres_base_url
from .pages_context import Ctx, build_context
from .world import PASSWORD

REPEATS, WARMUP = 5, 1
SLOW_MS = 15_000.0
TARGET_MS, TARGET_RATIO, REPORT_TARGET_MS = 300.0, 3.0, 2000.0
ROLES = {"head": "truongso", "commune": "canboxa", "supervisor": "giamsat", "reception": "tiepdan",
         "anonymous": None}
STAFF = ("head", "commune", "supervisor")


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    request: Callable[[Ctx, str], tuple]  # (ctx, role) -> (method, path, form data or None, headers or None)
    roles: tuple[str, ...] = STAFF
    target_ms: float = TARGET_MS


def get(path: str | Callable[[Ctx, str], str]):
    return lambda c, r: ("GET", path(c, r) if callable(path) else path, None, None)


def post(path: str, data: Callable[[Ctx, str], dict]):
    return lambda c, r: ("POST", path, data(c, r), None)


def _deep(c: Ctx, r: str) -> str:
    cursor = c.deep_cursor.get(r)
    return f"/ho-so?hang=unit&cursor={cursor}" if cursor else "/ho-so?hang=unit&trang=200"


def _quarter(c: Ctx, _r) -> str:
    return f"/bang-dieu-khien/bao-cao-dinh-ky?ky=quarter&cach_tinh=calendar&nam={c.year}&so={c.quarter}"


def _year(c: Ctx, _r) -> str:
    return f"/bang-dieu-khien/bao-cao-dinh-ky?ky=year&cach_tinh=calendar&nam={c.year - 1}&so=1"


#: one line per page (the order of the table)
PAGES = (
    Page("home", "Trang chủ", get("/trang-chu")),
    Page("queue", "Hồ sơ của đơn vị, trang đầu", get("/ho-so?hang=unit")),
    Page("queue_deep", "Hồ sơ của đơn vị, sâu (trang 200 / con trỏ)", get(_deep)),
    Page("search_name", "Tìm theo tên đương sự", post("/ho-so", lambda c, r: {"q": c.party_name})),
    Page("search_code", "Tìm theo mã hồ sơ", post("/ho-so", lambda c, r: {"q": c.codes[r]})),
    # a single very common word (the most common family name): the list is walked, its total estimated
    Page("search_common", "Tìm một từ rất phổ biến (nguyen)", post("/ho-so", lambda c, r: {"q": "nguyen"})),
    Page("case", "Chi tiết hồ sơ", get(lambda c, r: f"/ho-so/{c.cases[r]}")),
    Page("api_case", "API chi tiết hồ sơ", lambda c, r: ("GET", f"/api/v1/cases/{c.cases[r]}", None,
                                                          {"Authorization": f"Bearer {c.tokens[r]}"})),
    Page("tracking", "Tra cứu công khai", post("/tra-cuu", lambda c, r: {"tracking_code": c.public_code,
                                                                          "secret": c.public_secret}),
         roles=("anonymous",)),
    Page("dashboard", "Bảng điều khiển", get("/bang-dieu-khien")),
    Page("overdue", "Danh sách quá hạn", get("/ho-so?qua_han=1")),
    Page("inbox", "Hộp thư", get("/hop-thu")),
    Page("reception_book", "Sổ tiếp công dân một tháng", get(lambda c, r: f"/tiep-nhan/so?thang={c.month}"),
         roles=("head", "commune", "reception")),
    Page("duplicates", "Gợi ý đơn trùng", post("/tiep-nhan/trung-lap", lambda c, r: {
        "identity": c.identity, "subject": "Khiếu nại quyết định thu hồi đất tại thửa số 125"}),
         roles=("commune", "reception")),
    Page("report_quarter", "Báo cáo định kỳ một quý", get(_quarter), target_ms=REPORT_TARGET_MS),
    Page("report_year", "Báo cáo định kỳ một năm", get(_year), target_ms=REPORT_TARGET_MS),
    Page("report_year_xlsx", "Báo cáo định kỳ một năm (.xlsx)",
         get(lambda c, r: _year(c, r).replace("bao-cao-dinh-ky?", "bao-cao-dinh-ky.xlsx?")),
         target_ms=REPORT_TARGET_MS),
    Page("scorecard", "Chấm điểm", get("/bang-dieu-khien/cham-diem"), roles=("head", "supervisor")),
)


def app_for(url: str):
    """The product app as production runs it (production config class, no scheduler: create_app never starts one),
    with the development identity keys the loader encrypted with; rate limits off (one client sends every request)
    and no second factor (a login is not what is measured)."""
    from config import DevelopmentConfig
    from dvflow import create_app

    return create_app({"ENV": "production", "DATABASE_URL": url, "SECRET_KEY": "bench-pages-secret",
                       "AUDIT_SIGNING_KEY": DevelopmentConfig.AUDIT_SIGNING_KEY,
                       "IDENTITY_KEYS": DevelopmentConfig.IDENTITY_KEYS,
                       "IDENTITY_HASH_KEY": DevelopmentConfig.IDENTITY_HASH_KEY, "RATELIMIT_ENABLED": False,
                       "TOTP_REQUIRED_ROLES": (), "SESSION_COOKIE_SECURE": False, "DOCUMENTS_PDF": False})


_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


def csrf(client, path: str) -> str:
    m = _CSRF.search(client.get(path).get_data(as_text=True))
    if not m:
        raise RuntimeError(f"no CSRF token on {path}")
    return m.group(1) or m.group(2)


def login(app, username: str | None):
    client = app.test_client()
    if username is None:
        return client, csrf(client, "/tra-cuu")
    r = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                        "csrf_token": csrf(client, "/dang-nhap")})
    if r.status_code != 302 or "dang-nhap" in (r.headers.get("Location") or ""):
        raise RuntimeError(f"login as {username} failed ({r.status_code})")
    return client, csrf(client, "/ho-so")


def time_page(client, token: str, request: tuple) -> tuple[float | None, int, list[float]]:
    """Median ms of REPEATS requests after WARMUP (only one more when the warm-up took over SLOW_MS: a page of
    minutes would hold the run for half an hour); None as the median when a status was not 200."""
    method, path, data, headers = request
    samples, status, repeats, i = [], 0, REPEATS, 0
    while i < WARMUP + repeats:
        t0 = time.perf_counter()
        if method == "GET":
            r = client.get(path, headers=headers)
        else:
            r = client.post(path, data={**data, "csrf_token": token}, headers=headers)
        r.get_data()
        ms = (time.perf_counter() - t0) * 1000
        status = r.status_code
        if status != 200:
            return None, status, samples
        if i >= WARMUP:
            samples.append(ms)
        elif ms > SLOW_MS:
            repeats = 1
        i += 1
    return statistics.median(samples), status, samples


def measure(url: str, size: str, log=print) -> dict[tuple[str, str], dict]:
    """{(page, role): {"ms", "status", "samples", "path"}} for one database."""
    app = app_for(url)
    ctx = build_context(app)
    out = {}
    roles_needed = {r for p in PAGES for r in p.roles}
    clients = {r: login(app, ROLES[r]) for r in ROLES if r in roles_needed}
    for page in PAGES:
        for role in page.roles:
            client, token = clients[role]
            try:
                req = page.request(ctx, role)
                ms, status, samples = time_page(client, token, req)
            except Exception as exc:  # noqa: BLE001 - one broken page never hides the others
                req, ms, status, samples = ("", "", None, None), None, f"{exc.__class__.__name__}: {exc}", []
            out[(page.key, role)] = {"ms": ms, "status": status, "samples": [round(s, 1) for s in samples],
                                     "path": req[1].split("?q=")[0]}
            shown = f"{ms:,.0f} ms" if ms is not None else f"ERROR {status}"
            log(f"  pages.{size}: {page.key:<16} {role:<10} {shown}", flush=True)
    app.extensions["dvflow.bind"].dispose()
    return out


def databases(cfg_mode: str) -> list[tuple[str, str]]:
    sizes = [("10k", "dvflow_bench_10k")] + ([("1m", "dvflow_bench_1m")] if cfg_mode == "full" else [])
    return [(size, os.environ.get(f"DVFLOW_BENCH_PAGES_{size.upper()}") or _copy_of(original))
            for size, original in sizes]


def _copy_of(original: str) -> str:
    """URL of ``<original>_pages``, created from ``original`` as a template when missing."""
    import psycopg
    from sqlalchemy import make_url

    base = postgres_base_url()
    if not base:
        raise RuntimeError("set DVFLOW_BENCH_POSTGRES_URL (or DVFLOW_TEST_POSTGRES_URL) or DVFLOW_BENCH_PAGES_*")
    admin = make_url(base).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    name = f"{original}_pages"
    with psycopg.connect(admin, autocommit=True) as conn:
        have = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        if original not in have and name not in have:
            raise RuntimeError(f"no database {original}: load it with python -m bench.world (bench/world.py)")
        if name not in have:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{original}"')
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def run(kind: str, cfg, results) -> None:
    from .pages_report import record

    if kind != "postgres":
        results.note("pages: PostgreSQL only (the 10k and 1M databases are PostgreSQL)", echo=False)
        return
    from dvflow import migrate
    from dvflow.db import make_engine

    measured = {}
    for size, url in databases(cfg.mode):
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)  # the indexes of migrations newer than the load
        finally:
            engine.dispose()
        t0 = time.perf_counter()
        measured[size] = measure(url, size)
        results.note(f"pages at {size}: {len(measured[size])} page × role timings in {time.perf_counter() - t0:.0f}s")
    record(results, measured)
