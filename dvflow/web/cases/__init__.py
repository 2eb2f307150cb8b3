"""Case queues and the case page."""
from ...request import PageBlueprint
from ..org.identity import no_store

bp = PageBlueprint("cases", __name__, url_prefix="/ho-so")
# the case pages show parties' identities (and a confidential case's content to those entitled): no cache keeps them
bp.after_request(no_store)

from . import (
    attachments,  # noqa: E402,F401
    commitments,  # noqa: E402,F401
    corrections,  # noqa: E402,F401
    export,  # noqa: E402,F401
    routes,  # noqa: E402,F401
)
