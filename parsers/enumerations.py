"""Named things without 项目 in a list of projects: `签约项目包括比亚迪、五邑大学研究院和大湾区科创园` /
`立讯精密、新宙邦等12个项目集中开工`. When the sentence says the listed things are the projects signed,
started or put into production, each item (a company short name, an institution, a park) stands for a
project, even though its name has no project head word.

The other name finders (parsers.names) need a head word (项目, 基地, 产业园 …) or a long name; these lists
are recognised by what introduces or closes them instead.
"""

from __future__ import annotations

import re

from .amounts import cn_number
from .names import NOT_A_NAME, NameMention, specific_part
from .places import longest_place_prefix
from .text import last_of

_STAGE = r"(?:签约|签订|开工|动工|开建|投产|竣工|落地|落户|开业|投用|集中签约|集中开工|集中投产)"
# 签约项目包括: / 当天开工的项目有: / 此次集中签约的重点项目分别为
_INTRO = re.compile(
    rf"{_STAGE}(?:仪式上|活动中)?(?:的)?(?:重点|重大|优质|产业|招商|工业)*(?:项目|企业)(?:主要)?"
    r"(?:中,?(?=包括))?"  # 4日签约的项目中,包括A、B: "among the projects signed" introduces them too
    r"(?:有|包括|包含|为|分别为|分别是|是|如)[:：]?"  # not 涵盖: 项目涵盖锂电新材料、… lists fields
)
# A、B、C等12个项目集中签约 / A、B等一批重大项目开工: the list ends with 等…项目 and a reported stage follows.
# 等多家单位或企业当日签约成功: signatories counted in 家 may be called units, institutions or firms (a university
# signs as well as a company); only after a 家 count, so 市发改委、市商务局等单位 stays no list of projects.
_CLOSE = re.compile(
    rf"等(?:(?:[\d一二三四五六七八九十两几多]+家(?:单位|机构|院校|高校)(?:或|和|及|、))|"
    rf"(?:[\d一二三四五六七八九十两几多]+(?:个|项|家)|一大?批|多个)?"
    # 等一大批风能、光电等高科技产业项目的落户: the kinds the listed firms' projects are of
    rf"(?:[\u4e00-\u9fff、]{{0,20}}?(?:产业|行业|领域|科技|制造|能源))?(?:重点|重大|优质|产业|招商)?)(?:项目|企业)"
    rf"(?:[^,。;]{{0,8}}?)(?:正式|顺利|成功|集中|现场|同时|同步|相继|先后|陆续|均|已)?{_STAGE}"
)
# 现场签约的A和B两大项目 / 开工的A、B等5个项目: the list sits between 签约的 and its count.
_BETWEEN = re.compile(
    rf"{_STAGE}的([^,。;:]{{4,80}}?)(?:等)?(?:[\d两三四五六七八九十]+(?:大|个|项)|一批)(?:重点|重大|产业)?项目"
)
# 抽水蓄能电站、本岫庄高速、石湖水库“三个百亿”项目加速落地: a quoted label counting the list's items (when its
# count is the number of items) calls them projects, with or without 等
_COUNTED_LABEL = re.compile(r"(?:等)?“[^”]{0,3}?([\d一二三四五六七八九十两]+)(?:个|大|项)[^”]{0,6}”(?:重点|重大)?项目")
_COVERS = re.compile(r"(?:重点|重大|签约|开工)(?:的)?(?:项目|企业)(?:主要)?涵盖")
_FIELD_WORD = re.compile(r"(?:材料|产业|领域|行业|制造|装备|能源|医药|化工|服务业?|农业|旅游|经济|科技|信息|物流|文旅|商贸|"
                         r"金融|健康|环保|电子|汽车)$")
