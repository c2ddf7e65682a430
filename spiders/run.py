"""Run a crawl in a child process (Scrapy's reactor starts once per process) and read its items.

Library use: ``crawl(sources, out_path)`` -> CrawlReport; ``iter_items(out_path)`` -> FetchedPage.
The child is ``python -m spiders.run JOB.json`` (JOB written by ``crawl``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.config import Source
from spiders.items import FetchedPage, KnownPage
from spiders.known import DATABASE_ENV, StoreLookup
from spiders.procs import crawl_tmp_prefix, die_with_parent

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
    # spiders.middlewares.RetryBackoff: wait 1, 2, 4... s (max 60) before each retry
    "RETRY_BACKOFF_BASE": 1.0,
    "RETRY_BACKOFF_MAX": 60.0,
    "DOWNLOADER_MIDDLEWARES": {
        "spiders.middlewares.RetryBackoff": 560,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
        "spiders.middlewares.LoopAwareRedirect": 600,
    },
    "REDIRECT_MAX_TIMES": 10,
    # emit pages holding a table of projects as role="table" items (off until the pipeline
    # stores them apart from articles; see FetchedPage.role)
    "INVESTWATCH_TABLE_PAGES": True,  # the flow stores table pages (role "table") raw, not as articles
    # bounds per source and run (spiders.generic): a runaway site is cut and the cut recorded
    "INVESTWATCH_MAX_REQUESTS_PER_SOURCE": 5000,
    "INVESTWATCH_SITEMAP_MAX_DEPTH": 3,
    "INVESTWATCH_SITEMAP_MAX_FILES": 50,
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
    listings_ok: dict[str, list[str]] = field(default_factory=dict)  # source -> list pages parsed fine


def crawl(
    sources: list[Source],
    out_path: Path,
    *,
    known_urls: Collection[str] | Mapping[str, KnownPage | str | None] = frozenset(),
    timeout_s: float = 600,
    settings: dict[str, Any] | None = None,
    pending_listings: Sequence[Mapping[str, Any]] | None = None,
    backfill: Collection[str] = (),
    known_db: str | None = None,
) -> CrawlReport:
    """Crawl the enabled sources in a child process; items are appended to ``out_path`` (JSON lines).

    ``known_urls``: canonical URLs already stored; their article pages are not requested again.
    A mapping url -> KnownPage (ETag, Last-Modified, lastmod of the stored fetch; a bare lastmod
    string is accepted too) lets a newer sitemap/feed lastmod trigger a refetch, and a source with
    ``recheck_known`` revalidate the page with a conditional GET (304 counted as ``unchanged``).
    ``settings`` override DEFAULT_SETTINGS; with ``REDIS_URL`` among them the crawl shares its
    frontier with every other crawl of the same sources (``redis_settings``, spiders.frontier).
    A crawl running past ``timeout_s`` is closed (and killed 30 s later if it does not stop);
    the items written so far are kept. ``pending_listings`` ({source, url, page_no}) are list pages that
    failed in earlier runs: requested first, so their branch of the pagination is not lost. Sources named
    in ``backfill`` (never crawled with success) page through their whole list, not stopping at known pages.
    ``known_db`` (a database URL) lets the child look links up in the store itself, a list page at a time
    (spiders.known), on top of ``known_urls``; the URL reaches it in its environment, never in the job file.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.touch()
    if isinstance(known_urls, Mapping):
        known = {url: KnownPage.of(v).to_json() for url, v in known_urls.items()}
    else:
        known = {url: KnownPage().to_json() for url in known_urls}
    enabled = [s for s in sources if s.enabled]
    with tempfile.TemporaryDirectory(prefix=crawl_tmp_prefix()) as tmp:
        job = Path(tmp) / "job.json"
        stats_path = Path(tmp) / "stats.json"
        merged = {**DEFAULT_SETTINGS, **(settings or {})}
        if merged.get("REDIS_URL"):
            merged = {**merged, **redis_settings(enabled, merged)}
        merged["INVESTWATCH_ITEMS_PATH"] = str(out_path.resolve())
        # close gracefully a little before the hard deadline
        merged.setdefault("CLOSESPIDER_TIMEOUT", max(1.0, timeout_s - 10))
        # the Redis URL may hold a password: hand it to the child in its environment, never in the job file
        redis_url = merged.pop("REDIS_URL", None)
        job.write_text(
            json.dumps(
                {
                    "sources": [s.model_dump() for s in enabled],
                    "known": known,
                    "stats_path": str(stats_path),
                    "pending": [dict(p) for p in pending_listings or ()],
                    "backfill": sorted(backfill),
                    "settings": merged,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        if redis_url:
            env[_REDIS_ENV] = str(redis_url)
        if known_db:
            env[DATABASE_ENV] = known_db
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "spiders.run", str(job)],
                capture_output=True,
                text=True,
                timeout=timeout_s + 30,
                env=env,
                check=False,
                preexec_fn=die_with_parent(),  # a killed pipeline must not leave a crawler fetching on
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
        listings_ok={k: list(v) for k, v in stats.get("listings_ok", {}).items()},
    )


def redis_key_prefix(sources: list[Source]) -> str:
    """The Redis key prefix shared by every crawl of the same set of sources (names and URLs).

    >>> redis_key_prefix([Source(name="a", url="http://x/")])
    'investwatch:570a8beaba99'
    """
    ident = "\n".join(sorted(f"{s.name}\t{s.url}" for s in sources))
    return "investwatch:" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]


