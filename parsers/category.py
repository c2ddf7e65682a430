"""Project kind: 产业 (industrial and commercial 招商 projects), 基础设施 (roads, power, rail, water), 社会民生
(schools, hospitals, housing), so that analysts can filter the non-招商 records out.

Decided from the project's own name (and industry phrase): the facility a name ends with says what is built
(…大道改造工程, …医院分院, …110千伏输变电工程). A company's plant whose product is infrastructure material
(…电缆生产基地, …管道制造项目) stays 产业: the industrial words win when the name says it makes something.
"""

from __future__ import annotations

import re

from .text import PINYIN_NOTE, to_simplified

INDUSTRY, INFRASTRUCTURE, SOCIAL = "产业", "基础设施", "社会民生"
CATEGORIES = (INDUSTRY, INFRASTRUCTURE, SOCIAL)

# A name that says something is produced, traded or run by a company is industrial whatever it produces.
_MAKES = re.compile(
    r"生产|制造|智造|产业园|产业基地|加工|年产|工厂|厂房|车间|生产线|产线|基地项目$|基地$|总部|研发|电池|材料|装备|"
    r"设备|新能源汽车|储能|光伏|风电场|风电项目|电站项目|科技|电子|芯片|半导体|医药|食品|冷链|商贸|商业|综合体|物流|"
    r"酒店|文旅|旅游|度假|康养|产业|仓储|数据中心|算力|"
    # A research institute (…大学高等研究院, …金融研究院) is an innovation platform a place attracts, not a school.
    r"研究院|"
    # A brand's 广场 (吾悦广场, 水晶广场) is a shopping complex; a public square says so (文化广场, 市民广场).
    r"(?<!文化|市民|人民|休闲|健身|体育|纪念)广场"
)
_INFRA = re.compile(
    r"道路|公路|国道|省道|县道|高速|快速路|大道|大桥|桥梁|[^品]桥(?:工程|项目|$)|隧道|立交|互通|铁路|高铁|城际|轨道交通|地铁|"
    r"轻轨|站场|枢纽|机场|港口|码头|航道|港区|输变电|变电站|千伏|kV|电网|配电网|线路工程|管网|管廊|供水|水厂|自来水|"
    r"污水|雨污|排水|水库|灌区|河道|河流|流域|治理|防洪|堤防|海堤|水利|引水|调水|燃气管道|天然气管道|停车场|充电站|"
    r"环卫|垃圾处理|老旧小区改造|城市更新|市政|路网|改造提升工程|综合整治|水电站|陆港|"
    r"能源站|三联供|集中供热"  # a district energy plant (分布式能源站冷热电三联供) supplies a whole area
)
_SOCIAL = re.compile(
    r"学校|中学|小学|幼儿园|学院|大学|校区|职教|教育|医院|卫生院|卫生服务中心|疾控|妇幼|养老院|养老服务|福利院|敬老院|"
    r"保障房|保障性|安置房|安置区|棚改|棚户区|公租房|廉租房|人才公寓|体育馆|体育中心|体育场|全民健身|图书馆|博物馆|"
    r"文化馆|文化中心|科技馆|美术馆|档案馆|公园|(?:文化|市民|人民|休闲|健身|体育|纪念)广场|殡仪|救助|社区服务|城中村|职校|医学中心|科普"
)


# What a name ends with is what is built: a road, a trunk line, a dam (before 建设/改造 and 工程/项目).
_INFRA_TAIL = re.compile(r"(?:道路|公路|[东西南北中环]路|大道|路段|区段|干线|大坝|大桥|隧道|管网|管廊|基础设施)"
                         r"(?:建设|改造|提升|新建|改扩建|扩建)?(?:工程|项目)?(?:工程|项目)?$")
_BRACKETS = re.compile(r"\([^()]*\)")


def categorise(name: str, industry: str | None = None) -> str:
    """The project's kind from its name (and industry phrase).

    >>> categorise("中创新航动力电池及储能系统江门基地项目")
    '产业'
    >>> categorise("江门110千伏仲元输变电工程"), categorise("沿江高铁天门段")
    ('基础设施', '基础设施')
    >>> categorise("江门市第三人民医院新院区项目"), categorise("五邑大学新校区")
    ('社会民生', '社会民生')
    >>> categorise("年产10万公里电缆生产基地项目")
    '产业'
    >>> categorise("寧淮鐵路"), categorise("榮縣旭陽(yáng)鎮(zhèn)板板橋城中村棚戶(hù)區(qū)改造")
    ('基础设施', '社会民生')
    >>> categorise("长河湾洲际酒店配套道路工程"), categorise("云溪县西环路(甲路-乙路)建设项目")
    ('基础设施', '基础设施')
    """
    # The rules are written in simplified script: a traditional name (寧淮鐵路, 項(xiàng)目) is read simplified.
    name = PINYIN_NOTE.sub("", to_simplified(name))
    industry = PINYIN_NOTE.sub("", to_simplified(industry)) if industry else None
    text = name + (industry or "")
    if _INFRA_TAIL.search(_BRACKETS.sub("", name)):
        return INFRASTRUCTURE  # …酒店配套道路工程 / …西环路(甲路-乙路)建设项目: the facility the name ends with
    social = _SOCIAL.search(name)
    infra = _INFRA.search(name)
    if social and not _MAKES.search(name[: social.start()] + name[social.end() :]):
        return SOCIAL
    if infra and not _MAKES.search(text):
        return INFRASTRUCTURE
    if social and infra is None and not _MAKES.search(text):
        return SOCIAL
    return INDUSTRY
