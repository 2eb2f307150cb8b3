"""Reception: registering visits and letters, the receipt, duplicate suggestions, the reception book, and the session
desk (a reception session's bookings, visits, refusal notices, closing and conclusion notice)."""
from ...request import PageBlueprint
from ..org.identity import no_store

bp = PageBlueprint("reception", __name__, url_prefix="/tiep-nhan")
# the intake form, the receipt (its secret), the reception book and the representatives page show identities
bp.after_request(no_store)

from . import (  # noqa: E402,F401
    book_export,
    compliance,
    desk,
    desk_bookings,
    officials,
    representatives,
    routes,
    schedule,
)
