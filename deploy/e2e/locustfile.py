"""The end-to-end load: officers reading, officers acting, citizens tracking their cases (issue #19 item 4).

Run by ``python -m deploy.e2e`` (headless, bounded in time, loopback only) with ``DVFLOW_E2E_DATA`` naming the JSON
the seed step wrote (seeded case ids, tracking codes and secrets, API tokens, the demo password).

Every simulated user sends ``X-Forwarded-For`` with an address of its own: nginx (which trusts that header from
127.0.0.1 only, in this layout) passes it on as the client's address, so the per-address limits (20 lookups a minute,
10 logins a minute) count each simulated citizen or officer as production would count a real one, not the whole
load as one client.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import urllib3
from locust import HttpUser, between, events, task

from deploy.e2e.mix import MIX

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # nginx's certificate is self-signed

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
DOWNLOAD = re.compile(r'href="(/ho-so/\d+/tep/\d+)"')
READERS = ("chuyenvien", "truongso", "giamsat", "chutich")  # handler, heads, supervisor (demo_data.USERS)
DASHBOARD_READERS = {"truongso", "giamsat", "chutich"}
_addresses = itertools.count(1)
_actors = itertools.count()
#: cases the actors registered during the run, with their secrets: the citizens look them up too
CREATED: list[dict] = []


#: every request of the whole run, the start included: locust's own statistics are reset once every user has
#: started and logged in (DVFLOW_E2E_WARMUP seconds after the last start: the latencies are of the steady load), but
#: an error during the start still counts, and the logins' times are kept here
COUNTS: dict = {"requests": 0, "errors": 0, "by_error": Counter(), "login_ms": []}


@events.request.add_listener
def _count(request_type, name, response_time=0, exception=None, **_kw):
    COUNTS["requests"] += 1
    if name == "/dang-nhap":
        COUNTS["login_ms"].append(round(response_time))
    if exception is not None:
        COUNTS["errors"] += 1
        COUNTS["by_error"][f"{request_type} {name}: {exception!r}"[:300]] += 1


@events.spawning_complete.add_listener
def _reset_after_warmup(**_kw):
    """Officers log in when they start (argon2 at its production cost): the figures begin once that is over."""
    import gevent

    def reset():
        gevent.sleep(float(os.environ.get("DVFLOW_E2E_WARMUP", "0")))
        _runner[0].stats.reset_all()

    if _runner:
        gevent.spawn(reset)


_runner: list = []


@events.init.add_listener
def _keep_runner(environment, **_kw):
    _runner.append(environment.runner)


@events.quitting.add_listener
def _write_counts(**_kw):
    path = os.environ.get("DVFLOW_E2E_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({**COUNTS, "by_error": dict(COUNTS["by_error"])}, f, ensure_ascii=False)


def load_data() -> dict:
    with open(os.environ["DVFLOW_E2E_DATA"], encoding="utf-8") as f:
        return json.load(f)


DATA = load_data() if os.environ.get("DVFLOW_E2E_DATA") else {}


def next_address() -> str:
    """A distinct client address per simulated user (10.0.0.0/8: never a real client of this machine)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def csrf_of(html: str) -> str | None:
    found = CSRF.search(html)
    return found.group(1) if found else None


