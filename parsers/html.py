"""Article page HTML -> title, publication date, 文章来源 source and clean main text (pure, no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import lxml.html
import trafilatura
from htmldate import find_date
from lxml.etree import ParserError

from parsers.body import raw_main_text, recall_main_text

PARSER_VERSION = "html-2"  # 2: with-tables fallback when the table-free text lost the body


@dataclass(frozen=True)
class PageText:
    """What an article page says about itself; ``text`` has one paragraph per line."""

    title: str | None
    published: str | None  # ISO date "YYYY-MM-DD"
    source: str | None  # the 文章来源/来源/本文来源 value, e.g. "江门日报"
    text: str
    pages: int = 1  # number of pages joined (multi-page articles)


# ---------------------------------------------------------------- noise lines
# Portal/CMS chrome that trafilatura keeps in every mode (DEPENDENCIES.md). Matched per line; the
# short-line rules only fire on short lines so a real paragraph that mentions the words survives.
_NOISE_ANY_LENGTH = re.compile(
    r"^(?:特别声明[:：]|[【\[]?免责声明[】\]]?\s*[:：]?|Notice: The content above|声明[:：]本文(?:转载|来源)|"
    r"(?:责任编辑|责编|编辑|审核|审校|校对|值班编辑|监制|终审|初审|二审|三审)\s*[:：]|【责任编辑)"
)
_NOISE_SHORT = re.compile(
    r"打开.{0,6}(?:网易新闻|客户端|APP|App|app)|查看精彩图片|"
    r"^[【\[]?打印(?:本页|此页|文章)?[】\]]?$|【打印本页】|关闭窗口|^[【\[]关闭[】\]]$|"
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)(?:[:：]|$)|"
    r"扫一扫|扫码|扫描二维码|长按识别|"
    r"^分享到|^字体大小|^字号[:：]|保护视力色|浏览数|浏览次数|阅读数|阅读量|点击数|"
    r"^(?:本文来源|文章来源|信息来源|稿件来源|来源)\s*[:：].{0,30}(?:责任编辑|作者|编辑)[:：]|"
    r"^(?:相关推荐|相关新闻|相关阅读|相关链接|相关文章|热点信息|热点新闻|热门文章|热门推荐|精彩推荐|猜你喜欢|延伸阅读|推荐阅读|"
    r"(?:热点|热门|点击|阅读|新闻|24小时|今日)?(?:排行|排行榜|热榜)|阅读原文|查看原文|返回顶部|返回首页)$|^原标题\s*[:：]|"
    r"版权所有|ICP备|公网安备|网站标识码|^【纠错】|^\[纠错\]"
)
_SHORT = 60
_NEAR_EMPTY = 40  # characters of clean text below which the extraction is taken as lost


def is_noise_line(line: str) -> bool:
    """True for page-chrome lines that are not article text.

    >>> [is_noise_line(x) for x in ("打开网易新闻 查看精彩图片", "【打印本页】", "责任编辑：王晓燕_NJ1375")]
    [True, True, True]
    >>> is_noise_line("3月23日上午10时,建雅科技项目成功揭牌,总投资10亿元。")
    False
    """
    s = line.strip()
    if not s:
        return True
    if _NOISE_ANY_LENGTH.search(s):
        return True
    return len(s) <= _SHORT and bool(_NOISE_SHORT.search(s))


def clean_lines(lines: Iterable[str]) -> list[str]:
    """Stripped non-empty lines with noise removed.

    >>> clean_lines(["  人勤春来早。 ", "", "打开网易新闻 查看精彩图片", "分享到：微信"])
    ['人勤春来早。']
    """
    out: list[str] = []
    for raw in lines:
        line = re.sub(r"[ \t\u3000\xa0]+", " ", raw).strip()
        if line and not is_noise_line(line):
            out.append(line)
    return out


# ---------------------------------------------------------------- metadata

_TITLE_METAS = ("articletitle", "og:title", "twitter:title", "title", "headline")
_DATE_METAS = (
    "pubdate",
    "publishdate",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "datepublished",
    "publish_date",
    "publishtime",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "firstpublishedtime",
    "sailthru.date",
)
_SOURCE_METAS = ("contentsource", "source", "article:source", "og:article:source")
_VISIBLE_DATE = re.compile(
    r"(?:发布时间|发布日期|发表时间|发稿时间|更新时间|时间|日期)\s*[:：]?\s*"
    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
_ANY_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_VISIBLE_SOURCE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=文章)|(?<=本文)|(?<=信息)|(?<=稿件)|(?<=新闻))来源\s*[:：]\s*"
    r"([^\s:：|｜,，;；。<>【】()（）]{2,24})"
)
# CMS pages that render the date client-side keep it in a script variable:
#   var publishTime = "2023-02-03 10:36";  pubDate: '2023/02/03';  "releaseTime": 1675391760000
_SCRIPT_DATE = re.compile(
    r"""(?i)\b\w*(?:pub|publish|release|post|create|issue)\w*(?:time|date)\w*["']?\s*[:=]\s*["']?"""
    r"""((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{13}|\d{10})(?!\d)"""
)
_CHINA_TZ = timezone(timedelta(hours=8))  # article dates are Beijing dates
_TITLE_SUFFIX = re.compile(r"\s*[-_|｜—]+\s*[^-_|｜—]{2,30}$")


