"""Progress of a pipeline run for the person watching: stage and per-source lines, fetch error causes."""

from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("investwatch.progress")

# (pattern in the crawler's cause, the cause as the summary names it); first match wins
_CAUSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"DNSLookupError|DNS lookup failed|Name or service not known|No address associated", re.I),
     "DNS lookup failed"),
    (re.compile(r"ConnectionRefused|Connection was refused", re.I), "connection refused"),
    (re.compile(r"Timeout|timed out|took longer than", re.I), "timed out"),
    (re.compile(r"SSL|TLS|certificate", re.I), "TLS error"),
    (re.compile(r"ConnectionLost|ResponseNeverReceived|ConnectionDone|connection was closed", re.I),
     "connection lost"),
    (re.compile(r"robots", re.I), "refused by robots.txt"),
    (re.compile(r"redirect", re.I), "redirect loop"),
    (re.compile(r"unparsable", re.I), "unparsable listing"),
]


def fetch_cause(status: int, error: str | None) -> str:
    """The cause of one failed fetch, in words a summary can count.

    >>> fetch_cause(0, "DNSLookupError: DNS lookup failed: no results for hostname lookup: www.x.cn.")
    'DNS lookup failed'
    >>> fetch_cause(404, "HTTP 404"), fetch_cause(0, "TCPTimedOutError: TCP connection timed out: 110"), fetch_cause(0, "Weird: x")
    ('HTTP 404', 'timed out', 'Weird')
    """
    text = error or ""
    for pattern, cause in _CAUSES:
        if pattern.search(text):
            return cause
    if status >= 400:
        return f"HTTP {status}"
    return text.split(":", 1)[0][:60] or "unknown error"


def causes_text(causes: dict[str, int]) -> str:
    """'14 × DNS lookup failed, 2 × HTTP 404', most frequent first.

    >>> causes_text({"HTTP 404": 2, "DNS lookup failed": 14})
    '14 × DNS lookup failed, 2 × HTTP 404'
    """
    return ", ".join(f"{n} × {cause}" for cause, n in Counter(causes).most_common())


def summary_line(result: dict[str, Any]) -> str:
    """One line for a scheduled run's log: what it fetched, found and sent.

    >>> summary_line({"run_id": 3, "pages_fetched": 20, "fetch_errors": 1, "fetch_error_causes": {"HTTP 404": 1},
    ...               "new_articles": 5, "parsed_articles": 5, "projects": [1, 2], "alerts_sent": 2})
    'run 3: 20 pages, 1 fetch errors (1 × HTTP 404), 5 new articles, 5 parsed, 2 projects touched, 2 alerts sent'
    """
    errors = f"{result.get('fetch_errors', 0)} fetch errors"
    if result.get("fetch_error_causes"):
        errors += f" ({causes_text(result['fetch_error_causes'])})"
    return (f"run {result.get('run_id', '?')}: {result.get('pages_fetched', 0)} pages, {errors}, "
            f"{result.get('new_articles', 0)} new articles, {result.get('parsed_articles', 0)} parsed, "
            f"{len(result.get('projects', []))} projects touched, {result.get('alerts_sent', 0)} alerts sent")


def source_lines(per_source: dict[str, dict[str, int]]) -> Iterable[str]:
    for name, counts in sorted(per_source.items()):
        failed = counts.get("listings_failed", 0)
        yield (f"  {name}: {counts.get('links_found', 0)} links, {counts.get('pages', 0)} pages, "
               f"{counts.get('errors', 0)} errors" + (f", {failed} list pages failed (kept pending)" if failed else ""))


class _PlainHandler(logging.Handler):
    """Plain lines on stderr (logs, CI, pipes)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"investwatch: {record.getMessage()}\n")
        sys.stderr.flush()


class _RichHandler(logging.Handler):
    """On a terminal: each line printed, the current stage shown in a rich spinner."""

    def __init__(self, status: Any, console: Any) -> None:
        super().__init__()
        self.status, self.console = status, console

    def emit(self, record: logging.LogRecord) -> None:
        from rich.markup import escape

        message = escape(record.getMessage())  # source names and errors are not markup
        self.console.print(message, highlight=False)
        self.status.update(f"[bold]{message}")


@contextmanager
def shown(tty: bool | None = None) -> Iterator[None]:
    """Show progress lines while the block runs: a rich spinner on a terminal, plain stderr lines otherwise."""
    from rich.console import Console

    from flows import logjson

    if logjson.enabled():  # --log-json: the same lines, as JSON with the run's context
        with _attached(logjson.handler()):
            yield
        return
    console = Console(stderr=True)
    tty = console.is_terminal if tty is None else tty
    if tty:
        with console.status("starting") as status:
            handler: logging.Handler = _RichHandler(status, console)
            with _attached(handler):
                yield
    else:
        with _attached(_PlainHandler()):
            yield


@contextmanager
def _attached(handler: logging.Handler) -> Iterator[None]:
    old_level, old_propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # not into Prefect's or Scrapy's root handlers
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(old_level)
        log.propagate = old_propagate
