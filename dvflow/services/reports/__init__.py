"""Reports: the dashboard's figures, the overdue lists, the periodic statistical reports and their XLSX, over the
units a user may see."""
from .dashboard import (
                        PERIODS,
                        Month,
                        OnTime,
                        OverdueCase,
                        UnitOverdue,
                        Week,
                        monthly_flow,
                        on_time,
                        open_cases_by_kind_state,
                        overdue_by_unit,
                        period_bounds,
                        ratings_by_unit,
                        totals_by_kind,
                        weekly_flow,
)
from .overdue import OverduePage, all_overdue_rows, overdue_page

__all__ = ["Month", "OnTime", "OverdueCase", "OverduePage", "PERIODS", "UnitOverdue", "Week", "all_overdue_rows",
           "monthly_flow", "on_time",
           "open_cases_by_kind_state", "overdue_by_unit", "overdue_page", "period_bounds", "ratings_by_unit",
           "totals_by_kind", "weekly_flow"]
