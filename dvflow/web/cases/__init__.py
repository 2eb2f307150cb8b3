"""Case queues and the case page."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/ho-so")

from . import (
    attachments,  # noqa: E402,F401
    routes,  # noqa: E402,F401
)
