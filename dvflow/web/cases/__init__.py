"""Case queues and the case page."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/ho-so")

from . import routes  # noqa: E402,F401
from . import attachments  # noqa: E402,F401
