"""`dvflow calendar import|list|set|remove`: per-date corrections of the legal calendar."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from ..services.deadlines import calendar as calendar_service
from ..services.deadlines.calendar_import import import_overrides
from . import dvflow_cli
from .common import now, transaction


@dvflow_cli.group("calendar")
def calendar_group():
    """Lịch làm việc: ngày nghỉ bù, ngày làm việc bù (calendar overrides)."""


@calendar_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_file(path: Path):
    """Import overrides from a CSV file (date,kind,note) or an iCalendar file (.ics, all-day events = days off)."""
    with transaction() as session:
        count = import_overrides(session, current_app.extensions["dvflow.workflows"], path.read_text("utf-8"),
                                 filename=path.name, now=now())
    click.echo(f"Đã nhập {count} ngày điều chỉnh từ {path.name}; thời hạn của các hồ sơ liên quan đã được tính lại.")


@calendar_group.command("list")
@click.option("--year", type=int)
def list_overrides(year):
    """List the overrides."""
    with transaction() as session:
        for row in calendar_service.list_overrides(session, year):
            kind = "nghỉ" if row.kind == "off" else "làm việc"
            click.echo(f"{row.day:%d/%m/%Y}  {kind:9}  {row.note}")


@calendar_group.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("kind", type=click.Choice(["off", "working"]))
@click.option("--note", default="")
def set_day(day, kind, note):
    """Mark DAY (YYYY-MM-DD) as a day off or a working day."""
    with transaction() as session:
        calendar_service.set_override(session, current_app.extensions["dvflow.workflows"], day=day.date(),
                                      kind=kind, note=note, now=now(), source="cli")
    click.echo(f"Đã đặt {day:%d/%m/%Y}: {kind}")


@calendar_group.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
def remove_day(day):
    """Remove the override of DAY."""
    with transaction() as session:
        removed = calendar_service.remove_override(session, current_app.extensions["dvflow.workflows"],
                                                   day=day.date(), now=now())
    click.echo("Đã xoá." if removed else "Ngày này không có điều chỉnh.")


