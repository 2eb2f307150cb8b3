"""Administration: calendar overrides, units, users (admin role only)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")

from . import routes  # noqa: E402,F401