class Base(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.verify = False
        self.client.headers["X-Forwarded-For"] = next_address()
        self.client.headers["Accept-Language"] = "vi"
        # Flask-WTF checks over HTTPS that a form comes from the same origin (as a browser's Referer shows)
        self.client.headers["Referer"] = f"{self.host}/"


class Officer(Base):
    """A handler, a head or the supervisor reading: home, queues, deep pages, a case, a search, the dashboard."""

    weight, think = MIX["Officer"]
    wait_time = between(*think)

    def on_start(self) -> None:
        super().on_start()
        self.username = random.choice(READERS)
        login(self, self.username, DATA["password"])

    @task(3)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(3)
    def queue(self):
        hang = random.choice(("unit", "mine", "due"))
        self.client.get(f"/ho-so?hang={hang}", name="/ho-so?hang=…")

    @task(1)
    def deep_page(self):
        self.client.get(f"/ho-so?hang=unit&trang={random.randint(2, 20)}", name="/ho-so?trang=N")

    @task(4)
    def case_detail(self):
        self.client.get(f"/ho-so/{random.choice(DATA['case_ids'])}", name="/ho-so/[id]")

    @task(2)
    def search(self):
        page = self.client.get("/ho-so", name="/ho-so (form)")
        q = random.choice(("kien nghi", "Kiến nghị sửa đường", "KN-E2E-", "thon 1", "Nguyễn"))
        self.client.post("/ho-so", data={"q": q, "csrf_token": csrf_of(page.text) or ""}, name="/ho-so (search)")

    @task(1)
    def dashboard(self):
        if self.username in DASHBOARD_READERS:
            self.client.get("/bang-dieu-khien", name="/bang-dieu-khien")

    @task(1)
    def inbox(self):
        self.client.get("/hop-thu", name="/hop-thu")


def login(user: HttpUser, username: str, password: str) -> None:
    page = user.client.get("/dang-nhap", name="/dang-nhap (form)")
    with user.client.post("/dang-nhap", data={"username": username, "password": password,
                                              "csrf_token": csrf_of(page.text) or ""},
                          name="/dang-nhap", catch_response=True) as resp:
        if "/dang-nhap" in resp.url:  # the form again: refused
            resp.failure(f"login refused for {username}")


class Actor(Base):
    """A reception officer registers a petition (API), then the unit's head accepts it and starts the reply: half the
    actors through the API (Bearer token, the version read), the others through the case page's forms (the session
    cookie and the CSRF token), who then attach a file to the case and download it."""

    weight, think = MIX["Actor"]
    wait_time = between(*think)

    def on_start(self) -> None:
        super().on_start()
        self.web = bool(next(_actors) % 2)
        if self.web:
            login(self, "truongso", DATA["password"])

    def _api(self, role: str) -> dict:
        return {"Authorization": f"Bearer {DATA['tokens'][role]}"}

    @task
    def register_and_act(self):
        case = self.register()
        if case is None:
            return
        today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()
        for trigger, fields in (("accept", {"reply_date": today, "reply_form": "written"}), ("draft_decision", {})):
            ok = self.act_web(case["id"], trigger, fields) if self.web else self.act_api(case, trigger, fields)
            if not ok:
                return
        if self.web:
            self.attach(case["id"])

    def register(self) -> dict | None:
        n = random.randrange(10**9)
        body = {"kind": "petition", "unit": "STNMT", "channel": "walk_in",
                "received_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "subject": f"Kiến nghị sửa cống thoát nước tổ {n}",
                "parties": [{"role": "petitioner", "name": f"Người kiến nghị {n}", "address": f"Tổ {n % 97}"}]}
        with self.client.post("/api/v1/cases", json=body, headers=self._api("reception"), name="API POST /cases",
                              catch_response=True) as resp:
            if resp.status_code != 201:
                resp.failure(f"intake answered {resp.status_code}: {resp.text[:200]}")
                return None
            case = resp.json()
        secret = case.get("tracking_secret") or case.get("secret")
        if secret:
            CREATED.append({"code": case["tracking_code"], "secret": secret})
        return case

    def act_api(self, case: dict, trigger: str, fields: dict) -> bool:
        with self.client.post(f"/api/v1/cases/{case['id']}/actions/{trigger}",
                              json={"fields": fields, "version": case["version"]}, headers=self._api("head"),
                              name=f"API POST /cases/[id]/actions/{trigger}", catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{trigger} answered {resp.status_code}: {resp.text[:200]}")
                return False
            case["version"] = resp.json()["version"]
        return True

    def act_web(self, case_id: int, trigger: str, fields: dict) -> bool:
        page = self.client.get(f"/ho-so/{case_id}", name="/ho-so/[id] (actor)")
        version = VERSION.search(page.text)
        form = {**fields, "csrf_token": csrf_of(page.text) or "", "version": version.group(1) if version else ""}
        with self.client.post(f"/ho-so/{case_id}/thao-tac/{trigger}", data=form, catch_response=True,
                              name=f"/ho-so/[id]/thao-tac/{trigger}") as resp:
            if resp.status_code != 200 or f"/ho-so/{case_id}" not in resp.url or "alert-danger" in resp.text:
                resp.failure(f"{trigger} form: {resp.status_code} {resp.url}")
                return False
        return True


    def attach(self, case_id: int) -> None:
        """A scanned letter attached on the case page, then downloaded: the next request may reach the other node,
        which must find the file (object storage when configured)."""
        page = self.client.get(f"/ho-so/{case_id}", name="/ho-so/[id] (actor)")
        body = f"Biên bản làm việc hồ sơ {case_id}\n".encode() * 50
        with self.client.post(f"/ho-so/{case_id}/tep", data={"csrf_token": csrf_of(page.text) or ""},
                              files={"file": (f"bien-ban-{case_id}.txt", body, "text/plain")},
                              name="/ho-so/[id]/tep (upload)", catch_response=True) as resp:
            link = DOWNLOAD.search(resp.text)
            if resp.status_code != 200 or link is None:
                resp.failure(f"upload: {resp.status_code}, no download link")
                return
        with self.client.get(link.group(1), name="/ho-so/[id]/tep/[id] (download)", catch_response=True) as resp:
            if resp.content != body:
                resp.failure(f"download: {resp.status_code}, {len(resp.content)} bytes instead of {len(body)}")


class Citizen(Base):
    """A citizen looks up a case with the code and secret of the receipt: the page's form or the JSON lookup."""

    weight, think = MIX["Citizen"]
    wait_time = between(*think)

    @task
    def track(self):
        known = CREATED if CREATED and random.random() < 0.3 else DATA["tracking"]
        case = random.choice(known)
        if random.random() < 0.5:
            page = self.client.get("/tra-cuu", name="/tra-cuu (form)")
            self.client.post("/tra-cuu", data={"tracking_code": case["code"], "secret": case["secret"],
                                                "csrf_token": csrf_of(page.text) or ""}, name="/tra-cuu (lookup)")
        else:
            self.client.post("/api/v1/public/track", json={"tracking_code": case["code"], "secret": case["secret"]},
                             name="API POST /public/track")
