"""The publication date of an article page and where it was read: meta, visible, script, url or list (pure)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import lxml.html
from htmldate import find_date
from htmldate.extractors import extract_url_date
from htmldate.utils import Extractor

from parsers.pagedom import block_lines, link_item, link_texts, title_line

# where the date was read, stored as articles.date_origin
META, VISIBLE, SCRIPT, URL, LIST = "meta", "visible", "script", "url", "list"
ORIGINS = (META, VISIBLE, SCRIPT, URL, LIST)


@dataclass(frozen=True)
class PageDate:
    value: str | None  # ISO date "YYYY-MM-DD"
    origin: str | None  # one of ORIGINS; None when no date was found


_DATE_METAS = (
    "pubdate", "publishdate", "article:published_time", "og:article:published_time", "og:release_date",
    "datepublished", "publish_date", "publishtime", "dc.date.issued", "dc.date", "dcterms.issued",
    "firstpublishedtime", "sailthru.date",
)  # fmt: skip
_VISIBLE_DATE = re.compile(
    r"(?:发布时间|发布日期|发表时间|发稿时间|更新时间|时间|日期)\s*[:：]?\s*"
    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
ANY_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# a header date without its year ("02-03 10:00", "2月3日 10:00"): app and portal pages; the year comes
# from the URL
_SHORT_DATE = re.compile(r"(?<![\d\-/.年])(\d{1,2})\s*[-/月]\s*(\d{1,2})日?\s+(\d{1,2}):(\d{2})(?![\d\-/])")
# a labelled date with a two-digit year (百家号: 发布时间：18-03-08): this century's
_YY_DATE = re.compile(
    r"(?:发布时间|发布日期|发表时间|时间|日期)\s*[:：]\s*(\d{2})-(\d{2})-(\d{2})(?=\s*\d{1,2}:\d{2}|(?![\d\-]))"
)  # the time may follow with no space when its <span>s are joined: 18-03-0823:16
# CMS pages that render the date client-side keep it in a script variable:
#   var publishTime = "2023-02-03 10:36";  pubDate: '2023/02/03';  "releaseTime": 1675391760000
#   WeChat: var ct = "1675391760";  app pages: createTime: 1675391760000, "publish_time": 1675391760
_SCRIPT_DATE = re.compile(
    r"""(?i)(?:\b\w*(?:pub|publish|release|post|create|issue)\w*(?:time|date)\w*|\bct)["']?\s*[:=]\s*["']?"""
    r"""((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{13}|\d{10})(?!\d)"""
)
# a script that writes the page's info line (document.write('发布时间：' + '2023-02-03'))
_WRITES_HTML = re.compile(r"document\.write|\.innerHTML|\.html\(")
_CHINA_TZ = timezone(timedelta(hours=8))  # article dates are Beijing dates (Asia/Shanghai has no DST)
_INFO_LINE = re.compile(r"来源|作者|发布|时间|日期|浏览|点击|阅读|字号|编辑|供稿|出处|\d{1,2}:\d{2}")
FOOTER_LINE = re.compile(r"版权所有|Copyright|©|ICP|公网安备|网站标识码|主办单位|承办单位|技术支持", re.I)
_HEADER_WINDOW = 8
# a software build stamp ("版本号 3.4.40-1.0.141 (2019-9-5 9:38:01 PM)"): an embedded video player's menu,
# saved with the page, shows its release date -- never the article's
BUILD_STAMP = re.compile(
    r"(?:版本号?|version|build)\s*[:：]?\s*v?\d+(?:\.\d+)+|\d+(?:\.\d+){2,}\S*\s*[(（]\s*(?:19|20)\d{2}\s*[-/.]", re.I
)
# dates of a document's life other than its publication (政务公开 attribute tables: 成文日期, 实施日期 ...)
_OTHER_DATE_LABEL = re.compile(r"(?:成文|印发|生效|施行|实施|废止|有效|截止|开标|报名|签发|会议)\s*$")
# URL dates htmldate does not read (it wants separators: /2023/02/03/, /2023-02/03/): /2023/0203/,
# /20230203/, t20230203_ (the TRS CMS of most gov sites), /202302/03/ -- never a bare number after "_"
# (post_20191125.html is as likely an id as a date)
_URL_DATE = re.compile(
    r"(?:/|(?<=/)t)((?:19|20)\d{2})/?(0[1-9]|1[0-2])/?([0-2]\d|3[01])(?=[/_.\-]|$)"
)
_URL_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})(?:/|(?=[01]\d))")


def ymd(value: str | None) -> str | None:
    """The first Y-M-D date in a text, ISO; None when absent or impossible.

    >>> ymd("2023-2-3"), ymd("2023.02.03"), ymd("2023/02/03 10:00"), ymd("2023年2月30日")
    ('2023-02-03', '2023-02-03', '2023-02-03', None)
    """
    if not value:
        return None
    m = ANY_DATE.search(value)
    if not m:
        return None
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return datetime(y, m, d).date().isoformat()
    except ValueError:
        return None


