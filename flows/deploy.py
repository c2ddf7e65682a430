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
    import asyncio

    return asyncio.run(_deploy(name, pool, cron, parameters, concurrency))


async def _deploy(name: str, pool: str, cron: str, parameters: dict[str, Any], concurrency: int) -> str:
    # the a-variants: the sync ones are Prefect's async_dispatch wrappers, typed as "value or coroutine"
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    from flows.pipeline import pipeline

    source = await pipeline.afrom_source(source=str(PROJECT_ROOT), entrypoint=ENTRYPOINT)
    deployment = await source.ato_deployment(
        name=name, cron=cron, parameters=parameters,
        concurrency_limit=ConcurrencyLimitConfig(limit=concurrency,
                                                 collision_strategy=ConcurrencyLimitStrategy.ENQUEUE))
    # aapply(), not Flow.deploy(): Prefect 3.8.8's deploy() first lists the pool's online workers with a null
    # limit/offset, which the server (fastapi 0.154) rejects with a 422; aapply() registers the same deployment
    return str(await deployment.aapply(work_pool_name=pool))
