"""The plain item every spider yields: one fetched article page (or one failed fetch)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class KnownPage:
    """Validators of an article page already stored, so a later crawl can skip or revalidate it.

    ``etag``/``last_modified`` are the stored response's ETag and Last-Modified headers (sent back
    as If-None-Match / If-Modified-Since when a source rechecks known pages); ``lastmod`` is the
    sitemap/feed lastmod stored with it (a newer one in a listing means the page changed).

    >>> KnownPage.from_json({"etag": '"a1"', "lastmod": "2022-12-08"})
    KnownPage(etag='"a1"', last_modified=None, lastmod='2022-12-08')
    """

    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: Mapping[str, Any] | None) -> KnownPage:
        d = d or {}
        return cls(etag=d.get("etag"), last_modified=d.get("last_modified"), lastmod=d.get("lastmod"))

    @classmethod
    def of(cls, value: KnownPage | Mapping[str, Any] | str | None) -> KnownPage:
        """A KnownPage from a KnownPage, its JSON dict, a stored lastmod string, or None.

        >>> KnownPage.of("2022-12-08").lastmod, KnownPage.of(None)
        ('2022-12-08', KnownPage(etag=None, last_modified=None, lastmod=None))
        """
        if isinstance(value, KnownPage):
            return value
        if isinstance(value, Mapping):
            return cls.from_json(value)
        return cls(lastmod=value)


@dataclass
class FetchedPage:
    """A fetched page as stored raw; never decides whether it is news.

    ``role`` is "article" for article pages, "table" for a page holding an HTML table of projects
    (a list page or a non-article sitemap page; kept for the table parser, not an article), and
    "listing"/"continuation" for a failed list page/feed/sitemap/API page or article page 2..N
    (successful listings are not written). A failure has ``error`` set and is never an
    article. A multi-page article is ONE item: the first page, with the decoded HTML of pages
    2..N in ``continuation_html`` (their URLs in ``continuation_urls``); join them with
    ``parsers.html.extract_article``.
    """

    source: str
    url: str  # canonical URL (the dedupe key)
    final_url: str  # after redirects
    status: int  # HTTP status; 0 when no response (timeout, DNS, refused)
    headers: dict[str, str] = field(default_factory=dict)  # lowercased names (etag, last-modified...)
    body: bytes = b""
    encoding: str | None = None  # what Scrapy decoded with, e.g. "gb18030", "utf-8"
    text: str = ""  # decoded HTML (response.text)
    list_date: str | None = None  # ISO date from the list page/feed/sitemap/API
    list_title: str | None = None
    fetched_at: str = ""  # UTC ISO 8601
    error: str | None = None
    redirect_urls: list[str] = field(default_factory=list)
    role: str = "article"
    lastmod: str | None = None  # sitemap/feed lastmod when given (ISO)
    continuation_urls: list[str] = field(default_factory=list)
    continuation_html: list[str] = field(default_factory=list)
    page_no: int = 0  # a failed listing: its place in the source's pagination (1 = the entry page)

    @property
    def ok(self) -> bool:
        """A usable article page: HTTP 2xx, no error.

        >>> FetchedPage("s", "u", "u", 200).ok, FetchedPage("s", "u", "u", 404, error="HTTP 404").ok
        (True, False)
        """
        return self.error is None and 200 <= self.status < 300

    def known_page(self) -> KnownPage:
        """What to store with this page so the next crawl can skip or revalidate it.

        >>> FetchedPage("s", "u", "u", 200, headers={"etag": '"x"'}, lastmod="2023-01-02").known_page()
        KnownPage(etag='"x"', last_modified=None, lastmod='2023-01-02')
        """
        return KnownPage(etag=self.headers.get("etag"), last_modified=self.headers.get("last-modified"), lastmod=self.lastmod)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (body as base64).

        >>> FetchedPage("s", "u", "u", 200, body=b"<p>x</p>").to_json()["body"]
        'PHA+eDwvcD4='
        """
        d = asdict(self)
        d["body"] = base64.b64encode(self.body).decode("ascii")
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> FetchedPage:
        """Inverse of to_json (unknown keys ignored so old files stay readable).

        >>> p = FetchedPage("s", "u", "u", 200, body="页".encode("gbk"))
        >>> FetchedPage.from_json(p.to_json()) == p
        True
        """
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        known["body"] = base64.b64decode(known.get("body") or "")
        return cls(**known)
