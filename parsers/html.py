"""Article page HTML -> title, publication date, 文章来源 source and clean main text (pure, no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.html
from lxml.etree import ParserError

from parsers.appdata import script_body
from parsers.pagedate import find_published, ymd
from parsers.pagedom import TITLE_SUFFIX, block_lines, link_item, link_texts, norm_title, visible_text
from parsers.pagekind import normalise_app_markup, not_article_reason
from parsers.pagelead import add_lead, cut_closing_credits, drop_header_lines, drop_title_lines, heading_across_lines
from parsers.pagerepair import repair_markup
from parsers.pagetail import prune_trailing_blocks, trim_lines
from parsers.pagetitle import better_title, drop_header, is_logo_heading

# Stamped on every extraction outcome; a page whose extraction failed (or that was judged not an article)
# is extracted again when it changes. 3: layout tables flattened, WeChat/app pages, date origins,
# near-empty extractions recorded as failures, pages that are not articles. 4: markup repairs (<br>-separated
# text, early </html>, linked images beside captions), header lines, leads, closing credits, build-stamp dates,
# blocks after the body (comments, 推荐, rankings), site-suffix and column titles, gallery captions in script data.
EXTRACTOR_VERSION = "html-4"
PARSER_VERSION = EXTRACTOR_VERSION  # the earlier name
_ymd = ymd  # the earlier name (bench/pages)


@dataclass(frozen=True)
class PageText:
    """What an article page says about itself; ``text`` has one paragraph per line."""

    title: str | None
    published: str | None  # ISO date "YYYY-MM-DD"
    source: str | None  # the 文章来源/来源/本文来源 value, e.g. "江门日报"
    text: str
    pages: int = 1  # number of pages joined (multi-page articles)
    date_origin: str | None = None  # where ``published`` was read: meta, visible, script, url, list
    # "not an article: <why>" (an account profile, a column index, search results): not to be stored
    not_article: str | None = None
    # why the text cannot be trusted (near-empty while the page holds substantial text): a failure
    failure: str | None = None


# ---------------------------------------------------------------- noise lines
# Portal/CMS chrome that trafilatura keeps in every mode (DEPENDENCIES.md). Matched per line; the
# short-line rules only fire on short lines so a real paragraph that mentions the words survives. A line
# opening with 声明： is the site's disclaimer (本文转载自…, 力求信息真实…不构成投资建议), never article text.
_NOISE_ANY_LENGTH = re.compile(
    r"^(?:特别声明[:：]|[【\[]?免责声明[】\]]?\s*[:：]?|Notice: The content above|声明[:：]|"
    r"(?:责任编辑|责编|编辑|审核|审校|校对|值班编辑|监制|终审|初审|二审|三审)\s*[:：]|【责任编辑|"
    r"^网友评论仅供其?表达个人看法)"
)
_NOISE_SHORT = re.compile(
    r"打开.{0,6}(?:网易新闻|客户端|APP|App|app)|查看精彩图片|"
    r"^[【\[]?打印(?:本页|此页|文章)?[】\]]?$|【打印本页】|关闭窗口|^[【\[]关闭[】\]]$|"
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)(?:[:：]|$)|"
    r"扫一扫|扫码|扫描.{0,4}二维码|长按识别|"
    r"^分享到|^字体大小|^字号[:：]|保护视力色|浏览数|浏览次数|阅读数|阅读量|点击数|"
    r"^(?:本文来源|文章来源|信息来源|稿件来源|来源)\s*[:：].{0,30}(?:责任编辑|作者|编辑)[:：]|"
    r"^(?:相关推荐|相关新闻|相关阅读|相关链接|相关文章|热点信息|热点新闻|热门文章|热门推荐|精彩推荐|猜你喜欢|延伸阅读|推荐阅读|"
    r"(?:热点|热门|点击|阅读|新闻|24小时|今日)?(?:排行|排行榜|热榜)|阅读原文|查看原文|返回顶部|返回首页)$|^(?:本文)?原标题\s*[:：]|"
    r"版权所有|ICP备|公网安备|网站标识码|^【纠错】|^\[纠错\]"
)
_SHORT = 60
_NEAR_EMPTY = 40  # characters of clean text below which the extraction is taken as lost
# an extraction under _FAIL_BELOW characters and under _FAIL_SHARE of a main block of at least _SUBSTANTIAL
# characters is a failure (recorded, retried after an extractor change), never a title-only article
_FAIL_BELOW, _FAIL_SHARE, _SUBSTANTIAL = 200, 0.2, 200


def is_noise_line(line: str) -> bool:
    """True for page-chrome lines that are not article text.

    >>> [is_noise_line(x) for x in ("打开网易新闻 查看精彩图片", "【打印本页】", "责任编辑：王晓燕_NJ1375")]
    [True, True, True]
    >>> is_noise_line("3月23日上午10时,建雅科技项目成功揭牌,总投资10亿元。")
    False
    """
    s = re.sub(r"^-\s+", "", line.strip())  # a list item's marker (trafilatura's "- ") hides nothing
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
_SOURCE_METAS = ("contentsource", "source", "article:source", "og:article:source")
_VISIBLE_SOURCE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=文章)|(?<=本文)|(?<=信息)|(?<=稿件)|(?<=新闻))来源\s*[:：]\s*"
    r"([^\s:：|｜,，;；。<>【】()（）]{2,24})"
)

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


# a line made only of labelled article facts (来源：X 作者：Y 发布时间：2024-03-05) or a bare date
_BYLINE = re.compile(
    r"(?:\s*[|｜]?\s*(?:(?:本文|文章|信息|稿件)?来源|作者|发布(?:时间|日期)|时间|日期|记者|通讯员|供稿)\s*[:：]\s*[^。！？:：]{0,30})+"
    r"|\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*"
)  # lines after the title that still belong to the article header



def find_source(doc: lxml.html.HtmlElement, metas: dict[str, str], ld: list[dict[str, object]]) -> str | None:
    """The 文章来源 value: a ContentSource-style meta, else the first visible '来源：X'."""
    for key in _SOURCE_METAS:
        if metas.get(key):
            return metas[key]
    m = _VISIBLE_SOURCE.search(visible_text(doc))
    if m:
        return m.group(1).strip()
    return None


def find_title(doc: lxml.html.HtmlElement, metas: dict[str, str], fallback: str | None) -> str | None:
    """Article title: ArticleTitle/og:title meta, a single <h1>, trafilatura's, or <title> minus site name.

    A <title> carrying a site suffix ("X_某县人民政府") loses it when the page shows X alone on a line
    (a heading, or the <strong>/<td> title of an old table layout) and never shows the whole <title>.
    """
    h1s = [norm_title(h.text_content()) for h in doc.iter("h1") if not is_logo_heading(h)]
    h1s = [h for h in h1s if h]
    for key in _TITLE_METAS[:3]:
        if metas.get(key):
            meta = norm_title(metas[key])
            # content="…龙湖集团"暗伤"曝露？": an unescaped quote cut the meta; the <h1> has the whole title
            if len(h1s) == 1 and len(h1s[0]) > len(meta) and h1s[0].startswith(meta):
                return h1s[0]
            return meta
    if len(h1s) == 1:
        return h1s[0]
    if fallback:
        # trafilatura's title is often the <title> with the site name: prefer the heading showing it without
        stripped = norm_title(TITLE_SUFFIX.sub("", fallback))
        if stripped != norm_title(fallback) and any(
            norm_title(h.text_content()) == stripped for h in doc.xpath("//h1 | //h2 | //h3")
        ):
            return stripped
    shown = _shown_title_part(doc) or heading_across_lines(block_lines(doc), doc.findtext(".//title") or "")
    if shown:
        return shown
    raw = norm_title(doc.findtext(".//title") or "")
    if fallback and raw and norm_title(fallback) != raw and len(raw) >= 8 and raw in {
        norm_title(line) for line in block_lines(doc)
    }:
        return raw  # the whole <title> is shown on the page: trafilatura took a related-article heading
    if fallback:
        return norm_title(fallback)
    title = doc.findtext(".//title")
    return norm_title(TITLE_SUFFIX.sub("", title)) if title else None


_TITLE_SEP = re.compile(r"\s*(?:[-_|｜]+|—{1,2}|\s-\s)\s*")
# a <title> part naming the site or the column, not the article
_SITE_PART = re.compile(r"(?:网|网站|门户|频道|政府|官网|中心|平台|客户端|日报|晚报|首页|栏目|动态|要闻|新闻|资讯)$|^\w{0,3}$")


def _shown_title_part(doc: lxml.html.HtmlElement) -> str | None:
    """The part of a "站点 - 栏目 - 标题" or "标题_栏目_站点" <title> the page shows alone on a line, when the
    whole <title> is not shown: the longest such part, one naming a site or column only when nothing else is.
    """
    raw = norm_title(doc.findtext(".//title") or "")
    if not raw or not _TITLE_SEP.search(raw):
        return None
    shown = {norm_title(line) for line in block_lines(doc)}
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


# ---------------------------------------------------------------- main text


def main_text(html: str, url: str | None = None, block: int | None = None) -> str:
    """Clean main text of one page (one paragraph per line), noise lines removed; when what is left is
    near-empty (the extractor took a disclaimer box), the recall-favouring extraction instead."""
    from parsers.body import raw_main_text, recall_main_text  # lazy, with trafilatura: see extract_page

    html = prune_trailing_blocks(html)  # comment threads, 推荐 and ranking blocks after the body
    text = "\n".join(clean_lines(trim_lines(raw_main_text(html, url, block).splitlines())))
    if len(text) >= _NEAR_EMPTY:
        return text
    fuller = "\n".join(clean_lines(trim_lines(recall_main_text(html, url).splitlines())))
    return fuller if len(fuller) > len(text) else text


_MIN_TRAILING_LINKS = 3
# footer lines under a trailing link block (版权所有, Copyright, 举报电话 ...)
_FOOTER = re.compile(r"版权所有|Copyright|©|ICP|公网安备|网站标识码|主办单位|承办单位|技术支持|举报(?:电话|邮箱|中心)", re.I)
_DATE_ONLY = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")


def _link_line(line: str, linked: set[str]) -> bool:
    """A list item pointing elsewhere: a "- " item showing a link text, or a line opening with one (a
    related-news title, then its summary); an inline link inside a paragraph does not open it."""
    if line.startswith("- ") and link_item(line, linked):
        return True
    head = line.lstrip("- ")
    return any(head.startswith(text) for text in linked)


def drop_trailing_link_lists(lines: list[str], linked: set[str]) -> list[str]:
    """The lines without the block of link lists that ends them (热点排行, 推荐, related news, channel menus
    kept by trafilatura after the body): trailing list items and lines that open with another page's link
    text, with the menu words, dates and short headings between them; only when at least three such links
    are found.

    >>> body = ["某区项目签约，总投资10亿元。", "热点排行", "- 1某市召开重大项目推进会议", "- 2某县新材料产业园项目开工", "- 3某区一季度经济运行情况"]
    >>> drop_trailing_link_lists(body, {"某市召开重大项目推进会议", "某县新材料产业园项目开工", "某区一季度经济运行情况"})
    ['某区项目签约，总投资10亿元。']
    >>> drop_trailing_link_lists(body[:3], {"某市召开重大项目推进会议"}) == body[:3]
    True
    """
    i, links = len(lines), 0
    while i > 0:
        line = lines[i - 1]
        if _link_line(line, linked):
            links += 1
        elif not (
            line == "-"
            or (line.startswith("- ") and len(line) <= 10)
            or (len(line) <= 60 and _FOOTER.search(line))
            or _DATE_ONLY.fullmatch(line.lstrip("- "))
            or (i < len(lines) and len(line) <= 8 and not line.endswith(("。", "！", "？", "）", ")")))
        ):
            break
        i -= 1
    return lines[:i] if links >= _MIN_TRAILING_LINKS else lines


def lost_body(text: str, block: int) -> str | None:
    """Why an extracted text cannot be the article: near-empty while the page's main block holds substantial
    text (the body sat where the extractor did not look). None when the text is plausible.

    >>> lost_body("某区项目签约", 900)
    "near-empty extraction: 6 characters of text, the page's main block holds 900"
    >>> lost_body("某区项目签约", 120) is None, lost_body("某区项目签约，总投资10亿元。" * 16, 900) is None
    (True, True)
    """
    size = len("".join(text.split()))
    if size < _FAIL_BELOW and block >= _SUBSTANTIAL and size < _FAIL_SHARE * block:
        return f"near-empty extraction: {size} characters of text, the page's main block holds {block}"
    return None


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
    # trafilatura (0.4 s to import) loads with the first page extracted: a run with no new page never needs it
    import trafilatura

    from parsers.body import main_block_size

    html = repair_markup(normalise_app_markup(html))
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return PageText(title=None, published=ymd(list_date), source=None, text="",
                        date_origin="list" if ymd(list_date) else None, failure="unparsable HTML")
    metas = _meta_map(doc)
    ld = _json_ld(doc)
    fallback_title = None
    if not metas.get("articletitle") and not metas.get("og:title"):
        meta = trafilatura.extract_metadata(html, default_url=url)
        fallback_title = getattr(meta, "title", None)
    title = better_title(doc, find_title(doc, metas, fallback_title))
    dated = find_published(doc, html, metas, ld, list_date, title, url)
    block = main_block_size(html)
    not_article = not_article_reason(doc, url, block)
    if not_article:
        return PageText(title=title, published=dated.value, source=None, text="", date_origin=dated.origin,
                        not_article=not_article)
    pages = [main_text(html, url, block)] + [main_text(repair_markup(normalise_app_markup(h)), url) for h in continuation_html if h]
    lines = [line for t in pages for line in t.splitlines()]
    lines = script_body(doc, lines) or lines  # a gallery's captions 2..N only in its script data
    lines = drop_header(lines, title)  # breadcrumb, heading and byline kept above the body
    # trafilatura sometimes keeps the <h1>; the title is reported separately
    while lines and title and norm_title(lines[0]) == title:
        lines.pop(0)
    while lines and _BYLINE.fullmatch(lines[0]):  # the info line under the title, when kept
        lines.pop(0)
    linked = link_texts(doc)
    lines = drop_header_lines(drop_title_lines(lines, title))
    lines = cut_closing_credits(add_lead(lines, block_lines(doc), title, linked))
    text = "\n".join(drop_trailing_link_lists(lines, linked))
    return PageText(
        title=title,
        published=dated.value,
        source=find_source(doc, metas, ld),
        text=text,
        pages=1 + len([h for h in continuation_html if h]),
        date_origin=dated.origin,
        failure=lost_body(text, block),
    )
