"""The processes of the production layout on one machine, each on a free loopback port under one temp dir:
Redis, object storage (moto's S3 server, when installed and dvflow supports it), N gunicorn nodes, M schedulers,
nginx. Started in order, stopped in reverse (SIGTERM, then SIGKILL after a grace period), only by the pid we started.
"""
from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_keys() -> dict[str, str]:
    """Fresh production keys for one run (never the public development ones: DVFLOW_ENV=production refuses none)."""
    b64 = lambda: base64.b64encode(secrets.token_bytes(32)).decode()  # noqa: E731
    return {"DVFLOW_SECRET_KEY": secrets.token_hex(32), "DVFLOW_AUDIT_SIGNING_KEY": b64(),
            "DVFLOW_IDENTITY_KEYS": f"e2e1:{b64()}", "DVFLOW_IDENTITY_HASH_KEY": b64()}


def s3_supported() -> bool:
    """dvflow reads DVFLOW_S3_BUCKET (helper "storage" landed) and moto's server is installed."""
    import importlib.util

    from config import _VARIABLES

    return "DVFLOW_S3_BUCKET" in _VARIABLES and importlib.util.find_spec("moto") is not None


def render_nginx(template: str, values: dict[str, str]) -> str:
    """The template with ${name} filled; nginx's own $variables (no braces in the template) stay as they are."""
    return string.Template(template).safe_substitute(values)


def upstream_lines(ports: list[int]) -> str:
    return "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)


LOAD_TEST_REAL_IP = """\
        # load test only: the load generator on 127.0.0.1 stands for the internet and names each simulated client
        # in X-Forwarded-For. In production nginx faces the clients: leave these two lines out.
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;
"""


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path


