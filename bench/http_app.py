"""The app the HTTP benchmark serves (gunicorn ``bench.http_app:create()``): the product app plus, for the bench
only, a trivial JSON endpoint (the baseline) and a RSS probe. Nothing here is registered in the product."""
from __future__ import annotations

import os

from flask import Blueprint, jsonify

from .common import NOW, rss_kb

bench_bp = Blueprint("bench", __name__, url_prefix="/_bench")


@bench_bp.get("/ping")
def ping():
    return jsonify(ok=True)


@bench_bp.get("/rss")
def rss():
    return jsonify(pid=os.getpid(), rss_kib=rss_kb())


def create():
    from dvflow import create_app

    app = create_app({"ENV": "testing", "DATABASE_URL": os.environ["BENCH_DATABASE_URL"], "NOW": lambda: NOW,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "TESTING": False})
    app.register_blueprint(bench_bp)
    return app
