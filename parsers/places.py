"""Places: where a project is put (落户/位于/在 + admin division or park) and an article's dominant district.

By hand rather than jionlp: its recognize_location costs 13-20 s and 2 GB on first use, and parse_location
resolves a known full address but not 杜阮镇 or a park name; what we need is the place as written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import city_short_names, county_short_names
from .text import last_of

# Place suffixes, longest first: a place phrase must end in one of these.
PLACE_SUFFIXES: tuple[str, ...] = (
    "经济技术开发区",  # economic and technological development zone
    "高新技术产业开发区",
    "产业集聚区",  # industrial cluster zone
    "产业基地",
    "开发区",  # development zone
    "高新区",  # high-tech zone
    "经开区",
    "示范区",  # demonstration zone
    "保税区",  # bonded zone
    "自贸区",
    "临空区",
    "工业区",
    "产业园区",
    "科技园",
    "产业园",  # industrial park
    "工业园",
    "工业城",
    "园区",  # park
    "新区",  # new area
    "新城",  # new town (滨海新城)
    "街道",  # sub-district
    "自治州",
    "自治县",
    "省",  # province
    "市",  # city
    "区",  # district
    "县",  # county
    "镇",  # town
    "乡",  # township
    "村",  # village
    "园",  # park (short form)
)
_SUFFIX_RE = "|".join(PLACE_SUFFIXES)
_SUFFIX_AT = re.compile(rf"(?:{_SUFFIX_RE})(?:\([^()]{{2,8}}\))?")

# Cue words that put a project in a place.
# 在 counts at a clause start, or right after a project head (…项目在X正式签约).
_CUE = re.compile(r"(?:落户于?|位于|坐落于|落地于?|选址于?|建于|地处|扎根|(?:建设|项目)(?:地点|地址):|"
                  r"项目所在地(?:为|是|——|—|:)|"  # 该项目所在地——横州六景工业园
                  r"(?:(?<=^)|(?<=[,。;\n])|(?<=项目)|(?<=基地)|(?<=\d年)|(?<=\d月)|(?<=\d日)|(?<=计划)|(?<=拟)|(?<=将))"
                  r"(?:昨日|昨天|今日|今天|当天|当日|日前|近日)?在)")
_RUN = re.compile(r"[\u4e00-\u9fff()A-Za-z]{2,30}")

# Words that end a place run before any suffix can be trusted (a verb follows the place).
_RUN_STOP = re.compile(r"(?:主要|总投资|投资|计划|建设|打造|项目|致力|用于|占地|规划|将|的|是|并|后|以|与|和|及)")

# District-like tokens that are not places (全区 = the whole district, 园区 = a park, 石化区 = a
# petrochemical zone, 起步区 = a start-up zone: kinds of area, not names).
_NOT_DISTRICT = frozenset(
    "全区 该区 本区 各区 辖区 城区 园区 片区 社区 景区 厂区 市区 校区 湾区 新区 分区 矿区 示范区 地区 山区 "
    "库区 街区 小区 展区 专区 一区 二区 三区 全县 该县 各县 本县 郊区 镇区 县区 市县 东区 西区 南区 北区 "
    "自治区 港区 营区 赛区 大湾区 粤港澳大湾区 湾区 服务区 功能区 集聚区 试验区 保税区 开发区 产业区 工业区 军区 灾区 老区 两区 "
    "经开区 石化区 化工区 商务区 商业区 物流区 生活区 办公区 展览区 试点区 先导区 风景区 旅游区 起步区 核心区 先行区 承载区 合作区 主城区 中心城区 老城区 新城区 园区".split()
)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str


def longest_place_prefix(s: str) -> str | None:
    """The longest prefix of s that ends in a place suffix (after cutting at a following verb).

    >>> longest_place_prefix("蓬江区杜阮镇的广东建雅")
    '蓬江区杜阮镇'
    >>> longest_place_prefix("高新区主要研发生产聚砜")
    '高新区'
    >>> longest_place_prefix("蓬江智能家电产业园")
    '蓬江智能家电产业园'
    >>> longest_place_prefix("主要研发") is None
    True
    >>> longest_place_prefix("和县经济开发区的X项目")
    '和县经济开发区'

    """
    stop = _RUN_STOP.search(s, 1)  # 和县 / 和平区: a place may open with a character that is a stop word elsewhere
    if stop:
        s = s[: stop.start()]
    best: str | None = None
    for m in _SUFFIX_AT.finditer(s):
        cand = s[: m.end()]
        if len(cand) >= 2 and cand not in _NOT_DISTRICT:
            best = cand
    if best is not None and len(best) < 2:
        return None
    return best


_CUED_PLACES_RE1 = re.compile(r"[,的]|(?:正式|顺利|成功|集中)?(?:签约|开工|动工|落户|投产|落地|建设|建成)")


def cued_places(work: str, start: int, end: int) -> list[PlaceMention]:
    """Places introduced by 落户/位于/落地… in work[start:end].

    >>> w = "计划总投资5亿元,落户高新区,主要研发"
    >>> [p.text for p in cued_places(w, 0, len(w))]
    ['高新区']
    >>> w = "位于蓬江区杜阮镇的广东建雅科技项目"
    >>> [p.text for p in cued_places(w, 0, len(w))]
    ['蓬江区杜阮镇']
    >>> w = "Y项目于2019年在沭阳经开区建成投产"
    >>> [p.text for p in cued_places(w, 0, len(w))]
    ['沭阳经开区']
    >>> w = "X项目昨日在吴江开发区开工,建设地点:城南工业园"
    >>> [p.text for p in cued_places(w, 0, len(w))]
    ['吴江开发区', '城南工业园']
    """
    out: list[PlaceMention] = []
    for m in _CUE.finditer(work, start, end):
        run = _RUN.match(work, m.end(), end)
        if not run:
            continue
        place = longest_place_prefix(run.group(0)) or _short_place_before_build(run.group(0))
        after = work[run.start() + len(place) : run.start() + len(place) + 6] if place else ""
        if place and m.group(0).endswith("在") and not _CUED_PLACES_RE1.match(after):
            continue  # 在X,… / 在X的… / 在X正式签约: the project's place; other 在 phrases (在X举行) are not
        if place and not place.startswith(("当地", "本地", "这里", "我市", "我区", "该")) and \
                place not in _NOT_DISTRICT and not place.endswith(("大湾区", "长三角")):
            out.append(PlaceMention(run.start(), run.start() + len(place), place))
    return out




_BUILD_AFTER = re.compile(r"建设")  # the verbs cued_places accepts after 在X


def _short_place_before_build(run: str) -> str | None:
    """将在乌鲁木齐建设X项目: a city's or county's short name, written without 市/县, before a build verb.

    >>> _short_place_before_build("乌鲁木齐建设国际五金城项目"), _short_place_before_build("会上建设")
    ('乌鲁木齐', None)
    """
    for n in (4, 3, 2):
        if run[:n] in city_short_names() or run[:n] in county_short_names():
            return run[:n] if _BUILD_AFTER.match(run, n) else None
    return None


# A district: a zone with the place before it (苏州工业园区, 东湖高新区), or two characters + 区/县/新区.
_DISTRICT = re.compile(
    r"((?P<zone>[\u4e00-\u9fff]{2}(?:工业园区|高新区))|高新区|[\u4e00-\u9fff]{2}(?:新区|区|县|(?<=[\u4e00-\u9fff]{2})旗))"
    r"(?!域|块|位|间|别)(\([\u4e00-\u9fff]{2,4}(?:区|县)\))?"
)
# Characters that are never part of a place name before 区 (在园区, 址园区, 的高新区, 今年…).
_NOT_PLACE_CHAR = re.compile(r"[在于到至从向址的和与及为是将由把对等个年月日期了说称中内外]")
_NOT_PREFIX = frozenset("全市 我市 我区 全区 本市 该市 全省 全县 省级 市级 国家 国家级 季度 年度 月份 以来 今年 去年 明年".split())
# A character right before 区 that makes the word a kind of area, not a district name (园区, 厂区, 校区).
_NOT_BEFORE_QU = frozenset("园业址厂校景社片辖小展库矿街营城")
# Kind-of-area words that end a longer zone name (大丰港经济区, 庆盛枢纽区), never a district name by themselves.
_GENERIC_STEMS = frozenset("经济 枢纽 核心 物流 科技 金融 商务 生态 港口 综合 创新 合作 功能 保税 临港 航空 口岸 文旅 旅游 "
                           "商贸 总部 智造 数字 服务 发展 试验 示范 集聚 承载 先行 产业 工业".split())


_DISTRICT_TOKENS_RE2 = re.compile(r"[\u4e00-\u9fff]")


_DISTRICT_END = re.compile("区|县|旗")  # group 1 of every _DISTRICT match ends in one of these


def district_matches(work: str) -> list[re.Match[str]]:
    """Exactly `_DISTRICT.finditer(work)`, scanning only windows around 区/县 (as projects.company_matches).

    Every [\u4e00-\u9fff] position starts a try of all branches; a match's group 1 ends with 区/县 at some q
    and starts at most 5 characters before it, and the engine reads at most 7 characters after q (the
    lookahead and a bracketed alias), so the merged windows [q-6, q+12] hold every match and all it reads.
    """
    spans: list[list[int]] = []
    for q in _DISTRICT_END.finditer(work):
        a, b = max(0, q.start() - 6), min(len(work), q.start() + 12)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [m for a, b in spans for m in _DISTRICT.finditer(work, a, b)]


def district_tokens(work: str) -> Counter[str]:
    """Counts of district/county names (two characters + 区/县, or 高新区), with a parenthesised alias kept.

    >>> district_tokens("高新区(江海区)今年,高新区(江海区)与蓬江区,全区")
    Counter({'高新区(江海区)': 2, '蓬江区': 1})
    >>> district_tokens("优化区域布局,萧山区")  # 区域 = region, not a district
    Counter({'萧山区': 1})
    >>> district_tokens("苏州工业园区招商,项目在园区落地,选址园区东部,东湖高新区")
    Counter({'苏州工业园区': 1, '东湖高新区': 1})
    >>> district_tokens("今年高新区签约")
    Counter({'高新区': 1})
    """
    counts: Counter[str] = Counter()
    for m in district_matches(work):
        name = m.group(1)
        if m.group("zone"):
            if _NOT_PLACE_CHAR.search(name[:2]) or name[:2] in _NOT_PREFIX:
                name = name[2:]  # 今年高新区 / 的工业园区: the zone without a prefix that is no place name
                if name != "高新区":
                    continue  # a bare 工业园区 names no district
        elif name[:2] in _GENERIC_STEMS:
            # 大丰港经济区 / 庆盛枢纽区: a kind-of-area word closes a longer name; count the whole name or nothing.
            s = m.start()
            while s > 0 and m.start() - s < 6 and _DISTRICT_TOKENS_RE2.match(work[s - 1]) and \
                    not _NOT_PLACE_CHAR.match(work[s - 1]):
                s -= 1
            if m.start() - s < 2 or work[s : s + 2] in _NOT_PREFIX:
                continue
            name = work[s : m.start()] + name
        elif name in _NOT_DISTRICT or name[:1] in "全该本各辖每一个两三多区县市省" or \
                _NOT_PLACE_CHAR.search(name[:1]) or name[-2] in _NOT_BEFORE_QU:
            continue
        if m.group(1) != "高新区" and work[m.start() - 1 : m.start()] in ("新", "高"):
            continue  # 高新江海区 = the same district written with its zone prefix; counted by its own name below
        counts[name + (m.group(3) or "")] += 1
    return counts


def stem_counts(work: str, counts: Counter[str]) -> Counter[str]:
    """Add bare mentions (海沧, 萧山经济技术开发区) of districts the article writes in full at least twice.

    News writes a district in full once or twice, then by its two-character stem; the stem alone counts
    only once the full form has shown it is a district here.

    >>> stem_counts("海沧区签约。海沧区开工。海沧的企业,在海沧投产", Counter({"海沧区": 2}))
    Counter({'海沧区': 4})
    """
    out: Counter[str] = Counter()
    for name, n in counts.items():
        out[name] += n
        stem = name[:2]
        if n >= 2 and len(name) == 3 and name != "高新区":
            out[name] += len(re.findall(rf"{re.escape(stem)}(?![区县])", work))
    return out


def dominant_district(work: str) -> str | None:
    """The district an article is about, when one clearly dominates (≥3 mentions and ≥2x the next).

    >>> dominant_district("蓬江区招商。蓬江区签约。蓬江区开工。新会区")
    '蓬江区'
    >>> dominant_district("蓬江区。新会区。") is None
    True
    """
    counts = stem_counts(work, district_tokens(work))
    # Merge "高新区(江海区)" style aliases with their bare forms.
    merged: Counter[str] = Counter()
    for name, n in counts.items():
        merged[name] += n
        if "(" in name:
            for other, m in counts.items():
                if other != name and (name.startswith(other) or name.endswith("(" + other + ")")):
                    merged[name] += m
    ranked = merged.most_common()
    if not ranked:
        return None
    top, n = ranked[0]
    second = next((m for name, m in ranked[1:] if name not in top and top not in name), 0)
    if n >= 3 and n >= 2 * second:
        return top
    return None


# Places an event's projects may inherit: zones, parks, districts, counties, towns (not a province or a city,
# whose projects spread over it).

_PAREN_PLACE_RE8 = re.compile(r"(?:省|市)$")
_PAREN_PLACE = re.compile(r"\((?:位于|落户|选址|坐落于|地处|建于)?([\u4e00-\u9fff]{2,16})\)")


def paren_place(work: str, end: int) -> tuple[int, int] | None:
    """A place written in brackets right after a name: X项目(大丰港经济区), X项目(亭湖区黄尖镇).

    >>> w = "远翔风机叶片项目(大丰港经济区),总投资22亿元"
    >>> w[slice(*paren_place(w, 8))]
    '大丰港经济区'
    >>> w = "X项目(位于青山镇)"
    >>> w[slice(*paren_place(w, 3))]
    '青山镇'
    >>> paren_place("X项目(总投资6.3亿元)", 4) is None
    True
    """
    m = _PAREN_PLACE.match(work, end)
    if not m:
        return None
    inner = m.group(1)
    if longest_place_prefix(inner) != inner or inner in _NOT_DISTRICT or _PAREN_PLACE_RE8.search(inner):
        return None
    return m.start(1), m.end(1)


_SCENE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:主会场|分会场|(?P<tally>(?:新|集中)?(?:开工|签约|投产|竣工|开竣工|落地)"
                    r"(?:重大|重点)?项目\d+个))")
# A paragraph opening with a place as its label: 【青山镇】… / 青山镇:… .
_PARA_LABEL = re.compile(r"\s*(?:【([\u4e00-\u9fff]{2,12})】|\[([\u4e00-\u9fff]{2,12})\]|([\u4e00-\u9fff]{2,12}):)")


def scene_place(work: str, start: int) -> tuple[int, int] | None:
    """The venue place (X主会场/X分会场) of the ;-clause that names a project: 在赣州主会场,…A、B同时动工 /
    南昌分会场开工项目68个,…,A项目位列其中.

    >>> w = "在赣州主会场,总投资120亿元的A产业园、B项目同时动工"
    >>> w[slice(*scene_place(w, w.find("B")))]
    '赣州'
    >>> w = "其中,青山区开工项目6个,总投资20亿元,包括A项目、B项目"
    >>> w[slice(*scene_place(w, w.find("B")))]
    '青山区'
    >>> scene_place("全市开工项目6个,包括B项目", 14) is None
    True
    """
    cs = last_of(work, "。;\n", 0, start) + 1
    found = None
    for m in _SCENE.finditer(work, cs, start):
        s = m.start(1)
        while s < m.end(1) and _NOT_PLACE_CHAR.match(work, s):
            s += 1  # 在赣州 / 于… : the cue is not part of the place
        if m.group("tally"):
            # 青山区开工项目6个,…,包括A、B: the clause's own district tally.
            while s < m.end(1) and longest_place_prefix(work[s : m.end(1)]) != work[s : m.end(1)]:
                s += 1
            name = work[s : m.end(1)]
            if not name or name[0] in "全各本该我每" or name in _NOT_DISTRICT or _PAREN_PLACE_RE8.search(name):
                continue
        if m.end(1) - s >= 2:
            found = (s, m.end(1))
    return found


def label_place(work: str, para_start: int) -> tuple[int, int] | None:
    """A place labelling the paragraph that starts at para_start: 【青山镇】总投资5亿元的X项目开工 / 青山镇:….

    >>> w = "【青山镇】总投资5亿元的X项目开工"
    >>> w[slice(*label_place(w, 0))]
    '青山镇'
    >>> label_place("其中:X项目开工", 0) is None
    True
    """
    m = _PARA_LABEL.match(work, para_start)
    if not m:
        return None
    k = next(i for i in (1, 2, 3) if m.group(i))
    name = m.group(k)
    if longest_place_prefix(name) != name or name in _NOT_DISTRICT or name[0] in "全各本该我每":
        return None
    return m.start(k), m.end(k)


# 我县 / 本区 / 该市 / 全区: a place relative to the writer or the text, never a place for the dataset.
_RELATIVE = re.compile(r"^(?:我|本|该|全|此|这个|我们)(?:省|市|州|盟|县|区|旗|镇|乡|街道|园区|开发区|新区|高新区|经开区|园)")


def is_relative_place(place: str | None) -> bool:
    """Whether a place is written relative to the text.

    >>> [is_relative_place(p) for p in ("我县", "本区东部", "该开发区", "江门市", None)]
    [True, True, True, False, False]
    """
    return bool(place) and bool(_RELATIVE.match(place or ""))


def strip_relative(place: str) -> str | None:
    """The place after a relative opening (我县阜溪街道 -> 阜溪街道), or None when nothing is left.

    >>> strip_relative("我县阜溪街道"), strip_relative("本区"), strip_relative("全区东部")
    ('阜溪街道', None, None)
    """
    m = _RELATIVE.match(place)
    rest = place[m.end() :] if m else place
    return rest if len(rest) >= 3 and longest_place_prefix(rest) else None


_PLAIN_PLACE = re.compile(r"[\u4e00-\u9fff]{3,10}")  # a place name, not a dateline or a sentence
_HEADLINE_PLACE_END = re.compile(r"(?:市|县|区|旗|州|镇|新区|开发区|经开区|高新区|园区|产业园)$")


def headline_place(work: str) -> str | None:
    """The place a headline opens with (湘乡市14个项目集中开工 -> 湘乡市): what an article about one place
    is about, when the body names no dominant district.

    >>> headline_place("湘乡市14个重点项目集中开工\\n正文"), headline_place("重点项目集中开工\\n正文")
    ('湘乡市', None)
    """
    title, newline, _ = work.partition("\n")
    first = title[:40]
    if not newline or not first:
        return None
    place = longest_place_prefix(first)
    if not place or not _PLAIN_PLACE.fullmatch(place) or is_relative_place(place) or not _HEADLINE_PLACE_END.search(place):
        return None
    return place
