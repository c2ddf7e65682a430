"""Places that head a part of an article: a tally clause (X区集中开工的项目有10个) or a line that is only a place.

A roundup of several zones writes each zone once, at the head of its part, then lists that part's projects
without repeating it; the projects of the part are in that zone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import county_short_names
from .places import is_relative_place, longest_place_prefix

# Words that may stand before the place at a clause start (当天,X区共有7个项目集中开工).
_FILLER = re.compile(r"(?:(?:当天|当日|此次|本次|其中|同时|另外|此外|日前|近日|目前|今年以来|截至目前|今年|去年|上半年|下半年|"
                     r"前三季度|[一二三四]季度|\d{1,2}月份?(?:以来)?|年初以来|还|也),?)*")
# The rest of a tally clause: a count of projects with a stage or 项目 (共有7个项目, 签约项目58个, 开工的项目有10个).
_COUNT = re.compile(r"[0-9一二三四五六七八九十两百]+个")
_TALLY_WORD = re.compile(r"项目|項目|签约|簽約|开工|開工|动工|投产|投產|竣工")
_CLAUSE_END_RE = re.compile(r"[,。;\n]")
_CLAUSE_HEAD = 40  # characters of a clause that may hold its heading place
_BARE_LINE_MAX = 12
_PLAIN = re.compile(r"[\u4e00-\u9fff—－-]{2,16}")  # a place name, not a phrase with 、 or figures
_LINE_MAX = 4000  # characters looked back for one line's start
_HEADING_LOOKBACK = 10  # lines: a part is a heading, a headline and a few paragraphs


@lru_cache(maxsize=8)
def tally_heads(work: str) -> tuple[tuple[int, int], ...]:
    """Spans of the places opening a tally clause anywhere in the text (凤阳宁国现代产业园集中开工的项目有10个)."""
    heads: list[tuple[int, int]] = []
    i = 0
    # one pass over the clause ends (a find() per end character from every clause was quadratic on long texts)
    for end in [m.start() for m in _CLAUSE_END_RE.finditer(work)] + [len(work)]:
        f = _FILLER.match(work, i, end)
        a = f.end() if f else i
        place = longest_place_prefix(work[a : min(end, a + _CLAUSE_HEAD)])
        if place and _PLAIN.fullmatch(place) and not is_relative_place(place) and place[0] not in "全各每":
            rest = work[a + len(place) : end]
            if _COUNT.search(rest) and _TALLY_WORD.search(rest):
                heads.append((a, a + len(place)))
        i = end + 1
    return tuple(heads)


def tally_place(work: str, para_start: int, start: int) -> tuple[int, int] | None:
    """The place opening the nearest tally clause before `start` in its paragraph. A city heads a part only in
    a roundup of several places' tallies (高邮市签约项目58个…; 仪征市…): one city's tally is the article's own.

    >>> w = "凤阳宁国现代产业园集中开工的项目有10个,计划总投资31.4亿元,分别是投资8亿元的X项目"
    >>> w[slice(*tally_place(w, 0, w.index("X")))]
    '凤阳宁国现代产业园'
    >>> w = "当天,广西—东盟经开区共有7个项目集中开工,总投资达7.91亿元。此次项目开工包括A项目"
    >>> w[slice(*tally_place(w, 0, w.index("A")))]
    '广西—东盟经开区'
    >>> tally_place("全县共有7个项目集中开工,包括A项目", 0, 15) is None  # relative to the text
    True
    >>> tally_place("南宁市202个项目被纳入方案,包括A项目", 0, 18) is None  # the article's one city
    True
    >>> tally_place("成功引进上市公司投资项目31个,包括A项目", 0, 19) is None  # 上市 is not a place
    True
    """
    heads = tally_heads(work)
    places = len({work[a:b] for a, b in heads})
    best: tuple[int, int] | None = None
    for a, b in heads:
        if para_start <= a < start and (not work[a:b].endswith("市") or places >= 2):
            best = (a, b)
    return best


def heading_place(work: str, para_start: int) -> tuple[int, int] | None:
    """The nearest earlier line that is only a place (渝中区 / 万州区 heading a part), not the article's title.

    >>> w = "重庆市重大项目开工\\n渝中区\\n重庆站枢纽工程开建\\n1月2日,X工程开工"
    >>> w[slice(*heading_place(w, w.index("1月")))]
    '渝中区'
    >>> heading_place("江门市\\nX项目开工", 4) is None  # the first line is the title
    True
    """
    end = para_start - 1
    for _ in range(_HEADING_LOOKBACK):
        if end <= 0:
            return None
        begin = work.rfind("\n", max(0, end - _LINE_MAX), end) + 1
        if begin == 0 and end >= _LINE_MAX:
            return None  # a line longer than any heading: no heading before it
        if begin == 0:
            return None  # the title line
        line = work[begin:end].strip()
        if line and len(line) <= _BARE_LINE_MAX and longest_place_prefix(line) == line and \
                not is_relative_place(line):
            off = work.index(line, begin)
            return off, off + len(line)
        end = begin - 1
    return None


_RELATIVE_UNIT = re.compile(r"(?:全|我|本|该)(县|区|旗)")
_LEAD_UNIT = 300  # characters: the lead names the county the article is about


def _known_unit(place: str) -> bool:
    """Whether a county or district is a real division (the gazetteer), not words before 县 (卢智宇等县领导).

    A zone (高新区, 经开区) is not in the table; it passes on its suffix. Without the table every place passes.

    >>> [_known_unit(p) for p in ("封开县", "吉安县", "卢智宇等县", "荣县", "我县", "滨海新区")]
    [True, True, False, True, False, True]
    """
    if is_relative_place(place) or _RELATIVE_UNIT.search(place):  # 我县, and 将为我县 matched whole
        return False
    shorts = county_short_names()
    return not shorts or place[:-1] in shorts or place in shorts or place.endswith(_ZONE_ENDS)


_ZONE_ENDS = ("新区", "开发区", "高新区", "经开区", "园区", "试验区", "示范区")


def relative_home(work: str) -> str | None:
    """The county or district an article calls 全县/我县/本区: the first one of that kind its lead names.

    >>> relative_home("今年以来,吉安县坚持以大改革引领大发展。一季度,全县共签约项目12个")
    '吉安县'
    >>> relative_home("今年以来,吉安县签约项目12个。") is None  # never referred to as 全县
    True
    >>> relative_home("日前,全县集中开工三个项目,将为我县发展注入活力。山阳县领导出席")  # 将为我县 is no place
    '山阳县'
    """
    rel = _RELATIVE_UNIT.search(work)
    if not rel:
        return None
    unit = rel.group(1)
    for m in re.finditer(rf"[\u4e00-\u9fff]{{2,4}}?{unit}", work[:_LEAD_UNIT]):
        place = longest_place_prefix(m.group())
        start = m.start()
        # the place must begin a word: after punctuation, a time word or the text start
        if place == m.group() and _known_unit(place) and (start == 0 or work[start - 1] in ",。;:\n 、") \
                and place[0] not in "全各每":
            return place
    return None


_CAPTION_LINE = re.compile(r"^(?:图为|图:)[^\n]*|^[^\n]*(?:供图|摄影?|图片来源[^\n]{0,12})\s*$", re.M)


def first_text_mention(work: str, district: str) -> int:
    """Where the text first names `district` (or its two-character stem) outside photo captions, whose credit
    line (X区政府新闻办 供图) names the photographer's district, not the article's.

    >>> first_text_mention("活动南海分会场。南海区新闻办 供图\\n佛山市举行开工活动。A项目开工。南海区开工55个项目", "南海区")
    34
    >>> first_text_mention("南海区重大项目开工\\n我区A项目开工", "南海区")
    0
    """
    stem = re.escape(district[:2])
    caps = [m.span() for m in _CAPTION_LINE.finditer(work)]
    for m in re.finditer(stem, work):
        if not any(a <= m.start() < b for a, b in caps):
            return m.start()
    return len(work)
