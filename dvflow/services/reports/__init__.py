"""Reports: the dashboard's figures over the units a user may see."""
from .dashboard import (
                        PERIODS,
                        OnTime,
                        OverdueCase,
                        UnitOverdue,
                        Week,
                        on_time,
                        open_cases_by_kind_state,
                        overdue_by_unit,
                        period_bounds,
                        totals_by_kind,
                        weekly_flow,
)

__all__ = ["OnTime", "OverdueCase", "PERIODS", "UnitOverdue", "Week", "on_time", "open_cases_by_kind_state",
           "overdue_by_unit", "period_bounds", "totals_by_kind", "weekly_flow"]
