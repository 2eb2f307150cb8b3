"""Case queues and the case page."""
from ...request import PageBlueprint

bp = PageBlueprint("cases", __name__, url_prefix="/ho-so")

from . import (
    attachments,  # noqa: E402,F401
    corrections,  # noqa: E402,F401
    routes,  # noqa: E402,F401
)