_SENTENCE_INCLUDES = re.compile(r"(?<=[。;])包括")
_STAGE_RE = re.compile(_STAGE)
_TALLY_IN = re.compile(r"\d+个|[一二三四五六七八九十两]+个")
# A、B与庐阳区政府签约: the parties that sign with a government (or a zone's 管委会) are what it signed, the
# government being the place's side of the deal.
_WITH_GOVERNMENT = re.compile(r"与[^,。;、与]{2,16}?(?:人民政府|政府|管委会)(?:正式|成功|现场|集中)?(?:签约|签订|签署)")
_GROUNDBREAKING = re.compile(r"为(?:“[^”]{1,12}”)?(?:项目)?([\u4e00-\u9fffA-Za-z0-9·]{4,30}?)(?:项目)?(?:培土奠基|奠基|开工奠基)")
_ITEM_SEP = re.compile(r"、|,(?=[^,。;]{2,20}(?:、|和|及))|以及|和|及|与")
# 随着A、B等项目的落户: the preposition opening the clause is not part of the first name
_ITEM_LEAD = re.compile(r"^(?:[^、,。;]{0,12}?(?:亿元|万元)(?:级)?的|总投资[^、,。;]{0,10}?元的|随着|伴随着?)")
_ITEM_TAIL = re.compile(r"(?:\([^()]*\)|等)+$")
_ITEM_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·()（）“”]{2,30}")  # a quoted brand: 蛋糕品牌“KUMO”所有方
_HEAD = re.compile(r"(?:项目|工程|基地|产业园|园区|中心)$")
_ZONE_HEAD = re.compile(r"(?:科创园|产业园|科技园|工业园|物流园|集聚区|产业城|中心|基地|园区|研究院|分院|学院|大学|医院|校区|院区|分校)$")
# 个 / 3家 / 等 are a tally or a list word, but not inside 国家 / 高等 (国家科学中心, 高等研究院).
_NOT_ITEM = re.compile(r"项目.|个|[\d一二三四五六七八九十两几多]家|亿|万元|一批|多个|若干|其中|全市|全区|全县|我市|我区|我县|本市|该|此|"
                       r"(?<![高中同])等|[将已在对为是]$|^[将已在对为是]")


def enumeration_candidates(work: str) -> list[NameMention]:
    """Items of a list the sentence calls the projects signed / started / put into production.

    >>> w = "签约项目包括比亚迪、宁德时代、五邑大学江门研究院和大湾区科创园。"
    >>> [m.name for m in enumeration_candidates(w)]
    ['比亚迪', '宁德时代', '五邑大学江门研究院', '大湾区科创园']
    >>> [m.name for m in enumeration_candidates("立讯精密、新宙邦等12个项目集中开工。")]
    ['立讯精密', '新宙邦']
    >>> [m.name for m in enumeration_candidates("现场签约的佳兆业·空港凤凰科技城和汉孝临空产业园两大项目投资均超过300亿元")]
    ['佳兆业·空港凤凰科技城', '汉孝临空产业园']
    >>> enumeration_candidates("在吸引了一批如德昌、优美科、麦克韦尔等优质项目后")
    []
    """
    out: list[NameMention] = []
    for m in _INTRO.finditer(work):
        end = _run_end(work, m.end())
        out.extend(_items(work, m.end(), end, min_items=1))
    for m in _COVERS.finditer(work):
        # 重点项目涵盖新疆国融储能调频电站、浙江商会大洋河北方不夜城等: named things; 本次竣工投产项目涵盖锂电新材料、
        # 高性能导电材料等: fields, no project
        items = _items(work, m.end(), _run_end(work, m.end()), min_items=2)
        if items and not any(_FIELD_WORD.search(i.name) for i in items):
            out.extend(items)
    for m in _SENTENCE_INCLUDES.finditer(work):
        # 仅商贸物流中心项目就签约9个。包括总投资18亿元的A、…以及…的B等。: a sentence spelling out the stage tally
        # of the sentence before
        prev = last_of(work, "。;!?\n", 0, m.start() - 1) + 1
        if _STAGE_RE.search(work, prev, m.start()) and _TALLY_IN.search(work, prev, m.start()):
            out.extend(_items(work, m.end(), _run_end(work, m.end()), min_items=2))
    for m in _BETWEEN.finditer(work):
        out.extend(_items(work, m.start(1), m.end(1), min_items=2))
    for m in _CLOSE.finditer(work):
        start = last_of(work, "。;!?\n,:", 0, m.start()) + 1
        out.extend(_items(work, start, m.start(), min_items=2))
    for m in _COUNTED_LABEL.finditer(work):
        start = last_of(work, "。;!?\n,:", 0, m.start()) + 1
        items = _items(work, start, m.start(), min_items=2)
        if items and cn_number(m.group(1)) == len(items):
            out.extend(items)
    # 领导为“开工一批”项目X创新园培土奠基: what leaders break ground for is a project, head word or not.
    for m in _GROUNDBREAKING.finditer(work):
        name = m.group(1)
        if len(name) >= 5 and _ITEM_CHARS.fullmatch(name) and not _NOT_ITEM.search(name) \
                and not NOT_A_NAME.search(name) and len(specific_part(name)) >= 2:  # a park (…创新园) too
            out.append(NameMention(m.start(1), m.end(1), name, "head"))
    for m in _WITH_GOVERNMENT.finditer(work):
        start = last_of(work, "。;!?\n,:", 0, m.start()) + 1
        out.extend(_items(work, start, m.start(), min_items=1))
    return out


