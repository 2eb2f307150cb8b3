"""`dvflow tokens create|list|revoke`: personal API tokens from the command line."""
from __future__ import annotations

import click

from ..services.org import tokens
from . import dvflow_cli
from .common import now, transaction


@dvflow_cli.group("tokens")
def tokens_group():
    """Mã truy cập API (API tokens)."""


@tokens_group.command("create")
@click.argument("username")
@click.option("--name", default="dòng lệnh", show_default=True, help="Tên gợi nhớ của mã.")
def create(username, name):
    """Create a token for USERNAME and print it (once)."""
    with transaction() as session:
        token, raw = tokens.create_token(session, tokens.user_by_username(session, username), name, now())
        token_id = token.id
    click.echo(f"Đã tạo mã truy cập #{token_id} cho {username}. Mã chỉ hiển thị một lần:", err=True)
    click.echo(raw)


@tokens_group.command("list")
@click.argument("username")
def list_(username):
    """List USERNAME's tokens."""
    with transaction() as session:
        for t in tokens.list_tokens(session, tokens.user_by_username(session, username)):
            state = "đã thu hồi" if t.revoked_at else "đang dùng"
            used = t.last_used_at.isoformat() if t.last_used_at else "chưa dùng"
            click.echo(f"#{t.id}\t{t.name}\t{state}\tlần dùng gần nhất: {used}")


@tokens_group.command("revoke")
@click.argument("username")
@click.argument("token_id", type=int)
def revoke(username, token_id):
    """Revoke USERNAME's token TOKEN_ID."""
    with transaction() as session:
        tokens.revoke(session, tokens.user_by_username(session, username), token_id, now())
    click.echo(f"Đã thu hồi mã truy cập #{token_id}.")
