"""Reception: registering visits and letters, the receipt, duplicate suggestions, the reception log."""
from ...request import PageBlueprint

bp = PageBlueprint("reception", __name__, url_prefix="/tiep-nhan")

from . import representatives, routes  # noqa: E402,F401
