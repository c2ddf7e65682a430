"""The one-shot run's temporary Prefect server (flows/prefect_server.py): started early, used, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flows.prefect_env import needs_temporary_server, server_healthy
from flows.prefect_server import early_server, free_port, ready, server_command

ROOT = Path(__file__).resolve().parents[1]


def test_no_server_is_started_when_an_api_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with early_server(False) as server:
        assert server is None
        ready(server)  # nothing to wait for
    assert "PREFECT_API_URL" not in os.environ


def test_free_port_can_be_bound_and_the_command_is_prefects_server_app() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    cmd = server_command(port)
    assert cmd[:3] == [sys.executable, "-m", "uvicorn"]
    assert "prefect.server.api.server:create_app" in cmd and str(port) in cmd


def test_the_server_answers_before_the_flow_and_is_gone_after_the_block(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    assert needs_temporary_server(os.environ)
    with early_server(True) as server:
        assert server is not None and os.environ["PREFECT_API_URL"] == server.api_url
        ready(server)
        assert server_healthy(server.api_url)
        process = server.process
    assert process is not None and process.poll() is not None  # stopped, not left running
    assert not server_healthy(server.api_url)
    assert "PREFECT_API_URL" not in os.environ  # the dead server's URL is not left for the next run


def test_a_run_imports_no_prefect_server_app_in_its_own_process(tmp_path: Path) -> None:
    """The parent only talks to the server: Prefect's own launcher imported the whole app into it (5 s)."""
    probe = ("import sys, os; from pathlib import Path; from flows.prefect_env import configure_prefect;"
             "from flows.prefect_server import early_server, ready\n"
             f"configure_prefect(Path({str(tmp_path)!r}))\n"
             "with early_server(True) as s:\n"
             "    from prefect import flow\n"
             "    ready(s)\n"
             "    print(flow(lambda: 41 + 1, name='probe')())\n"
             "    print('prefect.server.api.server' in sys.modules)\n")
    env = {**os.environ, "PREFECT_API_URL": ""}
    env.pop("PREFECT_API_URL")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["42", "False"]
