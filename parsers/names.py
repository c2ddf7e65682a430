"""Project-name candidates: noun phrases ending in a project head (…项目/…基地/…工程), trimmed on the left (lists: name_lists.py)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .text import finditer_scan, first_char_class

# Heads that make a phrase a project name wherever it appears.
STRONG_HEADS: tuple[str, ...] = (
    "项目",  # project
    "基地",  # base
    "产业园",  # industrial park
    "科技园",  # science park
    "工业园",
    "物流园",  # logistics park
    "智造园",
    "创新港",
    "科技港",  # tech harbour
    "智造港",
    "产业城",  # industrial city
    "产业新城",
    "工程",  # works
    "综合体",  # complex
    "度假区",  # resort
)
# Heads that name a facility; taken only in a list with a head-bearing item or before a stage word.
FACILITY_HEADS: tuple[str, ...] = (
    "铁路",  # railway
    "高铁",
    "城际",
    "地铁",
    "公路",  # road
    "高速",
    "大桥",  # bridge
    "隧道",
    "枢纽",  # hub
    "通道",  # corridor (陆海新通道, 出海通道)
    "大道",  # avenue
    "电厂",  # power plant
    "电站",
    "风电场",
    "油田群",
    "油田",
    "实验室",  # laboratory
    "研究院",  # research institute
    "医院",  # hospital
    "学校",
    "中心",  # centre
    "广场",  # plaza
    "总部",  # headquarters
    "工厂",  # plant
    "车间",
    "生产线",
    "产线",
    "安置房",  # resettlement housing
    "站",
    "线",  # line
    "段",  # section
    "港",  # port
    "竖炉",
    "码头",
    "机场",
    "园",
)
# A trailing phase written after the head: 项目（二期）, 安置房(一期), 中心一期.
_PHASE_TAIL = r"(?:\((?:[一二三四五六七八九十]|\d)期(?:工程|项目)?\)|[一二三四五六七八九十]期(?:工程|项目)?)?"

# Characters a name may contain.
_NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9·\.“”\"‘’()+\-— ]"

# Words a name never spans: the name starts after the last of them (left trimming).
_LEFT_CUT = re.compile(
    r"(?:是次|涵盖|覆盖|的|在|是|了|将|由|把|对|从|向|于|让|使|被|与|和|并(?!网|购|联)|暨|其中|包括|推动|引进|吸引|落户|位于|举行|参加|"
    r"加快|推进|继续|为|(?<![高中同])等(?!级)|(?:已|共|还|拥|具|另|又|均|都|则)有|也|还|已|目前|当前|"
    r"\d+\s*(?:个|家|项|宗)|[一二三四五六七八九十两几多]+(?:个|家|项)|"
    r"(?:19|20)\d{2}年|今年|去年|明年|\d+月(?:\d+日)?|\d+日|亿元|万元|\d元|一批|成功|正式|总投资|计划|预计|此次|本次|"
    r"该(?:校|院|集团|公司|企业)?|这|此|以及|上台|现场|实施|打造|全力|分别是|分别为|如|即将|启动(?!区)|建设|开工建设|动工建设|开工|动工|签约|"
    r"投产|竣工|建成|完成|新建|续建|又|再次|首个|作为|助力|带动|瞄准|聚焦|围绕|通过|随着|见证了|介绍|表示|以|"
    r"签订|签署|就|到|及其|龙头企业|领军企业|创建|跻身|拟建|●|■|◆|▲|★|○|•|——|:|投资|落地|招引|"
    r"美元|港元|港币|欧元|日元|英镑|[再又喜新]添|迎来|宣布|宣告|见证|确保|争取|出席|观摩|调研|督导|视察|选址于?|涉及|"
    r"亩的|平方米的|(?<![\u4e00-\u9fff])且|凡|正办理|新上|标志着|意味着|图为|"
    # X公司代表项目建设单位发言: 代表 before 项目 / 企业 is the verb "on behalf of"
    r"代表(?=项目|企业))"
)
_LEFT_CUT_FIRST = first_char_class(_LEFT_CUT)  # tried only where a cut word can start (~2x faster)


def _has_cut(s: str) -> bool:
    """Exactly `bool(_LEFT_CUT.search(s))`."""
    if _LEFT_CUT_FIRST is None:
        return bool(_LEFT_CUT.search(s))
    return any(_LEFT_CUT.match(s, c.start()) for c in _LEFT_CUT_FIRST.finditer(s))


# Words stripped from the start of a name after cutting (verbs and determiners that are not part of it).
_LEAD_STRIP = re.compile(r"^(?:\s|“(?=[^”]*$)|\)|-|—|、|及|级|重点|重大|首期|其|共|均|新的|一个|一座|大型(?=项目)|"
                         r"\d{1,2}\.(?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}、)+")  # 1. / (1) / 一、 list numbers

# Tokens that carry no identity: a name made only of these (and a head) is generic.
GENERIC = tuple(
    sorted(
        (
            "重大 重点 产业 工业 制造业 制造 签约 开工 动工 投产 竣工 在建 新建 续建 优质 类 相关 一批 基础设施 社会民生 "
            "民生 服务业 现代 先进 高新技术 企业 投资 外资 内资 港资 台资 侨资 中资 以上 省 市 区 县 级 标杆 龙头 链主 头部 招商 引资 "
            "实体 产业链 上下游 关联 配套 示范 样板 代表性 标志性 小而美 压舱石 大型 单体 政府 社会 民营 国有 特色 "
            "储备 前期 谋划 意向 合作 引进 落地 落户 领军 好 大 新 小 中 强链 补链 延链 亿元 万元 个 该 本 这些 "
            "此 其他 其它 各类 各 多个 部分 全部 城市 道路 交通 能源 环保 文旅 农业 科技 创新 技术 科创 研发 "
            "增资扩产 扩产 增资 技改 改造 升级 扩建 转型 招商引资 城建 市政 水利 安居 公共 配套设施 其余 上述 以下 "
            "数字 经济 商贸 物流 服务 高端 传统 战略性 新兴 未来 亩均 税收 百亿 千亿 十亿 级 型 第一批 第二批 首批 批 "
            "集中 主要 核心 关键 优势 当家 重头 重整 商业 产业综合体 电子信息 物联网 新材料 高端装备制造 新一代信息技术 "
            "生物医药 人工智能 大数据 成果转化 孵化 具体 地产 一期 二期 三期 四期 首期 厂房 主体 基础 综合楼 我们 我市 我区 继 "
            "商贸流通 单位 保障性 住房 新一代 新一年 正式 省内 市内 区内 境内 县内 主导 溢出 重要 全球 全国 全省 全市 省级 市级 区级 国家级 世界级 一号 头号 工程 项目 基地 园区 "
            "实训 培训 竞赛 大赛 产学研 研学 教育 训练 维修 代表 环境保护 生态环保 社会事业 民生工程 平台 开复工 复工 "
            "策划 综合性 研究 深化 开发 风光能 风光 千伏 电网 名校 名所 名企 载体 发电 垃圾 风力 光伏 农产品 精深加工 领导 挂钩 联系 "  # 学生的实训基地, 职业教育的培训基地: purposes, not names
            # sectors and campaign words (新一代资讯技术项目总部, 社会民生补短板): kinds, not names
            "信息技术 资讯技术 补短板 "
            # a kind of work (产业链延伸项目, 农产品深加工项目, 改善环境服务项目, 土地综合整治项目): no name of its own
            "延伸 深加工 发展 改善 环境 综合整治 土地 "
            # a verb or adverb governing 项目 as a mere noun (明确项目开工时间, 及时解决项目推进中的困难, 核实已经掌握
            # 项目的信息) and a season naming a round of projects (2019年秋季项目集中开工)
            "明确 解决 调整 优化 掌握 核实 紧抓 及时 适时 动态 政企 加紧 春季 夏季 秋季 冬季 "
            "“ ” \" ( ) 的 和 与 及 等 · 分别 包括 共 有 已 其中 含 在谈 洽谈 跟踪 拟 待 促 "
        ).split(),
        key=len,
        reverse=True,
    )
)
# Substrings that make a candidate a category or a tally, never one project.
NOT_A_NAME = re.compile(
    r"上下游|一批|多个|数十个|若干|\d+个|[一二三四五六七八九十两几]个|余个|类项目|以上|以下|亿元|万元|其中|这些|"
    r"各类|等项目|该项目|本项目|此项目|其项目|线索|所有(?![方权人])|全部|每个|一个|相关项目|的项目$|项目库|项目群|项目部|"
    r"项目建设|项目投资|项目签约|项目开工|项目落地|项目服务|项目管理|项目审批|项目招商|项目推进|项目谋划|项目储备|"
    r"招商引资|工作|活动|会议|大会|仪式|举行|举办|召开|计划|方案|政策|机制(?!造)|专班|目标|任务|清单|名单|台账|格局|"
    r"季度|年度|上半年|下半年|具体|大批|越来越多|不断|进一步|更多|众多|诸多|许多|抓|紧紧|着力|标志着|细化|布局|招引|谋划|"
    r"推进|推动|加快|培育|引育|做好|助力|赋能|支撑|‘(?!.*’)|强化|持续|优先|匹配给|开展|新一轮|攻坚|成立|"
    r"坚持|推行|健全|畅通|出台|加强|严格|根据|面谈|引入|吹响|正用|溢出|主导|某|包保|\d+名|牢牢|单位|"
    r"列入|纳入|实现|希望|力争|争取|^一(?:处|个|座|批|场|家|项|栋|条)|"
    # news about a developer's troubles (…因整改效果不佳而陷入项目, 业主维权项目): no project of theirs is reported
    r"陷入|爆雷|维权|"
    # 全新电池级…生产线: "brand-new" opening a phrase leaves no owner's name before it
    r"^全新|产业$|开发建设$|\d+(?:栋|层|条)|之一|各大|除了|乃至|对接|“[^”]*”[^“]*“|”“|"
    r"(?:引|抓|促|招|谋|上|选)项目$|完成|[百千万](?:项|企|城|村|校)[十百千万]|^(?:自|从|的)?原|"
    r"^个|^项目|^工程|^基地|^建设项目$|^各|压实|落实|抓实|^[^\u4e00-\u9fffA-Za-z0-9“]|"
    # Verbs that also sit inside noun phrases (提升改造工程, 融资租赁, 物资保障基地, 更新行动项目): a non-name
    # only when they open the phrase or take 了/的/着 (保障了…, 实施的…).
    r"^(?:行动|体系|保障|实施|提升|融资)|(?:行动|体系|保障|实施|提升|融资)[了的着]"
    # 开工在建项目保进度、建成竣工项目保投产: a slogan about kinds of projects
    r"|(?:项目|工程)(?:保|促|稳|抓|争)[\u4e00-\u9fff]{1,3}$"
    # 集中开工建设四项目: an event and its count; 项目共六大类: a count of kinds
    r"|集中(?:开工|签约|投产|竣工|动工|开竣工)|(?:建设|开工|签约|投产|竣工|动工)[\d一二三四五六七八九十两]+(?:项目|工程)$"
    r"|[\d一二三四五六七八九十两]+大类"
)


_HEAD_TAIL = re.compile(
    "(?:" + "|".join(re.escape(h) for h in sorted(STRONG_HEADS, key=len, reverse=True)) + ")?"
    "(?:" + "|".join(re.escape(h) for h in sorted(STRONG_HEADS + FACILITY_HEADS, key=len, reverse=True)) + ")"
    + r"(?:\(?[一二三四五六七八九十\d]期\)?)?[”\"]?$"
)
_GENERIC_ANY = re.compile("|".join(re.escape(g) for g in GENERIC))


@dataclass(frozen=True)
class NameMention:
    start: int  # span in the working text
    end: int
    name: str  # as in the working text (simplified, folded); verbatim form is taken from the original
    kind: str  # "head", "list", "heading", "facility"
    group: tuple[int, int] | None = None  # span of the whole list this item belongs to


_STRONG_RE = "|".join(sorted(STRONG_HEADS, key=len, reverse=True))
_FAC_RE = "|".join(sorted(FACILITY_HEADS, key=len, reverse=True))
# A head word that continues into another noun is not the end of a name (工程塑料 = engineering plastics).
# 项目负责人 / 项目经理 / 项目部: a person or office of a project, so the phrase is not its name.
_HEAD_AT = re.compile(rf"(?:{_STRONG_RE}){_PHASE_TAIL}(?!塑料|师|机械|技术|学院|局|公司|有限|股份|集团|咨询|设计|院|负责人|经理|总监|团队|"
                      r"办公室|指挥部|部)")
_NAME_RUN = re.compile(rf"{_NAME_CHARS}+")
_STRONG_ANY = re.compile(_STRONG_RE)


_SPECIFIC_PART_RE1 = re.compile(r"[\u4e00-\u9fff]{2}(?:省|市)")
_SPECIFIC_PART_RE2 = re.compile(r"[\s\d.\-—·]+")


def specific_part(name: str) -> str:
    """What is left of a name once generic words and heads are removed.

    >>> specific_part("重大产业项目"), specific_part("动力电池智能装备项目"), specific_part("“压舱石”项目")
    ('', '动力电池智能装备', '')
    """
    rest = _SPECIFIC_PART_RE1.sub(" ", name)  # a place prefix alone identifies nothing
    rest = _HEAD_TAIL.sub("", rest)  # only the final head: 铁路 in 市郊铁路机场线 is content
    rest = _GENERIC_ANY.sub(" ", rest)
    return _SPECIFIC_PART_RE2.sub("", rest)


# A name ending in a category word (重大项目, 产业项目, 外资项目) names a class of projects, not one.
_TAIL_GENERIC = re.compile(
    r"(?:重大|重点|产业|工业|制造业|外资|内资|招商|预备|储备|民生|基础设施|服务业|类|新兴|优质|好|大|企业|正式|实体|"
    r"政府投资|社会投资|[省区市县镇个]建设|重点建设|重大建设|开工|签约|投产|竣工|动工|在建|新建|续建)[”\"]?(?:项目|工程)$"
)


_IS_PLAUSIBLE_RE3 = re.compile(r"“[^”]{1,6}”(?:项目|工程)")


_ONLY_PLACES = re.compile(r"(?:[\u4e00-\u9fff]{2,3}(?:省|市|县|区|旗)|[\u4e00-\u9fff]{2,3}(?=[\u4e00-\u9fff]{1,3}(?:县|旗)))+"
                          r"(?:项目|工程)")


def is_plausible(name: str) -> bool:
    """Whether a phrase can be one named project.

    >>> [is_plausible(n) for n in ["隆基硅能源生产基地项目", "21个重大项目", "产业类项目", "该项目", "灯火汇项目"]]
    [True, False, False, False, True]
    >>> [is_plausible(n) for n in ["新能源电池产业链上下游关联项目", "超10亿元项目", "签约项目"]]
    [False, False, False]
    >>> [is_plausible(n) for n in ["石嘴山平罗县项目", "平罗县宁华新材料项目", "农产品精深加工产业"]]
    [False, True, False]
    """
    n = name.strip()
    if len(n) < 3 or len(n) > 60:
        return False
    if NOT_A_NAME.search(n) or _TAIL_GENERIC.search(n):
        return False
    if _IS_PLAUSIBLE_RE3.fullmatch(n):
        return False  # “压舱石”项目: a nickname for a kind of project
    if _ONLY_PLACES.fullmatch(n):
        return False  # 石嘴山平罗县项目: places and a head, nothing of its own
    return len(specific_part(n)) >= 2


_CAPACITY_DE = re.compile(r"年(?:产|处理|加工|生产|吞吐)(?:能力)?[\d.,]+[万千百亿]?[\u4e00-\u9fffA-Za-z]{1,12}的$")
# Cut words that project names themselves often contain (…一体化建设工程, …投资建设项目).
_WEAK_CUTS = frozenset("建设 开工建设 动工建设 开工 动工 投产 签约 启动 新建 续建 投资 实施 打造 完成 建成".split())


_ANY_HEAD_END = re.compile(rf"(?:{_STRONG_RE}|{_FAC_RE}){_PHASE_TAIL}$")
_LEFT_CUT_END = re.compile(f"(?:{_LEFT_CUT.pattern})$")
# Single characters that make `X的` / `X为` a descriptive phrase (在建的, 新的, 成为, 改为), not a brand (美的, 华为).
_DE_MODIFIER = frozenset("中建新大小好多高强长成有是在用做上下内外前后里全老其它他这那该此级型式性化类等主"
                         "作认称视列定评选改更因以分转行名誉")


def _brand_de(run: str, i: int) -> bool:
    """run[i] is 的 after a lone character that opens the phrase (美的智能家电…): part of a brand, not a cut.

    >>> _brand_de("举行美的智能家电产业园项目", 3), _brand_de("在建的智能家电产业园项目", 2)
    (True, False)
    >>> _brand_de("投资10亿元的智能家电项目", 6), _brand_de("并为江松科技项目", 1), _brand_de("为慧为商用终端基地", 2)
    (False, False, True)
    """
    if i < 1 or run[i - 1] in _DE_MODIFIER or not "\u4e00" <= run[i - 1] <= "\u9fff" or \
            _LEFT_CUT.fullmatch(run, i - 1, i):
        return False  # 并为X: the lone character is itself a cut word
    return i == 1 or bool(_LEFT_CUT_END.search(run, 0, i - 1)) or not "\u4e00" <= run[i - 2] <= "\u9fff"


_JOINS = frozenset("和与及")
# 贵州金源投资有限公司 / 中建建设集团: a cut word right before a company suffix is the company's trade word.
_TRADE_WORDS = frozenset(("投资", "建设"))
_COMPANY_NEXT = re.compile(r"(?:\([^()]{1,6}\))?(?:有限|股份|集团|控股|公司)")


# A company's full name then a product with no head word of its own: what a 和 after it joins is the same name.
_COMPANY_PRODUCT = re.compile(r"(?:有限公司|有限责任公司|集团)[\u4e00-\u9fffA-Za-z0-9]{2,}$")


def trim_left(run: str) -> str:
    """Cut a name candidate after the last word a name never spans, then strip leading particles.

    >>> trim_left("投资100亿元的隆基硅能源生产基地项目")
    '隆基硅能源生产基地项目'
    >>> trim_left("位于蓬江区杜阮镇的广东建雅科技高端定制机车智造基地项目")
    '广东建雅科技高端定制机车智造基地项目'
    >>> trim_left("三菱重工空调器整体搬迁及升级扩建")
    '三菱重工空调器整体搬迁及升级扩建'
    >>> trim_left("举行美的智能家电产业园项目"), trim_left("正在建设的智能家电产业园项目")
    ('美的智能家电产业园项目', '智能家电产业园项目')
    >>> trim_left("海升集团甘肃农业总部和研发中心项目"), trim_left("华为基地和宁德时代电池项目")
    ('海升集团甘肃农业总部和研发中心项目', '宁德时代电池项目')
    >>> trim_left("秦皇岛永桢建筑工程有限公司装配式钢结构和轻钢房屋项目")
    '秦皇岛永桢建筑工程有限公司装配式钢结构和轻钢房屋项目'
    >>> trim_left("暨贵州金源投资有限公司年产60万吨铁合金项目")
    '贵州金源投资有限公司年产60万吨铁合金项目'
    >>> trim_left("华为云数据中心项目"), trim_left("列为省重点项目的云数据中心项目")
    ('华为云数据中心项目', '云数据中心项目')
    """
    # 年产12万吨的高端铜箔项目: the 的 after a capacity phrase is inside the name.
    cuts = [(m.end(), m.group(0)) for m in finditer_scan(_LEFT_CUT, _LEFT_CUT_FIRST, run) if len(run) - m.end() >= 2
            and not (m.group(0) == "的" and (_CAPACITY_DE.search(run, 0, m.end()) or _brand_de(run, m.start())))
            and not (m.group(0) == "为" and _brand_de(run, m.start()))  # 华为…: a brand
            and not (m.group(0) in _TRADE_WORDS and _COMPANY_NEXT.match(run, m.end()))]
    out = run
    # The rightmost cut, unless it is a verb that names often contain and leaves only a head
    # (一体化建设工程 is not cut at 建设).
    for c, word in reversed(cuts):
        rest = _LEAD_STRIP.sub("", run[c:])
        if word in _WEAK_CUTS and len(_ANY_HEAD_END.sub("", rest)) < 2:
            continue
        if word in _JOINS and c >= 3 and _ANY_HEAD_END.search(run, 0, c - len(word)) and not is_plausible(rest):
            continue  # 甘肃农业总部和研发中心项目: a generic second head joined to the first is one name
        if word in _JOINS and _COMPANY_PRODUCT.search(run, 0, c - len(word)):
            continue  # 秦皇岛永桢建筑工程有限公司装配式钢结构和轻钢房屋项目: one company's products joined by 和
        out = run[c:]
        break
    out = _LEAD_STRIP.sub("", out)
    # Unbalanced brackets or quotes at the edges are layout, not name.
    if out.count("(") < out.count(")") and out.startswith(")"):
        out = out[1:]
    if out.count("”") > out.count("“"):
        out = out.replace("”", "", 1) if out.startswith("”") else out
    return out


def _balanced_start(run: str) -> str:
    """Drop an opening bracket or quote whose closing one lies outside the name."""
    while run and run[0] in "(“\"" and run.count(run[0]) > run.count({"(": ")", "“": "”", '"': '"'}[run[0]]):
        run = run[1:]
    if run.count("“") > run.count("”"):
        i = run.rfind("“")
        if i >= 0 and "”" not in run[i:]:
            run = run[:i] + run[i + 1 :]
    if run.count("(") > run.count(")"):
        run = run.replace("(", "", 1) if run.startswith("(") else run
    return run


def head_candidates(work: str) -> list[NameMention]:
    """Names ending in a strong head, extended over following heads (科技港项目, 扩建工程…改道工程).

    >>> w = "投资100亿元的隆基硅能源生产基地项目、投资25亿元的柏涛智能装备产业园项目等3个项目上台签约"
    >>> [m.name for m in head_candidates(w)]
    ['隆基硅能源生产基地项目', '柏涛智能装备产业园项目']
    >>> [m.name for m in head_candidates("其中总投资20亿元的网驿·江门智造科技港项目落地,与该区强强联手")]
    ['网驿·江门智造科技港项目']
    """
    from .descriptions import _is_description  # descriptions.py reads this module's head patterns

    out: list[NameMention] = []
    plausible: dict[str, bool] = {}  # a project's name recurs in its article: judged once (pure)
    # Only runs holding a strong head can give a candidate: find each head's run by bisecting the run starts.
    runs = list(_NAME_RUN.finditer(work))
    run_starts = [r.start() for r in runs]
    with_head: list[int] = []
    for h in _STRONG_ANY.finditer(work):
        k = bisect_right(run_starts, h.start()) - 1
        if k >= 0 and h.start() < runs[k].end() and (not with_head or with_head[-1] != k):
            with_head.append(k)
    for k in with_head:
        run = runs[k]
        text = run.group(0)
        ends = [m.end() for m in _HEAD_AT.finditer(text)]
        if not ends:
            continue
        # Group heads into names: a later head continues the same name when no cut word lies between.
        chosen: list[int] = []
        for e in ends:
            if chosen and not _has_cut(text[chosen[-1] : e]) and e - chosen[-1] <= 16:
                chosen[-1] = e
            else:
                chosen.append(e)
        prev_end = 0
        headline = _in_headline(work, run.start())
        for e in chosen:
            seg = text[prev_end:e]
            prev_end = e
            if headline:
                seg = seg[seg.rfind(" ") + 1 :]  # a space in a headline separates phrases
            name = _balanced_start(trim_left(seg)).strip()
            if not name:
                continue
            s = run.start() + e - len(name)
            if work[s : run.start() + e] != name:
                s = work.rfind(name, run.start(), run.start() + e)
            ok = plausible.get(name)
            if ok is None:
                ok = plausible[name] = is_plausible(name)
            if s < 0 or not ok or _is_tally(work, s, run.start() + e):
                continue
            if _is_company_prefix(work, run.start() + e) or _is_description(work, s):
                continue
            if _ZONE_TAIL.search(name) and not _supported(work, s, run.start() + e):
                continue
            if _HEADS_TALLY.match(work, run.start() + e):
                continue  # 凤阳宁国现代产业园集中开工的项目有10个: the park heads a tally of its projects
            out.append(NameMention(s, s + len(name), name, "head"))
    return out


_HEADS_TALLY = re.compile(r"(?:集中|共|新|此次|本次)?(?:开工|签约|投产|竣工|动工|开竣工)?(?:的)?(?:重点|重大)?(?:产业|工业)?"
                          r"项目(?:共|有|共有|达|合计)?[\d一二三四五六七八九十两]+个"
                          # 滨江产业园集中开工建设四项目: the park's projects, counted
                          r"|集中(?:开工|签约|投产|竣工|动工)(?:建设)?[\d一二三四五六七八九十两]+个?(?:重点|重大)?项目")


_IN_HEADLINE_RE4 = re.compile(r"[,。;!?]")


def _in_headline(work: str, i: int) -> bool:
    """Position i lies in a short line without sentence punctuation (a headline or sub-heading).

    >>> _in_headline("常州金坛 中创新航三期项目开工\\n6月11日,项目开工。", 2), _in_headline("6月11日,X 项目开工。", 8)
    (True, False)
    """
    a = work.rfind("\n", 0, i) + 1
    b = work.find("\n", i)
    line = work[a : b if b >= 0 else len(work)]
    return len(line) <= 60 and not _IN_HEADLINE_RE4.search(line)


# Heads that also name zones and parks (a place, not a project) unless something supports a project reading.
_ZONE_TAIL = re.compile(r"(?:产业园|科技园|工业园|物流园|智造园|产业基地|产业城|产业新城)$")


_SUPPORTED_RE5 = re.compile(r"[^,。;]{0,4}?(?:签约|开工|动工|投产|竣工|落户|封顶|建成|开建|总投资|投资|计划投资|建设现场|项目)")
_SUPPORTED_RE6 = re.compile(r"元的?$")


def _supported(work: str, s: int, e: int) -> bool:
    """A stage word or an investment right after the name, or an amount right before it."""
    after = work[e : e + 12]
    before = work[max(0, s - 6) : s]
    return bool(_SUPPORTED_RE5.match(after)) or \
        bool(_SUPPORTED_RE6.search(before))


_IS_COMPANY_PREFIX_RE7 = re.compile(r"(?![由为被与和将的在及])[\u4e00-\u9fff()]{0,8}?(?:有限公司|股份|集团|公司)")


def _is_company_prefix(work: str, e: int) -> bool:
    """`江门网驿产业园管理有限公司`: the phrase is the start of a company name."""
    # 由/为/被… after the head start a new phrase (X项目由华储能源集团投资建设): not a company name.
    return bool(_IS_COMPANY_PREFIX_RE7.match(work[e : e + 14]))


# 项目共47个, and 项目就签约9个 (a sector's share of a tally): the phrase is counted, so it names a kind
_IS_TALLY_RE13 = re.compile(r"(?:就|便)?(?:签约|开工|投产|落地|落户|引进)?(?:了)?(?:共|有|达|合计)?\s*"
                            r"[\d一二三四五六七八九十两]+\s*(?:个(?!月)|项|宗|大?类)")
_IS_TALLY_RE14 = re.compile(r"(?:\d+|[二三四五六七八九十两几]+)\s*个$")  # 两个新型建材项目: a count of a kind


def _is_tally(work: str, s: int, e: int) -> bool:
    """`工业项目238个`, `项目共47个`: a count follows or precedes the phrase."""
    after = work[e : e + 6]
    before = work[max(0, s - 4) : s]
    return bool(_IS_TALLY_RE13.match(after)) or bool(
        _IS_TALLY_RE14.search(before)
    )