def epoch_date(value: str) -> str | None:
    """A unix time in seconds (10 digits) or milliseconds (13) as its Beijing date.

    >>> epoch_date("1581517074"), epoch_date("1675353600000"), epoch_date("0000000001")
    ('2020-02-12', '2023-02-03', None)
    """
    seconds = int(value) / (1000 if len(value) == 13 else 1)
    try:
        day = datetime.fromtimestamp(seconds, _CHINA_TZ).date()
    except (OverflowError, OSError, ValueError):
        return None
    return day.isoformat() if 1995 <= day.year <= 2100 else None  # 1995: before it, no Chinese web news


def script_date(doc: lxml.html.HtmlElement) -> str | None:
    """A publication date held in a script variable (date text, or epoch seconds/milliseconds), or written
    by a script as a labelled line (document.write('发布时间：2023-02-03')).

    >>> script_date(lxml.html.fromstring('<html><script>var publishTime = "2023-02-03 10:36";</script></html>'))
    '2023-02-03'
    >>> script_date(lxml.html.fromstring('<html><script>window.a={"releaseTime":1675391760000}</script></html>'))
    '2023-02-03'
    >>> script_date(lxml.html.fromstring('<html><script>var updateCount = 1675391760;</script></html>')) is None
    True
    """
    scripts = [s.text or "" for s in doc.xpath("//script[not(@type='application/ld+json')]")]
    for text in scripts:
        for m in _SCRIPT_DATE.finditer(text):
            value = m.group(1)
            found = epoch_date(value) if value.isdigit() else ymd(value)
            if found:
                return found
    for text in scripts:
        if _WRITES_HTML.search(text):
            # the written markup, without its tags and the string concatenation around the pieces
            found = labelled_date(re.sub(r"<[^>]*>|[\"'+]|\\[nt]", "", text))
            if found:
                return found
    return None


def labelled_date(text: str) -> str | None:
    """The date after a 发布时间/发布日期-style label; a 发布 label beats other dates, 成文日期-like ones never count.

    >>> labelled_date("成文日期：\\n2024-02-20\\n文号：\\n发布日期：\\n2024-03-05")
    '2024-03-05'
    >>> labelled_date("发文日期：2024-02-20 时间：2024-03-01"), labelled_date("成文日期：2024-02-20") is None
    ('2024-02-20', True)
    """
    found: list[tuple[bool, str]] = []
    for m in _VISIBLE_DATE.finditer(text):
        label = text[max(0, m.start() - 6) : m.start() + 4]
        if _OTHER_DATE_LABEL.search(text[max(0, m.start() - 6) : m.start()]):
            continue
        day = ymd(m.group(1))
        if day:
            found.append(("发布" in label or "发表" in label or "发稿" in label, day))
    published = [d for first, d in found if first]
    if published:
        return published[0]
    return found[0][1] if found else None


def url_year(url: str | None) -> int | None:
    """The year a URL's path names (/2023/..., /202302/, t20230203_), for a header date without one.

    >>> url_year("http://x.cn/2023/0203/c1.html"), url_year("http://x.cn/a/202302/t20230203_1.html"), url_year("http://x.cn/a.html")
    (2023, 2023, None)
    """
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    m = _URL_YEAR.search(path)
    return int(m.group(1)) if m else None


def url_date(url: str | None) -> str | None:
    """The date a URL's path names: htmldate's URL reader, then the compact forms it does not read.

    >>> [url_date(u) for u in ("http://x.cn/2023/0203/c12.html", "http://x.cn/xxgk/202302/t20230203_5.html",
    ...                         "http://x.cn/2023-02/03/content_1.htm", "http://x.cn/news/12345.html")]
    ['2023-02-03', '2023-02-03', '2023-02-03', None]
    """
    if not url:
        return None
    found = extract_url_date(url, _HTMLDATE_OPTIONS)
    if found:
        return found
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    m = _URL_DATE.search(path)
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


_HTMLDATE_OPTIONS = Extractor(False, datetime(2100, 1, 1), datetime(1995, 1, 1), True, "%Y-%m-%d")


def _short_date(line: str, year: int | None) -> str | None:
    yy = _YY_DATE.search(line)
    if yy:
        return _iso(2000 + int(yy.group(1)), int(yy.group(2)), int(yy.group(3)))
    m = _SHORT_DATE.search(line)
    if not m or year is None:
        return None
    return _iso(year, int(m.group(1)), int(m.group(2)))


