"""Crawl items (the crawler's JSON-lines file) -> stored pages and failures; a dead run's items are ingested.

A run killed mid-crawl leaves ``DATA_DIR/crawl/crawl-runN.jsonl`` behind: every complete line is a page
already fetched. The next run stores them before it crawls (a torn last line is skipped), so those pages
are known and not requested again, then removes the file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from flows import logjson
from flows.progress import fetch_cause
from spiders.run import FetchedPage, iter_items
from storage import repo
from storage.db import transaction
from storage.models import Run, Source

_ITEMS_FILE = re.compile(r"crawl-run(\d+)\.jsonl")


def items_path(work_dir: Path, run_id: int) -> Path:
    return work_dir / f"crawl-run{run_id}.jsonl"


def leftover_files(work_dir: Path, current_run_id: int) -> list[tuple[int, Path]]:
    """(run id, path) of the item files other runs left in ``work_dir``, oldest run first.

    The caller holds the data dir's run lock, so no other live run writes here: every other file is a dead
    run's (a finished run removes its own once its items are stored).
    """
    out = []
    for path in work_dir.glob("crawl-run*.jsonl"):
        m = _ITEMS_FILE.fullmatch(path.name)
        if m and int(m.group(1)) != current_run_id:
            out.append((int(m.group(1)), path))
    return sorted(out)


def as_date(value: str | None) -> date | None:
    """An ISO date string's date (its first 10 characters), or None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def page_in(item: FetchedPage) -> repo.PageIn:
    # role: article | table (a page holding a table of projects, kept raw for a table parser) | listing
    extra: dict[str, Any] = {"redirect_urls": list(item.redirect_urls), "role": item.role,
                             "lastmod": item.lastmod}
    continuation = getattr(item, "continuation_html", None)
    if continuation:
        extra["continuation_html"] = list(continuation)
    return repo.PageIn(
        url=item.url, final_url=item.final_url, status=item.status, body=item.body or b"",
        encoding=item.encoding, headers=dict(item.headers), error=item.error, list_date=as_date(item.list_date),
        list_title=item.list_title, fetched_at=datetime.fromisoformat(item.fetched_at), extra=extra,
    )


# called in the failed item's transaction: (session, item, source id, cause), e.g. to keep a list page pending
OnFailure = Callable[[Session, FetchedPage, int | None, str], None]


def store_items(factory: sessionmaker[Session], path: Path, source_ids: dict[str, int], run_id: int | None,
                stats: Any, *, recovered: bool = False, on_failure: OnFailure | None = None) -> int:
    """Store every complete item of ``path`` as a page (a failure also as a `failures` row); returns the count.

    ``run_id`` is the run that fetched them; ``recovered`` items (a dead run's) count as recovered pages of
    this run, not as pages it fetched. Idempotent: a page stored twice collapses onto one row.
    """
    n = 0
    for item in iter_items(path):
        per = stats.per_source.setdefault(item.source, Counter())
        with transaction(factory) as session:
            source_id = source_ids.get(item.source)
            if source_id is None:  # a source since removed from sources.yaml: keep its page, by name if known
                source_id = session.scalar(select(Source.id).where(Source.name == item.source))
            repo.store_page(session, page_in(item), source_id=source_id, run_id=run_id)
            if item.error or item.status != 200:
                stats.fetch_errors += 1
                cause = fetch_cause(item.status, item.error)
                stats.fetch_error_causes[cause] = stats.fetch_error_causes.get(cause, 0) + 1
                per["errors"] += 1
                repo.record_failure(session, "fetch", f"HTTP {item.status}: {item.error or 'error'}", run_id=run_id,
                                    source_id=source_id, url=item.url)
                logjson.events.warning("fetch failed: %s", cause, extra={"source": item.source, "url": item.url})
                by_cause = stats.source_error_causes.setdefault(item.source, {})
                by_cause[cause] = by_cause.get(cause, 0) + 1
                if on_failure is not None:
                    on_failure(session, item, source_id, cause)
            elif recovered:
                stats.recovered_pages += 1
                per["pages"] += 1
            else:
                stats.pages_fetched += 1
                per["pages"] += 1
        n += 1
    return n


def ingest_leftovers(factory: sessionmaker[Session], work_dir: Path, current_run_id: int,
                     source_ids: dict[str, int], stats: Any) -> int:
    """Store the complete items dead runs left in ``work_dir``, then remove their files; returns the items."""
    total = 0
    for dead_run, path in leftover_files(work_dir, current_run_id):
        with factory() as session:
            owner = dead_run if session.get(Run, dead_run) is not None else None  # the pages name their fetcher
        count = store_items(factory, path, source_ids, owner, stats, recovered=True)
        logjson.events.info("stored %d crawl items left by run %d (%s) instead of fetching them again", count,
                            dead_run, path)
        total += count
        path.unlink(missing_ok=True)
    return total
