"""Prefect's environment for a local, offline run: call before the first `import prefect`."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

TELEMETRY_OFF = ("PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY",
                 "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS")
# where `prefect server start` listens by default; INVESTWATCH_PREFECT_LOCAL_API overrides it, "" turns the
# look-up off (the tests do, so a server another process left running never receives their runs)
LOCAL_API = "http://127.0.0.1:4200/api"
HEALTH_TIMEOUT_S = 0.5


def server_healthy(api_url: str, timeout_s: float = HEALTH_TIMEOUT_S) -> bool:
    """True when a Prefect API answers its health check (GET <api>/health -> 200 true) within ``timeout_s``."""
    if not api_url.startswith(("http://", "https://")):
        return False
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=timeout_s) as resp:  # noqa: S310 - http(s) checked above
            return bool(resp.status == 200 and resp.read(16).strip() == b"true")
    except (OSError, ValueError, urllib.error.URLError):
        return False


def choose_api(environ: dict[str, str] | os._Environ[str], healthy: object = server_healthy) -> str | None:
    """The Prefect API a run should use: PREFECT_API_URL when set, else a local server that is up, else None
    (Prefect then starts its temporary server for this process, 4-30 s on this machine).

    >>> choose_api({"PREFECT_API_URL": "http://h:4200/api"}, lambda url: False)
    'http://h:4200/api'
    >>> choose_api({}, lambda url: url == LOCAL_API), choose_api({}, lambda url: False)
    ('http://127.0.0.1:4200/api', None)
    >>> choose_api({"INVESTWATCH_PREFECT_LOCAL_API": ""}, lambda url: True) is None
    True
    """
    if environ.get("PREFECT_API_URL"):
        return environ["PREFECT_API_URL"]
    local = environ.get("INVESTWATCH_PREFECT_LOCAL_API", LOCAL_API)
    return local if local and healthy(local) else None  # type: ignore[operator]


def configure_prefect(data_dir: Path) -> None:
    """Point Prefect at a home inside the data dir and keep it quiet and offline.

    A Prefect server already running (PREFECT_API_URL, or one answering on 127.0.0.1:4200) is used as it
    is; otherwise Prefect starts a temporary local server for this process (no server to run).
    """
    home = (data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    api = choose_api(os.environ)
    if api is not None:
        os.environ["PREFECT_API_URL"] = api
    # telemetry and analytics off by default (offline they log "Failed to send telemetry" errors); set any of
    # these to true in the environment to turn them back on
    for name in TELEMETRY_OFF:
        os.environ.setdefault(name, "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # the temporary server needs 13-19 s on a new home when idle (DEPENDENCIES.md); Prefect's default 20 s
    # wait fails the whole run on a busy 2-core machine, so wait longer before giving up
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def needs_temporary_server(environ: dict[str, str] | os._Environ[str]) -> bool:
    """After `configure_prefect`: no Prefect API to use, and the temporary server is allowed (Prefect's own
    switch, PREFECT_SERVER_ALLOW_EPHEMERAL_MODE, default on).

    >>> needs_temporary_server({}), needs_temporary_server({"PREFECT_API_URL": "http://h:4200/api"})
    (True, False)
    >>> needs_temporary_server({"PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "false"})
    False
    """
    allowed = environ.get("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true").strip().lower() not in ("0", "false", "no")
    return allowed and not environ.get("PREFECT_API_URL")
