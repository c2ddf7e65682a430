"""The one config-driven spider: listings (HTML lists, feeds, sitemaps, JSON APIs) -> article pages."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.config import Source
from spiders.items import FetchedPage, KnownPage
from spiders.known import StoreLookup, known_of
from spiders.listing import (
    ListEntry,
    detect_kind,
    feed_next_page,
    find_continuation,
    has_data_table,
    html_article_links,
    html_list_api,
    html_next_page,
    parse_api,
    parse_feed,
    parse_sitemap,
)
from spiders.urls import canonical_url, looks_like_list

MAX_CONTINUATION_PAGES = 20
MAX_TABLE_CANDIDATES = 20  # non-article sitemap pages looked at per sitemap, for project tables


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _headers(response: Response) -> dict[str, str]:
    return {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _request_of(failure: Failure) -> Request:
    # Scrapy attaches the failed request to the Failure it passes to an errback
    request: Request = failure.request  # type: ignore[attr-defined]
    return request


def _describe_failure(failure: Failure) -> tuple[int, str]:
    """(HTTP status or 0, short cause) of a failed request."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return status, f"HTTP {status}"
    name = type(failure.value).__name__
    message = failure.getErrorMessage()
    if failure.check(IgnoreRequest) and "redirect" in message.lower():
        # a loop (spiders.middlewares.LoopAwareRedirect) or a chain over REDIRECT_MAX_TIMES
        return 0, message if message.startswith("redirect") else f"too many redirects: {message}"
    return 0, f"{name}: {message}"[:300]


def _when(value: str) -> datetime | None:
    """A lastmod/feed date as an aware datetime (naive = UTC), or None when unreadable."""
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def is_newer(listed: str | None, stored: str | None) -> bool:
    """Whether a listing's lastmod says the page changed since the stored lastmod.

    Compared as instants (a sitemap date, an ISO timestamp and an RFC 822 feed date can meet);
    two unreadable values count as changed only when they differ.

    >>> is_newer("2022-12-12T10:30:00+08:00", "2022-12-08"), is_newer("2022-12-08", "2022-12-08")
    (True, False)
    >>> is_newer("Wed, 12 Apr 2023 11:26:41 +0800", "2023-04-12T11:26:41+08:00"), is_newer(None, "x")
    (False, False)
    """
    if not listed or not stored:
        return False
    a, b = _when(listed), _when(stored)
    if a is None or b is None:
        return listed.strip() != stored.strip()
    return a > b


