"""The Prefect 3 `pipeline` flow: crawl -> extract/dedupe -> parse/resolve -> alert -> export, once.

Import after `flows.prefect_env.configure_prefect` (the CLI and the demo do), so Prefect uses the data dir.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import logjson, stages
from flows.heartbeat import Heartbeat, heartbeat
from flows.progress import log as progress
from flows.progress import source_lines, summary_line
from flows.runlock import run_lock
from flows.settings import Settings
from spiders.procs import clean_dead_crawl_dirs, host_name, pid_alive

# Thin task wrappers over the plain stage functions; retries only on the I/O tasks; no caching (the
# inputs hold sessions, and every stage is idempotent anyway).
crawl_task = task(name="crawl", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)(stages.crawl_stage)
extract_task = task(name="extract-dedupe", cache_policy=NO_CACHE)(stages.extract_stage)
parse_task = task(name="parse-resolve", cache_policy=NO_CACHE)(stages.parse_stage)
alert_task = task(name="alert", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)(stages.alert_stage)
export_task = task(name="export", cache_policy=NO_CACHE)(stages.export_stage)

PREFECT_TASKS: dict[str, Any] = {"crawl": crawl_task, "extract": extract_task, "parse": parse_task,
                                 "alert": alert_task, "export": export_task}
PLAIN_STAGES: dict[str, Any] = {"crawl": stages.crawl_stage, "extract": stages.extract_stage,
                                "parse": stages.parse_stage, "alert": stages.alert_stage,
                                "export": stages.export_stage}


@flow(name="pipeline", log_prints=False, validate_parameters=False)
def pipeline(sources_path: str, alerts_path: str | None, data_dir: str, kind: str = "run",
             today: str | None = None, crawl_overrides: dict[str, Any] | None = None,
             announce: bool = False) -> dict[str, Any]:
    """One pass over every source. Parameters hold no secrets (the database URL comes from the environment).

    ``announce`` (set by `investwatch serve`) prints one summary line per run, so a served schedule's
    output shows what each run did.
    """
    result = pipeline_body(sources_path, alerts_path, data_dir, kind, today, crawl_overrides, PREFECT_TASKS)
    if announce:
        print(summary_line(result), flush=True)
    return result


def run_pipeline(sources_path: str, alerts_path: str | None, data_dir: str, kind: str = "run",
                 today: str | None = None, crawl_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = pipeline(sources_path, alerts_path, data_dir, kind, today, crawl_overrides)
    return result


def pipeline_body(sources_path: str, alerts_path: str | None, data_dir: str, kind: str, today: str | None,
                  crawl_overrides: dict[str, Any] | None, tasks: dict[str, Any] | None = None) -> dict[str, Any]:
    """The flow's steps; with the plain stages instead of tasks they run the same without Prefect."""
    from alerts.config import load_alerts_config
    from spiders.config import load_sources
    from storage.db import make_engine, session_factory, upgrade

    t = tasks or PLAIN_STAGES
    settings = Settings(data_dir=Path(data_dir))
    out = Path(data_dir)
    out.mkdir(parents=True, exist_ok=True)
    # configs first: a bad file fails the run at start, naming the key
    sources = load_sources(Path(sources_path))
    alerts_config = load_alerts_config(Path(alerts_path) if alerts_path else None, os.environ)
    with run_lock(out, settings.db_url(), settings.run_lock_wait_s) as lock:
        engine = make_engine(settings.db_url())
        try:
            upgrade(engine)
            factory = session_factory(engine)
            run_id = begin_run(factory, kind, exclusive_db=lock.exclusive_db,
                               resend_delay_s=settings.alert_resend_delay_s,
                               stale_after_s=settings.heartbeat_stale_s)
            # every log line of the run names it (--log-json)
            with heartbeat(factory, run_id, settings.heartbeat_interval_s) as hb, logjson.log_context(run_id=run_id):
                return _run_stages(t, factory, settings, sources, alerts_config, out, run_id, today, crawl_overrides,
                                   hb)
        finally:
            engine.dispose()


def begin_run(factory: Any, kind: str, *, exclusive_db: bool, resend_delay_s: float = 600.0,
              stale_after_s: float = 120.0) -> int:
    """Start a run row, after clearing what dead runs left: their rows, alert claims and temp folders.

    A `running` row is dead when its pid is gone from this host, or when its heartbeat is older than
    ``stale_after_s`` (whatever its pid: it may live on another host, or have been reused).
    """
    from storage import outbox, repo
    from storage.db import transaction

    with transaction(factory) as session:
        repo.mark_crashed_runs(session, exclusive=exclusive_db, host=host_name(), alive=pid_alive,
                               stale_after=timedelta(seconds=stale_after_s))
        outbox.release_dead_claims(session, repo.now_utc(), timedelta(seconds=resend_delay_s))
        run_id = repo.start_run(session, kind, pid=os.getpid(), host=host_name())
    clean_dead_crawl_dirs()
    return run_id


