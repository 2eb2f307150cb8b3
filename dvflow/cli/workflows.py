"""`dvflow workflows check|versions|graph|migrate|rules`: the workflow definitions."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import func, select

from ..engine import scorecard
from ..engine.reception.rules import RULES_FILE, RulesError, load_rules
from ..engine.workflow import (
    check_paths,
    load_all,
    load_file,
    render_rules,
    render_svg,
    review_notes,
)
from ..models import Case
from ..workflows import (
    head_documents_granted_to_officers,
    unknown_documents,
    unknown_templates,
)
from . import dvflow_cli
from .common import transaction


@dvflow_cli.group("workflows")
def workflows_group():
    """Quy trình (workflow definitions)."""


@workflows_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check(paths):
    """Validate workflow files (default: the configured folder); exits non-zero on any error. The `review:` notes
    (doubtful legal readings) are printed as warnings and do not change the exit code."""
    targets = list(paths) or [Path(current_app.config["WORKFLOWS_DIR"])]
    errors = [str(e) for e in check_paths(targets)]
    if not errors:
        errors = unknown_templates(_definitions(targets)) + _documents(targets)
    errors += _schedule_rules(targets)
    errors += _scorecard(targets)
    for note in review_notes(targets):
        click.echo(f"CẢNH BÁO {note}", err=True)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.echo(f"{len(errors)} lỗi trong định nghĩa quy trình.", err=True)
        sys.exit(1)
    click.echo("Mọi định nghĩa quy trình đều hợp lệ.")


def _schedule_rules(targets) -> list[str]:
    """The reception frequency rules (reception/schedule_rules.yaml) of each folder checked: errors, and each
    rule's `review:` note printed as a warning."""
    errors = []
    for target in targets:
        path = target / RULES_FILE if target.is_dir() else None
        if path is None or not path.is_file():
            continue
        try:
            rules = load_rules(target)
        except RulesError as exc:
            errors.append(str(exc))
            continue
        for key, position in rules.positions.items():
            for rule in position.rules:
                if rule.review:
                    click.echo(f"CẢNH BÁO {path}: {key} từ {rule.effective_from}: cần rà soát: {rule.review}", err=True)
    return errors


def _scorecard(targets) -> list[str]:
    """The scorecard's criteria (reports/scorecard.yaml) of each folder checked: errors, and each set's `review:`
    note (the decision's number and the weights still to be checked) printed as a warning."""
    errors = []
    for target in targets:
        path = target / scorecard.SCORECARD_FILE if target.is_dir() else None
        if path is None or not path.is_file():
            continue
        try:
            card = scorecard.load(target)
        except scorecard.ScorecardError as exc:
            errors.append(f"Tệp tiêu chí chấm điểm không hợp lệ: {exc}")
            continue
        for criteria in card.sets:
            if criteria.review:
                click.echo(f"CẢNH BÁO: {path}: bộ tiêu chí chấm điểm từ {criteria.effective_from}: cần rà soát: "
                           f"{criteria.review}", err=True)
    return errors


def _documents(targets) -> list[str]:
    """What stops the app at load besides the files' own errors: document types the manifest beside the workflows
    does not declare, and a head's document issued by a transition that grants officers too."""
    errors = []
    for target in targets:
        folder, definitions = (target if target.is_dir() else target.parent), list(_definitions([target]))
        errors += unknown_documents(definitions, str(folder)) + head_documents_granted_to_officers(definitions,
                                                                                                  str(folder))
    return errors


def _definitions(targets):
    for target in targets:
        yield from (load_all(target) if target.is_dir() else [load_file(target)])


@workflows_group.command("versions")
def versions():
    """List every workflow version cases run on, with its open-case count."""
    workflows = current_app.extensions["dvflow.workflows"]
    with transaction() as session:
        counts = dict(((k, v), n) for k, v, n in session.execute(
            select(Case.workflow_id, Case.workflow_version, func.count()).where(Case.status != "closed",
                                                                                   Case.voided_at.is_(None))
            .group_by(Case.workflow_id, Case.workflow_version)))
        all_versions = {(k, v) for k, v in session.execute(select(Case.workflow_id, Case.workflow_version).distinct())}
    for defn in workflows.kinds():
        all_versions.add((defn.id, defn.version))
    for kind, version in sorted(all_versions):
        current = workflows.latest(kind).version == version
        click.echo(f"{kind:22} {version[:12]}  {'(hiện hành)' if current else '           '}  "
                   f"hồ sơ đang mở: {counts.get((kind, version), 0)}")


@workflows_group.command("graph")
@click.argument("kind")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Tệp SVG (mặc định: KIND.svg).")
@click.option("--state", default=None, help="Trạng thái cần tô sáng.")
def graph(kind, output, state):
    """Write an SVG diagram of the workflow KIND."""
    defn = current_app.extensions["dvflow.workflows"].latest(kind)
    output = output or Path(f"{kind}.svg")
    output.write_text(render_svg(defn, state), encoding="utf-8")
    click.echo(f"Đã ghi {output}")


@workflows_group.command("migrate")
@click.argument("kind")
@click.option("--apply", "do_apply", is_flag=True, help="Thực hiện chuyển (mặc định chỉ xem trước).")
def migrate_cases(kind, do_apply):
    """Move open cases of KIND to the current version of its workflow (preview unless --apply)."""
    from ..services.workflows import versioning
    from .common import now

    workflows = current_app.extensions["dvflow.workflows"]
    with transaction() as session:
        items = (versioning.apply(session, workflows, kind, now()) if do_apply
                 else versioning.plan(session, workflows, kind))
        for item in items:
            head = f"{item.case.tracking_code} ({item.case.state})"
            if item.problems:
                click.echo(f"{head}: KHÔNG chuyển được: {'; '.join(item.problems)}")
            else:
                click.echo(f"{head}: {'đã chuyển' if do_apply else 'sẽ chuyển'}"
                           + (f"; thay đổi: {'; '.join(item.changes)}" if item.changes else "; thời hạn không đổi"))
    if not items:
        click.echo("Không có hồ sơ đang mở nào chạy trên phiên bản cũ.")
    elif not do_apply:
        click.echo("Đây là bản xem trước. Chạy lại với --apply để chuyển.")


@workflows_group.command("rules")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi vào tệp (ví dụ workflows/RULES.md) thay vì in ra.")
def rules(output):
    """Print the rules table for lawyers: every clock of every workflow, as Markdown."""
    text = render_rules(load_all(Path(current_app.config["WORKFLOWS_DIR"])))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"Đã ghi {output}")
