"""The Prefect 3 `pipeline` flow: crawl -> extract/dedupe -> parse/resolve -> alert -> export, once."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from flows.settings import Settings


def configure_prefect(data_dir: Path) -> None:
    """Point Prefect at a home inside the data dir and keep it offline; call before importing prefect."""
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # telemetry errors offline
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def _tasks() -> Any:
    """Build the Prefect tasks lazily so importing this module does not start Prefect."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    from flows import stages

    # retries only on I/O tasks; no caching (inputs hold sessions and the stages are idempotent anyway)
    return {
        "crawl": task(stages.crawl_stage, name="crawl", retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE),
        "extract": task(stages.extract_stage, name="extract-dedupe", cache_policy=NO_CACHE),
        "parse": task(stages.parse_stage, name="parse-resolve", cache_policy=NO_CACHE),
        "alert": task(stages.alert_stage, name="alert", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE),
        "export": task(stages.export_stage, name="export", cache_policy=NO_CACHE),
    }


def run_pipeline(sources_path: str, alerts_path: str | None, data_dir: str, kind: str = "run",
                 today: str | None = None, crawl_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the `pipeline` flow once and return its stats (the flow itself is built on first call)."""
    configure_prefect(Path(data_dir))
    from prefect import flow

    @flow(name="pipeline", log_prints=False, validate_parameters=False)
    def pipeline(sources_path: str, alerts_path: str | None, data_dir: str, kind: str = "run",
                 today: str | None = None, crawl_overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        return pipeline_body(sources_path, alerts_path, data_dir, kind, today, crawl_overrides, tasks=_tasks())

    result: dict[str, Any] = pipeline(sources_path, alerts_path, data_dir, kind, today, crawl_overrides)
    return result


def pipeline_body(sources_path: str, alerts_path: str | None, data_dir: str, kind: str, today: str | None,
                  crawl_overrides: dict[str, Any] | None, tasks: dict[str, Any] | None = None) -> dict[str, Any]:
    """The flow's steps; with tasks=None the stages run as plain functions (same behaviour, no Prefect)."""
    from alerts.config import load_alerts_config
    from flows import stages
    from spiders.config import load_sources
    from storage import repo
    from storage.db import make_engine, session_factory, transaction, upgrade

    t = tasks or {
        "crawl": stages.crawl_stage, "extract": stages.extract_stage, "parse": stages.parse_stage,
        "alert": stages.alert_stage, "export": stages.export_stage,
    }
    settings = Settings(data_dir=Path(data_dir))
    out = Path(data_dir)
    out.mkdir(parents=True, exist_ok=True)
    # configs first: a bad file fails the run at start, naming the key
    sources = load_sources(Path(sources_path))
    alerts_config = load_alerts_config(Path(alerts_path) if alerts_path else None, os.environ)
    engine = make_engine(settings.db_url())
    try:
        upgrade(engine)
        factory = session_factory(engine)
        with transaction(factory) as session:
            run_id = repo.start_run(session, kind)
        stats = stages.RunStats()
        status, error = "ok", None
        try:
            crawl_settings = {"DOWNLOAD_TIMEOUT": settings.download_timeout_s, **(crawl_overrides or {})}
            t["crawl"](factory, sources, out / "crawl", run_id, stats, crawl_settings=crawl_settings,
                       timeout_s=settings.crawl_timeout_s)
            t["extract"](factory, run_id, stats)
            t["parse"](factory, sources, run_id, stats)
            t["alert"](factory, alerts_config, out, date.fromisoformat(today) if today else date.today(), run_id,
                       stats, max_attempts=settings.alert_max_attempts)
            t["export"](factory, out / "dataset")
        except Exception as exc:
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            with transaction(factory) as session:
                repo.finish_run(session, run_id, status, stats.as_dict(), error)
        return {"run_id": run_id, **stats.as_dict()}
    finally:
        engine.dispose()
