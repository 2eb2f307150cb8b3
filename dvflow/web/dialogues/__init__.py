"""Grassroots dialogue conferences: the list, planning one, and the communes' yearly compliance."""
from ...request import PageBlueprint

bp = PageBlueprint("dialogues", __name__, url_prefix="/doi-thoai")

from . import routes  # noqa: E402,F401
