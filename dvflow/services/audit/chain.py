"""The hash chain of one case's history.

Row n of a case carries `seq` = n (1, 2, … with no gap: unique per case) and `hash` = SHA-256 of the previous row's
hash and the row's canonical form, so changing, deleting or inserting a row breaks the chain from that row on. The
canonical form is the row's values as the database returns them (UTC instant to the microsecond, ISO dates, the
payload as JSON with sorted keys), so the hash computed before the insert is the hash the check recomputes.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Any, Mapping, Sequence

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from ...models import CaseEvent

GENESIS = "0" * 64  # the "previous hash" of a case's first row
FIELDS = ("case_id", "seq", "actor_id", "at", "legal_date", "action", "from_state", "to_state", "payload")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's hash covers (a mapping of the history row's values, `seq` included)."""
    doc = {name: row.get(name) for name in FIELDS}
    doc["at"] = _instant(row["at"])
    doc["legal_date"] = row["legal_date"].isoformat() if isinstance(row.get("legal_date"), date) else None
    # through JSON and back: what the JSON column stores (tuples become lists, keys become strings)
    doc["payload"] = json.loads(json.dumps(row.get("payload") or {}))
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link(previous: str, row: Mapping[str, Any]) -> str:
    """The hash of `row` following a row whose hash is `previous`."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(row)).hexdigest()


#: the last row of one case: built once (building and caching a statement costs more than running it), read
#: backwards on the unique (case_id, seq) index
_LAST_OF_ONE = (select(CaseEvent.seq, CaseEvent.hash).where(CaseEvent.case_id == bindparam("case_id"))
                .order_by(CaseEvent.seq.desc()).limit(1))


def heads(session: Session, case_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """The last (seq, hash) of each case's history; cases without history are absent."""
    ids = set(case_ids)
    if not ids:
        return {}
    if len(ids) == 1:  # an action or an intake: one case, one index probe
        (case_id,) = ids
        row = session.execute(_LAST_OF_ONE, {"case_id": case_id}).first()
        return {case_id: (row[0], row[1])} if row is not None else {}
    last = (select(CaseEvent.case_id, func.max(CaseEvent.seq).label("seq"))
            .where(CaseEvent.case_id.in_(sorted(set(case_ids)))).group_by(CaseEvent.case_id).subquery())
    rows = session.execute(select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.hash).where(
        tuple_(CaseEvent.case_id, CaseEvent.seq).in_(select(last.c.case_id, last.c.seq))))
    return {case_id: (seq, digest) for case_id, seq, digest in rows}


def extend(session: Session, rows: Sequence[dict], *, empty: Sequence[int] = ()) -> None:
    """Give each new row (built by `history.event`, in order) its `seq` and `hash` after its case's last row. Two
    transactions extending one case at once get the same seq: the unique (case_id, seq) key refuses the second.
    `empty`: cases known to have no history yet (created in this transaction): their last row is not looked up."""
    state = heads(session, [r["case_id"] for r in rows if r["case_id"] not in empty])
    for row in rows:
        seq, previous = state.get(row["case_id"], (0, GENESIS))
        row["seq"] = seq + 1
        row["hash"] = link(previous, row)
        state[row["case_id"]] = (row["seq"], row["hash"])


def _instant(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands naive UTC back through the column type; a naive value here is UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