def redis_settings(sources: list[Source], settings: Mapping[str, Any]) -> dict[str, Any]:
    """Scrapy settings that put the crawl's frontier in Redis (scrapy-redis; see spiders.frontier).

    ``settings`` must hold REDIS_URL; INVESTWATCH_REDIS_PREFIX, when given, replaces the
    per-source-set prefix (tests use a unique one).
    """
    prefix = settings.get("INVESTWATCH_REDIS_PREFIX") or redis_key_prefix(sources)
    return {
        "SCHEDULER": "spiders.frontier.SharedScheduler",
        "DUPEFILTER_CLASS": "spiders.frontier.RunDupeFilter",
        "SCHEDULER_PERSIST": True,  # queue and fingerprints outlive the process (resume, share)
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "INVESTWATCH_REDIS_PREFIX": prefix,
    }


def iter_items(path: Path) -> Iterator[FetchedPage]:
    """The FetchedPage items of a crawl output file, in the order they were written.

    A last line cut short (the crawler was killed mid-write) is skipped: only complete items count.
    """
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            if not line.endswith("\n"):
                return  # incomplete final record of a killed writer
            yield FetchedPage.from_json(json.loads(line))


_REDIS_ENV = "INVESTWATCH_CRAWL_REDIS_URL"


def _run_job(job_path: Path) -> int:
    # imported here so that importing spiders.run (crawl/iter_items) does not load Scrapy
    from scrapy.crawler import CrawlerProcess

    from spiders.generic import SourceSpider

    job = json.loads(job_path.read_text(encoding="utf-8"))
    sources = [Source.model_validate(s) for s in job["sources"]]
    if os.environ.get(_REDIS_ENV):
        job["settings"]["REDIS_URL"] = os.environ[_REDIS_ENV]
        # Scrapy logs every overridden setting at start-up; that line would carry the Redis password
        logging.getLogger("scrapy.crawler").addFilter(lambda r: "Overridden settings" not in r.getMessage())
    if job["settings"].get("REDIS_URL"):
        from scrapy.core.engine import ExecutionEngine

        # An idle worker of a shared frontier polls the Redis queue once per engine heartbeat
        # (5 s by default, a private constant): poll every second so peers pick up work early.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 1.0
    process = CrawlerProcess(settings=job["settings"], install_root_handler=True)
    known: Mapping[str, Any] = job["known"]
    if os.environ.get(DATABASE_ENV):
        lookup = StoreLookup(os.environ[DATABASE_ENV])
        lookup.seed(job["known"])
        known = lookup
    process.crawl(SourceSpider, sources=sources, known=known, stats_path=job["stats_path"],
                  pending=job.get("pending", []), backfill=job.get("backfill", []))
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
