"""Two crawler processes sharing one Redis frontier (scrapy-redis) fetch every URL once between them."""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spiders.config import Source
from spiders.run import CrawlReport, crawl, iter_items
from spiders.sitesrv import serve_site

redis = pytest.importorskip("redis")

WEB = Path(__file__).resolve().parents[1].parent / "shared" / "web"
MANIFEST: dict[str, Any] = json.loads((WEB / "MANIFEST.json").read_text(encoding="utf-8"))
REDIS_URL = os.environ.get("INVESTWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# slow enough (per-request delay below) that both processes get work. A process moves up to
# CONCURRENT_REQUESTS requests from the shared queue into its own downloader: with one site,
# keep it at the per-domain limit or the first process takes everything.
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 2,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "LOG_LEVEL": "INFO",
    "REDIS_URL": REDIS_URL,
    "INVESTWATCH_REDIS_MAX_IDLE": 20,
}


@pytest.fixture
def prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as e:  # pragma: no cover - depends on the machine
        if os.environ.get("INVESTWATCH_TEST_REDIS_URL"):  # CI names its Redis: then this test must run
            pytest.fail(f"INVESTWATCH_TEST_REDIS_URL is set but Redis is unreachable: {e}")
        pytest.skip(f"no Redis at {REDIS_URL}: {e}")
    name = f"investwatch-test:{uuid.uuid4().hex[:10]}"
    yield name
    keys = list(client.scan_iter(match=f"{name}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _parallel(n: int, sources: list[Source], out_dir: Path, settings: dict[str, Any], known: Any = ()) -> list[CrawlReport]:
    reports: list[CrawlReport | None] = [None] * n

    def run(i: int) -> None:
        reports[i] = crawl(sources, out_dir / f"worker{i}.jsonl", known_urls=known, timeout_s=60, settings=settings)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in reports)
    return [r for r in reports if r is not None]


def test_two_processes_share_one_frontier(prefix: str, tmp_path: Path) -> None:
    arts = MANIFEST["sites"]["gov-district"]["articles"]
    expected_ok = sorted(a["url"] for a in arts if a["http_status"] == 200)
    settings = {**SETTINGS, "INVESTWATCH_REDIS_PREFIX": prefix}
    with serve_site(WEB / "gov-district") as srv:
        srv.delay = 0.2
        sources = [Source(name="gd", url=srv.base_url + "/zsxx/index.html")]
        reports = _parallel(2, sources, tmp_path / "run1", settings)
        for r in reports:
            assert r.returncode == 0, r.stderr_tail
            assert r.finish_reason == "finished"
        per_worker = [list(iter_items(tmp_path / "run1" / f"worker{i}.jsonl")) for i in range(2)]
        items = per_worker[0] + per_worker[1]
        # the union is the manifest, each article exactly once, and both processes took a share
        assert sorted(p.url.removeprefix(srv.base_url) for p in items if p.ok) == expected_ok
        assert all(any(p.ok for p in w) for w in per_worker), [len(w) for w in per_worker]
        for a in arts:
            assert srv.requests[a["url"]] == 1, a["url"]
        for page in ("/zsxx/index.html", "/zsxx/index_2.html", "/zsxx/index_3.html"):
            assert srv.requests[page] == 1, page
        assert not [r for r in srv.requests if r.startswith("/admin/")]

        # a later run (a new generation: the first run's workers have left) fetches the list page
        # again although its fingerprint persists; stored articles are not requested, and the
        # 404 (never stored) is retried
        known = {p.url: p.known_page() for p in items if p.ok}
        known.pop(srv.base_url + "/zsxx/content/post_2267835.html")  # as if not stored: on page 1
        srv.requests.clear()
        (again,) = _parallel(1, sources, tmp_path / "run2", settings, known)
        assert again.returncode == 0, again.stderr_tail
        assert srv.requests["/zsxx/index.html"] == 1
        assert [u for u in expected_ok if srv.requests[u]] == ["/zsxx/content/post_2267835.html"]
        assert srv.requests["/zsxx/content/post_2603117.html"] == 1  # page 1 not all known: page 2 read
