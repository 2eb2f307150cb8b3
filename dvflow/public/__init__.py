"""Public pages for citizens (no login): tracking a case with its receipt, and rating it once closed."""
from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/tra-cuu")

from . import routes  # noqa: E402,F401
