"""Where an article's signing/start event is held, when its projects are there: the zone, park, district or county
that holds the event (X区举行…集中开工仪式, …签约仪式在X产业园举行, 泸州市泸县…仪式), and the venue's place.

Split from places.py (which finds places in text) because this decides whose event it is.
"""

from __future__ import annotations

import re

from .gazetteer import city_short_names, county_short_names
from .places import (
    _NOT_DISTRICT,
    _NOT_PLACE_CHAR,
    _NOT_PREFIX,
    _SUFFIX_RE,
    is_relative_place,
    longest_place_prefix,
)
from .text import last_of

# A venue inside a place (前海国际会议中心, 天府新区主会场): the place is what stands before the venue word.
_VENUE = re.compile(r"(?:主会场|分会场|会场|(?:国际)?(?:会议|会展|博览|展览|文化|市民|商务|创新|科创)中心|"
                    r"(?:国际)?(?:会议|会展)馆|大酒店|酒店|宾馆|大礼堂|礼堂|广场)$")

_EVENT_SUFFIX = re.compile(r"(?:区|园|园区|新城|县|镇|街道|基地)(?:\([^()]{2,8}\))?$")
_HOLD = re.compile(r"举行|举办|召开")
_DATE_NOISE = re.compile(r"昨日|昨天|今日|今天|当天|当日|日前|近日|上午|下午|\(\d{1,2}日\)|\d{1,2}月\d{1,2}日|于")
_EVENT_STAGE = re.compile(r"签约|簽約|开工|动工|投产|竣工|落户|落地|签订")


def venue_place(s: str) -> str | None:
    """The place of a venue written after 在: a place as such, or the place opening a venue name.

    >>> venue_place("前海国际会议中心"), venue_place("天府新区主会场"), venue_place("赣州主会场")
    ('前海', '天府新区', '赣州')
    >>> venue_place("临港产业园"), venue_place("深圳") is None, venue_place("县行政中心") is None
    ('临港产业园', True, True)
    """
    v = _VENUE.search(s)
    if v:
        stem = s[: v.start()]
        if len(stem) >= 2 and not _NOT_PLACE_CHAR.search(stem) and stem not in _NOT_PREFIX and \
                not stem.startswith(("当地", "本地", "这里", "我", "该", "本", "县", "市", "区")):
            return longest_place_prefix(stem) or (stem if len(stem) <= 4 else None)
        return None
    p = longest_place_prefix(s)
    if p != s and _city_and_county(s):
        return s  # 在广州南沙举行 / 在苏州吴江举行: a city's and a county's short names, the county's place
    return p if p == s else None


def _city_and_county(s: str) -> bool:
    """s is a city's short name followed by one of its counties' (广州南沙, 佛山顺德).

    >>> _city_and_county("广州南沙"), _city_and_county("广州"), _city_and_county("广州塔")
    (True, False, False)
    """
    return any(s[:n] in city_short_names() and s[n:] in county_short_names() for n in (2, 3))


_EVENT_PLACE_RE3 = re.compile(r"(?:主|分)会场$")
_EVENT_PLACE_RE4 = re.compile(r"(?:省|市)")
_EVENT_PLACE_RE5 = re.compile(r"(?:区|园|县|镇)")
_EVENT_PLACE_RE6 = re.compile(r"(?:仪式|活动|大会|推介会|签约会|开工会)$")
_EVENT_PLACE_RE7 = re.compile(r"[\u4e00-\u9fff]{2,12}")
# A county opening an event's name, after its city or with the city before it in brackets' stead
_OWNER_COUNTY = re.compile(r"(?:[\u4e00-\u9fff]{2,3}市|[\u4e00-\u9fff]{2,3}(?=\())?\(?([\u4e00-\u9fff]{1,4}?(?:县|旗))\)?"
                           r"(?=\d|[\u4e00-\u9fff])")
_ZONE_END = re.compile(r"(?:园区|开发区|高新区|经开区|新区|产业园|工业园|产业基地)$")


def event_place(work: str, limit: int = 600) -> str | None:
    """The zone, park or district that holds the article's signing/start event (X区举行…集中开工仪式,
    …签约仪式在X产业园举行), when it is one; projects that state no place of their own are there.

    >>> event_place("3月14日,潍坊滨海经济技术开发区举行一季度重点项目集中开工仪式,12个项目集中开工。")
    '潍坊滨海经济技术开发区'
    >>> event_place("6月3日,青山区重大项目集中签约仪式举行,12个项目签约。")
    '青山区'
    >>> event_place("11月28日,外资项目集中签约仪式在前海国际会议中心举行。")
    '前海'
    >>> event_place("10月8日,安徽省重大项目集中开工动员会在芜湖主会场举行。") is None  # a province's event
    True
    >>> event_place("5月30日,攸县招商引资项目集中签约仪式在县行政中心举行。")  # a county's own event
    '攸县'
    >>> event_place("10日,泸州市泸县重点项目集中签约和开工仪式在泸县经济开发区举行。")  # the county's, not the venue's
    '泸县'
    >>> event_place("7月13日,川南新材料化工园区重大项目竣工投产活动在中化蓝天基地办公楼前广场举行。")
    '川南新材料化工园区'
    """
    for m in _HOLD.finditer(work, 0, limit):
        cs = last_of(work, ",。;\n", 0, m.start()) + 1
        se = min([i for i in (work.find(c, m.end()) for c in "。\n") if i >= 0] or [len(work)])
        ss = last_of(work, "。\n", 0, m.start()) + 1
        if not _EVENT_STAGE.search(work, ss, se):
            continue
        clause = _DATE_NOISE.sub("", work[cs : m.start()])
        k = clause.rfind("在")
        if k >= 0:
            before = clause[:k]
            if _EVENT_PLACE_RE4.search(before) and not _EVENT_PLACE_RE5.search(before):
                return None  # a province's or city's event held at one venue: its projects spread over it
            if _EVENT_PLACE_RE3.search(clause):
                return None  # a main venue of a wider event: its projects spread over the whole area
            owner = _OWNER_COUNTY.match(before.lstrip(","))
            if owner and _EVENT_PLACE_RE6.search(before) and not is_relative_place(owner.group(1)):
                # 泸州市泸县…集中签约和开工仪式在泸县经济开发区举行 / 石家庄(正定县)…开工仪式在X项目施工现场举行: a
                # county's own event, wherever in the county it is held, is the county's.
                return owner.group(1)
            place = venue_place(clause[k + 1 :])
            zone = longest_place_prefix(before) if place is None and _EVENT_PLACE_RE6.search(before) else None
            if zone and _ZONE_END.search(zone):
                # 川南新材料化工园区…竣工投产活动在中化蓝天基地办公楼前广场举行: a zone's own event at a venue
                # that names no place (a firm's yard) is the zone's.
                return zone
        else:
            clause = clause.rsplit(" ", 1)[-1]  # 总投资147亿元 泸县举行…: a headline's parts are spaced
            place = longest_place_prefix(clause)
            if place != clause and not (place and _EVENT_PLACE_RE6.search(clause)
                                        and _EVENT_PLACE_RE7.fullmatch(place)
                                        and not place.endswith(("湾区", "三角"))):
                place = None  # only X区 举行… or an event named after its zone (X区重大项目集中签约仪式举行)
        if place and _EVENT_SUFFIX.search(place) and place not in _NOT_DISTRICT:
            return place
        if place and k >= 0 and not re.search(f"(?:{_SUFFIX_RE})$", place):
            return place  # a bare place name before a venue (前海 of 前海国际会议中心)
        return None
    return None
