"""Citizen satisfaction (SIPAS): a closed case rated once, and the averages per unit and period."""
from .satisfaction import PERIODS, UnitAverage, averages, overall, rate

__all__ = ["PERIODS", "UnitAverage", "averages", "overall", "rate"]
