"""The rows of one generated case (case, parties, history, clocks, notifications, documents, rating) as tuples in
the COPY column order of bench/world.py. One pass, no database: the loader streams them in chunks.

The history rows carry a real hash chain (services.audit.chain.link), so `verify` accepts generated cases.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from hashlib import sha256

from dvflow.services.audit.chain import GENESIS
from dvflow.timeutil import TZ

from .world_plan import CITIZEN_ROLE, OTHER_ROLE, KindPlan

#: the most rows of each table one case can have (its block of ids)
IDS_PER_CASE = {"party": 2, "case_party": 2, "event": 16, "clock": 16, "notification": 64, "document": 12,
                "rating": 1}
#: the decision-making actions the unit's head takes; the handler takes the others
HEAD_ACTIONS = frozenset({"accept", "approve", "return", "issue_decision", "conclude", "refuse", "terminate",
                          "suspend", "hand_over", "confirm", "cancel", "send_back"})
SUBJECTS = {  # subject templates per kind ({n}: a plot, a road, a number)
    "triage": ["Đơn đề nghị giải quyết tranh chấp đất đai thửa số {n}", "Đơn phản ánh ô nhiễm môi trường tại thôn {n}",
               "Đơn kiến nghị về chế độ chính sách người có công, hồ sơ số {n}"],
    "petition": ["Kiến nghị sửa chữa đường giao thông nông thôn tuyến số {n}", "Phản ánh tình trạng ngập úng khu dân cư số {n}",
                 "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất thửa số {n}"],
    "complaint_first": ["Khiếu nại quyết định thu hồi đất tại thửa số {n}", "Khiếu nại về bồi thường giải phóng mặt bằng dự án số {n}",
                        "Khiếu nại quyết định xử phạt vi phạm hành chính số {n}"],
    "complaint_second": ["Khiếu nại lần hai quyết định giải quyết khiếu nại số {n}"],
    "complaint_discipline": ["Khiếu nại quyết định kỷ luật cán bộ số {n}"],
    "denunciation": ["Tố cáo hành vi vi phạm trong quản lý đất đai tại thửa số {n}", "Tố cáo cán bộ nhận hối lộ, vụ số {n}"],
    "anonymous_tip": ["Tin báo về hành vi tham nhũng tại công trình số {n}"],
    "follow_up": ["Theo dõi thực hiện quyết định giải quyết khiếu nại số {n}"],
    "dialogue": ["Đối thoại với công dân về dự án số {n}"],
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý")
MIDDLES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Hoa",
         "Kiên", "Lộc")
ORGANISATIONS = ("Chi cục Quản lý đất đai", "Ủy ban nhân dân xã {n}", "Công ty TNHH Xây dựng {n}",
                 "Ban Quản lý dự án số {n}", "Văn phòng Đăng ký đất đai chi nhánh {n}", "Trường Trung học cơ sở {n}")


def local_date(at: datetime) -> date:
    return at.astimezone(TZ).date()


def end_of_day(d: date) -> datetime:
    return (datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=TZ)).astimezone(timezone.utc)


@dataclass
class Staff:
    """Who works in a unit: its head and its handlers (ids)."""
    head: int
    handlers: tuple[int, ...]
    reception: int


@dataclass
class Pools:
    """Ciphertexts encrypted once and reused, with the plaintext's search key (the app computes the same)."""
    people: list[tuple[str, str]]  # (ciphertext, name_search)
    orgs: list[tuple[str, str]]
    identities: list[tuple[str, str]]  # (ciphertext, identity_hash)
    address: str
    secret_hash: str
    docx: bytes
    docx_sha: str


@dataclass
class Out:
    """The rows of a chunk, per table."""
    cases: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    case_parties: list = field(default_factory=list)
    events: list = field(default_factory=list)
    clocks: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    ratings: list = field(default_factory=list)


