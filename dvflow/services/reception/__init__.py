"""Citizen reception: the reception book (sổ tiếp công dân) and the units where a user receives citizens."""
from .book import PEOPLE_ROLES, TYPE_CODES, duplicates, intake_units, month_log

__all__ = ["PEOPLE_ROLES", "TYPE_CODES", "duplicates", "intake_units", "month_log"]
