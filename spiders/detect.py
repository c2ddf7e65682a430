"""Which kind of listing a source URL serves (list page, feed, sitemap or JSON API), and whether an HTML list is
really rendered from a JSON API, from a fetch or two. Pure: the CLI fetches, these functions decide."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from spiders.config import Source
from spiders.listing import (
    _API_PATH,
    _PAGE_PARAMS,
    document_base,
    html_article_links,
    html_list_api,
    html_next_page,
    next_page_url,
    parse_api,
)
from spiders.listing import detect_kind as _detect_listing
from spiders.urls import canonical_url, same_site

KINDS = ("list", "feed", "sitemap", "api")
MAX_API_CANDIDATES = 3  # endpoints probed per list page (each is one more fetch during `sources add`)


def detect_kind(url: str, body: bytes, content_type: str | None = None) -> str:
    """The ``Source.kind`` for a document: "list", "feed", "sitemap" or "api".

    Decided from the content (a feed served as text/html is still a feed), helped by the
    Content-Type and the URL (robots.txt naming sitemaps is a sitemap source).

    >>> detect_kind("http://x/rss.xml", b"<?xml version='1.0'?><rss version='2.0'><channel>")
    'feed'
    >>> detect_kind("http://x/feed", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "text/html")
    'feed'
    >>> detect_kind("http://x/sitemap.xml", b"<?xml version='1.0'?><urlset>"), detect_kind("http://x/robots.txt", b"Sitemap: /s.xml")
    ('sitemap', 'sitemap')
    >>> detect_kind("http://x/api?page=1", b'{"data": {"list": []}}', "application/json")
    'api'
    >>> detect_kind("http://x/zsxx/index.html", "<html><body>下一页</body></html>".encode(), "text/html")
    'list'
    """
    kind = _detect_listing(url, content_type or "", body)
    return kind if kind in KINDS else "list"


# a URL string handed to fetch / XMLHttpRequest.open / jQuery / axios, or the `url:` of an ajax options object
_SCRIPT_URL = re.compile(
    r"""(?:fetch|\$\.(?:ajax|get|getJSON|post)|jQuery\.(?:ajax|get|getJSON)|axios(?:\.get)?|\.open)\s*\(\s*"""
    r"""(?:['"](?:GET|POST)['"]\s*,\s*)?['"](?P<a>[^'"\s]+)['"]"""
    r"""|\burl\s*:\s*['"](?P<b>[^'"\s]+)['"]""",
    re.I,
)
_STATIC = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|css|js|html?|ico|woff2?)$", re.I)


def api_candidates(html: str, page_url: str) -> list[str]:
    """Endpoints a list page may load its items from: the "load more" control's data-api/data-url (see
    ``listing.html_list_api``), then URLs its scripts fetch; same site, API-looking paths, a page parameter
    set to 1 when the scripts page through it. At most MAX_API_CANDIDATES, in page order.

    >>> page = '''<ul id="list"></ul><script>
    ... $.ajax({url: "/ajax/newsList.json", data: {pageNo: 1}}); fetch('https://cdn.x.com/api/a')</script>'''
    >>> api_candidates(page, "http://h/news/index.html")
    ['http://h/ajax/newsList.json?pageNo=1']
    """
    sel = Selector(text=html or "<html></html>", type="html")
    out: list[str] = []
    first = html_list_api(sel, page_url)
    if first:
        out.append(first)
    scripts = "\n".join(sel.xpath("//script/text()").getall())
    base = document_base(sel, page_url)
    param = next((p for p in _PAGE_PARAMS if re.search(rf"\b{p}\b\s*[:=]|[?&]{p}=", scripts)), None)
    for m in _SCRIPT_URL.finditer(scripts):
        raw = (m.group("a") or m.group("b") or "").strip()
        if not raw or raw.startswith(("javascript:", "#", "data:")):
            continue
        url = urljoin(base, raw)
        path = urlsplit(url).path
        if not same_site(url, page_url) or _STATIC.search(path) or not _API_PATH.search(url):
            continue
        if param and next_page_url(url) is None:
            url += ("&" if urlsplit(url).query else "?") + f"{param}=1"
        if url not in out:
            out.append(url)
    return out[:MAX_API_CANDIDATES]


@dataclass(frozen=True)
class Probe:
    """One fetched document: what a candidate endpoint or the next list page returned."""

    url: str
    body: bytes
    content_type: str = ""


@dataclass(frozen=True)
class ListPlan:
    """How `sources add` configures a list-page URL, and what it says about it."""

    kind: str
    url: str
    list_api: str | None = None  # JSON API that continues the HTML list ("load more")
    notes: list[str] = field(default_factory=list)


def _api_items(probe: Probe) -> tuple[list[str], str | None] | None:
    """(item URLs, next page) when the probe is a JSON list with article items, else None."""
    if detect_kind(probe.url, probe.body, probe.content_type) != "api":
        return None
    try:
        data = json.loads(probe.body.decode("utf-8-sig", "replace"))
    except ValueError:
        return None
    entries, nxt, _ = parse_api(data, probe.url)
    return ([e.url for e in entries], nxt) if entries else None


def plan_list(url: str, html: str, probes: dict[str, Probe]) -> ListPlan:
    """Decide how to crawl an HTML list page, given what its API candidates and next page returned.

    * an API (``api_candidates``) returning article items that cover every link of the HTML list, or an HTML
      list without article links: the list is rendered from that API -> kind ``api`` with the endpoint;
    * an API with items the HTML does not show as well: kind ``list`` with ``list_api`` set;
    * a next page that is JSON or a feed: kind ``list`` (the crawler parses each page as what it is);
    * no article links and no API: kind ``list``, with a warning that the list is likely script-rendered.
    """
    sel = Selector(text=html or "<html></html>", type="html")
    links = [e.url for e in html_article_links(sel, url, Source(name="detect", url=url))]
    notes = [f"{len(links)} article link(s) in the HTML list"]
    for endpoint in api_candidates(html, url):
        probe = probes.get(endpoint)
        found = _api_items(probe) if probe is not None else None
        if found is None:
            notes.append(f"candidate endpoint {endpoint}: not a JSON list of articles")
            continue
        items, nxt = found
        paging = f", next page {nxt}" if nxt else ""
        notes.append(f"list rendered from a JSON API: {endpoint} returns {len(items)} article item(s){paging}")
        if not links or set(links) <= set(items):
            notes.append("configured kind api with that endpoint (it holds every item the HTML list shows)")
            return ListPlan(kind="api", url=endpoint, notes=notes)
        notes.append("configured kind list with list_api (the HTML list shows items the API does not)")
        return ListPlan(kind="list", url=url, list_api=endpoint, notes=notes)
    nxt_url = html_next_page(sel, url, Source(name="detect", url=url))
    nxt_probe = probes.get(nxt_url) if nxt_url else None
    if nxt_probe is not None:
        nxt_kind = detect_kind(nxt_probe.url, nxt_probe.body, nxt_probe.content_type)
        if nxt_kind in ("api", "feed"):
            what = "a JSON API" if nxt_kind == "api" else "a feed"
            notes.append(f"pagination continues as {what} at {nxt_url}: followed, each page parsed as what it is")
    if not links:
        notes.append("warning: no article links and no JSON list API found; the list is probably rendered by a "
                     "script this detection cannot follow: give article_links/allow, or the API URL with --kind api")
    return ListPlan(kind="list", url=url, notes=notes)


def probe_urls(url: str, html: str) -> list[str]:
    """The documents ``plan_list`` wants fetched for a list page: its API candidates, then its next page."""
    sel = Selector(text=html or "<html></html>", type="html")
    urls = api_candidates(html, url)
    nxt = html_next_page(sel, url, Source(name="detect", url=url))
    if nxt and canonical_url(nxt) not in {canonical_url(u) for u in urls}:
        urls.append(nxt)
    return urls
