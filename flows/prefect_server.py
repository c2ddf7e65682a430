"""A one-shot run's temporary Prefect server, started as soon as the command starts and without importing Prefect.

Why not Prefect's own (`get_client` starting `SubprocessASGIServer` when no API is set): it imports the whole
server application (`prefect.server.api.server`: FastAPI, its models and migrations; 5.5 of the 25 CPU
seconds of a no-change `run` at 1k articles) into the client process only to launch a child process, and it
starts that child when the flow is first called, after the parent has imported the pipeline, so the two start-ups
run one after the other. Here the same child (`uvicorn --factory prefect.server.api.server:create_app`, UI off,
marked ephemeral, as Prefect launches it) is started first and boots on the other core while the parent imports
the pipeline; `PREFECT_API_URL` then points the flow at it, so Prefect starts no server of its own.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flows.prefect_env import server_healthy

STOP_WAIT_S = 5.0  # as Prefect waits for its temporary server to stop before killing it


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(port: int) -> list[str]:
    """The command Prefect runs for its temporary server (prefect.server.api.server.SubprocessASGIServer)."""
    spec = importlib.util.find_spec("prefect")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("prefect is not installed")
    app_dir = Path(spec.origin).parent.parent
    return [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


@dataclass
class TemporaryServer:
    """A Prefect server child process of this command; ``api_url`` once started."""

    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        self.port = free_port()
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(server_command(self.port), env=env, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout_s: float) -> None:
        """Block until the server answers its health check (a child that exits, e.g. its port taken since it
        was chosen, fails the run with its exit code: Prefect settings are read at import, so the API URL set
        before the import cannot move to another port)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process is not None and self.process.poll() is None:
            if server_healthy(self.api_url):
                return
            time.sleep(0.1)
        code = self.process.poll() if self.process else None
        self.stop()
        raise RuntimeError(f"the temporary Prefect server did not start within {timeout_s:.0f} s"
                           + (f" (exited with {code})" if code is not None else ""))

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def early_server(needed: bool) -> Iterator[TemporaryServer | None]:
    """Launch a temporary server now when ``needed`` (no Prefect API to use) and point PREFECT_API_URL at it;
    stop it at the end of the block.

    Call after `configure_prefect` (the child reads PREFECT_HOME and the quiet, offline settings from the
    environment) and before Prefect is imported (it reads PREFECT_API_URL once); call `ready` before the flow.
    """
    if not needed:
        yield None
        return
    server = TemporaryServer()
    server.launch()
    before = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    finally:
        server.stop()
        # the stopped server's URL must not outlive it (a later run in this process would try to reach it)
        if before is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = before


def ready(server: TemporaryServer | None) -> None:
    """Wait for ``server`` (if any) to answer, within Prefect's temporary-server start-up timeout."""
    if server is not None:
        server.wait_ready(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