class SourceSpider(scrapy.Spider):
    """Crawls each Source's entry listing, its next pages, and the article pages it links to.

    ``known`` maps canonical article URLs already stored to what was stored with them (KnownPage:
    ETag, Last-Modified, lastmod): those pages are not requested again unless a sitemap/feed
    lastmod is newer than the stored one, or the source has ``recheck_known`` (then a conditional
    GET; 304 = unchanged, counted, no item). Pagination stops at a listing whose article links are
    all known. With REDIS_URL set the frontier is shared with other processes (spiders.frontier).
    """

    name = "investwatch"

    def __init__(
        self,
        sources: list[Source],
        known: Mapping[str, KnownPage | Mapping[str, Any] | str | None] | None = None,
        stats_path: str | None = None,
        pending: list[Mapping[str, Any]] | None = None,
        backfill: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = [s for s in sources if s.enabled]
        # list pages that failed in earlier runs ({source, url, page_no}): fetched first, so a failed
        # page 2 is not a lost branch when page 1 shows only known articles
        self.pending: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for p in pending or ():
            self.pending[str(p["source"])].append((str(p["url"]), int(p.get("page_no") or 2)))
        self.listings_ok: dict[str, set[str]] = defaultdict(set)  # canonical list-page URLs parsed fine
        self.backfill = set(backfill or ())  # sources never crawled with success: no stop at known pages
        # a StoreLookup (spiders.known) asks the store per list page; a plain mapping is what the caller knows
        self.known: Mapping[str, KnownPage] = known_of(known)
        self.stats_path = stats_path
        self.requested: set[str] = set()  # canonical article URLs already scheduled
        # what all listings said about a URL (a feed may date an item a list page left undated)
        self.entries: dict[str, ListEntry] = {}
        self.per_source: dict[str, Counter[str]] = defaultdict(Counter)

    @property
    def shared(self) -> bool:
        """Whether requests go through the Redis frontier shared with other crawler processes."""
        return bool(self.crawler.settings.get("REDIS_URL"))

    @property
    def tables(self) -> bool:
        """Whether pages holding a table of projects are emitted (role "table")."""
        return self.crawler.settings.getbool("INVESTWATCH_TABLE_PAGES")

    async def start(self) -> AsyncIterator[Request]:
        for src in self.sources:
            self.per_source[src.name]["listings"] += 0
            entry = canonical_url(src.url)
            for url, page_no in self.pending.get(src.name, ()):
                if canonical_url(url) == entry or self.per_source[src.name]["requests"] >= self.max_requests:
                    continue  # the entry page is fetched anyway
                self.per_source[src.name]["requests"] += 1
                self.per_source[src.name]["pending_retried"] += 1
                yield self._listing_request(url, src, page_no=max(page_no, 2), pending=True)
            self.per_source[src.name]["requests"] += 1
            yield self._listing_request(src.url, src, page_no=1)

    # ------------------------------------------------------------ requests

    def _listing_request(
        self, url: str, source: Source, page_no: int, guessed: bool = False, pending: bool = False
    ) -> Request:
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"source": source, "page_no": page_no, "guessed": guessed},
            # an entry URL listed twice in the config still runs once per source; the shared
            # frontier scopes listing fingerprints by source (and run) instead
            dont_filter=(page_no == 1 or pending) and not self.shared,
            # a list page that failed in an earlier run goes first: its branch was cut there
            priority=10 if pending else 0,
            meta={"iw_scope": source.name},
        )

    def _prefetch(self, entries: list[ListEntry]) -> None:
        if isinstance(self.known, StoreLookup):
            self.known.prefetch(e.url for e in entries)  # one query for the links of a page

    def _is_known(self, entry: ListEntry) -> bool:
        stored = self.known.get(entry.url)
        if stored is None:
            return False
        # a newer sitemap/feed lastmod than the stored one means the page changed: refetch
        return not is_newer(entry.lastmod, stored.lastmod)

    def _remember(self, entry: ListEntry) -> None:
        old = self.entries.get(entry.url)
        if old is None:
            self.entries[entry.url] = entry
        else:
            self.entries[entry.url] = ListEntry(
                url=old.url,
                title=old.title or entry.title,
                date=old.date or entry.date,
                lastmod=old.lastmod or entry.lastmod,
            )

    def _article_requests(self, entries: list[ListEntry], source: Source) -> Iterator[Request]:
        self._prefetch(entries)
        for entry in entries:
            self._remember(entry)
            if entry.url in self.requested:
                continue
            headers: dict[str, str] = {}
            if self._is_known(entry):
                if not source.recheck_known:
                    self.per_source[source.name]["known_skipped"] += 1
                    continue
                stored = self.known[entry.url]
                if stored.etag:
                    headers["If-None-Match"] = stored.etag
                if stored.last_modified:
                    headers["If-Modified-Since"] = stored.last_modified
            self.requested.add(entry.url)
            yield Request(
                entry.url,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"source": source, "entry": entry},
                headers=headers or None,
                # a 304 reaches parse_article instead of the errback
                meta={"handle_httpstatus_list": [304]} if headers else {},
            )

    # ------------------------------------------------------------ listings

    @property
    def max_requests(self) -> int:
        """INVESTWATCH_MAX_REQUESTS_PER_SOURCE: listing, article and table requests one source may make per run."""
        return self.crawler.settings.getint("INVESTWATCH_MAX_REQUESTS_PER_SOURCE", 5000)

    def _within_budget(self, source: Source, out: Iterator[Request | FetchedPage]) -> Iterator[Request | FetchedPage]:
        """Pass items through; drop requests past the source's request budget, counting that it was reached
        (the flow records it as a failure of the source, so a runaway site is seen, not silently cut)."""
        stats = self.per_source[source.name]
        for x in out:
            if isinstance(x, Request):
                if stats["requests"] >= self.max_requests:
                    stats["request_limit_reached"] = 1
                    stats["requests_dropped"] += 1
                    continue
                stats["requests"] += 1
            yield x

    def _sitemap_children(self, children: list[str], source: Source, depth: int) -> Iterator[Request]:
        """Child sitemaps, bounded in depth and count: an index linking to a next index forever (each
        with a new URL, so the dupefilter never stops it) is cut here and the cut is counted."""
        settings = self.crawler.settings
        max_depth = settings.getint("INVESTWATCH_SITEMAP_MAX_DEPTH", 3)
        max_files = settings.getint("INVESTWATCH_SITEMAP_MAX_FILES", 50)
        stats = self.per_source[source.name]
        for child in children:
            if depth >= max_depth or stats["sitemaps_followed"] >= max_files:
                stats["sitemap_limit_reached"] = 1
                return
            stats["sitemaps_followed"] += 1
            yield self._listing_request(child, source, depth + 1)

    def parse_listing(
        self, response: Response, source: Source, page_no: int, guessed: bool
    ) -> Iterator[Request | FetchedPage]:
        yield from self._within_budget(source, self._parse_listing(response, source, page_no, guessed))

    def _parse_listing(
        self, response: Response, source: Source, page_no: int, guessed: bool
    ) -> Iterator[Request | FetchedPage]:
        stats = self.per_source[source.name]
        stats["pages_fetched"] += 1
        stats["listings"] += 1
        # each response is parsed as what it is (an HTML list's "load more" continues as JSON, a
        # feed may be served as text/html), never as the source's configured kind
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        kind = detect_kind(response.url, content_type, response.body)
        next_url: str | None = None
        next_guessed = False
        api_url: str | None = None
        try:
            if kind == "feed":
                entries = parse_feed(response.body, response.url)
                next_url = feed_next_page(response.body, response.url)
            elif kind == "sitemap":
                entries, children = parse_sitemap(response.body, response.url)
                others = [e for e in entries if not _sitemap_article(e, source)]
                entries = [e for e in entries if _sitemap_article(e, source)]
                if self.tables:
                    yield from self._table_candidates(others, source)
                yield from self._sitemap_children(children, source, page_no)  # page_no: depth of this sitemap
            elif kind == "api":
                entries, next_url, next_guessed = parse_api(json.loads(response.text), response.url)
            else:
                if not isinstance(response, TextResponse):
                    raise ValueError(f"not a text document ({response.headers.get('Content-Type')!r})")
                sel = Selector(text=response.text, type="html")
                entries = html_article_links(sel, response.url, source)
                next_url = html_next_page(sel, response.url, source)
                if self.tables and has_data_table(sel):  # a list page that is itself a table of projects
                    yield self._page_item(response, source, ListEntry(url=canonical_url(response.url)), "table")
                if page_no == 1:  # the "load more" JSON API behind the entry list page
                    api_url = source.list_api or html_list_api(sel, response.url)
        except (ValueError, SyntaxError) as e:  # bad JSON/XML (ParseError is a SyntaxError)
            stats["errors"] += 1
            item = self._failure_item(source, _first_url(response.request) if response.request else response.url,
                                      response.status, f"unparsable {kind}: {e}"[:300], "listing")
            item.page_no = page_no
            yield item
            return
        if response.request is not None:
            self.listings_ok[source.name].add(canonical_url(_first_url(response.request)))
        stats["links_found"] += len(entries)
        yield from self._article_requests(entries, source)
        # a source crawled for the first time reads its whole list (up to max_pages): articles known through
        # another source say nothing about how far back this one's list goes
        all_known = (source.name not in self.backfill and bool(entries)
                     and all(self._is_known(e) for e in entries))
        if next_url and page_no < source.max_pages and not all_known:
            yield self._listing_request(next_url, source, page_no + 1, guessed=next_guessed)
        if api_url and page_no < source.max_pages and not all_known:
            yield self._listing_request(api_url, source, page_no + 1)

    def listing_failed(self, failure: Failure) -> Iterator[FetchedPage]:
        request = _request_of(failure)
        source: Source = request.cb_kwargs["source"]
        status, cause = _describe_failure(failure)
        self._count_response(source, failure)
        if request.cb_kwargs.get("guessed") and status == 404:
            self.logger.debug("end of list at %s", request.url)  # a guessed page N+1 that is absent
            return
        if not failure.check(HttpError) and _robots_refused(failure):
            self.per_source[source.name]["robots_skipped"] += 1
            return
        self.per_source[source.name]["errors"] += 1
        item = self._failure_item(source, _first_url(request), status, cause, "listing", failure)
        item.page_no = int(request.cb_kwargs.get("page_no") or 1)
        yield item

    # ------------------------------------------------------------ articles

    def _table_candidates(self, entries: list[ListEntry], source: Source) -> Iterator[Request]:
        # sitemap pages that are not article-shaped may hold a table of projects; look at a few
        # (not the home page, not list pages, not stored ones unless their lastmod moved)
        picked = 0
        self._prefetch(entries)
        for entry in entries:
            path = urlsplit(entry.url).path
            if picked >= MAX_TABLE_CANDIDATES or path in ("", "/", "/index.html"):
                continue
            if entry.url in self.requested or self._is_known(entry) or path.endswith((".xml", ".txt", ".json")):
                continue
            self.requested.add(entry.url)
            picked += 1
            yield Request(
                entry.url,
                callback=self.parse_table_candidate,
                errback=self.article_failed,
                cb_kwargs={"source": source, "entry": entry},
                meta={"iw_optional": True},
            )

    def parse_table_candidate(self, response: Response, source: Source, entry: ListEntry) -> Iterator[FetchedPage]:
        self.per_source[source.name]["pages_fetched"] += 1
        if isinstance(response, TextResponse) and has_data_table(Selector(text=response.text)):
            yield self._page_item(response, source, entry, "table")
        else:
            self.per_source[source.name]["non_article_skipped"] += 1

    def _page_item(self, response: Response, source: Source, entry: ListEntry, role: str) -> FetchedPage:
        if role == "table":
            self.per_source[source.name]["tables"] += 1
        return FetchedPage(
            source=source.name,
            url=entry.url,
            final_url=response.url,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            encoding=response.encoding if isinstance(response, TextResponse) else None,
            text=response.text if isinstance(response, TextResponse) else "",
            list_date=entry.date,
            list_title=entry.title,
            fetched_at=_now(),
            redirect_urls=list(response.request.meta.get("redirect_urls", [])) if response.request else [],
            role=role,
            lastmod=entry.lastmod,
        )

    def parse_article(self, response: Response, source: Source, entry: ListEntry) -> Iterator[Request | FetchedPage]:
        self.per_source[source.name]["pages_fetched"] += 1
        if response.status == 304:  # conditional GET of a known page: unchanged, nothing to store
            self.per_source[source.name]["unchanged"] += 1
            return
        page = self._page_item(response, source, self.entries.get(entry.url, entry), "article")
        yield from self._continue_or_emit(page, response, source)

    def _continue_or_emit(
        self, page: FetchedPage, response: Response, source: Source
    ) -> Iterator[Request | FetchedPage]:
        nxt = None
        if isinstance(response, TextResponse) and len(page.continuation_urls) < MAX_CONTINUATION_PAGES:
            nxt = find_continuation(Selector(text=response.text), response.url, page.final_url)
        if nxt and nxt not in self.requested and nxt != page.url:
            self.requested.add(nxt)
            yield Request(
                nxt,
                callback=self.parse_continuation,
                errback=self.continuation_failed,
                cb_kwargs={"page": page, "source": source},
            )
            return
        self.per_source[source.name]["articles"] += 1
        yield page

    def parse_continuation(
        self, response: Response, page: FetchedPage, source: Source
    ) -> Iterator[Request | FetchedPage]:
        self.per_source[source.name]["pages_fetched"] += 1
        page.continuation_urls.append(canonical_url(response.url))
        page.continuation_html.append(response.text if isinstance(response, TextResponse) else "")
        yield from self._continue_or_emit(page, response, source)

    def continuation_failed(self, failure: Failure) -> Iterator[FetchedPage]:
        # the first page is still a good article: emit what we have, noting the missing page
        request = _request_of(failure)
        page: FetchedPage = request.cb_kwargs["page"]
        source: Source = request.cb_kwargs["source"]
        status, cause = _describe_failure(failure)
        self._count_response(source, failure)
        self.per_source[source.name]["errors"] += 1
        self.logger.warning("continuation %s failed: %s", request.url, cause)
        yield self._failure_item(source, request.url, status, cause, "continuation", failure)
        self.per_source[source.name]["articles"] += 1
        yield page

    def article_failed(self, failure: Failure) -> Iterator[FetchedPage]:
        request = _request_of(failure)
        source: Source = request.cb_kwargs["source"]
        entry: ListEntry = request.cb_kwargs["entry"]
        if not failure.check(HttpError) and _robots_refused(failure):
            self.per_source[source.name]["robots_skipped"] += 1
            return
        if request.meta.get("iw_optional"):  # a table candidate, not an article: nothing lost
            self._count_response(source, failure)
            self.per_source[source.name]["non_article_skipped"] += 1
            return
        status, cause = _describe_failure(failure)
        self._count_response(source, failure)
        self.per_source[source.name]["errors"] += 1
        entry = self.entries.get(entry.url, entry)
        item = self._failure_item(source, entry.url, status, cause, "article", failure)
        item.list_date, item.list_title = entry.date, entry.title
        yield item

    # ------------------------------------------------------------ helpers

    def _count_response(self, source: Source, failure: Failure) -> None:
        # an HTTP error page was still fetched (a timeout or DNS failure was not)
        if failure.check(HttpError):
            self.per_source[source.name]["pages_fetched"] += 1

    def _failure_item(
        self, source: Source, url: str, status: int, cause: str, role: str, failure: Failure | None = None
    ) -> FetchedPage:
        headers: dict[str, str] = {}
        final_url = url
        redirects: list[str] = []
        if failure is not None:
            redirects = list(_request_of(failure).meta.get("redirect_urls", []))
            final_url = _request_of(failure).url
        if failure is not None and failure.check(HttpError):
            resp = failure.value.response
            headers, final_url = _headers(resp), resp.url
        return FetchedPage(
            source=source.name,
            url=canonical_url(url),
            final_url=final_url,
            status=status,
            headers=headers,
            fetched_at=_now(),
            error=cause,
            role=role,
            redirect_urls=redirects,
        )

    def closed(self, reason: str) -> None:
        if self.stats_path:
            data = {"reason": reason, "per_source": {k: dict(v) for k, v in self.per_source.items()},
                    "listings_ok": {k: sorted(v) for k, v in self.listings_ok.items()}}
            Path(self.stats_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _first_url(request: Request) -> str:
    """The URL a request was made for, before any redirect (the key of a list page in the frontier)."""
    redirects = request.meta.get("redirect_urls") or []
    return str(redirects[0]) if redirects else request.url


def _robots_refused(failure: Failure) -> bool:
    return bool(failure.check(IgnoreRequest)) and "robots" in failure.getErrorMessage().lower()


def _sitemap_article(entry: ListEntry, source: Source) -> bool:
    # a sitemap's pages are articles unless they are clearly list/index/home pages or files (those are
    # looked at for project tables instead); ``allow`` (regex) replaces the test
    if source.allow:
        return bool(re.search(source.allow, entry.url))
    return not looks_like_list(entry.url)
