"""`investwatch deploy`: the pipeline as a Prefect deployment on a work pool, run by `prefect worker`s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = "flows/pipeline.py:pipeline"


def deployment_parameters(sources: Path, alerts: Path, data_dir: Path) -> dict[str, Any]:
    """The flow's parameters: absolute paths only; no secret (workers read the database URL from their env).

    >>> deployment_parameters(Path("/s.yaml"), Path("/a.yaml"), Path("/d"))["data_dir"]
    '/d'
    """
    return {"sources_path": str(sources.resolve()), "alerts_path": str(alerts.resolve()),
            "data_dir": str(data_dir.resolve()), "kind": "run", "announce": True}


def deploy_pipeline(*, name: str, pool: str, cron: str, parameters: dict[str, Any], concurrency: int = 1) -> str:
    """Create or update the deployment; returns its id.

    The code is pulled from this checkout (a local source: no image, no registry), so every worker must
    see the same path with the same venv. ``concurrency`` flow runs at a time: a scheduled run that
    finds the slot taken waits for it (ENQUEUE); a slot held by a dead run is freed when its lease
    expires. The run lock still guards the data directory and the database on top of that.
    """
    from prefect import Flow
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.pipeline import pipeline

    source = pipeline.from_source(source=str(PROJECT_ROOT), entrypoint=ENTRYPOINT)
    if not isinstance(source, Flow):  # called from sync code, Prefect's async_dispatch returns the flow itself
        raise TypeError(f"unexpected {type(source).__name__} from Flow.from_source")
    deployment_id = source.deploy(
        name=name, work_pool_name=pool, cron=cron, parameters=parameters, build=False, push=False,
        concurrency_limit=ConcurrencyLimitConfig(limit=concurrency,
                                                 collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        print_next_steps=False)
    return str(deployment_id)
