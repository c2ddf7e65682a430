"""Start-up cost: what `--help` and `parse-text` import, and which Prefect server a run uses."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from flows.prefect_env import choose_api, server_healthy
from tests.servers import serving

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "prefect", "datasketch", "scipy", "pandas", "scrapy", "alembic", "apprise")

# runs the real CLI entry point in a fresh interpreter, then reports which top-level packages got imported
PROBE = """
import json, sys
from flows.cli import main
sys.argv = ["investwatch", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.__stderr__.write("MODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
"""


def _imported(*args: str) -> tuple[set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")), None)
    assert line is not None, done.stderr[-2000:]
    return set(json.loads(line[len("MODULES "):])), done.stdout


def test_help_imports_no_database_orchestration_or_dedupe_library() -> None:
    mods, out = _imported("--help")
    assert "parse-text" in out and "export" in out  # the help really printed
    assert not mods & set(HEAVY), sorted(mods & set(HEAVY))


def test_parse_text_imports_no_database_orchestration_or_dedupe_library(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("3月5日，江门市江海区某某新材料项目签约，总投资10亿元。", encoding="utf-8")
    mods, out = _imported("parse-text", str(article), "--published", "2024-03-06")
    assert "projects" in json.loads(out)  # the command did its work
    assert not mods & set(HEAVY), sorted(mods & set(HEAVY))


@contextmanager
def _health_server(status: int, body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status if self.path == "/api/health" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as base_url:
        yield base_url + "/api"


def test_a_local_prefect_server_that_is_up_is_reused() -> None:
    with _health_server(200, b"true") as api:
        assert server_healthy(api)
        assert choose_api({"INVESTWATCH_PREFECT_LOCAL_API": api}) == api


@pytest.mark.parametrize(("status", "body"), [(500, b"true"), (200, b"<html>not prefect</html>")])
def test_a_port_that_is_not_a_healthy_prefect_api_is_not_used(status: int, body: bytes) -> None:
    with _health_server(status, body) as api:
        assert choose_api({"INVESTWATCH_PREFECT_LOCAL_API": api}) is None


def test_nothing_listening_means_the_temporary_server() -> None:
    with _health_server(200, b"true") as api:
        pass  # the server is gone: its port refuses connections now
    assert choose_api({"INVESTWATCH_PREFECT_LOCAL_API": api}) is None
    assert choose_api({"PREFECT_API_URL": "http://prefect.example:4200/api"}) == "http://prefect.example:4200/api"
