"""`dvflow scheduler` (the scheduler process) and `dvflow sweep [--at …] [--dry-run]` (one sweep, time travel)."""
from __future__ import annotations

import logging
from datetime import datetime

import click
from flask import Flask, current_app

from ..timeutil import TZ, to_local
from . import dvflow_cli
from .common import now as current_now


def parse_at(text: str) -> datetime:
    """An ISO date-time; naive means Vietnamese local time (Asia/Ho_Chi_Minh)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise click.BadParameter(f"Thời điểm không hợp lệ: {text!r} (ví dụ: 2027-03-01T08:00)") from exc
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value


def _when(instant: datetime) -> str:
    return to_local(instant).strftime("%d/%m/%Y %H:%M")


def sweep_once(app: Flask, at: datetime, *, dry_run: bool = False) -> str:
    """Run (or preview) one sweep at ``at``; returns the Vietnamese report printed by the command."""
    from ..scheduler.runner import run_sweep
    from ..services.deadlines.sweep import preview

    sessions = app.extensions["dvflow.sessionmaker"]
    ladder = app.extensions["dvflow.workflows"].ladder
    if dry_run:
        with sessions() as session:
            planned = preview(session, now=at, ladder=ladder)
            session.rollback()
        return _dry_run_text(at, planned)
    report = run_sweep(sessions, now=at, ladder=ladder)
    lines = [f"Quét thời hạn lúc {_when(at)} (giờ Việt Nam):"]
    lines += [f"  {step.line()}" for step in report.fired]
    lines += [f"  Lỗi ở thời hạn #{cid}: {error}" for cid, error in sorted(report.failed.items())]
    return "\n".join([*lines, report.summary()])


def _dry_run_text(at: datetime, planned) -> str:
    lines = [f"Chạy thử (không ghi gì) lúc {_when(at)} (giờ Việt Nam):"]
    lines += [f"  {step.line()}" for step in planned]
    clocks = len({step.clock_id for step in planned})
    if planned:
        lines.append(f"Sẽ kích hoạt {len(planned)} bước trên {clocks} thời hạn. Chưa có thay đổi nào được ghi.")
    else:
        lines.append("Không có bước nào đến hạn. Chưa có thay đổi nào được ghi.")
    return "\n".join(lines)


@dvflow_cli.command("sweep")
@click.option("--at", "at_text", default=None, metavar="YYYY-MM-DDTHH:MM",
              help="Quét như thể đang ở thời điểm này (giờ Việt Nam nếu không ghi múi giờ).")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê các bước sẽ được kích hoạt, không ghi gì.")
def sweep_command(at_text: str | None, dry_run: bool):
    """Run one deadline sweep now (or at --at), or preview it with --dry-run."""
    at = parse_at(at_text) if at_text else current_now()
    click.echo(sweep_once(current_app._get_current_object(), at, dry_run=dry_run))


@dvflow_cli.command("scheduler")
def scheduler_command():
    """Run the deadline scheduler process (sweep + e-mail dispatcher) until stopped."""
    from ..scheduler.runner import run_blocking

    app = current_app._get_current_object()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    interval = app.config.get("SWEEP_INTERVAL_SECONDS", 60)
    click.echo(f"Bộ lập lịch dvflow đang chạy: quét thời hạn mỗi {interval} giây (Ctrl+C để dừng).")
    run_blocking(app)
    click.echo("Bộ lập lịch đã dừng.")
