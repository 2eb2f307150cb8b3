"""`dvflow export national`: the cases and reception records of a period for the national database, as JSON in the
schema docs/national-export/schema-v1.json (to a file with -o, else to standard output)."""
from __future__ import annotations

import click

from ..services.errors import ServiceError
from ..services.reports import national_export
from . import dvflow_cli
from .common import now, transaction


@dvflow_cli.group("export")
def export_group():
    """Xuất dữ liệu (data exports)."""


@export_group.command("national")
@click.option("--from", "first", required=True, help="Từ ngày nhận, YYYY-MM-DD (first day, inclusive)")
@click.option("--to", "last", required=True, help="Đến ngày nhận, YYYY-MM-DD (last day, inclusive)")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị; gồm các đơn vị trực thuộc (default: the top unit)")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Tệp JSON ghi ra (default: standard output)")
def national(first: str, last: str, unit_code: str | None, output) -> None:
    """Export a period for the national database (Nghị định 154/2026/NĐ-CP, Điều 27)."""
    try:
        span = national_export.parse_range(first, last, first_field="--from", last_field="--to")
    except ServiceError as exc:
        raise click.BadParameter(exc.message, param_hint=exc.field) from exc
    with transaction() as session:  # the lists are read page by page while the file is written
        unit_id = national_export.unit_by_code(session, unit_code) if unit_code else None
        doc = national_export.export_parts(session, None, unit_id=unit_id, span=span, now=now())
        counts = national_export.write_json(doc, output)
    if output.name != "<stdout>":
        click.echo(f"Đã xuất {counts['cases']} vụ việc, {counts['reception_visits']} lượt tiếp công dân "
                   f"vào {output.name}.", err=True)