def _meta_map(doc: lxml.html.HtmlElement) -> dict[str, str]:
    metas: dict[str, str] = {}
    for m in doc.iter("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        value = (m.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    return metas


def _json_ld(doc: lxml.html.HtmlElement) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                out.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return out


def _ymd(value: str | None) -> str | None:
    if not value:
        return None
    m = _ANY_DATE.search(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def script_date(doc: lxml.html.HtmlElement) -> str | None:
    """A publication date held in a script variable (date text, or epoch seconds/milliseconds).

    >>> script_date(lxml.html.fromstring('<html><script>var publishTime = "2023-02-03 10:36";</script></html>'))
    '2023-02-03'
    >>> script_date(lxml.html.fromstring('<html><script>window.a={"releaseTime":1675391760000}</script></html>'))
    '2023-02-03'
    >>> script_date(lxml.html.fromstring('<html><script>var updateCount = 1675391760;</script></html>')) is None
    True
    """
    for script in doc.xpath("//script[not(@type='application/ld+json')]"):
        m = _SCRIPT_DATE.search(script.text or "")
        if not m:
            continue
        value = m.group(1)
        if value.isdigit():
            seconds = int(value) / (1000 if len(value) == 13 else 1)
            try:
                return datetime.fromtimestamp(seconds, _CHINA_TZ).date().isoformat()
            except (OverflowError, OSError, ValueError):
                continue
        found = _ymd(value)
        if found:
            return found
    return None


def _visible_text(doc: lxml.html.HtmlElement) -> str:
    body = doc.find("body")
    root = body if body is not None else doc
    parts = [
        t
        for t in root.xpath(".//text()[not(ancestor::script)][not(ancestor::style)]")
        if isinstance(t, str) and t.strip()
    ]
    return "\n".join(p.strip() for p in parts)


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "th", "tr",
    "ul", "center",
}  # fmt: skip
# words of an article's byline/info line ("2023年02月03日 09:10 来源：新华社 作者：…  浏览次数：")
_INFO_LINE = re.compile(r"来源|作者|发布|时间|日期|浏览|点击|阅读|字号|编辑|供稿|出处|\d{1,2}:\d{2}")
_FOOTER_LINE = re.compile(r"版权所有|Copyright|©|ICP|公网安备|网站标识码|主办单位|承办单位|技术支持", re.I)
_HEADER_WINDOW = 8
# a line made only of labelled article facts (来源：X 作者：Y 发布时间：2024-03-05) or a bare date
_BYLINE = re.compile(
    r"(?:\s*[|｜]?\s*(?:(?:本文|文章|信息|稿件)?来源|作者|发布(?:时间|日期)|时间|日期|记者|通讯员|供稿)\s*[:：]\s*[^。！？:：]{0,30})+"
    r"|\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*"
)  # lines after the title that still belong to the article header


def _block_lines(doc: lxml.html.HtmlElement) -> list[str]:
    """The body's visible text, one line per block element (inline elements stay on their line)."""
    body = doc.find("body")
    root = body if body is not None else doc
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in {"script", "style", "noscript", "template"} or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return [x for x in (re.sub(r"[ \t\r\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n")) if x]


def _title_line(lines: list[str], title: str | None) -> int | None:
    """Index of the line showing the article title (a <title> with a site-name suffix still matches)."""
    if not title:
        return None
    want = _norm_title(title)
    forms = [want, _norm_title(_TITLE_SUFFIX.sub("", want))]
    for i, line in enumerate(lines):
        if _norm_title(line) in forms:
            return i
    head = want[:20]
    for i, line in enumerate(lines):
        norm = _norm_title(line)
        if len(head) >= 6 and head in norm and len(norm) <= len(want) + 30:
            return i
        if len(norm) >= 6 and norm in want and len(norm) * 2 >= len(want):
            return i
    return None


# dates of a document's life other than its publication (政务公开 attribute tables: 成文日期, 实施日期 ...)
_OTHER_DATE_LABEL = re.compile(r"(?:成文|印发|生效|施行|实施|废止|有效|截止|开标|报名|签发|会议)\s*$")


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
        day = _ymd(m.group(1))
        if day:
            found.append(("发布" in label or "发表" in label or "发稿" in label, day))
    published = [d for first, d in found if first]
    if published:
        return published[0]
    return found[0][1] if found else None


def _link_texts(doc: lxml.html.HtmlElement) -> set[str]:
    """Texts of title-like links (8+ characters): lines holding one are list items pointing elsewhere."""
    out: set[str] = set()
    for a in doc.iter("a"):
        if a.get("href"):
            text = re.sub(r"[ \t\r\n\u3000\xa0]+", " ", a.text_content()).strip()
            if len(text) >= 8:
                out.add(text)
    return out


def _link_item(line: str, linked: Collection[str]) -> bool:
    """Whether a line shows a title-like link text that is not a labelled value (来源：<a>人民网</a>):
    a related-news or ranking item, whose date is another article's."""
    for text in linked:
        at = line.find(text)
        if at >= 0 and not re.search(r"[:：]\s*$", line[:at]):
            return True
    return False


def header_date(lines: list[str], title: str | None, linked: Collection[str] = ()) -> str | None:
    """The date of the article's header: the first date on an info line (来源/发布时间/09:10 ...) or a
    date-only line within a few lines after the title line. The window ends at the body (a sentence
    ending in 。), and lines holding one of the ``linked`` texts (another article's list item) are skipped.

    >>> header_date(["日期：2024-06-01 星期六", "首页 > 新闻", "某区重大项目签约", "2023年02月03日 09:10 来源：某日报"], "某区重大项目签约")
    '2023-02-03'
    """
    i = _title_line(lines, title)
    if i is None:
        return None
    for line in lines[i + 1 : i + 1 + _HEADER_WINDOW]:
        if _FOOTER_LINE.search(line) or (len(line) > 60 and not _INFO_LINE.search(line[:30])):
            break  # the body (or the footer) has begun
        if len(line) > 30 and line.endswith(("。", "！", "？", "”", "。」")):
            break  # a sentence: the body
        m = _ANY_DATE.search(line)
        if not m or _link_item(line, linked):
            continue
        rest = _ANY_DATE.sub("", line, count=1).strip(" ：:|｜/-()（）[]【】")
        if _INFO_LINE.search(line) or len(rest) <= 8:
            found = _ymd(m.group(0))
            if found:
                return found
    return None


def find_published(
    doc: lxml.html.HtmlElement,
    html: str,
    metas: dict[str, str],
    ld: list[dict[str, object]],
    list_date: str | None,
    title: str | None = None,
) -> str | None:
    """Publication date: meta tags, JSON-LD, data attributes, the date in the article header (just under
    the title), a labelled visible date, an unlabelled date+time or date+来源 line, a script variable,
    htmldate (no deep search), the list page's date.

    A labelled date above the title (a top bar showing today's date) counts only after the header's date
    and the script variable.
    """
    for key in _DATE_METAS:
        found = _ymd(metas.get(key))
        if found:
            return found
    for item in ld:
        found = _ymd(str(item.get("datePublished") or item.get("dateCreated") or ""))
        if found:
            return found
    for attr in ("data-publishtime", "data-pubdate", "data-publish-time"):
        values = doc.xpath(f"//@{attr}")
        if values and _ymd(str(values[0])):
            return _ymd(str(values[0]))
    lines = _block_lines(doc)
    linked = _link_texts(doc)
    found = header_date(lines, title, linked)
    if found:
        return found
    start = _title_line(lines, title)
    # footer lines ("版权所有 … 更新日期：<today>") are site chrome, not the article's date
    lines = [line for line in lines if not _FOOTER_LINE.search(line)]
    after = lines[start:] if start is not None else lines
    before = lines[:start] if start is not None else []
    found = labelled_date("\n".join(after))
    if found:
        return found
    for line in after:
        m2 = _ANY_DATE.search(line)
        if m2 and len(line) <= 120 and re.search(r"\d{1,2}:\d{2}|来源\s*[:：]", line):
            if _link_item(line, linked):
                continue  # a related-news or ranking item: another article's date
            return _ymd(m2.group(0))
    found = script_date(doc)
    if found:
        return found
    # above the title: an information-disclosure table (发布日期) -- or a top bar showing today's date,
    # which the list page's date beats
    today = datetime.now(_CHINA_TZ).date().isoformat()
    chrome = labelled_date("\n".join(before))
    if chrome and chrome < today:
        return chrome
    try:
        guessed = find_date(html, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        guessed = None
    if guessed and guessed >= today and list_date:
        guessed = None  # htmldate read the same chrome
    return guessed or _ymd(list_date) or chrome


def find_source(doc: lxml.html.HtmlElement, metas: dict[str, str], ld: list[dict[str, object]]) -> str | None:
    """The 文章来源 value: a ContentSource-style meta, else the first visible '来源：X'."""
    for key in _SOURCE_METAS:
        if metas.get(key):
            return metas[key]
    m = _VISIBLE_SOURCE.search(_visible_text(doc))
    if m:
        return m.group(1).strip()
    return None


def find_title(doc: lxml.html.HtmlElement, metas: dict[str, str], fallback: str | None) -> str | None:
    """Article title: ArticleTitle/og:title meta, a single <h1>, trafilatura's, or <title> minus site name.

    A <title> carrying a site suffix ("X_某县人民政府") loses it when the page shows X alone on a line
    (a heading, or the <strong>/<td> title of an old table layout) and never shows the whole <title>.
    """
    for key in _TITLE_METAS[:3]:
        if metas.get(key):
            return _norm_title(metas[key])
    h1s = [_norm_title(h.text_content()) for h in doc.iter("h1")]
    h1s = [h for h in h1s if h]
    if len(h1s) == 1:
        return h1s[0]
    if fallback:
        # trafilatura's title is often the <title> with the site name: prefer the heading showing it without
        stripped = _norm_title(_TITLE_SUFFIX.sub("", fallback))
        if stripped != _norm_title(fallback) and any(
            _norm_title(h.text_content()) == stripped for h in doc.xpath("//h1 | //h2 | //h3")
        ):
            return stripped
    shown = _shown_title_part(doc)
    if shown:
        return shown
    if fallback:
        return _norm_title(fallback)
    title = doc.findtext(".//title")
    return _norm_title(_TITLE_SUFFIX.sub("", title)) if title else None


_TITLE_SEP = re.compile(r"\s*(?:[-_|｜]+|—{1,2}|\s-\s)\s*")
# a <title> part naming the site or the column, not the article
_SITE_PART = re.compile(r"(?:网|网站|门户|频道|政府|官网|中心|平台|客户端|日报|晚报|首页|栏目|动态|要闻|新闻|资讯)$|^\w{0,3}$")


def _shown_title_part(doc: lxml.html.HtmlElement) -> str | None:
    """The part of a "站点 - 栏目 - 标题" or "标题_栏目_站点" <title> the page shows alone on a line, when the
    whole <title> is not shown: the longest such part, one naming a site or column only when nothing else is.
    """
    raw = _norm_title(doc.findtext(".//title") or "")
    if not raw or not _TITLE_SEP.search(raw):
        return None
    shown = {_norm_title(line) for line in _block_lines(doc)}
    if raw in shown:
        return None
    cuts = [0, *(x for m in _TITLE_SEP.finditer(raw) for x in (m.start(), m.end())), len(raw)]
    starts, ends = cuts[0::2], cuts[1::2]  # part k is raw[starts[k]:ends[k]]
    parts = {raw[a:b] for a in starts for b in ends if b > a} - {raw}
    found = [p for p in parts if p in shown and len(p) >= 4 and (p == raw[: len(p)] or p == raw[-len(p) :])]
    if not found:
        return None
    articles = [p for p in found if not _SITE_PART.search(p)]
    return max(articles, key=len) if articles else None


def _norm_title(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


# ---------------------------------------------------------------- main text


def main_text(html: str, url: str | None = None) -> str:
    """Clean main text of one page (one paragraph per line), noise lines removed; when what is left is
    near-empty (the extractor took a disclaimer box), the recall-favouring extraction instead."""
    text = "\n".join(clean_lines(raw_main_text(html, url).splitlines()))
    if len(text) >= _NEAR_EMPTY:
        return text
    fuller = "\n".join(clean_lines(recall_main_text(html, url).splitlines()))
    return fuller if len(fuller) > len(text) else text


def extract_page(
    html: str,
    url: str,
    list_date: str | None = None,
    continuation_html: Sequence[str] = (),
) -> PageText:
    """Title, date, source and clean text of an article page; ``continuation_html`` are pages 2..N.

    >>> page = ('<html><head><meta name="PubDate" content="2021-03-10 17:14"></head><body>'
    ...         '<h1>江海区21个重大项目集中动工</h1><div class="info">文章来源：江门日报</div>'
    ...         '<div id="zoomcon"><p>昨日，全市第一季度重大项目集中动工(投产)活动举行，总投资148.9亿元的21个重大项目集中动工。</p>'
    ...         '<p>打开网易新闻 查看精彩图片</p><p>项目建设关乎发展全局，紧紧抓住重大项目这根主线，立足自身优势。</p></div>'
    ...         '<div>【打印本页】</div></body></html>')
    >>> r = extract_page(page, "http://x.cn/zsxx/content/post_1.html")
    >>> r.title, r.published, r.source
    ('江海区21个重大项目集中动工', '2021-03-10', '江门日报')
    >>> r.text.splitlines()[-1]
    '项目建设关乎发展全局，紧紧抓住重大项目这根主线，立足自身优势。'
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return PageText(title=None, published=_ymd(list_date), source=None, text="")
    metas = _meta_map(doc)
    ld = _json_ld(doc)
    fallback_title = None
    if not metas.get("articletitle") and not metas.get("og:title"):
        meta = trafilatura.extract_metadata(html, default_url=url)
        fallback_title = getattr(meta, "title", None)
    title = find_title(doc, metas, fallback_title)
    pages = [main_text(html, url)] + [main_text(h, url) for h in continuation_html if h]
    lines = [line for t in pages for line in t.splitlines()]
    # trafilatura sometimes keeps the <h1>; the title is reported separately
    while lines and title and _norm_title(lines[0]) == title:
        lines.pop(0)
    while lines and _BYLINE.fullmatch(lines[0]):  # the info line under the title, when kept
        lines.pop(0)
    text = "\n".join(lines)
    return PageText(
        title=title,
        published=find_published(doc, html, metas, ld, list_date, title),
        source=find_source(doc, metas, ld),
        text=text,
        pages=1 + len([h for h in continuation_html if h]),
    )
