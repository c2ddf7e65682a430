"""`--log-json` / INVESTWATCH_LOG_JSON=1: every stderr line is a JSON object with the run's context, secrets masked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from spiders.sitesrv import serve_site
from tests.opsites import FAST_CRAWL, sources_yaml, write_site
from tests.servers import http_receiver

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "t0k3n-9short"  # short: masked by value, not by shape


def _json_lines(stderr: str) -> list[dict[str, Any]]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    out = []
    for line in lines:
        obj = json.loads(line)  # every line, or the test fails naming it
        assert isinstance(obj, dict) and {"ts", "level", "logger", "message"} <= obj.keys(), line
        out.append(obj)
    return out


def _alerts(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "alerts.yaml"
    path.write_text(f'channels:\n  hook: "json://127.0.0.1:{port}/${{IW_T_TOKEN}}/send"\n'
                    "rules:\n  - {name: big, kind: new_project, channels: [hook]}\n", encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "IW_T_TOKEN": TOKEN, "NO_PROXY": "127.0.0.1,localhost", **extra}


def test_a_pipeline_run_logs_json_lines_with_run_stage_source_and_url(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, 2, missing=1)
    data = tmp_path / "data"
    with serve_site(site) as srv, http_receiver() as hook:
        hook.status = 500  # the alert fails: apprise's error names the channel URL, token included
        code = textwrap.dedent(f"""
            from flows.cli_common import mask_std_streams
            mask_std_streams()
            from flows import logjson
            logjson.enable()  # what --log-json does (the CLI test below checks the option itself)
            from flows.pipeline import pipeline_body
            from flows.progress import shown
            with shown():
                pipeline_body({str(sources_yaml(tmp_path / "s.yaml", srv.base_url))!r},
                              {str(_alerts(tmp_path, hook.port))!r}, {str(data)!r}, "run", "2023-06-01",
                              {FAST_CRAWL!r})
        """)
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env=_env())
        assert hook.requests and TOKEN in hook.requests[0][0]  # the secret was really in use
    assert proc.returncode == 0, proc.stderr[-3000:]
    logs = _json_lines(proc.stderr)
    ours = [e for e in logs if e["logger"].startswith("investwatch")]
    assert ours and all(e.get("run_id") == 1 for e in ours), [e for e in ours if e.get("run_id") != 1]
    missing = [e for e in logs if e.get("url", "").endswith("/gone_0.html")]
    assert len(missing) == 1 and missing[0]["level"] == "warning" and missing[0]["stage"] == "crawl"
    assert missing[0]["source"] == "opsite" and "HTTP 404" in missing[0]["message"]
    assert {e["stage"] for e in ours if "stage" in e} >= {"crawl", "extract", "parse", "alert", "export"}
    failed = [e for e in ours if e.get("stage") == "alert" and e["level"] == "warning"]
    assert failed and "500" in failed[0]["message"], ours  # the send failure, in the alert stage
    named = [e for e in logs if e.get("stage") == "alert" and "json://127.0.0.1" in e["message"]]
    assert named and all("/****/send" in e["message"] for e in named), named  # apprise's own line, URL masked
    assert TOKEN not in proc.stderr + proc.stdout


def test_the_cli_option_and_the_environment_variable(tmp_path: Path) -> None:
    with http_receiver() as hook:
        hook.status = 500
        alerts = _alerts(tmp_path, hook.port)
        tested = subprocess.run([sys.executable, "-m", "flows.cli", "--log-json", "alerts", "test", "hook",
                                 "--alerts", str(alerts), "--data-dir", str(tmp_path / "d")], cwd=ROOT,
                                capture_output=True, text=True, timeout=120, env=_env())
    assert tested.returncode == 1
    logs = _json_lines(tested.stderr)
    assert any("500" in e["message"] and "****" in e["message"] for e in logs), logs
    assert TOKEN not in tested.stderr + tested.stdout
    status = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--data-dir", str(tmp_path / "none")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(INVESTWATCH_LOG_JSON="1"))
    assert status.returncode == 2
    (line,) = _json_lines(status.stderr)
    assert line["level"] == "error" and "no database" in line["message"]
