"""/api/v1/openapi.json and a local page that renders it (no CDN)."""
from __future__ import annotations

from flask import jsonify, render_template

from . import bp
from .openapi import document


@bp.route("/openapi.json")
def openapi_json():
    return jsonify(document())


@bp.route("/docs")
def docs_page():
    return render_template("public/api_docs.html", doc=document())
