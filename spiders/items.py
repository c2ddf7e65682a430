"""The plain item every spider yields: one fetched article page (or one failed fetch)."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FetchedPage:
    """A fetched page as stored raw; never decides whether it is news.

    ``role`` is "article" for article pages and "listing" for a failed list page/feed/sitemap/API
    page (successful listings are not written). A failure has ``error`` set and is never an
    article. A multi-page article is ONE item: the first page, with the decoded HTML of pages
    2..N in ``continuation_html`` (their URLs in ``continuation_urls``); join them with
    ``parsers.html.extract_article``.
    """

    source: str
    url: str  # canonical URL (the dedupe key)
    final_url: str  # after redirects
    status: int  # HTTP status; 0 when no response (timeout, DNS, refused)
    headers: dict[str, str] = field(default_factory=dict)  # lowercased names
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

    @property
    def ok(self) -> bool:
        """A usable article page: HTTP 2xx, no error.

        >>> FetchedPage("s", "u", "u", 200).ok, FetchedPage("s", "u", "u", 404, error="HTTP 404").ok
        (True, False)
        """
        return self.error is None and 200 <= self.status < 300

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
