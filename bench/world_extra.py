"""The parts of the benchmark province beyond the cases: the named users of the other roles and the reception
sessions and visits of the last six months (the reception book pages read them)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

#: username -> [(unit code, role)]: the province-wide supervisor, a reception officer, the administrator
OTHERS = {"giamsat": [("TINH", "supervisor")], "tiepdan": [("BTCD", "reception"), ("SNNMT", "reception")],
          "quantri": [("TINH", "admin")]}
CONTENT_TYPES = ("complaint", "denunciation", "petition", "feedback")
OUTCOMES = ("answered", "guided", "answered")
MONTHS = 6


def named_users(session, accounts, units: dict, password: str, now: datetime) -> dict[str, int]:
    out = {}
    for username, roles in OTHERS.items():
        user = accounts.create_user(session, username, password, now=now, full_name=f"Người dùng {username}",
                                    email=f"{username}@bench.local")
        for code, role in roles:
            accounts.grant_role(session, user, units[code], role)
        out[username] = user.id
    return out


def load_reception(cur, org, pools, end: datetime, rnd) -> int:
    """A regular session every Thursday of the last months in each unit, held, with its visits (about 30% as many
    a month as the unit's cases, so the reception book of a month of the big department at 1M has ~1,000 rows)."""
    first = end.date() - timedelta(days=30 * MONTHS)
    thursdays = [first + timedelta(days=d) for d in range((end.date() - first).days) if
                 (first + timedelta(days=d)).weekday() == 3]
    n_cases = cur.execute("SELECT count(*) FROM cases").fetchone()[0]
    sessions, visits, sid, vid, seqs = [], [], 0, 0, {}
    for unit_id, code, _level, share in org.units:
        per_session = max(1, round(n_cases / 120 * 0.3 * share * 12 / 52))
        staff = org.staff[unit_id]
        for day in thursdays:
            sid += 1
            at = datetime.combine(day, time(1, 0), timezone.utc)
            sessions.append((sid, unit_id, "regular", "in_person", day, time(8, 0), time(11, 30),
                             f"Phòng tiếp công dân ({code})", "held", 0, 20, staff.reception, at, at + timedelta(hours=4)))
            for _ in range(rnd.randint(per_session // 2, per_session * 3 // 2 + 1)):
                vid += 1
                seqs[(unit_id, day.year)] = seq = seqs.get((unit_id, day.year), 0) + 1
                name, _key = rnd.choice(pools.people)
                ident, ihash = rnd.choice(pools.identities)
                content = rnd.choice(CONTENT_TYPES)
                visits.append((vid, sid, unit_id, day.year, seq, day, at, name, pools.address, ident, ihash,
                               f"Công dân trình bày về việc số {rnd.randint(1, 999)}", content, 1,
                               rnd.random() < 0.6, rnd.choice(OUTCOMES), content == "denunciation", staff.reception))
    with cur.copy("COPY reception_sessions (id, unit_id, kind, mode, day, start_time, end_time, place, status, "
                  "booking_capacity, slot_minutes, created_by_id, created_at, closed_at) FROM STDIN") as copy:
        for row in sessions:
            copy.write_row(row)
    with cur.copy("COPY reception_visits (id, session_id, unit_id, year, seq, received_on, created_at, citizen_name, "
                  "address, identity_number, identity_hash, summary, content_type, people_count, within_competence, "
                  "outcome, confidential, created_by_id) FROM STDIN") as copy:
        for row in visits:
            copy.write_row(row)
    return len(visits)