class Generator:
    def __init__(self, plans: dict[str, KindPlan], staff: dict[int, Staff], pools: Pools, now: datetime, seed: int,
                 first_case: int = 1):
        self.plans, self.staff, self.pools, self.now = plans, staff, pools, now
        self.rnd = random.Random(seed)
        # ids of the rows of cases first_case, first_case + 1, …: each table gets a block per case, so chunks
        # generated in parallel never collide (the gaps are harmless; the sequences are set past the maximum)
        self.ids = {name: (first_case - 1) * per for name, per in IDS_PER_CASE.items()}
        self._paths = {k: ([p for p in pl.closed], [p.weight for p in pl.closed],
                           [p for p in pl.open], [p.weight for p in pl.open]) for k, pl in plans.items()}

    def _id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def case(self, out: Out, case_id: int, kind: str, unit_id: int, received: datetime, is_open: bool) -> None:
        rnd, plan = self.rnd, self.plans[kind]
        closed_p, closed_w, open_p, open_w = self._paths[kind]
        path = rnd.choices(open_p, open_w)[0] if is_open else rnd.choices(closed_p, closed_w)[0]
        staff = self.staff[unit_id]
        assignee = rnd.choice(staff.handlers)
        # unique by the case id (a register's numbers per prefix and year, with gaps); the loader sets the
        # counters past them
        code = f"{plan.prefix}-{local_date(received).year}-{case_id:06d}"
        n = rnd.randint(1, 999)
        template = rnd.choice(SUBJECTS[kind])
        subject = template.format(n=n)
        confidential = kind in ("denunciation", "anonymous_tip")
        roles = self._parties(out, case_id, kind, confidential)
        times = self._times(received, len(path.steps), is_open)
        facts: dict = {"party_roles": roles}
        events, chain = [], GENESIS
        chain = self._event(events, chain, case_id, 1, staff.reception, received + timedelta(minutes=10),
                            local_date(received), "register", None, plan.initial,
                            {"fields": {"channel": "letter"}, "clocks": [], "label": "Tiếp nhận hồ sơ"})
        chain = self._event(events, chain, case_id, 2, staff.head, received + timedelta(minutes=40), None, "assign",
                            plan.initial, plan.initial, {"from": None, "to": assignee, "name": "", "by_head": True})
        running = {c: received for c in plan.initial_clocks}
        clock_rows = []
        self._notify(out, case_id, code, (assignee,), "case_assigned", "Hồ sơ được giao xử lý",
                     received + timedelta(minutes=40), is_open)
        from dvflow.engine.workflow.facts import apply_facts

        for i, step in enumerate(path.steps):
            at = times[i]
            day = local_date(at)
            fields = {k: (rnd.choice(v) if isinstance(v, list) else v) for k, v in step.fields.items()}
            for f in step.date_fields:
                fields[f] = day.isoformat()
            facts = apply_facts(facts, step.fact_ops, fields, day)
            actor = staff.head if step.trigger in HEAD_ACTIONS else assignee
            chain = self._event(events, chain, case_id, i + 3, actor, at, day, step.trigger, step.source, step.dest,
                                {"fields": fields, "clocks": [], "basis": "", "label": step.label})
            for name in step.stops:
                if name in running:
                    clock_rows.append(self._clock(case_id, plan, name, running.pop(name), at))
            for name in step.starts:
                running[name] = at
            for to, template_key in step.notify:
                users = tuple({assignee if r == "assignee" else staff.head for r in to})
                self._notify(out, case_id, code, users, template_key, step.label, at, is_open)
            if step.document and not is_open and rnd.random() < 0.08:
                self._document(out, case_id, unit_id, step, at, actor)
        last = times[-1] if path.steps else received
        for name, started in running.items():
            clock_rows.append(self._clock(case_id, plan, name, started, None if is_open else last))
        overdue = any(r[15] == "missed" for r in clock_rows)
        if overdue:  # the sweep's ladder reached this case: one reminder in its history and the inbox
            at = min(self.now - timedelta(hours=1), last + timedelta(days=3))
            chain = self._event(events, chain, case_id, len(events) + 1, None, max(at, last), None, "escalate",
                                path.state, path.state, {"clock": clock_rows[-1][2], "step": "due"})
            self._notify(out, case_id, code, (assignee, staff.head), "clock_due", "Đến hạn giải quyết", max(at, last),
                         is_open)
        out.events.extend(events)
        out.clocks.extend(clock_rows)
        closed_at = None if is_open else last
        out.cases.append((case_id, code, self.pools.secret_hash, kind, kind, plan.version, path.state, path.status,
                          unit_id, assignee, False, False, False, None, confidential, "letter" if n % 3 else "walk_in",
                          received, subject, _SEARCH[template].format(n=n), subject + ". Nội dung đơn kèm theo.",
                          1 if overdue else 0, False, json.dumps(facts, ensure_ascii=False), 1,
                          received + timedelta(minutes=10), closed_at, local_date(last),
                          None if is_open else local_date(last)))  # ended on its last act's date (0043's CHECK)
        if not is_open and CITIZEN_ROLE[kind] and rnd.random() < 0.1:
            out.ratings.append((self._id("rating"), case_id, rnd.choices((1, 2, 3, 4, 5), (1, 1, 3, 6, 5))[0], "",
                                last + timedelta(days=rnd.randint(1, 20))))

    def _times(self, received: datetime, n: int, is_open: bool) -> list[datetime]:
        rnd, out, at = self.rnd, [], received + timedelta(hours=2)
        gaps = [timedelta(days=rnd.uniform(0.5, 9)) for _ in range(n)]
        if is_open:  # an open case's history ends before now
            room = self.now - timedelta(hours=1) - at
            total = sum(gaps, timedelta())
            if total > room:
                gaps = [g * (room / total) for g in gaps]
        for g in gaps:
            at = at + g
            out.append(at)
        return out

    def _event(self, events: list, previous: str, case_id: int, seq: int, actor: int | None, at: datetime,
               legal: date | None, action: str, src: str | None, dest: str | None, payload: dict) -> str:
        eid = self._id("event")
        body = _ENCODE(payload)
        digest = sha256(previous.encode("ascii") + b"\n" + _canonical(case_id, seq, actor, at, legal, action, src, dest,
                                                                     body)).hexdigest()
        events.append((eid, case_id, actor, at, legal, action, src, dest, body, seq, digest))
        return digest

    def _clock(self, case_id: int, plan: KindPlan, name: str, started: datetime, closed: datetime | None) -> tuple:
        label, basis, rule_label, unit, days, ladder, _c = plan.clocks[name]
        start = local_date(started)
        span = days * 7 // 5 if unit == "working_days" else days
        due = start + timedelta(days=span)
        rnd, nxt, key = self.rnd, None, None
        if closed is not None:
            state = "met" if closed <= end_of_day(due) or rnd.random() < 0.7 else "missed"
        elif end_of_day(due) < self.now and rnd.random() < 0.55:
            state = "missed"  # overdue and still open
        else:
            if end_of_day(due) < self.now:  # extended or recomputed: due ahead again
                due = local_date(self.now) + timedelta(days=rnd.randint(1, 30))
            state = "running"
            nxt = max(self.now + timedelta(hours=2), end_of_day(due) - timedelta(days=2))
            key = ladder[0] if ladder else None
        return (self._id("clock"), case_id, name, label, basis, rule_label, "normal", unit, days, start, started,
                due, end_of_day(due), "[]", "[]", state, nxt, key, 1, closed,
                local_date(closed) if closed is not None else None)  # stopped on the day of the step that closed it

    def _notify(self, out: Out, case_id: int, code: str, users, template: str, label: str, at: datetime,
                is_open: bool) -> None:
        subject = f"Hồ sơ {code}: {label}"
        body = f"{label}. Xem hồ sơ {code} trên hệ thống."
        for uid in users:
            read = None if (is_open and self.rnd.random() < 0.6) else at + timedelta(hours=self.rnd.randint(1, 72))
            out.notifications.append((self._id("notification"), uid, case_id, "inbox", template, subject, body, at,
                                      read, "skipped", 0, None, None))
            if self.rnd.random() < 0.6:  # e-mail copies: only the officers who asked for them
                out.notifications.append((self._id("notification"), uid, case_id, "email", template, subject, body,
                                          at, None, "sent", 1, None, at + timedelta(minutes=1)))

    def _parties(self, out: Out, case_id: int, kind: str, confidential: bool) -> list[str]:
        rnd, pools, roles = self.rnd, self.pools, []
        role = CITIZEN_ROLE[kind]
        if role:
            name, key = rnd.choice(pools.people)
            ident, ihash = rnd.choice(pools.identities) if rnd.random() < 0.6 else (None, None)
            hidden = confidential and role == "denouncer"  # never searchable (services.cases.party_search)
            self._party(out, case_id, "person", name, "" if hidden else key, ident, ihash, role)
            roles.append(role)
        other = OTHER_ROLE.get(kind)
        if other and rnd.random() < 0.7:
            name, key = rnd.choice(pools.orgs if rnd.random() < 0.6 else pools.people)
            self._party(out, case_id, "organisation", name, key, None, None, other)
            roles.append(other)
        return roles

    def _party(self, out: Out, case_id: int, kind: str, name: str, key: str, ident, ihash, role: str) -> None:
        pid = self._id("party")
        out.parties.append((pid, kind, name, key, ident, ihash, "cccd" if ident else None, self.pools.address))
        out.case_parties.append((self._id("case_party"), case_id, pid, role))

    def _document(self, out: Out, case_id: int, unit_id: int, step, at: datetime, actor: int) -> None:
        year = local_date(at).year
        doc_id = self._id("document")
        number = doc_id  # unique in its series (unit, type, year); the loader sets document_series past it
        symbol = "QĐ-" + str(unit_id)
        out.documents.append((doc_id, case_id, step.document, "issued", unit_id, number, symbol, year,
                              f"{number}/{symbol}", self.pools.docx, self.pools.docx_sha, step.trigger, "{}", actor,
                              at, actor, at))


