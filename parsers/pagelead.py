"""The edges of an article's extracted lines: header lines above the body dropped, a lead the extractor missed
added, the closing credits block and what follows it cut (pure)."""

from __future__ import annotations

import re
from collections.abc import Collection

from parsers.pagedom import link_item, title_line
from parsers.pagescore import squash

# ---------------------------------------------------------------- header lines

_DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_LABEL = r"(?:(?:本文|文章|信息|稿件)?来源|作者|编辑|责任编辑|记者|通讯员|发布(?:时间|日期)|时间|日期|供稿|出处)"
# a date (and time) followed only by labelled article facts: "2020-06-06 10:08 来源：澎湃新闻"
_DATE_LINE = re.compile(rf"\s*{_DATE}(?:\s*[|｜]?\s*{_LABEL}\s*[:：]\s*[^。！？]{{0,30}})*\s*")
# a reporter's or author's credit: "澎湃新闻记者 贺梨萍", "记者 张三 李四", "文/张三", "作者：张三"
_CREDIT_LINE = re.compile(
    r"[\u4e00-\u9fff·]{0,10}(?:(?:记者|通讯员|特约撰稿|撰稿|作者)\s*[:：/|｜]?|(?:文|图|摄影|摄)\s*[:：/|｜])\s*"
    r"[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4}){0,3}"
)
# a short name line above a date line: the agency or account the article comes from ("新华社")
_NAME_LINE = re.compile(r"[\u4e00-\u9fffA-Za-z·]{2,10}")
_HEADER_REACH = 5  # the header is the first few lines; a date further down belongs to the body


def _header_line(line: str) -> bool:
    return len(line) <= 60 and bool(_DATE_LINE.fullmatch(line) or _CREDIT_LINE.fullmatch(line))


def drop_header_lines(lines: list[str]) -> list[str]:
    """The lines without the article header the extractor kept above the body: date lines (with their
    来源/作者 labels), reporter credits, and the short name lines above them (the agency, the account).

    >>> drop_header_lines(["新华社", "2020-01-03 18:13", "坚持和完善中国特色社会主义制度，是关系党和国家事业的重大问题。"])
    ['坚持和完善中国特色社会主义制度，是关系党和国家事业的重大问题。']
    >>> drop_header_lines(["某日报记者 张三", "2023-02-03 10:08 来源：某日报", "3日，某区23个项目集中签约。"])
    ['3日，某区23个项目集中签约。']
    >>> drop_header_lines(["某区23个项目集中签约", "总投资186亿元。"])  # no date or credit: nothing is a header
    ['某区23个项目集中签约', '总投资186亿元。']
    """
    end = 0
    for i, line in enumerate(lines[:_HEADER_REACH]):
        if _header_line(line):
            end = i + 1
        elif not _NAME_LINE.fullmatch(line):
            break
    return lines[end:]


# ---------------------------------------------------------------- the lead

_LEAD_MIN = 30  # characters: a lead is running text, not a caption or a menu word
_LEAD_REACH = 15  # lines between the title and the body: further apart, a block is not the article's lead
_SENTENCE_END = ("。", "！", "？", "…", "”", "」", "）", ")")
_LEAD_LABEL = re.compile(r"^\s*[【\[]?(?:摘要|导语|导读|内容提要|提要|核心提示|编者按|编前语)[】\]]?\s*[:：]?")


def _is_lead(line: str, linked: Collection[str]) -> bool:
    return len(squash(line)) >= _LEAD_MIN and line.endswith(_SENTENCE_END) and not link_item(line, linked)


def add_lead(lines: list[str], page_lines: list[str], title: str | None, linked: Collection[str] = ()) -> list[str]:
    """The lines with the lead the extractor missed put first: the running text the page shows right above the
    body's first line, below the title (a summary box, a 导语 above or at the top of the body container), when
    title and body are close and the lead does not repeat the body's opening. ``page_lines`` are the page's visible block lines; ``linked`` other pages' link
    texts (a related-news item is not a lead).

    >>> page = ["首页 > 新闻", "某区23个项目集中签约", "2023-02-03 来源：某日报", "分享", "导语：某区一季度23个重大项目集中签约，总投资186亿元，涵盖新能源、新材料等领域。", "3日上午，签约活动举行。"]
    >>> add_lead(["3日上午，签约活动举行。"], page, "某区23个项目集中签约")
    ['导语：某区一季度23个重大项目集中签约，总投资186亿元，涵盖新能源、新材料等领域。', '3日上午，签约活动举行。']
    >>> add_lead(["3日上午，签约活动举行。"], page[:4] + page[5:], "某区23个项目集中签约")
    ['3日上午，签约活动举行。']
    >>> add_lead(["3日上午，签约活动举行。"], page[:5] + ["分享"] + page[5:], "某区23个项目集中签约")  # not right above
    ['3日上午，签约活动举行。']
    >>> add_lead(["摘要：3日上午，某区23个项目集中签约，总投资186亿元……", "3日上午，某区23个项目集中签约，总投资186亿元。"], [], None)
    ['3日上午，某区23个项目集中签约，总投资186亿元。']
    """
    if len(lines) > 1 and _LEAD_LABEL.match(lines[0]) and squash(_LEAD_LABEL.sub("", lines[0]))[:20] in squash(
        "".join(lines[1:3])
    ):
        lines = lines[1:]  # the extractor kept a 摘要 repeating the body's opening
    if not lines:
        return lines
    start = title_line(page_lines, title)
    head = squash(lines[0])[:15]
    if start is None or not head:
        return lines
    body = next((j for j in range(start + 1, len(page_lines)) if head in squash(page_lines[j])), None)
    if body is None or body - start > _LEAD_REACH:
        return lines
    opening = squash("".join(lines[:2]))
    first = body  # the run of running text right above the body: a block further up is a promo or a sidebar
    while first - 1 > start and _is_lead(page_lines[first - 1], linked):
        first -= 1
    # a summary repeating the body's opening (摘要：<the first paragraph>) adds nothing
    lead = [x for x in page_lines[first:body] if squash(_LEAD_LABEL.sub("", x))[:20] not in opening]
    return lead + lines


