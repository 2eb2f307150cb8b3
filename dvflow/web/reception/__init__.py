"""Reception: registering visits and letters, the receipt, duplicate suggestions, the reception log."""
from ...request import PageBlueprint
from ..org.identity import no_store

bp = PageBlueprint("reception", __name__, url_prefix="/tiep-nhan")
# the intake form, the receipt (its secret), the reception book and the representatives page show identities
bp.after_request(no_store)

from . import desk, representatives, routes  # noqa: E402,F401
