"""The CLI as a user runs it: help everywhere, parse-text prints only JSON, `run` honours options and env."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from flows.cli import app
from spiders.sitesrv import serve_site

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "flows.cli"]


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((prefix + name, cmd))
        if hasattr(cmd, "commands"):  # a group (typer may ship its own click classes)
            out += _commands(cmd, prefix + name + " ")
    return out


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    commands = _commands(group)
    assert {"run", "demo", "parse-text", "eval", "export", "db upgrade"} <= {n for n, _ in commands}
    for name, cmd in commands:
        assert (cmd.help or "").strip(), f"`investwatch {name}` has no help text"
        result = CliRunner().invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output


def test_parse_text_prints_only_json(shared: Path) -> None:
    seed = shared / "seeds" / "004_0067eb8b34eb989e.txt"
    proc = subprocess.run([*CLI, "parse-text", str(seed), "--published", "2023-02"], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # fails if any banner or log line reached stdout
    assert set(data) == {"projects", "batches"}
    names = [p["name"] for p in data["projects"]]
    assert any(n.startswith("中创新航") for n in names)
    zc = next(p for p in data["projects"] if p["name"].startswith("中创新航"))
    assert zc["amount_yuan"] == 20_000_000_000


def test_parse_text_rejects_a_bad_date(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("今日，投资100亿元的隆基硅能源生产基地项目上台签约。", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse-text", str(f), "--published", "2023/02/03"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_parsers_import_no_io_library() -> None:
    banned = {"scrapy", "sqlalchemy", "prefect", "apprise", "requests", "twisted", "httpx", "urllib3"}
    for path in (ROOT / "parsers").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] not in banned, f"{path.name} imports {n}"


def test_run_uses_sources_option_and_data_dir_env(tmp_path: Path, shared: Path) -> None:
    """`investwatch run` on a loopback copy of the portal, configured by --sources and INVESTWATCH_DATA_DIR."""
    data = tmp_path / "data"
    with serve_site(shared / "web" / "portal") as site:
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: portal\n    url: {site.base_url}/rss/local.xml\n    city: 江门市\n",
                           encoding="utf-8")
        alerts = tmp_path / "alerts.yaml"
        alerts.write_text("channels:\n  local: file\nrules:\n  - name: big\n    kind: new_project\n"
                          "    min_amount_yuan: 10亿元\n    channels: [local]\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("INVESTWATCH_")}
        env["INVESTWATCH_DATA_DIR"] = str(data)
        proc = subprocess.run([*CLI, "run", "--sources", str(sources), "--alerts", str(alerts)],
                              capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (data / "investwatch.db").exists()
    assert (data / "dataset" / "projects.parquet").exists()
    assert "new articles" in proc.stdout and "4" in proc.stdout
    assert str(data) in proc.stdout.replace("\n", "")


@pytest.mark.parametrize("bad", ["rules:\n  - name: x\n    kind: new_project\n    min_amount_yuan: lots\n"])
def test_run_fails_at_start_on_a_bad_alerts_file(tmp_path: Path, bad: str) -> None:
    (tmp_path / "alerts.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVESTWATCH_")}
    proc = subprocess.run([*CLI, "run", "--sources", "sources.yaml", "--alerts", "alerts.yaml",
                           "--data-dir", "d"], capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert proc.returncode != 0
    assert "min_amount_yuan" in proc.stderr


def test_projects_commands_and_reparse_keep_overrides(tmp_path: Path) -> None:
    from parsers.model import ArticleFacts, Project
    from storage import projects as store
    from storage import repo
    from storage.db import make_engine, session_factory, transaction, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    text = "今日，投资100亿元的隆基硅能源生产基地项目上台签约；投资25亿元的柏涛智能装备产业园项目签约。"
    with transaction(factory) as s:
        aid = repo.store_article(s, url="http://x/1.html", source_id=None, page_id=None, title="t",
                                 published_on=None, origin=None, text=text).article_id
        store.save_facts(s, aid, ArticleFacts(projects=(
            Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, stage="signed"),
            Project(name="柏涛智能装备产业园项目", amount_yuan=2_500_000_000, stage="signed"))),
            parser_version="old", city="江门市")
        ids = {p.name: p.id for p in store.projects_with_articles(s) for p in [p.project]}
    engine.dispose()
    env = {"INVESTWATCH_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    runner = CliRunner()
    listed = runner.invoke(app, ["projects", "--min-amount", "50亿"], env=env)
    assert listed.exit_code == 0 and "隆基硅能源生产基地项目" in listed.output and "柏涛" not in listed.output
    shown = runner.invoke(app, ["project", str(ids["隆基硅能源生产基地项目"])], env=env)
    assert shown.exit_code == 0 and "100亿元" in shown.output and "http://x/1.html" in shown.output
    assert runner.invoke(app, ["projects", "set", str(ids["柏涛智能装备产业园项目"]), "investor", "柏涛集团"],
                         env=env).exit_code == 0
    bad = runner.invoke(app, ["projects", "set", "1", "colour", "red"], env=env)
    assert bad.exit_code == 1 and "unknown field" in bad.output
    # the real parser re-reads the stored text; the analyst's value stays
    result = runner.invoke(app, ["reparse"], env=env)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'investwatch.db'}")
    with session_factory(engine)() as s:
        rows = {r.project.name: r.project for r in store.projects_with_articles(s)}
    engine.dispose()
    bt = next(p for n, p in rows.items() if n.startswith("柏涛"))
    assert bt.investor == "柏涛集团" and bt.amount_yuan == 2_500_000_000
    assert any(n.startswith("隆基") and p.amount_yuan == 10_000_000_000 for n, p in rows.items())


@pytest.mark.parametrize("command", ["serve", "deploy"])
def test_serve_and_deploy_explain_they_need_a_prefect_server(command: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INVESTWATCH_", "PREFECT_"))}
    proc = subprocess.run([*CLI, command, "--data-dir", str(tmp_path)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)
    assert proc.returncode == 2 and "prefect server start" in proc.stderr


def test_projects_filters_merge_and_split_from_the_command_line(tmp_path: Path) -> None:
    from parsers.model import ArticleFacts, Project
    from storage import projects as store
    from storage import repo
    from storage.db import make_engine, session_factory, transaction, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'investwatch.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    facts = [
        ("江门市", Project(name="隆基硅能源生产基地项目", amount_yuan=10_000_000_000, stage="signed", location="鹤山市")),
        ("江门市", Project(name="柏涛智能装备产业园项目", amount_yuan=2_500_000_000, stage="started", location="蓬江区")),
        ("佛山市", Project(name="美的智能家电产业园项目", amount_yuan=6_000_000_000, stage="started", location="顺德区")),
        ("江门市", Project(name="华津金属产业园项目", amount_yuan=5_000_000_000, stage="signed", location="新会区")),
        ("江门市", Project(name="广东华津金属新材料基地项目", amount_yuan=5_000_000_000, stage="started",
                         location="新会区")),
        ("江门市", Project(name="江门110千伏仲元输变电工程", amount_yuan=100_000_000, stage="signed", location="开平市",
                         category="基础设施")),
    ]
    with transaction(factory) as s:
        for i, (city, rec) in enumerate(facts):
            aid = repo.store_article(s, url=f"http://x/{i}.html", source_id=None, page_id=None, title=f"t{i}",
                                     published_on=None, origin=None, text=f"正文{i}").article_id
            store.save_facts(s, aid, ArticleFacts(projects=(rec,)), parser_version="t", city=city)
        ids = {r.project.name: r.project.id for r in store.projects_with_articles(s)}
    engine.dispose()
    env = {"INVESTWATCH_DATA_DIR": str(tmp_path), "COLUMNS": "250"}
    runner = CliRunner()

    def names(*args: str) -> set[str]:
        res = runner.invoke(app, ["projects", *args], env=env)
        assert res.exit_code == 0, res.output
        return {n for n in ids if n in res.output}

    assert names("--city", "佛山") == {"美的智能家电产业园项目"}
    assert names("--district", "蓬江") == {"柏涛智能装备产业园项目"}
    assert names("--stage", "started", "--city", "江门") == {"柏涛智能装备产业园项目", "广东华津金属新材料基地项目"}
    assert names("--min-amount", "60亿") == {"隆基硅能源生产基地项目", "美的智能家电产业园项目"}
    assert names("--category", "基础设施") == {"江门110千伏仲元输变电工程"}
    assert "江门110千伏仲元输变电工程" not in names("--category", "产业")
    bad_kind = runner.invoke(app, ["projects", "--category", "工业"], env=env)
    assert bad_kind.exit_code == 2 and "产业, 基础设施, 社会民生" in bad_kind.output
    # the analyst says the two 华津 rows are one project, then takes one name back out
    keep, other = ids["华津金属产业园项目"], ids["广东华津金属新材料基地项目"]
    assert runner.invoke(app, ["projects", "merge", str(keep), str(other)], env=env).exit_code == 0
    merged = runner.invoke(app, ["projects", "--city", "江门", "--district", "新会"], env=env).output
    assert "1 projects" in merged and "华津" in merged  # one row now, named by its most complete name
    shown = runner.invoke(app, ["project", str(keep)], env=env).output
    assert "http://x/3.html" in shown and "http://x/4.html" in shown
    res = runner.invoke(app, ["projects", "split", str(keep), "广东华津金属新材料基地项目"], env=env)
    assert res.exit_code == 0, res.output
    assert names("--city", "江门", "--district", "新会") == {"华津金属产业园项目", "广东华津金属新材料基地项目"}
    bad = runner.invoke(app, ["projects", "merge", str(keep), "99999"], env=env)
    assert bad.exit_code == 1 and "no project 99999" in bad.output