def _run_stages(t: dict[str, Any], factory: Any, settings: Settings, sources: Any, alerts_config: Any, out: Path,
                run_id: int, today: str | None, crawl_overrides: dict[str, Any] | None,
                hb: Heartbeat | None = None) -> dict[str, Any]:
    from storage import repo
    from storage.db import transaction

    stats = stages.RunStats()
    status, error = "ok", None

    def stage(name: str, call: Callable[[], Any]) -> None:
        """Run one stage, recording when it started and ended and how (the run row's stats.stages)."""
        record: dict[str, Any] = {"started_at": _iso_now(), "outcome": "running"}
        stats.stages[name] = record
        if hb is not None:
            hb.beat(stage=name, stats=stats.as_dict())
        with logjson.log_context(stage=name):
            logjson.events.info("stage %s started", name)
            try:
                call()
            except Exception as exc:
                record.update(outcome="failed", finished_at=_iso_now(), error=f"{type(exc).__name__}: {exc}"[:500])
                logjson.events.error("stage %s failed: %s", name, record["error"])
                raise
            record.update(outcome="ok", finished_at=_iso_now())
            logjson.events.info("stage %s finished", name)

    try:
        crawl_settings: dict[str, Any] = {"DOWNLOAD_TIMEOUT": settings.download_timeout_s,
                                          "INVESTWATCH_MAX_REQUESTS_PER_SOURCE": settings.max_requests_per_source,
                                          "INVESTWATCH_SITEMAP_MAX_DEPTH": settings.sitemap_max_depth,
                                          "INVESTWATCH_SITEMAP_MAX_FILES": settings.sitemap_max_files,
                                          **(crawl_overrides or {})}
        if settings.redis_url is not None:
            crawl_settings["REDIS_URL"] = settings.redis_url.get_secret_value()
        progress.info("crawl: %d sources", sum(1 for s in sources if s.enabled))
        stage("crawl", lambda: t["crawl"](factory, sources, out / "crawl", run_id, stats, crawl_settings=crawl_settings,
                                          timeout_s=settings.crawl_timeout_s,
                                          list_max_attempts=settings.list_max_attempts,
                                          list_retry_base_s=settings.list_retry_base_s))
        progress.info("crawl done: %d pages, %d fetch errors", stats.pages_fetched, stats.fetch_errors)
        for line in source_lines(stats.per_source):
            progress.info("%s", line)
        progress.info("extract + dedupe")
        stage("extract", lambda: t["extract"](factory, run_id, stats))
        progress.info("parse: %d new articles, %d duplicates", stats.new_articles, stats.duplicate_articles)
        stage("parse", lambda: t["parse"](factory, run_id, stats, max_chars=settings.parse_max_chars,
                                          budget_s=settings.parse_budget_s, batch_size=settings.parse_batch_size,
                                          max_candidates=settings.resolve_max_candidates))
        progress.info("alerts: %d articles parsed, %d projects touched", stats.parsed_articles, len(stats.projects))
        day = date.fromisoformat(today) if today else date.today()
        # this run's counts are recorded before the rules run, so a source_health alert judges this run too
        stages.health_stage(factory, run_id, stats)
        stage("alert", lambda: t["alert"](factory, alerts_config, out, day, run_id, stats,
                                          max_attempts=settings.alert_max_attempts, timeout_s=settings.alert_timeout_s,
                                          resend_delay_s=settings.alert_resend_delay_s))
        progress.info("export: dataset, workbook and report")
        stage("export", lambda: t["export"](factory, out / "dataset", run_id, settings.snapshots_kept, day,
                                            workbook_max_rows=settings.workbook_max_rows,
                                            workbook_refresh_hours=settings.workbook_refresh_hours,
                                            workbook_every_run_below_rows=settings.workbook_every_run_below_rows))
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        with transaction(factory) as session:
            repo.finish_run(session, run_id, status, stats.as_dict(), error)
        logjson.events.info("run %s finished: %s", run_id, status)
    return {"run_id": run_id, **stats.as_dict()}


def _iso_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
