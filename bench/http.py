"""Figure 5 (and the web half of figure 6): a real server on 127.0.0.1, clients on loopback, fixed request counts.

Server: gunicorn (from requirements.txt), 1 worker, gthread with 4 threads (the machine has 2 cores shared by the
server, the clients and whatever else runs). Clients: threads in this process, each on a keep-alive connection.
Figures: rps, p50, p99 of GET of a case (``/api/v1/cases/<id>`` with a bearer token when ``dvflow.api`` exists,
else the HTML page ``/ho-so/<id>`` with a logged-in session) and of a POST action (submit/return cycle, each client on
its own case), against a trivial JSON endpoint registered on the same app object by the bench only.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from .common import MEMO, NOW, PASSWORD, ROOT, database, make_drafting_cases, make_world

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db_url: str, threads: int = 4) -> None:
        self.port = _free_port()
        env = {**os.environ, "BENCH_DATABASE_URL": db_url, "DVFLOW_ENV": "testing"}
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.proc = subprocess.Popen(
            [gunicorn, "-w", "1", "-k", "gthread", "--threads", str(threads), "-b", f"{HOST}:{self.port}",
             "--keep-alive", "30", "--log-level", "warning", "bench.http_app:create()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = Client(self.port).get("/_bench/ping")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + (self.proc.stderr.read().decode()[-2000:] if self.proc.stderr else ""))

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


class Client:
    """One keep-alive connection with a cookie jar of one cookie (the session) and optional bearer token."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookie = ""
        self.token = token

    def request(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None):
        headers = {"Connection": "keep-alive"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if ctype:
            headers["Content-Type"] = ctype
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        cookie = resp.getheader("Set-Cookie")
        if cookie and cookie.startswith("session="):
            self.cookie = cookie.split(";", 1)[0]
        return resp.status, data

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, form: dict):
        return self.request("POST", path, urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded")

    def post_json(self, path: str, data: dict):
        return self.request("POST", path, json.dumps(data).encode(), "application/json")


def load(clients: list, n: int, make_request) -> dict:
    """``n`` requests split over the clients (each its own thread); rps, p50, p99 (ms), errors."""
    per = [n // len(clients) + (1 if i < n % len(clients) else 0) for i in range(len(clients))]
    lat: list[list[float]] = [[] for _ in clients]
    errors: list[str] = []

    def worker(k: int) -> None:
        for j in range(per[k]):
            t0 = time.perf_counter()
            status, body = make_request(k, j, clients[k])
            lat[k].append(time.perf_counter() - t0)
            if status >= 400:
                errors.append(f"{status}: {body[:200]!r}")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(clients))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    all_lat = sorted(x for part in lat for x in part)
    q = statistics.quantiles(all_lat, n=100, method="inclusive")
    return {"rps": n / wall, "p50": q[49] * 1e3, "p99": q[98] * 1e3, "errors": errors}


def _api_token(db, world) -> str | None:
    """A bearer token for the head when the JSON API (another engineer's work) is present and usable."""
    try:
        import dvflow.api  # noqa: F401
        from dvflow.models import User
        from dvflow.services.org import tokens
    except ImportError:
        return None
    with db.sessions() as s:
        _row, raw = tokens.create_token(s, s.get(User, world.head_id), "bench", NOW)
        s.commit()
    return raw


def _login(port: int, token: str | None) -> Client:
    c = Client(port, token)
    if token is None:
        status, _ = c.post_form("/dang-nhap", {"username": "truong", "password": PASSWORD})
        if status != 302 or not c.cookie:
            raise RuntimeError(f"login failed: HTTP {status}")
    return c


def run(kind: str, cfg, results, *, rss_only: bool = False) -> dict:
    with database(kind) as db:
        world = make_world(db)
        ids = make_drafting_cases(db, world, cfg.http_clients)
        token = _api_token(db, world)
        server = Server(db.url)
        try:
            clients = [_login(server.port, token) for _ in range(cfg.http_clients)]
            if token:
                c0 = clients[0]
                status, _ = c0.get(f"/api/v1/cases/{ids[0]}")
                if status != 200:  # the API is there but not usable (work in progress): use the HTML page
                    results.note(f"GET /api/v1/cases/<id> answered {status}: measuring the HTML page instead")
                    token = None
                    clients = [_login(server.port, None) for _ in range(cfg.http_clients)]
            get_path = "/api/v1/cases/{}" if token else "/ho-so/{}"
            get_case = lambda k, j, c: c.get(get_path.format(ids[(k + j) % len(ids)]))  # noqa: E731
            trivial = lambda k, j, c: c.get("/_bench/ping")  # noqa: E731
            state = {i: "drafting" for i in ids}

            def post_action(k, j, c):
                cid = ids[k]
                trig = "submit" if state[cid] == "drafting" else "return"
                fields = {"reason": "Sửa lại"} if trig == "return" else {}
                if token:
                    status, body = c.post_json(f"/api/v1/cases/{cid}/actions/{trig}", {"fields": fields})
                else:
                    status, body = c.post_form(f"/ho-so/{cid}/thao-tac/{trig}", fields)
                if status in (200, 302):
                    state[cid] = "submitted" if trig == "submit" else "drafting"
                return status, body

            load(clients, 4 * len(clients), trivial)  # warm-up: templates, caches, connections
            load(clients, 4 * len(clients), get_case)
            rss_before = json.loads(clients[0].get("/_bench/rss")[1])["rss_kib"]
            out = {}
            if not rss_only:
                rounds = {"trivial": [], "get": [], "post": []}
                for _ in range(max(1, cfg.repeats - 1)):
                    rounds["trivial"].append(load(clients, cfg.http_requests, trivial))
                    rounds["get"].append(load(clients, cfg.http_requests, get_case))
                rounds["post"].append(load(clients, cfg.http_requests, post_action))
                out = {k: min(v, key=lambda r: abs(r["rps"] - statistics.median(x["rps"] for x in v)))
                       for k, v in rounds.items()}  # the round with the median rps
            status, body = clients[0].get("/_bench/rss")
            rss_mid = json.loads(body)["rss_kib"]
            load(clients, cfg.web_rss_requests, get_case)
            rss_after = json.loads(clients[0].get("/_bench/rss")[1])["rss_kib"]
        finally:
            server.stop()
    served = cfg.web_rss_requests + (0 if rss_only else (2 * (cfg.repeats - 1) + 1) * cfg.http_requests)
    MEMO.setdefault(kind, {})["web"] = {"before": rss_before, "mid": rss_mid, "after": rss_after,
                                        "requests": served, "last": cfg.web_rss_requests}
    if rss_only:
        return MEMO[kind]["web"]
    what = "GET /api/v1/cases/<id> (bearer)" if token else "GET /ho-so/<id> (HTML, session)"
    post = "POST /api/v1/cases/<id>/actions/<t>" if token else "POST /ho-so/<id>/thao-tac/<t>"
    t, g, p = out["trivial"], out["get"], out["post"]
    ratio = g["rps"] / t["rps"]
    spread = p["p99"] / p["p50"]
    errs = sum(len(r["errors"]) for r in out.values())
    results.figure(name="http.get", db=kind, metric=f"{what} vs trivial JSON (rps)", value=g["rps"], unit="rps",
                   baseline_name="trivial JSON", baseline=t["rps"], ratio=ratio, ratio_unit="%", target="≥50%",
                   met=ratio >= 0.5,
                   note=f"p50 {g['p50']:.1f} ms, p99 {g['p99']:.1f} ms; trivial JSON p50 {t['p50']:.1f} ms",
                   extra={"p50_ms": g["p50"], "p99_ms": g["p99"], "baseline_p50_ms": t["p50"],
                          "baseline_p99_ms": t["p99"], "api": bool(token), "error_responses": errs})
    results.figure(name="http.post", db=kind, metric=f"{post} p99", value=p["p99"], unit="ms", target="<100 ms",
                   met=p["p99"] < 100, note=f"{p['rps']:,.0f} rps, p50 {p['p50']:.1f} ms",
                   extra={"rps": p["rps"], "p50_ms": p["p50"], "api": bool(token)})
    results.figure(name="http.post.spread", db=kind, metric="POST action p99 ÷ p50", value=p["p99"], unit="ms",
                   baseline_name="p50", baseline=p["p50"], ratio=spread, ratio_unit="×", target="≤3",
                   met=spread <= 3)
    results.note(f"{cfg.http_requests} requests per phase, {cfg.http_clients} client threads, gunicorn 1 worker × 4 "
                 f"gthreads; {errs} error responses")
    for r in out.values():
        for e in r["errors"][:2]:
            results.note(f"error: {e}")
    return out