@dataclass
class Layout:
    """One run's temp dir, ports, environment and processes."""

    nodes: int = 2
    workers: int = 2
    threads: int = 4
    schedulers: int = 2
    sweep_interval: int = 10
    db_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/dvflow_e2e"
    tmp: Path = field(default_factory=lambda: Path(__import__("tempfile").mkdtemp(prefix="dvflow_e2e_")))
    procs: list[Proc] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    storage: str = "local"

    def __post_init__(self) -> None:
        self.tmp.chmod(0o755)  # nginx's workers (user nobody) traverse it to their temp folders
        self.redis_port, self.nginx_port = free_port(), free_port()
        self.node_ports = [free_port() for _ in range(self.nodes)]
        self.base_url = f"https://127.0.0.1:{self.nginx_port}"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("DVFLOW_")}, **random_keys(),
                    "DVFLOW_ENV": "production", "DVFLOW_DATABASE_URL": self.db_url,
                    "DVFLOW_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{self.redis_port}",
                    "DVFLOW_TRUSTED_PROXIES": "1", "DVFLOW_TOTP_REQUIRED_ROLES": "-",
                    "DVFLOW_UPLOAD_DIR": str(self.tmp / "uploads"), "DVFLOW_PUBLIC_BASE_URL": self.base_url,
                    "DVFLOW_SWEEP_INTERVAL_SECONDS": str(self.sweep_interval),
                    "DVFLOW_DISPATCH_INTERVAL_SECONDS": str(self.sweep_interval),
                    "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}

    # --- processes ----------------------------------------------------------------------------------------------

    def start(self, name: str, argv: list[str], env: dict | None = None) -> Proc:
        log = self.tmp / f"{name}.log"
        with open(log, "wb") as out:
            popen = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **(env or {})}, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def run(self, argv: list[str], *, what: str) -> str:
        """A command to its end (migrations, demo data, tokens); its output, or RuntimeError naming ``what``."""
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return done.stdout

    def flask(self, *args: str, what: str) -> str:
        return self.run([PY, "-m", "flask", "--app", "wsgi", "dvflow", *args], what=what)

    def stop_all(self, grace: float = 20.0) -> None:
        for proc in reversed(self.procs):
            if proc.popen.poll() is None:
                proc.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in reversed(self.procs):
            try:
                proc.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                proc.popen.wait(5)
        self.procs.clear()

    def died(self) -> list[str]:
        """Names of the started processes that are no longer running (each with the end of its log)."""
        return [f"{p.name} (exit {p.popen.returncode}): {p.log.read_text(errors='replace')[-800:]}"
                for p in self.procs if p.popen.poll() is not None]

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each started process and its children (gunicorn's workers,
        nginx's): every process in the session it leads (each was started in a session of its own); and by the
        PostgreSQL backends serving the layout's database (pooled, so they live through the run)."""
        by_session: dict[int, float] = {}
        backends, marker = 0.0, f" {self.db_url.rsplit('/', 1)[-1]} "
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                after = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:  # ended meanwhile
                continue
            seconds = (int(after[11]) + int(after[12])) / CLK_TCK
            sid = int(after[3])
            by_session[sid] = by_session.get(sid, 0.0) + seconds
            if cmdline.startswith("postgres:") and marker in cmdline:
                backends += seconds
        found = {p.name: round(by_session.get(p.popen.pid, 0.0), 2) for p in self.procs}
        return {**found, "postgres backends": round(backends, 2)}

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- the services -------------------------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.tmp)])
        wait_port(self.redis_port, "redis")

    def start_s3(self) -> None:
        """moto's S3 in server mode and a bucket in it; the app then keeps attachments and documents there."""
        port = free_port()
        self.start("s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
        wait_port(port, "moto")
        self.env.update({"DVFLOW_S3_BUCKET": "dvflow-e2e", "DVFLOW_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                         "DVFLOW_S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "e2e", "AWS_SECRET_ACCESS_KEY": "e2e"})
        self.flask("files", "create-bucket", what="the bucket")
        self.storage = f"s3 (moto server, 127.0.0.1:{port})"

    def start_nodes(self) -> None:
        for i, port in enumerate(self.node_ports, 1):
            self.start(f"web{i}", [PY, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "wsgi:app"],
                       env={"DVFLOW_GUNICORN_BIND": f"127.0.0.1:{port}", "DVFLOW_GUNICORN_NAME": f"dvflow-web{i}",
                            "DVFLOW_GUNICORN_WORKERS": str(self.workers),
                            "DVFLOW_GUNICORN_THREADS": str(self.threads)})
        for port in self.node_ports:
            wait_port(port, "gunicorn", timeout=90)

    def start_schedulers(self) -> None:
        for i in range(1, self.schedulers + 1):
            self.start(f"scheduler{i}", [PY, "-m", "flask", "--app", "wsgi", "dvflow", "scheduler"])

    def start_nginx(self) -> None:
        run_dir = self.tmp / "nginx"
        run_dir.mkdir()
        cert, key = run_dir / "cert.pem", run_dir / "key.pem"
        self.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                  "-keyout", str(key), "-out", str(cert)], what="openssl (the self-signed certificate)")
        conf = render_nginx((DEPLOY / "nginx.conf.template").read_text(), {
            "nginx_workers": "1", "run_dir": str(run_dir), "access_log": f"{run_dir / 'access.log'} upstreams",
            "listen": f"127.0.0.1:{self.nginx_port}",
            "server_name": "127.0.0.1", "ssl_certificate": str(cert), "ssl_certificate_key": str(key),
            "upstream_servers": upstream_lines(self.node_ports), "real_ip": LOAD_TEST_REAL_IP})
        (run_dir / "nginx.conf").write_text(conf)
        self.start("nginx", [nginx_binary(), "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"),
                             "-g", "daemon off;"])
        wait_url(f"{self.base_url}/dang-nhap", "nginx → gunicorn")


def nginx_binary() -> str:
    """Debian's nginx; installed with apt-get when missing and we may (root), as .ci/run does for Chromium."""
    found = shutil.which("nginx") or (os.path.exists("/usr/sbin/nginx") and "/usr/sbin/nginx")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError("nginx không có: cài bằng apt-get install nginx (nginx is missing)")
    subprocess.run("apt-get update -qq && apt-get install -y -qq nginx >/dev/null", shell=True, check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def wait_port(port: int, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def wait_url(url: str, what: str, timeout: float = 60) -> None:
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # our own self-signed certificate
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, context=ctx, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.5)
    raise RuntimeError(f"{what}: {url} did not answer 200 within {timeout:.0f} s ({last})")
