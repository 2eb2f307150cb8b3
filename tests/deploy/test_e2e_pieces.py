"""The pure pieces of the end-to-end run (deploy/e2e): locust's figures, the seeded triggers, the nginx template, and
the escalation check's queries on both databases. The layout itself is run by ``python -m deploy.e2e``, not here.

(No ``__init__.py`` in this folder on purpose: as a package it would be imported as ``deploy`` and hide the real
``deploy`` package at the repository root.)
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from deadlines.helpers import STEP_AT, fixed_ladder

from deploy.e2e import checks, figures
from deploy.e2e.layout import LOAD_TEST_REAL_IP, ROOT, render_nginx, upstream_lines
from deploy.e2e.seed import trigger_times
from dvflow.scheduler.runner import run_sweep

HEADER = ("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
          "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
          "99.99%,100%")
STATS = "\n".join([
    HEADER,
    "GET,/ (home),120,0,41,55.2,12.1,380.5,20411.0,1.02,0.0,41,50,60,70,90,120,200,310,380,380,380",
    "POST,/tra-cuu (lookup),80,2,33,40.0,9.0,900.0,9000.0,0.68,0.017,33,40,45,50,70,90,400,800,900,900,900",
    "GET,/hop-thu,0,0,0,0.0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
    ",Aggregated,200,2,38,49.1,9.0,900.0,15846.6,1.70,0.017,38,46,55,62,80,110,300,750,900,900,900",
]) + "\n"


def test_locust_figures_come_from_the_aggregated_row_and_each_request():
    stats = figures.parse_stats(STATS)
    assert stats["total"] == {"requests": 200, "errors": 2, "rps": 1.70, "p50_ms": 38.0, "p99_ms": 750.0,
                              "max_ms": 900.0}
    assert stats["by_name"]["POST /tra-cuu (lookup)"]["errors"] == 2
    assert stats["by_name"]["GET / (home)"]["p99_ms"] == 310.0
    # a request never made has no percentiles (locust writes N/A), not zeros that would look fast
    assert stats["by_name"]["GET /hop-thu"]["p50_ms"] is None


def test_stats_without_the_aggregated_row_are_refused():
    with pytest.raises(ValueError):
        figures.parse_stats(STATS.rsplit(",Aggregated", 1)[0])


def test_failures_are_counted_per_request_and_error():
    text = ("Method,Name,Error,Occurrences,First Seen,Last Seen\n"
            "POST,/dang-nhap,CatchResponseError('login refused for giamsat'),4,1.0,2.0\n")
    assert figures.parse_failures(text) == [{"request": "POST /dang-nhap",
                                             "error": "CatchResponseError('login refused for giamsat')",
                                             "occurrences": 4}]


def test_triggers_spread_evenly_over_the_run_and_stay_inside_it():
    start = datetime(2026, 12, 6, 5, 0, tzinfo=timezone.utc)
    at = trigger_times(start, 120, 4)
    assert at == [start + timedelta(seconds=s) for s in (0, 30, 60, 90)]
    assert trigger_times(start, 120, 0) == []


def test_nginx_template_keeps_nginx_variables_and_lists_every_node():
    conf = render_nginx((ROOT / "deploy" / "nginx.conf.template").read_text(), {
        "nginx_workers": "1", "run_dir": "/tmp/x", "access_log": "off", "listen": "127.0.0.1:8443",
        "server_name": "127.0.0.1", "ssl_certificate": "/tmp/x/c.pem", "ssl_certificate_key": "/tmp/x/k.pem",
        "upstream_servers": upstream_lines([8001, 8002]), "real_ip": LOAD_TEST_REAL_IP})
    assert not re.search(r"\$\{\w+\}", conf)  # every ${name} of the template replaced
    assert "server 127.0.0.1:8001" in conf and "server 127.0.0.1:8002" in conf
    # the forwarded headers are nginx's own view of the client: exactly one hop for DVFLOW_TRUSTED_PROXIES=1
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf


def test_escalation_check_counts_each_step_and_finds_a_clock_left_due(session, world, mini_app):
    swept = [world.case_with_clock()[1] for _ in range(3)]
    session.commit()
    end = STEP_AT["due"]
    run_sweep(mini_app.extensions["dvflow.sessionmaker"], now=end, ladder=fixed_ladder())
    session.expire_all()
    seeded = [c.id for c in swept]

    found = checks.escalation_check(session.connection(), start=end - timedelta(days=30), end=end, seeded=seeded,
                                    steps_per_clock=2)  # before_2 and due were due by the end
    assert found["ok"], found
    assert (found["seeded_steps_fired"], found["seeded_steps_expected"]) == (6, 6)
    assert found["duplicate_count"] == 0 and found["clocks_left_due_count"] == 0

    assert not checks.escalation_check(session.connection(), start=end - timedelta(days=30), end=end, seeded=seeded,
                                       steps_per_clock=3)["ok"]  # a step missing from each clock

    left = world.case_with_clock()[1]  # due, and no sweep ran since
    session.commit()
    found = checks.escalation_check(session.connection(), start=end - timedelta(days=30), end=end, seeded=seeded,
                                    steps_per_clock=2)
    assert not found["ok"] and found["clocks_left_due"] == [left.id]


def test_seeded_clocks_count_only_when_their_trigger_came_before_the_end():
    start = datetime(2026, 12, 6, 5, 0, tzinfo=timezone.utc)
    triggers = trigger_times(start, 100, 4)
    assert checks.seeded_due_by([11, 12, 13, 14], triggers, start + timedelta(seconds=50)) == [11, 12, 13]


def test_steps_fired_are_summed_from_a_scheduler_log():
    log = ("2026-12-06 05:25:52,135 INFO dvflow.scheduler: history anchors: 75 day(s) signed\n"
           "2026-12-06 05:25:52,636 INFO dvflow.scheduler: Đã kích hoạt 11 bước nhắc việc/cảnh báo trên 4 thời hạn.\n"
           "2026-12-06 05:28:12,004 INFO dvflow.scheduler: Thư điện tử: đã gửi 0, sẽ thử lại 0, bỏ qua 318.\n"
           "2026-12-06 05:26:21,872 INFO dvflow.scheduler: Đã kích hoạt 369 bước nhắc việc trên 123 thời hạn.\n")
    assert figures.steps_fired_in_log(log) == 380
    assert figures.steps_fired_in_log("Bộ lập lịch đã dừng.\n") == 0


def test_cpu_used_is_the_difference_of_two_readings():
    assert figures.cpu_used({"web1": 10.0, "nginx": 1.0}, {"web1": 52.5, "nginx": 3.25, "locust": 7.0}) == {
        "web1": 42.5, "nginx": 2.2, "locust": 7.0}


def test_web_cpu_per_request_adds_every_node_and_nothing_else():
    from deploy.e2e.__main__ import web_cpu_ms_per_request

    cpu = {"web1": 30.0, "web2": 20.0, "scheduler1": 99.0, "locust": 99.0, "postgres backends": 99.0}
    assert web_cpu_ms_per_request(cpu, 2000) == 25.0
    assert web_cpu_ms_per_request(cpu, 0) is None


def test_spread_of_login_times_uses_nearest_ranks():
    assert figures.spread([300, 100, 200, 400]) == {"n": 4, "p50_ms": 200, "p99_ms": 400, "max_ms": 400}
    assert figures.spread(list(range(1, 201))) == {"n": 200, "p50_ms": 100, "p99_ms": 198, "max_ms": 200}
    assert figures.spread([])["p50_ms"] is None


def test_requests_per_node_and_downloads_served_by_the_other_node():
    log = "\n".join([
        "127.0.0.1:8001 200 GET /ho-so",
        "127.0.0.1:8001 302 POST /ho-so/7/tep",
        "127.0.0.1:8002 200 GET /ho-so/7/tep/3",  # the other node found the file
        "127.0.0.1:8002 302 POST /ho-so/9/tep",
        "127.0.0.1:8002 200 GET /ho-so/9/tep/4",
        "127.0.0.1:8001 200 GET /ho-so/5/tep/1",  # an upload before the log: not counted
        "- 400 GET /",  # answered by nginx itself
    ])
    assert figures.by_node(log) == {"requests_per_node": {"127.0.0.1:8001": 3, "127.0.0.1:8002": 3, "-": 1},
                                    "downloads": 2, "downloads_from_the_other_node": 1}
