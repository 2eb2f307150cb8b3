"""gunicorn settings of one dvflow web node: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Threads rather than more processes: a request waits mostly on PostgreSQL, and each process holds its own copy of the
workflows and caches. Size it with PostgreSQL in mind: every thread may hold one database connection, so nodes ×
workers × threads (plus the schedulers) must stay under max_connections (README "Production layout").
The web workers never run the scheduler (a process of its own: `flask --app wsgi dvflow scheduler`).
"""
import os

bind = os.environ.get("DVFLOW_GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("DVFLOW_GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("DVFLOW_GUNICORN_THREADS", "4"))
worker_class = "gthread"
# nginx buffers slow clients; a request that takes longer than this is a bug to find, not a page to wait for
timeout = int(os.environ.get("DVFLOW_GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# recycle workers now and then so that a slow leak never becomes an outage (jitter: not all at once)
max_requests = 5000
max_requests_jitter = 500
# nginx stands in front on the same host: only it may set the forwarded headers gunicorn itself reads
forwarded_allow_ips = "127.0.0.1"
accesslog = os.environ.get("DVFLOW_GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = "info"
proc_name = os.environ.get("DVFLOW_GUNICORN_NAME", "dvflow-web")
