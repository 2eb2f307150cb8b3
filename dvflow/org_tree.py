"""The unit tree (unit id -> parent id) and the per-session memo it is kept in, below both the services and the
notifications: `services.org.access` answers who sees what with it, `notify.outbox` who is told.

The memo lives in `session.info` (a session lives for one request or one command), so it holds the tree, each user's
memberships (`services.org.access`) and the resolved notification recipients (`notify.outbox`) once per session:
whoever changes units or memberships calls `forget`, which drops all of it at once.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Unit

MEMO = "dvflow.access"  # the session.info key (kept from when the memo lived in services.org.access)
TREE = "tree"  # the memo's key for the unit tree
_TREE = select(Unit.id, Unit.parent_id)


def memo(session: Session) -> dict:
    """The session's memo (created empty on first use); `forget` drops it."""
    return session.info.setdefault(MEMO, {})


def forget(session: Session) -> None:
    """Drop the memo: to be called whenever units or memberships change."""
    session.info.pop(MEMO, None)


def unit_tree(session: Session) -> dict[int, int | None]:
    """unit id -> parent id, for the whole (small) unit table; one query per session at most."""
    cache = memo(session)
    if TREE not in cache:
        cache[TREE] = dict(session.execute(_TREE).all())
    return cache[TREE]


def descendants(tree: dict[int, int | None], root: int) -> set[int]:
    """`root` and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in tree.items():
        children.setdefault(parent, []).append(uid)
    found, stack = set(), [root]
    while stack:
        uid = stack.pop()
        if uid not in found:
            found.add(uid)
            stack.extend(children.get(uid, []))
    return found


def ancestors(tree: dict[int, int | None], unit_id: int) -> list[int]:
    """The units above `unit_id`, nearest first (a cycle in the data stops the walk)."""
    chain, current = [], tree.get(unit_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = tree.get(current)
    return chain
