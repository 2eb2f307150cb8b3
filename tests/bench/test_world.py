"""The benchmark province's generated rows (bench/world_rows.py) against the app's own rules, without a database:
each history row's hash is the one services.audit.chain computes, every action, state and clock name exists in its
workflow, closed cases end in a final state with every clock stopped, and the column tuples fit the COPY lists."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bench import world
from bench.world_load import COLS, TABLE_OF
from bench.world_plan import KIND_SHARES, kind_plan
from bench.world_rows import Generator, Out, Staff
from dvflow.services.audit.chain import GENESIS, link
from dvflow.workflows import load_registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated():
    from bench.common import _install_identity_keys

    _install_identity_keys()
    reg = load_registry(str(ROOT / "workflows"))
    plans = {d.id: kind_plan(d) for d in reg.kinds() if d.id in KIND_SHARES}
    staff = {u: Staff(head=100 + u, handlers=(200 + u, 300 + u), reception=200 + u) for u in range(1, 6)}
    gen = Generator(plans, staff, world._pools(), world.END, 5, first_case=41)
    rnd, out = random.Random(3), Out()
    for i, (received, is_open) in enumerate(world._schedule(400, 9)):
        gen.case(out, 41 + i, list(KIND_SHARES)[i % len(KIND_SHARES)], rnd.randint(1, 5), received, is_open)
    return reg, out


def test_history_rows_carry_the_apps_hash_chain(generated):
    _reg, out = generated
    previous, seqs = {}, {}
    for eid, case_id, actor, at, legal, action, src, dest, body, seq, digest in out.events:
        row = {"case_id": case_id, "seq": seq, "actor_id": actor, "at": at, "legal_date": legal, "action": action,
               "from_state": src, "to_state": dest, "payload": json.loads(body)}
        assert seq == seqs.get(case_id, 0) + 1
        assert digest == link(previous.get(case_id, GENESIS), row)
        previous[case_id], seqs[case_id] = digest, seq
    assert set(seqs) == {c[0] for c in out.cases}


def test_states_actions_and_clocks_exist_in_their_workflow(generated):
    reg, out = generated
    by_version = {d.version: d for d in reg.kinds()}
    kinds = {c[0]: by_version[c[5]] for c in out.cases}
    for c in out.cases:
        defn = kinds[c[0]]
        assert c[6] in defn.states and c[7] == defn.states[c[6]].status
        assert (c[25] is not None) == (c[7] == "closed")
    system = {"register", "assign", "escalate"}
    for e in out.events:
        assert e[5] in system or defn_has(kinds[e[1]], e[5], e[6], e[7]), e
    open_cases = {c[0] for c in out.cases if c[7] != "closed"}
    for clock in out.clocks:
        assert clock[2] in kinds[clock[1]].clocks
        assert clock[19] is not None or clock[1] in open_cases  # a closed case's clocks are all stopped
        assert clock[15] in ("running", "missed") if clock[19] is None else clock[15] in ("met", "missed")
        assert (clock[20] is None) == (clock[19] is None)  # the legal stop date with the instant (0041's CHECK)


def defn_has(defn, trigger: str, src: str, dest: str) -> bool:
    t = defn.transition(trigger, src)
    return t is not None and (t.dest or src) == dest


def test_rows_fit_the_copy_columns_and_id_blocks(generated):
    _reg, out = generated
    for attr, table in TABLE_OF.items():
        rows = getattr(out, attr)
        assert rows, table
        assert {len(r) for r in rows} == {len(COLS[table])}, table
        ids = [r[0] for r in rows]
        assert len(set(ids)) == len(ids), table
    assert min(r[0] for r in out.cases) == 41
    # the first case's history starts at its own block (16 rows per case from case 1)
    assert min(r[0] for r in out.events) == 40 * 16 + 1


def test_denouncers_of_confidential_cases_are_not_searchable(generated):
    _reg, out = generated
    confidential = {c[0] for c in out.cases if c[14]}
    denouncers = {cp[2] for cp in out.case_parties if cp[3] == "denouncer" and cp[1] in confidential}
    assert denouncers
    assert all(p[3] == "" for p in out.parties if p[0] in denouncers)
    assert any(p[3] for p in out.parties if p[0] not in denouncers)
