"""Two pipeline runs at once against one PostgreSQL database: no duplicate article, project or alert."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from flows.pipeline import pipeline_body
from spiders.sitesrv import serve_site
from storage.db import make_engine, session_factory
from storage.models import Alert, Article, ArticleUrl, Mention, Project
from tests.servers import http_receiver

FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


def test_two_runs_at_once_on_postgresql(pg_url: str, tmp_path: Path, shared: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVESTWATCH_DATABASE_URL", pg_url)
    # the runs now take turns on the database's advisory lock: the second waits for the first
    monkeypatch.setenv("INVESTWATCH_RUN_LOCK_WAIT_S", "400")
    with serve_site(shared / "web" / "gov-district") as site, http_receiver() as hook:
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"sources:\n  - name: gov\n    url: {site.base_url}/zsxx/index.html\n    city: 江门市\n",
                           encoding="utf-8")
        alerts = tmp_path / "alerts.yaml"
        alerts.write_text(f"channels:\n  hook: \"json://127.0.0.1:{hook.port}/a\"\nrules:\n  - name: big\n"
                          "    kind: new_project\n    min_amount_yuan: 10亿元\n    channels: [hook]\n",
                          encoding="utf-8")
        results: list[dict] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(2)

        def run(i: int) -> None:
            try:
                barrier.wait()
                results.append(pipeline_body(str(sources), str(alerts), str(tmp_path / f"data{i}"), "run",
                                             "2023-02-03", FAST))
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=400)
        assert not errors, errors
        assert len(results) == 2
    engine = make_engine(pg_url)
    with session_factory(engine)() as s:
        n_articles = s.scalar(select(func.count()).select_from(Article))
        n_urls = s.scalar(select(func.count()).select_from(ArticleUrl))
        names = list(s.scalars(select(Project.name)))
        alerts_rows = list(s.scalars(select(Alert)))
        mentions = s.execute(select(Mention.article_id, Mention.project_id)).all()
    assert n_urls == 20 and n_articles <= 20
    assert len(names) == len(set(names)), "a project was created twice"
    assert len(mentions) == len(set(mentions))
    big = len(alerts_rows)
    assert big >= 3 and all(a.status == "sent" for a in alerts_rows)
    received = "\n".join(b["title"] + "\n" + b["message"] for b in hook.delivered)
    with session_factory(engine)() as s:
        big_names = [s.get(Project, a.project_id).name for a in alerts_rows]
    engine.dispose()
    for name in big_names:  # each alert delivered exactly once, in one of the digests
        assert len(re.findall(re.escape(name) + r"(?:（增资扩产）)? \|", received)) == 1, name
