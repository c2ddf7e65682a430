"""URL canonicalisation and URL-shape heuristics shared by the crawler and the dedupe stage."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import extract_domain, normalize_url
from w3lib.url import url_query_cleaner

# Share/tracking parameters Chinese portals append (courlan already drops utm_*, *clid, ...):
# from=timeline/singlemessage (WeChat), spm (Alibaba/NetEase), share*, isappinstalled, scene ...
_TRACKING_PARAMS = (
    "from",
    "spm",
    "share",
    "share_token",
    "shareid",
    "share_from",
    "isappinstalled",
    "scene",
    "clicktime",
    "enterid",
    "wfr",
    "fbclid",
    "gclid",
)
_UTM = re.compile(r"^utm_", re.I)


def canonical_url(url: str) -> str:
    """The dedupe key of a URL: tracking parameters and fragment removed, scheme/host lowercased.

    >>> canonical_url("HTTP://WWW.Example.CN/zsxx/content/post_1.html?from=timeline#top")
    'http://www.example.cn/zsxx/content/post_1.html'
    >>> canonical_url("http://x.cn/list?page=2&utm_source=wx&spm=a.b.c")
    'http://x.cn/list?page=2'
    >>> canonical_url("http://127.0.0.1:8001/a.html?share=1&id=7")
    'http://127.0.0.1:8001/a.html?id=7'
    """
    url = url.strip()
    try:
        norm = normalize_url(url)  # lowercases scheme/host, drops default port, utm_*, sorts query
    except ValueError:
        norm = url
    parts = urlsplit(norm)
    query = url_query_cleaner(
        "?" + parts.query, parameterlist=_TRACKING_PARAMS, remove=True, keep_fragments=False
    ).lstrip("?")
    query = "&".join(kv for kv in query.split("&") if kv and not _UTM.match(kv))
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def same_site(url: str, reference: str) -> bool:
    """True when both URLs are on the same host (a leading "www." ignored).

    >>> same_site("http://www.jiangmen.gov.cn/a.html", "http://jiangmen.gov.cn/")
    True
    >>> same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a")
    False
    """
    a, b = urlsplit(url), urlsplit(reference)
    return a.netloc.lower().removeprefix("www.") == b.netloc.lower().removeprefix("www.")


def _org_domain(url: str) -> str:
    # courlan reads the registrable domain from the public-suffix list (news.x.gov.cn -> x.gov.cn); an IP
    # address or a bare host has none, so there the exact host and port identify the site
    return extract_domain(url) or urlsplit(url).netloc.lower()


def same_org(url: str, reference: str) -> bool:
    """True when both URLs are on one registrable domain (news.x.gov.cn and www.x.gov.cn are one site).

    >>> same_org("http://news.jiangmen.gov.cn/a.html", "http://www.jiangmen.gov.cn/"), same_org("http://www.gd.gov.cn/", "http://www.jiangmen.gov.cn/")
    (True, False)
    >>> same_org("https://m.example.com/a", "https://www.example.com/"), same_org("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a")
    (True, False)
    """
    return _org_domain(url) == _org_domain(reference)


# Article URL shapes seen across Chinese gov CMSs (post_N), newspapers (content_N, /YYYY-MM/DD/),
# TRS (tYYYYMMDD_N), portals (/article/ID.html), date folders (/20221208/), detail scripts with an id
# parameter (view.aspx?id=123) and slug/ID folders ending in "/".
_ARTICLE_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"/content/m?post_\d+\.s?html?$",
        r"/(?:m?post|content|art|article|news|detail|info)_\d+(?:_\d+)?\.s?html?$",
        r"/t\d{8}_\d+\.s?html?$",
        r"/t\d{5,}\.s?html?$",
        r"/(?:19|20)\d{2}-?[01]\d/[0-3]\d/",
        r"/(?:19|20)\d{2}[01]\d(?:[0-3]\d)?/[^/]+\.s?html?$",
        r"/(?:article|articles|detail|details|news|show|view|content|post|a|doc|info|dy)/[\w-]{4,}\.s?html?$",
        r"/[\w-]*\d{5,}[\w-]*\.s?html?$",
        r"/\d{10,}\.s?html?$",
    )
]
# a folder URL that is one article: a date path plus a slug/ID, a long numeric ID, or a long slug
_ARTICLE_FOLDER = re.compile(
    r"/(?:19|20)\d{2}[/-]?[01]?\d[/-]?[0-3]?\d/[\w-]+/$|/[\w-]*\d{5,}[\w-]*/$|/[a-z0-9]+(?:-[a-z0-9]+){3,}/$", re.I
)
# dynamic detail pages: view.aspx?id=123, show.php?aid=9, detail.jsp?newsId=88821, article?id=...
_DETAIL_SCRIPT = re.compile(
    r"(?:^|/)[\w-]*(?:view|show|detail|details|content|article|info|news|read|display|page)[\w-]*"
    r"(?:\.(?:aspx?|php|jsp|do|html?|shtml|action))?$",
    re.I,
)
_ID_PARAM = re.compile(
    r"(?:^|&)(?:id|aid|nid|did|tid|itemid|articleid|article_id|newsid|news_id|infoid|docid|contentid|wbnewsid)"
    r"=[\w-]*\d[\w-]*(?:&|$)",
    re.I,
)
_LIST_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"^/?$",
        r"/(?:index|default|list|more)(?:_\d+)?\.(?:s?html?|php|aspx?|jsp)$",
        r"/(?:list|node|column|channel|category|tag)[_-]?\d*(?:_\d+)?\.s?html?$",
        r"\.(?:jpe?g|png|gif|pdf|docx?|xlsx?|zip|rar|css|js|xml|json|mp4)$",
    )
]


def looks_like_list(url: str) -> bool:
    """True for index/list/home pages, folders and non-HTML files, which are never articles.

    >>> looks_like_list("http://x.cn/zsxx/index_2.html"), looks_like_list("http://x.cn/a/1.jpg"), looks_like_list("http://x.cn/news/")
    (True, True, True)
    >>> looks_like_list("http://x.cn/zsxx/content/post_2267835.html"), looks_like_list("http://x.cn/news/2024/03/05/signing-ceremony/")
    (False, False)
    """
    path = urlsplit(url).path
    if path.endswith("/") and path != "/":
        return not _ARTICLE_FOLDER.search(path)
    return any(p.search(path) for p in _LIST_PATTERNS)


def looks_like_article(url: str) -> bool:
    """True when the URL has a typical article shape (and is not a list page).

    >>> [looks_like_article("http://x.cn" + p) for p in (
    ...     "/zsxx/content/post_2267835.html", "/content/2023-02/03/content_387451.htm",
    ...     "/dy/article/KJQ7A2VM0514R9P8.html", "/jmxw/201805/t20180511_1375756.htm",
    ...     "/news/20221208/article.html", "/zsxx/index_2.html", "/about/index.html")]
    [True, True, True, True, True, False, False]
    >>> looks_like_article("http://x.cn/view.aspx?id=123"), looks_like_article("http://x.cn/a/2024/0305/98765/")
    (True, True)
    """
    if looks_like_list(url):
        return False
    parts = urlsplit(url)
    if parts.path.endswith("/") and parts.path != "/":
        return True  # a folder URL that passed the article-folder test
    if parts.query and _ID_PARAM.search(parts.query) and _DETAIL_SCRIPT.search(parts.path):
        return True
    return any(p.search(parts.path) for p in _ARTICLE_PATTERNS)


_PAGE_SUFFIX = re.compile(r"^(?P<stem>.+?)_(?P<n>\d{1,3})(?P<ext>\.s?html?)$")


def continuation_of(url: str, first_url: str) -> bool:
    """True when ``url`` is page N of the article at ``first_url`` (``x.htm`` -> ``x_2.htm``).

    >>> continuation_of("http://x.cn/c/content_387451_2.htm", "http://x.cn/c/content_387451.htm")
    True
    >>> continuation_of("http://x.cn/c/content_387452.htm", "http://x.cn/c/content_387451.htm")
    False
    """
    a, b = urlsplit(url), urlsplit(first_url)
    if a.netloc != b.netloc:
        return False
    m = _PAGE_SUFFIX.match(a.path)
    if not m:
        return False
    return b.path == m.group("stem") + m.group("ext")
