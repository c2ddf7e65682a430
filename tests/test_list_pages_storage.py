"""The frontier's failed list pages and the health they feed, on SQLite and PostgreSQL: due with back-off,
given up after N, cleared when they work; a source whose every request failed is named with its causes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage import listpages, repo
from storage.db import transaction

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_failed_list_page_is_due_next_run_backs_off_and_is_given_up(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        sid = repo.ensure_source(s, "nc", "http://x.cn/news/index.html")
        other = repo.ensure_source(s, "other", "http://y.cn/")
    page2 = "http://x.cn/api/articles?page=2"
    with transaction(factory) as s:
        row = listpages.record_failure(s, sid, page2, 3, "HTTP 503", T0, run_id=None, max_attempts=3, retry_base_s=600)
        assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, T0)
    with transaction(factory) as s:
        assert [(p.source, p.url, p.page_no, p.attempts) for p in listpages.due(s, [sid], T0)] == [("nc", page2, 3, 1)]
        assert listpages.due(s, [other], T0) == []  # scoped to the sources crawled
        row = listpages.record_failure(s, sid, page2, 3, "timed out", T0, run_id=None, max_attempts=3, retry_base_s=600)
        assert (row.attempts, row.last_error) == (2, "timed out")
    with transaction(factory) as s:
        assert listpages.due(s, [sid], T0 + timedelta(seconds=599)) == []  # backing off
        assert len(listpages.due(s, [sid], T0 + timedelta(seconds=600))) == 1
        row = listpages.record_failure(s, sid, page2, 3, "HTTP 503", T0 + timedelta(hours=1), run_id=None,
                                       max_attempts=3, retry_base_s=600)
        assert (row.status, row.attempts, row.next_attempt_at) == ("given_up", 3, None)
        # the entry page is fetched every run anyway: counted, never given up
        for _ in range(4):
            entry = listpages.record_failure(s, sid, "http://x.cn/news/index.html", 1, "HTTP 503", T0, run_id=None,
                                             max_attempts=3)
        assert (entry.status, entry.attempts) == ("pending", 4)
    with transaction(factory) as s:
        assert [p.url for p in listpages.due(s, [sid], T0 + timedelta(days=9))] == ["http://x.cn/news/index.html"]
        assert [(r.url, r.attempts) for r in listpages.failing(s, sid)] == [
            ("http://x.cn/news/index.html", 4), (page2, 3)]
        assert listpages.record_ok(s, sid, [page2, page2, "http://x.cn/unrelated"]) == 1
    with transaction(factory) as s:
        assert [r.url for r in listpages.failing(s, sid)] == ["http://x.cn/news/index.html"]


def test_source_health_names_the_cause(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        dead = repo.ensure_source(s, "dead", "http://127.0.0.1:9/")
        flaky = repo.ensure_source(s, "flaky", "http://x.cn/news/")
        fine = repo.ensure_source(s, "fine", "http://y.cn/news/")
        runs = [repo.start_run(s, "run") for _ in range(2)]
    for run in runs:
        with transaction(factory) as s:
            repo.record_source_health(
                s, run,
                {dead: {"errors": 12}, flaky: {"links_found": 5, "pages": 5, "listings_ok": 1, "listings_failed": 1,
                                               "errors": 1}, fine: {"links_found": 3, "pages": 3, "listings_ok": 2}},
                causes={dead: {"connection refused": 12}, flaky: {"HTTP 503": 1}})
            listpages.record_failure(s, flaky, "http://x.cn/news/index_2.html", 2, "HTTP 503", T0, run_id=run)
    with factory() as s:
        health = {h.source: h for h in repo.source_health(s)}
    assert health["dead"].problem == "every request failed for 2 runs: 12 × connection refused"
    assert health["flaky"].problem == "list page failing for 2 runs: HTTP 503 (http://x.cn/news/index_2.html)"
    assert (health["flaky"].unreachable_runs, health["fine"].problem) == (0, None)
