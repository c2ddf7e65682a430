"""`investwatch serve` on a real Prefect server: the cron schedule starts pipeline runs by itself."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from spiders.sitesrv import serve_site

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def _wait(check, timeout_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(2)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def _ok_runs(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as c:
            return int(c.execute("select count(*) from runs where status = 'ok'").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_cron_schedule_runs_the_pipeline(tmp_path: Path, shared: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INVESTWATCH_", "PREFECT_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-server"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host",
                               "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    serving = None
    try:
        _wait(lambda: _healthy(api), 120, "the Prefect server")
        with serve_site(shared / "web" / "portal") as site:
            sources = tmp_path / "sources.yaml"
            sources.write_text(f"sources:\n  - name: portal\n    url: {site.base_url}/rss/local.xml\n    city: 江门市\n",
                               encoding="utf-8")
            alerts = tmp_path / "alerts.yaml"
            alerts.write_text("channels:\n  local: file\nrules:\n  - name: big\n    kind: new_project\n"
                              "    channels: [local]\n", encoding="utf-8")
            data = tmp_path / "data"
            serve_env = {**env, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path / "prefect-client")}
            serving = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--cron", "* * * * *",
                                        "--sources", str(sources), "--alerts", str(alerts), "--data-dir", str(data)],
                                       cwd=ROOT, env=serve_env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
            # the next minute boundary starts a run; allow for start-up and one full minute
            _wait(lambda: _ok_runs(data / "investwatch.db") >= 1, 180, "a scheduled pipeline run")
    finally:
        if serving is not None:
            _stop(serving)
        _stop(server)
    log = (data / "alerts.log").read_text(encoding="utf-8")
    assert "君乐宝" in log  # the scheduled run crawled, parsed and alerted
