"""Downloader middlewares: back-off before retries (Scrapy retries at once) and loud redirect loops."""

from __future__ import annotations

import asyncio
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request


def backoff_delay(retry_times: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number ``retry_times`` (1-based): base, 2*base, 4*base... capped.

    >>> [backoff_delay(n, 1.0, 5.0) for n in range(5)]
    [0.0, 1.0, 2.0, 4.0, 5.0]
    """
    if retry_times <= 0 or base <= 0:
        return 0.0
    return float(min(cap, base * 2 ** (retry_times - 1)))


class RetryBackoff:
    """Sleeps before sending a retried request (``meta["retry_times"]`` set by RetryMiddleware).

    Scrapy's RetryMiddleware reschedules a failed request immediately; a struggling server (5xx,
    timeouts) deserves a pause. The wait happens before the request enters a download slot, so
    other requests keep flowing. Settings: RETRY_BACKOFF_BASE (s, 0 disables), RETRY_BACKOFF_MAX.
    """

    def __init__(self, base: float, cap: float) -> None:
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0), crawler.settings.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request: Request, spider: Any = None) -> None:
        delay = backoff_delay(int(request.meta.get("retry_times", 0)), self.base, self.cap)
        if delay:
            await asyncio.sleep(delay)


class LoopAwareRedirect(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, but a loop fails loudly instead of vanishing.

    Stock Scrapy keeps ``dont_filter`` on a redirected request, so a redirect back to a URL already
    seen (A -> B -> A) is dropped by the dupefilter with no callback or errback: the failure would
    go unrecorded. Here a redirect to a URL already in the chain raises IgnoreRequest naming the
    loop (the spider records it), and other redirected requests bypass the dupefilter (the chain
    is bounded by REDIRECT_MAX_TIMES), so two URLs redirecting to one page both get their item.
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            request.meta["redirect_urls"] = chain  # the spider reports the hops seen
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, redirected.url])}"[:300])
        out = super()._redirect(redirected, request, reason)
        out.dont_filter = True
        return out
