"""Reports: the dashboard (open cases, overdue cases by unit, on-time rate, received/resolved chart), the periodic
statistical reports and the XLSX exports."""
from ...request import PageBlueprint

bp = PageBlueprint("reports", __name__, url_prefix="/bang-dieu-khien")

from . import (
    exports,  # noqa: E402,F401
    national,  # noqa: E402,F401
    periodic,  # noqa: E402,F401
    routes,  # noqa: E402,F401
    scorecard,  # noqa: E402,F401
)
