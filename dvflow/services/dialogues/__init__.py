"""Dialogues outside a complaint: the grassroots dialogue conference a commune holds each year with the Fatherland
Front (Luật Thực hiện dân chủ ở cơ sở 2022, Điều 32), planned and held as a case of the `dialogue` workflow, and
the compliance of each commune with the yearly minimum. A complaint's own dialogue is part of the complaint's case."""
from . import compliance, conferences, rules  # noqa: F401
