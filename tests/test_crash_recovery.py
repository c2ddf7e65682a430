"""A run killed (SIGKILL) mid-crawl: the next run stores the dead run's complete items instead of fetching them again."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from sqlalchemy import func, select

from flows.pipeline import pipeline_body
from spiders.run import iter_items
from spiders.sitesrv import serve_site
from storage.db import make_engine, session_factory
from storage.models import Article, Page, Run
from tests.opsites import FAST_CRAWL, sources_yaml, write_site

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 16
KILL_AFTER_LINES = 5


def _complete_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_a_killed_runs_complete_items_are_stored_not_fetched_again(tmp_path: Path) -> None:
    site = tmp_path / "site"
    paths = write_site(site, ARTICLES)
    data = tmp_path / "data"
    items_file = data / "crawl" / "crawl-run1.jsonl"
    with serve_site(site) as srv:
        srv.delay = 0.4  # slow enough to kill the run in the middle of its crawl
        sources = sources_yaml(tmp_path / "sources.yaml", srv.base_url)
        # two requests at a time: with Scrapy's default concurrency all 16 slow pages finished together on an
        # idle machine, before the kill could land between them
        slow = {**FAST_CRAWL, "CONCURRENT_REQUESTS": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
        code = textwrap.dedent(f"""
            from flows.pipeline import pipeline_body
            pipeline_body({str(sources)!r}, None, {str(data)!r}, "run", "2023-06-01", {slow!r})
        """)
        first = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
        try:
            deadline = time.monotonic() + 90
            while _complete_lines(items_file) < KILL_AFTER_LINES and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _complete_lines(items_file) >= KILL_AFTER_LINES, "the first run wrote too few items"
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        # the crawler dies with its parent (PR_SET_PDEATHSIG): wait until the site hears nothing more
        quiet_since, seen = time.monotonic(), sum(srv.requests.values())
        while time.monotonic() - quiet_since < 1.5:
            time.sleep(0.1)
            if sum(srv.requests.values()) != seen:
                quiet_since, seen = time.monotonic(), sum(srv.requests.values())
        complete = [i for i in iter_items(items_file) if i.status == 200 and not i.error]
        fetched_first = {i.url.removeprefix(srv.base_url) for i in complete} & set(paths)
        assert 1 <= len(fetched_first) < ARTICLES, fetched_first  # killed in the middle of the crawl
        # and the kill cut the last item in half: that page counts as not fetched
        torn = next(p for p in paths if p not in fetched_first)
        with items_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"url": srv.base_url + torn, "status": 200, "source": "opsite"})[:40])
        srv.requests.clear()
        srv.delay = 0
        result = pipeline_body(str(sources), None, str(data), "run", "2023-06-01", FAST_CRAWL)
        second = dict(srv.requests)
    assert {p: second[p] for p in fetched_first if second.get(p)} == {}, "the dead run's pages were fetched again"
    assert second.get(torn) == 1  # the torn item was not a page: fetched by the new run
    assert set(paths) - fetched_first <= {p for p, n in second.items() if n}  # the rest crawled as usual
    assert result["recovered_pages"] == len(complete)
    assert result["new_articles"] == ARTICLES  # every article stored, the dead run's included
    assert not items_file.exists() and list((data / "crawl").glob("*.jsonl")) == []
    engine = make_engine(f"sqlite:///{data / 'investwatch.db'}")
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count(Article.id))) == ARTICLES
        first_run_pages = {u.removeprefix(srv.base_url) for u in s.scalars(select(Page.url).where(Page.run_id == 1))}
        assert fetched_first <= first_run_pages  # stored as fetched by the run that fetched them
        assert s.scalar(select(Run.status).where(Run.id == 1)) == "crashed"
    engine.dispose()