def header_date(lines: list[str], title: str | None, linked: Collection[str] = (), year: int | None = None) -> str | None:
    """The date of the article's header: the first date on an info line (来源/发布时间/09:10 ...) or a
    date-only line within a few lines after the title line. The window ends at the body (a sentence
    ending in 。), and lines holding one of the ``linked`` texts (another article's list item) are skipped.
    A date+time without a year ("02-03 10:00") takes ``year`` (the URL's).

    >>> header_date(["日期：2024-06-01 星期六", "首页 > 新闻", "某区重大项目签约", "2023年02月03日 09:10 来源：某日报"], "某区重大项目签约")
    '2023-02-03'
    >>> header_date(["某区重大项目签约", "某日报 02-03 10:00"], "某区重大项目签约", year=2023)
    '2023-02-03'
    >>> header_date(["某区重大项目签约", "发布时间：18-03-0823:16"], "某区重大项目签约")
    '2018-03-08'
    """
    i = title_line(lines, title)
    if i is None:
        return None
    for line in lines[i + 1 : i + 1 + _HEADER_WINDOW]:
        if FOOTER_LINE.search(line) or (len(line) > 60 and not _INFO_LINE.search(line[:30])):
            break  # the body (or the footer) has begun
        if len(line) > 30 and line.endswith(("。", "！", "？", "”", "。」")):
            break  # a sentence: the body
        if link_item(line, linked) or BUILD_STAMP.search(line):
            continue
        m = ANY_DATE.search(line)
        if not m:
            short = _short_date(line, year) if len(line) <= 60 else None
            if short:
                return short
            continue
        rest = ANY_DATE.sub("", line, count=1).strip(" ：:|｜/-()（）[]【】")
        if _INFO_LINE.search(line) or len(rest) <= 8:
            found = ymd(m.group(0))
            if found:
                return found
    return None


def _meta_date(doc: lxml.html.HtmlElement, metas: dict[str, str], ld: list[dict[str, object]]) -> str | None:
    for key in _DATE_METAS:
        found = ymd(metas.get(key))
        if found:
            return found
    for item in ld:
        found = ymd(str(item.get("datePublished") or item.get("dateCreated") or ""))
        if found:
            return found
    for attr in ("data-publishtime", "data-pubdate", "data-publish-time"):
        values = doc.xpath(f"//@{attr}")
        if values and ymd(str(values[0])):
            return ymd(str(values[0]))
    return None


def find_published(
    doc: lxml.html.HtmlElement,
    html: str,
    metas: dict[str, str],
    ld: list[dict[str, object]],
    list_date: str | None,
    title: str | None = None,
    url: str | None = None,
    today: str | None = None,
) -> PageDate:
    """Publication date and its origin: meta tags, JSON-LD, data attributes (meta); the date in the article
    header just under the title, a labelled visible date, an unlabelled date+time or date+来源 line
    (visible); a script variable or a script-written line (script); htmldate without deep search (visible:
    it reads <time> elements and date-classed markup); the URL's date (url); the list page's date (list).

    A labelled date above the title (a top bar showing ``today``, Beijing's date when not given) counts only
    after the header's date and the script variable; when it is today, after the list date too.
    """
    found = _meta_date(doc, metas, ld)
    if found:
        return PageDate(found, META)
    lines = block_lines(doc)
    linked = link_texts(doc)
    found = header_date(lines, title, linked, url_year(url))
    if found:
        return PageDate(found, VISIBLE)
    start = title_line(lines, title)
    # footer lines ("版权所有 … 更新日期：<today>") are site chrome, not the article's date
    lines = [line for line in lines if not FOOTER_LINE.search(line)]
    after = lines[start:] if start is not None else lines
    before = lines[:start] if start is not None else []
    found = labelled_date("\n".join(after))
    if found:
        return PageDate(found, VISIBLE)
    for line in after:
        m2 = ANY_DATE.search(line)
        if m2 and len(line) <= 120 and re.search(r"\d{1,2}:\d{2}|来源\s*[:：]", line):
            if link_item(line, linked) or BUILD_STAMP.search(line):
                continue  # a related-news or ranking item: another article's date; a player's build date
            found = ymd(m2.group(0))
            if found:
                return PageDate(found, VISIBLE)
    found = script_date(doc)
    if found:
        return PageDate(found, SCRIPT)
    # above the title: an information-disclosure table (发布日期) -- or a top bar showing today's date,
    # which the list page's date beats
    today = today or datetime.now(_CHINA_TZ).date().isoformat()
    # "today" as a top bar shows it may be a day off Beijing's date now (a page fetched late in the evening and
    # extracted after midnight, a site or a machine on another clock): the day before counts as today too
    recent = (datetime.fromisoformat(today) - timedelta(days=1)).date().isoformat()
    chrome = labelled_date("\n".join(before))
    if chrome and chrome < recent:
        return PageDate(chrome, VISIBLE)
    try:
        guessed = find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        guessed = None
    if guessed and guessed >= recent and list_date:
        guessed = None  # htmldate read the same chrome
    if guessed:
        return PageDate(guessed, VISIBLE)
    found = url_date(url)
    if found:
        return PageDate(found, URL)
    found = ymd(list_date)
    if found:
        return PageDate(found, LIST)
    return PageDate(chrome, VISIBLE) if chrome else PageDate(None, None)
