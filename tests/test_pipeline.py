"""End to end: the demo pipeline (real crawl subprocess, Prefect flow, SQLite) on the bundled sites."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from storage.db import make_engine, session_factory
from storage.models import Alert, Article, ArticleUrl, Failure, Project

THRESHOLD = 1_000_000_000


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """Run `investwatch demo` twice in one fresh data dir (each a separate process, like a user would)."""
    data = tmp_path_factory.mktemp("demo")
    ports = {}
    for site in ("gov", "portal"):  # fixed for both runs (URLs include the port), free on this machine
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports[site] = probe.getsockname()[1]
    results = []
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-c",
             "import json,sys; from pathlib import Path; from flows.demo import run_demo; "
             "r = run_demo(Path(sys.argv[1]), ports=json.loads(sys.argv[2])); "
             "print('RESULT=' + json.dumps(r, ensure_ascii=False))",
             str(data), json.dumps(ports)],
            capture_output=True, text=True, timeout=600, env={**_env(data)},
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT=")][-1]
        results.append(json.loads(line.removeprefix("RESULT=")))
    return data, results[0], results[1]


def _env(data: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("INVESTWATCH_")}
    env["INVESTWATCH_DATA_DIR"] = str(data)
    return env


def _session(data: Path):
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    return session_factory(engine)()


def test_demo_stores_zhongchuang_project_with_exact_amount(demo_runs) -> None:
    data, first, _ = demo_runs
    assert first["pages_fetched"] >= 20 and first["new_articles"] >= 15
    with _session(data) as s:
        zc = [p for p in s.scalars(select(Project)) if p.name.startswith("中创新航")]
        assert zc, "中创新航's project was not found"
        assert any(p.amount_yuan == 20_000_000_000 for p in zc)


def test_republished_copy_is_one_article(demo_runs) -> None:
    data, first, _ = demo_runs
    with _session(data) as s:
        urls = {u.url: u.article_id for u in s.scalars(select(ArticleUrl))}
        gov = [a for u, a in urls.items() if u.endswith("/zsxx/content/post_3412876.html")]
        portal = [a for u, a in urls.items() if u.endswith("/dy/article/KJQ7A2VM0514R9P8.html")]
        assert gov and portal and gov == portal, "seed 000 on the portal should be the gov article, stored once"
        # the tracking-parameter link and the pinned duplicate are fetched once each
        assert not any("from=timeline" in u for u in urls)
        assert sum(u.endswith("post_2267835.html") for u in urls) == 1
        # the 404 is a recorded failure, never an article
        assert not any(u.endswith("post_2603117.html") for u in urls)
        assert any((f.url or "").endswith("post_2603117.html") for f in s.scalars(select(Failure)))
    assert first["duplicate_articles"] >= 1


def test_one_alert_per_big_project_and_none_on_second_run(demo_runs) -> None:
    data, first, second = demo_runs
    with _session(data) as s:
        big = [p for p in s.scalars(select(Project)) if (p.amount_yuan or 0) >= THRESHOLD]
        alerts = list(s.scalars(select(Alert)))
    assert big, "the seeds hold projects of 10亿元 and more"
    assert sorted(a.project_id for a in alerts) == sorted(p.id for p in big)
    assert all(a.status == "sent" for a in alerts)
    assert first["alerts_sent"] == len(big)
    assert second["alerts_sent"] == 0 and second["new_articles"] == 0
    # the local channel's file holds the run's digest: each big project exactly once, with its amount
    log = (data / "alerts.log").read_text(encoding="utf-8")
    for p in big:
        assert len(re.findall(re.escape(p.name) + r"(?:（增资扩产）)? \|", log)) == 1, p.name
        line = next(ln for ln in log.splitlines() if p.name in ln)
        assert "亿元" in line and f"{p.amount_yuan // 100_000_000}" in line
    assert "http://127.0.0.1" in log


def test_second_run_fetches_no_known_article_and_adds_nothing(demo_runs) -> None:
    data, first, second = demo_runs
    with _session(data) as s:
        n_articles = len(list(s.scalars(select(Article))))
    assert n_articles == first["new_articles"]
    assert second["parsed_articles"] == 0


def test_dataset_files_written(demo_runs) -> None:
    data, _, _ = demo_runs
    projects = pd.read_parquet(data / "dataset" / "projects.parquet")
    assert len(projects) > 0 and projects["article_urls"].str.len().min() > 0
    assert (data / "dataset" / "projects.csv").exists() and (data / "dataset" / "investwatch.xlsx").exists()
    zc = projects[projects["name"].str.startswith("中创新航")]
    assert (zc["amount_yuan"] == 20_000_000_000).any()
