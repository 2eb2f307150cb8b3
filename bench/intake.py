"""Figure 2: ``services.intake.register_case`` per second (one case with one petitioner, committed).

Baselines, of what a registration minimally writes in one transaction (the case row, a party and its case link, the
register event and the first clock, the petition's reply clock), with every value precomputed:
(a) the issue's: ORM ``add`` of those five objects, then commit;
(b) raw DB-API inserts of the same rows, then COMMIT (a floor: no ORM at all).
The statements per registration are counted (BEGIN/COMMIT excluded). The receipt secret's digest is a keyed HMAC
(services.cases.tracking): registration no longer pays a slow hash, and the baselines compute the same digest.
"""
from __future__ import annotations

from datetime import timedelta

from dvflow.services.audit.chain import GENESIS, link
from dvflow.services.cases.tracking import hash_secret, new_tracking_secret

from .common import (
    NOW,
    database,
    intake_input,
    make_world,
    pct_figure,
    statements_per_call,
    trips_figure,
)
from .raw import Raw
from .transition import interleaved


def run(kind: str, cfg, results) -> dict:
    from dvflow.services.cases.intake import register_case
    from dvflow.services.org.access import load_user

    with database(kind) as db:
        world = make_world(db)
        defn = db.workflows.latest("petition")
        with db.sessions() as s:
            db.workflows.ensure_stored(s, defn, NOW)
            s.commit()
        raw = Raw(db)
        received = NOW - timedelta(hours=1)

        def service(i: int) -> None:
            with db.sessions() as s:
                user = load_user(s, world.handler_id)  # as the web's user loader does
                register_case(s, db.workflows, user, intake_input(world, i), NOW)
                s.commit()

        counter = iter(range(10**9))

        def baseline(i: int) -> None:
            r, n = raw, next(counter)
            cur = r.conn.cursor()
            r.begin(cur)
            cur.execute(r.sql(
                "INSERT INTO cases (tracking_code, tracking_secret_hash, kind, workflow_id, workflow_version, state, status, "
                "unit_id, assignee_id, complex, especially_complex, mass, confidential, channel, received_at, subject, "
                "subject_search, content, escalation_level, priority, facts, version, created_at) VALUES "
                "(:p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :j, :p, :p) "
                "RETURNING id"),
                (f"RAW-{n:09d}", hash_secret(new_tracking_secret()), "petition", "petition", defn.version, "received", "open",
                 world.unit_id, world.handler_id, r.bool(False), r.bool(False), r.bool(False), r.bool(False), "walk_in",
                 r.ts(received), f"Kiến nghị {n}", f"kien nghi {n}", "Nội dung", 0, r.bool(False), "{}", 1, r.ts(NOW)))
            case_id = cur.fetchone()[0]
            cur.execute(r.sql("INSERT INTO parties (kind, name, name_search, identity_number, address, phone) "
                              "VALUES (:p, :p, :p, :p, :p, :p) RETURNING id"),
                        ("person", f"Nguyễn Văn {n}", f"nguyen van {n}", f"0010{n:08d}", "Thôn 2", "0912345678"))
            party_id = cur.fetchone()[0]
            cur.execute(r.sql("INSERT INTO case_parties (case_id, party_id, role) VALUES (:p, :p, :p)"),
                        (case_id, party_id, "petitioner"))
            event = dict(case_id=case_id, seq=1, actor_id=world.handler_id, at=NOW, legal_date=received.date(),
                         action="register", from_state=None, to_state="received",
                         payload={"channel": "walk_in", "parties": 1})
            cur.execute(r.sql("INSERT INTO case_events (case_id, actor_id, at, legal_date, action, from_state, "
                              "to_state, payload, seq, hash) VALUES (:p, :p, :p, :p, :p, :p, :p, :j, :p, :p)"),
                        (case_id, world.handler_id, r.ts(NOW), r.day(received.date()), "register", None, "received",
                         r.js(event["payload"]), 1, link(GENESIS, event)))  # the history's chain, as the product
            cur.execute(r.sql(
                "INSERT INTO clocks (case_id, name, label, basis, rule_label, variant, unit, days, start_date, "
                "started_at, due_date, due_at, state, pauses, extensions, next_escalation_at, next_step_key, version) "
                "VALUES (:p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :p, :j, :j, :p, :p, :p)"),
                (case_id, "reply", "Thời hạn", "LTCD Điều 28", "10 ngày làm việc", "normal", "working_days", 10,
                 r.day(received.date()), r.ts(NOW), r.day(NOW.date() + timedelta(days=14)),
                 r.ts(NOW + timedelta(days=14)), "running", "[]", "[]", r.ts(NOW + timedelta(days=12)), "before_2", 1))
            if r.kind == "sqlite":
                cur.execute("COMMIT")
            else:
                r.conn.commit()

        orm_add = make_orm_add(db, world, defn)

        rates = interleaved({"service": service, "orm": orm_add, "raw": baseline}, cfg.intake_n, cfg.repeats,
                            warmup=10)
        raw.close()
        trips, orm_trips = statements_per_call(db.engine, service)[0], statements_per_call(db.engine, orm_add)[0]
        rates["trips"], rates["orm_trips"] = trips, orm_trips
        pct_figure(results, name="intake", db=kind, metric="register_case vs ORM add + commit",
                   value=rates["service"], baseline=rates["orm"], baseline_name="ORM add", target=0.70)
        pct_figure(results, name="intake.raw", db=kind, metric="register_case vs raw inserts (no target)",
                   value=rates["service"], baseline=rates["raw"], baseline_name="raw inserts", target=None)
        trips_figure(results, name="intake.trips", db=kind, metric="statements per register_case (no BEGIN/COMMIT)",
                     value=trips, baseline=orm_trips, baseline_name="ORM add")
        return rates


