"""`investwatch status` on real databases: one state per exit code (0 ok, 1 warning, 2 failing), text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from flows.cli import app
from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage import outbox, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert, Run
from tests.opsites import FAST_CRAWL, sources_yaml, write_site

STAGES = ("crawl", "extract", "parse", "alert", "export")


def _status(data: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    """(exit code, the --json report, the text report) of `investwatch status`."""
    runner = CliRunner()
    as_json = runner.invoke(app, ["status", "--data-dir", str(data), "--json", *args])
    text = runner.invoke(app, ["status", "--data-dir", str(data), *args])
    assert as_json.exit_code == text.exit_code, (as_json.output, text.output)
    assert as_json.exception is None or isinstance(as_json.exception, SystemExit), as_json.exception
    return as_json.exit_code, json.loads(as_json.stdout), text.output


def test_after_a_real_pipeline_run_status_is_ok_with_every_stage(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, 3)
    data = tmp_path / "data"
    with serve_site(site) as srv:
        result = pipeline_body(str(sources_yaml(tmp_path / "sources.yaml", srv.base_url)), None, str(data), "run",
                               "2023-06-01", FAST_CRAWL)
    assert result["new_articles"] == 3, result
    code, report, text = _status(data)
    assert code == 0 and report["status"] == "ok" and report["problems"] == [], report
    for name in STAGES:
        stage = report["stages"][name]
        assert stage["run_id"] == result["run_id"] and stage["outcome"] == "ok", (name, stage)
        assert stage["started_at"] <= stage["finished_at"]
    assert report["stages"]["crawl"]["counts"]["pages_fetched"] == result["pages_fetched"]
    assert report["stages"]["extract"]["counts"]["new_articles"] == 3
    assert report["stages"]["alert"]["counts"]["alerts_sent"] == result["alerts_sent"]
    assert report["runs"]["last_ok"]["id"] == result["run_id"] and report["runs"]["running"] == []
    assert "status: ok (exit 0)" in text and "crawl" in text


# --- states built on a real database (SQLite and PostgreSQL) --------------------------------------------


@pytest.fixture
def data_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    """A migrated database the CLI reads through INVESTWATCH_DATABASE_URL, with one healthy run in it."""
    monkeypatch.setenv("INVESTWATCH_DATABASE_URL", db_url)
    engine = make_engine(db_url)
    upgrade(engine)
    factory = session_factory(engine)
    _finished_run(factory, "ok")
    with transaction(factory) as s:
        src = repo.ensure_source(s, "gov", "http://gov.example/", "list")
        repo.record_source_health(s, 1, {src: {"links_found": 5, "pages": 5, "new_articles": 1}})
    yield factory
    engine.dispose()


def _finished_run(factory: sessionmaker[Session], status: str, *, ago: timedelta = timedelta(minutes=5),
                  failed_stage: str | None = None) -> int:
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run", pid=1, host="elsewhere")
        stages = {n: {"started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T00:01:00+00:00",
                      "outcome": "ok"} for n in STAGES}
        if failed_stage:
            stages[failed_stage] = {**stages[failed_stage], "outcome": "failed", "error": "OSError: disk full"}
        repo.finish_run(s, run_id, status, {"pages_fetched": 5, "stages": stages},
                        "OSError: disk full" if status != "ok" else None)
        when = repo.now_utc() - ago
        s.execute(update(Run).where(Run.id == run_id).values(started_at=when - timedelta(minutes=1),
                                                             finished_at=when))
    return run_id


def _alert(factory: sessionmaker[Session], key: str, **values: Any) -> int:
    with transaction(factory) as s:
        repo.enqueue_alerts(s, [repo.OutboxItem(key=key, channel="team", rule="big", project_id=None, urgent=False,
                                                title=f"【新项目】{key}", body="b")])
        alert_id = s.scalar(select(Alert.id).where(Alert.key == key))
        if values:
            s.execute(update(Alert).where(Alert.id == alert_id).values(**values))
    return int(alert_id)


def _unconfirmed(factory: sessionmaker[Session]) -> None:
    aid = _alert(factory, "k-unconfirmed", status="sending")
    with transaction(factory) as s:
        outbox.mark_unconfirmed(s, aid, "read timeout", repo.now_utc(), timedelta(minutes=10))


def _flagged_source(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        src = repo.ensure_source(s, "silent-site", "http://silent.example/", "list")
        for _ in range(3):
            run_id = repo.start_run(s, "run")
            repo.record_source_health(s, run_id, {src: {}})
            repo.finish_run(s, run_id, "ok", {})


def _last_run_failures(factory: sessionmaker[Session]) -> None:
    run_id = _finished_run(factory, "ok", ago=timedelta(minutes=1))
    with transaction(factory) as s:
        repo.record_failure(s, "fetch", "HTTP 404: error", run_id=run_id, url="http://gov.example/gone.html")


def _stuck_claim(factory: sessionmaker[Session]) -> None:
    crashed = _finished_run(factory, "ok", ago=timedelta(minutes=1))  # finished: no longer running
    _alert(factory, "k-stuck", status="inflight", claimed_by_run=crashed)


def _overdue(factory: sessionmaker[Session]) -> None:
    _alert(factory, "k-overdue", attempts=1, next_attempt_at=repo.now_utc() - timedelta(hours=2))


WARNINGS: dict[str, tuple[Callable[[sessionmaker[Session]], None], str]] = {
    "unconfirmed": (_unconfirmed, "unconfirmed"),
    "flagged source": (_flagged_source, "silent-site"),
    "failures in the last run": (_last_run_failures, "recorded 1 failures"),
    "claim of a dead run": (_stuck_claim, "claimed by a dead run"),
    "pending past its due time": (_overdue, "past their due time"),
}


@pytest.mark.parametrize("state", list(WARNINGS))
def test_each_warning_state_exits_1(state: str, data_db: sessionmaker[Session], tmp_path: Path) -> None:
    code, report, _ = _status(tmp_path / "data")
    assert code == 0, report  # the healthy baseline
    make, words = WARNINGS[state]
    make(data_db)
    code, report, text = _status(tmp_path / "data")
    assert code == 1 and report["status"] == "warning", report
    assert [p["level"] for p in report["problems"]] == ["warning"], report["problems"]
    assert words in report["problems"][0]["message"] and words in text


def _crashed(factory: sessionmaker[Session]) -> None:
    _finished_run(factory, "crashed", ago=timedelta(minutes=1), failed_stage="parse")


def _given_up(factory: sessionmaker[Session]) -> None:
    _alert(factory, "k-failed", status="failed", attempts=20, last_error="HTTP 500")


def _too_old(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        s.execute(update(Run).values(finished_at=repo.now_utc() - timedelta(hours=30)))


def _dead_heartbeat(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as s:
        run_id = repo.start_run(s, "run", pid=1, host="elsewhere")
        s.execute(update(Run).where(Run.id == run_id).values(heartbeat_at=repo.now_utc() - timedelta(minutes=10),
                                                             stage="crawl"))


def _only_a_reparse_since(factory: sessionmaker[Session]) -> None:
    _too_old(factory)
    with transaction(factory) as s:  # a re-parse crawls nothing: it does not make the data fresh
        repo.finish_run(s, repo.start_run(s, "reparse"), "ok", {})


FAILING: dict[str, tuple[Callable[[sessionmaker[Session]], None], str]] = {
    "last run crashed": (_crashed, "crashed"),
    "alerts given up": (_given_up, "given up"),
    "no successful run within 24 h": (_too_old, "no successful run within 24 h"),
    "only a re-parse within 24 h": (_only_a_reparse_since, "no successful run within 24 h"),
    "running row with a dead heartbeat": (_dead_heartbeat, "heartbeat is"),
}


@pytest.mark.parametrize("state", list(FAILING))
def test_each_failing_state_exits_2(state: str, data_db: sessionmaker[Session], tmp_path: Path) -> None:
    make, words = FAILING[state]
    make(data_db)
    code, report, text = _status(tmp_path / "data")
    assert code == 2 and report["status"] == "failing", report
    assert any(p["level"] == "failing" and words in p["message"] for p in report["problems"]), report["problems"]
    assert "status: failing (exit 2)" in text


def test_the_crashed_stage_and_failures_by_cause_are_reported(data_db: sessionmaker[Session], tmp_path: Path) -> None:
    run_id = _finished_run(data_db, "failed", ago=timedelta(minutes=1), failed_stage="export")
    with transaction(data_db) as s:
        for n in range(3):
            repo.record_failure(s, "fetch", "HTTP 0: DNSLookupError: DNS lookup failed: no results for x.cn",
                                run_id=run_id, url=f"http://x.cn/{n}")
        repo.record_failure(s, "fetch", "HTTP 404: error", run_id=run_id, url="http://x.cn/gone")
    code, report, text = _status(tmp_path / "data")
    assert code == 2
    assert report["stages"]["export"]["outcome"] == "failed" and report["stages"]["export"]["run_id"] == run_id
    assert "disk full" in report["stages"]["export"]["error"]
    causes = [(c["stage"], c["cause"], c["count"]) for c in report["failures"]["by_cause"]]
    assert causes == [("fetch", "DNS lookup failed", 3), ("fetch", "HTTP 404", 1)]
    assert report["failures"]["last_run"] == 4 and "DNS lookup failed" in text


def test_a_missing_database_is_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVESTWATCH_DATABASE_URL", raising=False)
    code, report, _ = _status(tmp_path / "nowhere")
    assert code == 2 and report["problems"][0]["check"] == "database"
    assert not (tmp_path / "nowhere" / "investwatch.db").exists()  # status created nothing


def test_scraped_text_prints_as_written_without_markup_or_escapes(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INVESTWATCH_DATABASE_URL", raising=False)
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    _finished_run(factory, "ok")
    _alert(factory, "[/red]k\x1b[31m", status="failed", attempts=20, title="[bold]标题[/red]\x1b[2J")
    with transaction(factory) as s:
        repo.ensure_source(s, "[/red]坏\x07源", "http://x/", "list")
    engine.dispose()
    code, report, text = _status(data)
    assert code == 2
    assert "[bold]标题[/red]" in text and "\x1b" not in text and "\x07" not in text
    assert any(a["title"] == "[bold]标题[/red]" for a in report["alerts"]["stuck"])


@pytest.mark.parametrize("name", ["flows.status", "storage.runs"])
def test_doctests(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