def _search_templates() -> dict[str, str]:
    from dvflow.services.cases.search import search_key

    return {t: search_key(t) for ts in SUBJECTS.values() for t in ts}


_SEARCH = _search_templates()


def person_names() -> list[str]:
    return [f"{s} {m} {g}" for s in SURNAMES for m in MIDDLES for g in GIVEN]


def org_names() -> list[str]:
    return [t.format(n=i) if "{n}" in t else t for t in ORGANISATIONS for i in range(1, 41)]


#: the payload as the chain's canonical form writes it (sorted keys, compact, UTF-8); the same text is COPYed
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _q(text: str | None) -> str:
    return "null" if text is None else _ENCODE(text)


def _canonical(case_id: int, seq: int, actor: int | None, at: datetime, legal: date | None, action: str,
               src: str | None, dest: str | None, body: str) -> bytes:
    """services.audit.chain.canonical of a history row, written out directly (one JSON encoding per row instead of
    three: 5M rows); tests/bench/test_world.py checks it against the real one."""
    return (f'{{"action":{_q(action)},"actor_id":{"null" if actor is None else actor},'
            f'"at":"{at.astimezone(timezone.utc).isoformat(timespec="microseconds")}","case_id":{case_id},'
            f'"from_state":{_q(src)},"legal_date":{_q(legal.isoformat() if legal else None)},"payload":{body},'
            f'"seq":{seq},"to_state":{_q(dest)}}}').encode("utf-8")
