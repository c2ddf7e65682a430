"""The CLI as a new analyst meets it: one-line errors, Chinese stage words, demo's next steps, run progress."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app, next_steps
from parsers.model import ArticleFacts, Project

RUNNER = CliRunner()


def _env(data: Path) -> dict[str, str]:
    return {"INVESTWATCH_DATA_DIR": str(data), "COLUMNS": "200"}


def _seed(data: Path) -> dict[str, int]:
    from storage import projects as store
    from storage import repo
    from storage.db import make_engine, session_factory, transaction, upgrade

    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    upgrade(engine)
    with transaction(session_factory(engine)) as s:
        aid = repo.store_article(s, url="http://x/1.html", source_id=None, page_id=None, title="t",
                                 published_on=None, origin=None, text="正文").article_id
        store.save_facts(s, aid, ArticleFacts(projects=(
            Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, stage="signed"),
            Project(name="柏涛[/red]智能装备\x1b[31m产业园项目", amount_yuan=2_500_000_000, stage="started",
                    evidence="[/red] \x1b[31m"))), parser_version="t", city="江门市")
        ids = {r.project.name: r.project.id for r in store.projects_with_articles(s)}
    engine.dispose()
    return ids


@pytest.mark.parametrize("args", [["projects"], ["project", "1"], ["sources"], ["export"], ["report"],
                                  ["projects", "merge", "1", "2"]])
def test_missing_database_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = RUNNER.invoke(app, args, env=_env(tmp_path / "nothing-here"))
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no database in" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "nothing-here" / "investwatch.db").exists()  # looking never creates one


def test_missing_database_points_at_the_demo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "investwatch-demo").mkdir()
    _seed(tmp_path / "investwatch-demo")
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVESTWATCH_")}
    result = RUNNER.invoke(app, ["projects"], env={**env, "INVESTWATCH_DATA_DIR": None})  # type: ignore[dict-item]
    assert result.exit_code == 2 and "--data-dir investwatch-demo" in result.output


def test_stage_words_and_bad_values(tmp_path: Path) -> None:
    _seed(tmp_path)
    env = _env(tmp_path)
    started = RUNNER.invoke(app, ["projects", "--stage", "开工"], env=env)
    assert started.exit_code == 0 and "柏涛" in started.output and "隆基" not in started.output
    signed = RUNNER.invoke(app, ["projects", "--stage", "签约"], env=env)
    assert "隆基" in signed.output and "柏涛" not in signed.output
    bogus = RUNNER.invoke(app, ["projects", "--stage", "bogus"], env=env)
    assert bogus.exit_code == 2 and "signed/签约" in bogus.output and "Traceback" not in bogus.output
    amount = RUNNER.invoke(app, ["projects", "--min-amount", "abc"], env=env)
    assert amount.exit_code == 2 and "10亿" in amount.output and "Traceback" not in amount.output


def test_scraped_markup_prints_as_text(tmp_path: Path) -> None:
    ids = _seed(tmp_path)
    pid = next(i for n, i in ids.items() if n.startswith("柏涛"))
    shown = RUNNER.invoke(app, ["project", str(pid)], env=_env(tmp_path))
    assert shown.exit_code == 0, shown.output
    assert "柏涛[/red]智能装备" in shown.output and "\x1b[31m产业园" not in shown.output
    listed = RUNNER.invoke(app, ["projects"], env=_env(tmp_path))
    assert listed.exit_code == 0 and "[/red]" in listed.output


def test_alerts_history_accepts_failed(tmp_path: Path) -> None:
    _seed(tmp_path)
    result = RUNNER.invoke(app, ["alerts", "history", "--status", "failed"], env=_env(tmp_path))
    assert result.exit_code == 0 and "no alerts with status failed" in result.output
    bad = RUNNER.invoke(app, ["alerts", "history", "--status", "lost"], env=_env(tmp_path))
    assert bad.exit_code == 2 and "failed" in bad.output


def test_sources_add_on_an_empty_list(tmp_path: Path) -> None:
    from spiders.config import load_sources

    path = tmp_path / "sources.yaml"
    path.write_text("# my sites\nsources: []\n", encoding="utf-8")
    result = RUNNER.invoke(app, ["sources", "add", "gov", "http://gov.example.cn/zsxx/", "--kind", "list",
                                 "--sources", str(path)])
    assert result.exit_code == 0, result.output
    assert [s.name for s in load_sources(path)] == ["gov"] and path.read_text(encoding="utf-8").startswith("# my sites")


def test_demo_next_steps_name_the_data_dir() -> None:
    steps = "\n".join(next_steps(Path("investwatch-demo")))
    assert "investwatch projects --data-dir investwatch-demo" in steps
    assert "report/index.html" in steps and "investwatch.xlsx" in steps


def test_prefect_telemetry_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.prefect_env import TELEMETRY_OFF, configure_prefect

    for name in TELEMETRY_OFF:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "true")  # a user's choice wins
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    configure_prefect(tmp_path)
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert os.environ["PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS"] == "false"
    assert os.environ["PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY"] == "true"


def test_run_prints_progress_and_names_fetch_error_causes(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from flows.pipeline import pipeline_body
    from flows.progress import shown

    with socket.socket() as probe:  # a port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: down\n    url: http://127.0.0.1:{port}/list.html\n    kind: list\n",
                       encoding="utf-8")
    with shown(tty=False):
        result = pipeline_body(str(sources), None, str(tmp_path / "data"), "run", None,
                               {"RETRY_TIMES": 0, "AUTOTHROTTLE_ENABLED": False})
    assert result["fetch_errors"] >= 1
    assert result["fetch_error_causes"] == {"connection refused": result["fetch_errors"]}
    err = capsys.readouterr().err
    for line in ("investwatch: crawl: 1 sources", "investwatch:   down: 0 links, 0 pages,", "investwatch: export"):
        assert line in err, err
    assert (tmp_path / "data" / "report" / "index.html").exists()
