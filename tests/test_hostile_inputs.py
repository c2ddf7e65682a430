"""Hostile operators and pages: short secrets in every position, rich markup in scraped text, non-UTF-8 files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from alerts.config import load_alerts_config
from alerts.redact import forget_secrets, mask_secrets
from flows.cli import app
from flows.stages import RunStats, alert_stage
from parsers.model import ArticleFacts, Project
from storage import projects, repo
from storage.db import make_engine, session_factory, transaction, upgrade
from storage.models import Alert, Failure
from tests.servers import http_receiver

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2023, 2, 3)
# short on purpose: the old shape-based redaction let anything under 16 characters through
SECRETS = {"IW_T_PATH": "pAth7ok3n14ch", "IW_T_ACCESS": "acc3ss99", "IW_T_PW": "pw0rd5"}


def _cli(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def _seed(factory, name: str = "中创新航动力电池江门基地项目", evidence: str = "") -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as s:
        aid = repo.store_article(s, url="http://news.example/1.htm", source_id=None, page_id=None, title="t",
                                 published_on=TODAY, origin=None, text="正文").article_id
        (pid,) = projects.save_facts(s, aid, ArticleFacts(projects=(
            Project(name=name, amount_yuan=20_000_000_000, stage="signed", evidence=evidence),)),
            parser_version="t", city="江门市")
    return int(pid)


def test_short_secrets_never_leave_the_process_unmasked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    forget_secrets()
    data = tmp_path / "data"
    engine = make_engine(f"sqlite:///{data.mkdir() or data / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    _seed(factory)
    with http_receiver() as hook:
        hook.status = 500
        alerts = tmp_path / "alerts.yaml"
        alerts.write_text(
            "channels:\n"
            f"  hook: \"json://u:${{IW_T_PW}}@127.0.0.1:{hook.port}/${{IW_T_PATH}}?access=${{IW_T_ACCESS}}\"\n"
            "rules:\n  - name: big\n    kind: new_project\n    min_amount_yuan: 10亿元\n    channels: [hook]\n",
            encoding="utf-8")
        cfg = load_alerts_config(alerts, SECRETS)
        alert_stage(factory, cfg, data, TODAY, None, RunStats())  # type: ignore[arg-type]
        assert SECRETS["IW_T_PATH"] in hook.requests[0][0]  # the secrets were really in use
        env = {**SECRETS, "INVESTWATCH_DATA_DIR": str(data)}
        tested = _cli(["alerts", "test", "hook", "--alerts", str(alerts)], env)
        history = _cli(["alerts", "history", "--alerts", str(alerts)], env)
    with factory() as s:
        stored = [a.last_error or "" for a in s.scalars(select(Alert))] + [f.error for f in s.scalars(select(Failure))]
    engine.dispose()
    assert tested.returncode == 1 and history.returncode == 0, tested.stderr + history.stderr
    assert "500" in tested.stderr or "500" in tested.stdout
    assert any(stored)
    assert "****" in caplog.text  # the apprise warning names the channel, masked
    for where, text in [("stored errors", "\n".join(stored)), ("log", caplog.text), ("alerts test", tested.stdout + tested.stderr),
                        ("alerts history", history.stdout + history.stderr)]:
        for name, value in SECRETS.items():
            assert value not in text, f"{name} shown in {where}"
    forget_secrets()


def test_database_password_is_masked_by_value() -> None:
    from flows.settings import Settings

    forget_secrets()
    Settings(database_url="postgresql+psycopg://app:sh0rt@db.example/x")  # type: ignore[arg-type]
    assert mask_secrets("connection to db failed for app:sh0rt") == "connection to db failed for app:****"
    forget_secrets()


def test_project_with_markup_in_name_and_evidence_prints_as_written(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    pid = _seed(session_factory(engine), name="[bold]江门[/red]储能项目", evidence="签约[/red]项目[link=x]")
    engine.dispose()
    runner = CliRunner()
    shown = runner.invoke(app, ["project", str(pid), "--data-dir", str(data)])
    listed = runner.invoke(app, ["projects", "--data-dir", str(data)])
    assert shown.exit_code == 0, shown.output
    assert "[bold]江门[/red]储能项目" in shown.output and "签约[/red]项目" in shown.output
    assert listed.exit_code == 0 and "[/red]" in listed.output


GBK_YAML = "sources:\n  - name: 江门\n    url: http://x.cn/\n".encode("gbk")


@pytest.mark.parametrize("option", ["--sources", "--alerts"])
def test_a_gbk_config_file_is_one_clear_line_and_exit_2(tmp_path: Path, option: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(GBK_YAML)
    proc = _cli(["run", option, str(bad), "--data-dir", str(tmp_path / "d")])
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "UnicodeDecodeError" not in proc.stderr
    assert "not UTF-8" in proc.stderr and "offset" in proc.stderr and "bad.yaml" in proc.stderr


def test_a_gbk_text_for_parse_text_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "a.txt"
    bad.write_bytes("江门市签约项目总投资200亿元".encode("gbk"))
    proc = _cli(["parse-text", str(bad)])
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