def _run_end(work: str, i: int) -> int:
    """The list runs to the end of its clause (等 closes it early); across commas when a 等 closing the list
    ends the sentence (包括A、B,C以及D等。): writers put commas between long company names too.

    >>> w = "包括A公司、B公司,C公司以及D公司等。"
    >>> w[2:_run_end(w, 2)]
    'A公司、B公司,C公司以及D公司'
    """
    j = i
    while j < len(work) and work[j] not in "。;!?\n,:":
        if work[j] == "等" and j > i:
            return j
        j += 1
    if work[j : j + 1] == ",":
        k = j
        while k < len(work) and work[k] not in "。;!?\n:":
            k += 1
        if k > j + 1 and work[k - 1] == "等":
            return k - 1
    return j


def _items(work: str, start: int, end: int, min_items: int) -> list[NameMention]:
    """The list's items; one item only when it carries a head word (开工项目有A基地项目)."""
    seg = work[start:end]
    out: list[tuple[int, str]] = []
    pos = 0
    for sep in [*_ITEM_SEP.finditer(seg), None]:
        a, b = pos, (sep.start() if sep else len(seg))
        pos = sep.end() if sep else len(seg)
        raw = seg[a:b]
        lead = _ITEM_LEAD.match(raw)
        off = lead.end() if lead else 0
        name = _ITEM_TAIL.sub("", raw[off:].rstrip(",")).strip()  # A,以及B: the comma before 以及
        if not _plausible_item(name):
            return []  # one item that is not a name: the run is not a list of named things
        out.append((start + a + raw.index(name, off), name))
    if len(out) < min_items or (len(out) == 1 and not _HEAD.search(out[0][1])):
        return []
    if len(out) == 1:
        s, n = out[0]
        return [NameMention(s, s + len(n), n, "head")]  # one named project: described like any single name
    group = (out[0][0], end)
    return [NameMention(s, s + len(n), n, "list", group) for s, n in out]


def _plausible_item(name: str) -> bool:
    """A short proper name: no tally or relative words, not only a place, something specific left.

    >>> [_plausible_item(n) for n in ["比亚迪", "高新区", "3个", "一批优质", "五邑大学江门研究院"]]
    [True, False, False, False, True]
    """
    if not _ITEM_CHARS.fullmatch(name) or _NOT_ITEM.search(name):
        return False
    if NOT_A_NAME.search(name):
        # 三峡风电、千璞汇玉产业等重大项目相继开工: a firm's 产业 (an industry written after its name) is its project;
        # a bare field (新能源产业) is not
        bare = name[:-2] if name.endswith("产业") else None
        if bare is None or NOT_A_NAME.search(bare) or len(specific_part(bare)) < 3 or _FIELD_WORD.search(bare):
            return False
    if _ZONE_HEAD.search(name) and len(name) >= 5:
        return True  # 大湾区科创园 / 数字经济集聚区: a park is a place and, in these lists, a project
    if longest_place_prefix(name) == name:
        return False
    return len(specific_part(name)) >= 2
