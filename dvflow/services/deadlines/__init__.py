"""Deadlines: the statutory clocks of a case, the legal calendar and its overrides, and the escalation sweep."""
from .calendar import list_overrides, load_calendar, remove_override, set_override
from .calendar_import import import_overrides
from .clocks import explain
from .sweep import (  # the sweep itself: deadlines.sweep.sweep (module name)
           PlannedStep,
           SweepReport,
           preview,
)

__all__ = ["PlannedStep", "SweepReport", "explain", "import_overrides", "list_overrides", "load_calendar", "preview",
           "remove_override", "set_override"]
