"""Which kind of listing a source URL serves (list page, feed, sitemap or JSON API), from one fetch."""

from __future__ import annotations

from spiders.listing import detect_kind as _detect_listing

KINDS = ("list", "feed", "sitemap", "api")


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