def make_orm_add(db, world, defn, tag: str = "ORM"):
    """The issue's baseline of an intake: ORM ``add`` of the five objects a registration writes, then commit;
    ``tag`` keeps the tracking codes of concurrent processes apart (bench/bpmn.py runs several)."""
    received = NOW - timedelta(hours=1)
    orm_counter = iter(range(10**9))

    def orm_add(i: int) -> None:
        from dvflow.models import Case, CaseEvent, CaseParty, Clock, Party

        n = next(orm_counter)
        with db.sessions() as s:
            case = Case(tracking_code=f"{tag}-{n:09d}", tracking_secret_hash=hash_secret(new_tracking_secret()),
                        kind="petition",
                        workflow_id="petition", workflow_version=defn.version, state="received", status="open",
                        unit_id=world.unit_id, assignee_id=world.handler_id, channel="walk_in",
                        received_at=received, subject=f"Kiến nghị {n}", subject_search=f"kien nghi {n}",
                        content="Nội dung", facts={"party_roles": ["petitioner"]}, created_at=NOW,
                        last_legal_date=received.date())
            party = Party(kind="person", name=f"Nguyễn Văn {n}", name_search=f"nguyen van {n}",
                          identity_number=f"0020{n:08d}", address="Thôn 2", phone="0912345678")
            s.add_all([case, party])
            s.flush()  # the ids the links need, as in any ORM registration
            s.add_all([
                CaseParty(case_id=case.id, party_id=party.id, role="petitioner"),
                CaseEvent(case_id=case.id, actor_id=world.handler_id, at=NOW, legal_date=received.date(),
                          action="register", from_state=None, to_state="received",
                          payload={"channel": "walk_in", "parties": 1}, seq=1,
                          hash=link(GENESIS, dict(case_id=case.id, seq=1, actor_id=world.handler_id, at=NOW,
                                                  legal_date=received.date(), action="register",
                                                  from_state=None, to_state="received",
                                                  payload={"channel": "walk_in", "parties": 1}))),
                Clock(case_id=case.id, name="reply", label="Thời hạn", basis="LTCD Điều 28",
                      rule_label="10 ngày làm việc", variant="normal", unit="working_days", days=10,
                      start_date=received.date(), started_at=NOW, due_date=NOW.date() + timedelta(days=14),
                      due_at=NOW + timedelta(days=14), state="running", pauses=[], extensions=[],
                      next_escalation_at=NOW + timedelta(days=12), next_step_key="before_2")])
            s.commit()

    return orm_add