# ---------------------------------------------------------------- the closing credits

# the credit lines ending an article: "责任编辑：王某", "编辑|张三", "校对 | 李四" (not 来源: a closing 来源 line
# is often followed by the outlet's own sign-off, which the fixture labels count as the article's last lines)
_CLOSING_CREDIT = re.compile(
    r"(?:责任编辑|责编|编辑|审核|审校|校对|监制|终审|初审|二审|三审|主编|值班编辑)\s*[:：|｜]\s*\S"
)
_AFTER_SHARE = 0.25  # what follows the credits is at most this share of the text before them
_AFTER_LINE = 80  # ... and holds no paragraph longer than this: menus, promos, a disclaimer


def cut_closing_credits(lines: list[str]) -> list[str]:
    """The lines up to the credits block ending the article (编辑|X, 责编|Y, 校对|Z): when what follows the
    first credit line is short (a subscription menu, a 在看 prompt, a disclaimer), it is not the article.

    >>> body = ["3日上午，某区23个项目集中签约，总投资186亿元，涵盖新能源、新材料、高端装备制造等领域。" * 6,
    ...         "编辑|张三", "校对|李四", "1、回复【社保】查询社保缴纳记录", "点击菜单栏【便民服务】解锁更多服务！"]
    >>> cut_closing_credits(body) == body[:1]
    True
    >>> cut_closing_credits(body[:1] + ["编辑：张三", body[0]]) == body[:1] + ["编辑：张三", body[0]]
    True
    """
    sizes = [len(squash(x)) for x in lines]
    for k, line in enumerate(lines):
        if k == 0 or len(line) > 40 or not _CLOSING_CREDIT.match(line):
            continue
        before, after = sum(sizes[:k]), sum(sizes[k:])
        if after <= _AFTER_SHARE * before and all(len(x) <= _AFTER_LINE for x in lines[k:]):
            return lines[:k]
    return lines


# ---------------------------------------------------------------- a heading broken over lines

_TITLE_SEPARATORS = "_-|｜—"
_HEADING_PARTS = 4  # a heading broken by <br> into at most this many lines


def heading_across_lines(page_lines: list[str], raw_title: str) -> str | None:
    """The article title as the page shows it broken over consecutive lines (a heading typed with <br>s),
    when those lines joined are the first part of the <title> ("标题__栏目_站点"), the rest naming the site.

    >>> heading_across_lines(["首页", "某市人民代表大会常务委员会", "关于某区划调整的决定", "（2023年2月3日通过）"],
    ...                      "某市人民代表大会常务委员会关于某区划调整的决定__公报_某市政府网")
    '某市人民代表大会常务委员会关于某区划调整的决定'
    >>> heading_across_lines(["某市人民代表大会常务委员会", "关于某区划调整"], "某市人民代表大会常务委员会关于某区划调整的决定") is None
    True
    """
    want = squash(raw_title)
    for i in range(len(page_lines)):
        for k in range(2, _HEADING_PARTS + 1):
            joined = "".join(squash(x) for x in page_lines[i : i + k])
            if len(joined) >= 8 and len(joined) < len(want) and want.startswith(joined) and (
                want[len(joined)] in _TITLE_SEPARATORS
            ):
                return joined
    return None


def drop_title_lines(lines: list[str], title: str | None) -> list[str]:
    """The lines without the title the body opens with, also when it is broken over a few lines.

    >>> drop_title_lines(["某市人民代表大会常务委员会", "关于某区划调整的决定", "会议决定：批准调整。"], "某市人民代表大会常务委员会关于某区划调整的决定")
    ['会议决定：批准调整。']
    """
    want = squash(title or "")
    for k in range(1, _HEADING_PARTS + 1):
        if want and "".join(squash(x) for x in lines[:k]) == want:
            return lines[k:]
    return lines
