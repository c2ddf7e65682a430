"""Prefect's environment for a local, offline run: call before the first `import prefect`."""

from __future__ import annotations

import os
from pathlib import Path

TELEMETRY_OFF = ("PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY",
                 "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS")


def configure_prefect(data_dir: Path) -> None:
    """Point Prefect at a home inside the data dir and keep it quiet and offline.

    Without PREFECT_API_URL, Prefect starts a temporary local server per process (no server to run).
    """
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    # telemetry and analytics off by default (offline they log "Failed to send telemetry" errors); set any of
    # these to true in the environment to turn them back on
    for name in TELEMETRY_OFF:
        os.environ.setdefault(name, "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # the temporary server needs 13-19 s on a new home when idle (DEPENDENCIES.md); Prefect's default 20 s
    # wait fails the whole run on a busy 2-core machine, so wait longer before giving up
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
