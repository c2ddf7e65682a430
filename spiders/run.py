"""Run a crawl in a child process (Scrapy's reactor starts once per process) and read its items.

Library use: ``crawl(sources, out_path)`` -> CrawlReport; ``iter_items(out_path)`` -> FetchedPage.
The child is ``python -m spiders.run JOB.json`` (JOB written by ``crawl``).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.config import Source
from spiders.items import FetchedPage

USER_AGENT = "Mozilla/5.0 (compatible; investwatch/0.1; investment-news monitor; polite crawler)"

# Politeness and safety set once here; callers override per run (tests turn the delays down).
DEFAULT_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "investwatch",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 2.0,
    "AUTOTHROTTLE_MAX_DELAY": 60.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_DELAY": 1.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 3,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
    "COOKIES_ENABLED": False,
    # Scrapy 2.19 enables an HTTP endpoint that runs posted Python code: never on
    "REMOTE_CONTROL_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "FEED_EXPORT_ENCODING": "utf-8",
    # non-2xx responses go to the errback (HttpError) and are recorded as failures there
    "HTTPERROR_ALLOW_ALL": False,
    "ITEM_PIPELINES": {"spiders.pipelines.JsonLinesWriter": 300},
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlReport:
    """What one crawl did; ``per_source[name]`` has pages_fetched, articles, errors, listings..."""

    items_path: Path
    pages_fetched: int = 0
    articles: int = 0
    errors: int = 0
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)
    returncode: int = 0
    stderr_tail: str = ""
    finish_reason: str | None = None


def crawl(
    sources: list[Source],
    out_path: Path,
    *,
    known_urls: Collection[str] | Mapping[str, str | None] = frozenset(),
    timeout_s: float = 600,
    settings: dict[str, Any] | None = None,
) -> CrawlReport:
    """Crawl the enabled sources in a child process; items are appended to ``out_path`` (JSON lines).

    ``known_urls``: canonical URLs already stored; their article pages are not requested again.
    A mapping url -> stored lastmod (ISO) lets a newer sitemap/feed lastmod trigger a refetch.
    ``settings`` override DEFAULT_SETTINGS. A crawl running past ``timeout_s`` is closed (and
    killed 30 s later if it does not stop); the items written so far are kept.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.touch()
    known = dict(known_urls) if isinstance(known_urls, Mapping) else dict.fromkeys(known_urls)
    with tempfile.TemporaryDirectory(prefix="investwatch-crawl-") as tmp:
        job = Path(tmp) / "job.json"
        stats_path = Path(tmp) / "stats.json"
        merged = {**DEFAULT_SETTINGS, **(settings or {})}
        merged["INVESTWATCH_ITEMS_PATH"] = str(out_path.resolve())
        # close gracefully a little before the hard deadline
        merged.setdefault("CLOSESPIDER_TIMEOUT", max(1.0, timeout_s - 10))
        job.write_text(
            json.dumps(
                {
                    "sources": [s.model_dump() for s in sources if s.enabled],
                    "known": known,
                    "stats_path": str(stats_path),
                    "settings": merged,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "spiders.run", str(job)],
                capture_output=True,
                text=True,
                timeout=timeout_s + 30,
                env=env,
                check=False,
            )
            returncode, stderr = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired as e:
            returncode = -9
            err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
            stderr = err + "\n[investwatch] crawl killed after timeout"
        stats: dict[str, Any] = {}
        if stats_path.exists():
            stats = json.loads(stats_path.read_text(encoding="utf-8"))
    per_source: dict[str, dict[str, int]] = stats.get("per_source", {})
    return CrawlReport(
        items_path=out_path,
        pages_fetched=sum(v.get("pages_fetched", 0) for v in per_source.values()),
        articles=sum(v.get("articles", 0) for v in per_source.values()),
        errors=sum(v.get("errors", 0) for v in per_source.values()),
        per_source=per_source,
        returncode=returncode,
        stderr_tail=stderr[-4000:],
        finish_reason=stats.get("reason"),
    )


def iter_items(path: Path) -> Iterator[FetchedPage]:
    """The FetchedPage items of a crawl output file, in the order they were written."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield FetchedPage.from_json(json.loads(line))


def _run_job(job_path: Path) -> int:
    # imported here so that importing spiders.run (crawl/iter_items) does not load Scrapy
    from scrapy.crawler import CrawlerProcess

    from spiders.generic import SourceSpider

    job = json.loads(job_path.read_text(encoding="utf-8"))
    sources = [Source.model_validate(s) for s in job["sources"]]
    process = CrawlerProcess(settings=job["settings"], install_root_handler=True)
    process.crawl(SourceSpider, sources=sources, known=job["known"], stats_path=job["stats_path"])
    process.start()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Child-process entry point: ``python -m spiders.run JOB.json``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m spiders.run JOB.json (written by spiders.run.crawl)", file=sys.stderr)
        return 2
    logging.captureWarnings(True)
    return _run_job(Path(args[0]))


if __name__ == "__main__":
    raise SystemExit(main())
