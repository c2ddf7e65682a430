"""Stage words (签约→动工→封顶→竣工→试产→投产→达产) and whether a clause reports them or only plans them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import stage_rank
from .text import last_of

# Longest words first so 试生产 wins over 生产 and 开工建设 over 开工.
STAGE_WORDS: tuple[tuple[str, str], ...] = (
    ("签约落户", "signed"),  # signed and settled
    ("签约落地", "signed"),
    ("签订投资协议", "signed"),  # signed an investment agreement
    ("签订协议", "signed"),
    ("签订合同", "signed"),
    ("签署协议", "signed"),
    ("上台签约", "signed"),  # signed on stage
    ("现场签约", "signed"),
    ("集中签约", "signed"),
    ("成功签约", "signed"),
    ("签约", "signed"),  # signing
    ("簽約", "signed"),
    ("正式落户", "signed"),
    ("落户", "signed"),  # settled in
    ("落地", "signed"),  # landed
    ("摘牌", "signed"),  # won the land auction
    ("开工建设", "started"),  # construction start
    ("动工建设", "started"),
    ("开工", "started"),  # start of works
    ("开竣工", "started"),  # a joint start-and-completion event: each of its projects at least started
    ("动工", "started"),
    ("开建", "started"),
    ("破土", "started"),  # ground breaking
    ("奠基", "started"),  # foundation stone
    ("桩基施工", "started"),  # piling
    ("打入工地", "started"),  # first pile driven
    ("开始施工", "started"),
    ("进场施工", "started"),
    ("施工中", "started"),  # under construction
    ("在建", "started"),
    ("建设现场", "started"),  # site scene of a build under way
    ("建设工地", "started"),  # construction site
    ("施工现场", "started"),
    ("土建", "started"),  # civil works (in progress or done)
    ("主体工程", "capped"),  # main works: capped when 完成, else under construction (see find_stages)
    ("设备安装", "started"),  # equipment being installed
    ("进展顺利", "started"),  # progressing (a build under way)
    ("加快推进", "started"),
    ("继续推进", "started"),  # keep pushing (a build under way)
    ("续建", "started"),  # continued construction
    ("主体结构", "capped"),  # main structure: capped when 完成, else under construction (see find_stages)
    ("主体完工", "capped"),
    ("封顶", "capped"),  # topping out
    ("竣工", "completed"),  # completion
    ("建成", "completed"),
    ("完工", "completed"),
    ("完成建设", "completed"),
    ("落成", "completed"),
    ("试生产", "trial_production"),  # trial production
    ("试产", "trial_production"),
    ("试运行", "trial_production"),
    ("投入使用", "in_production"),  # put into use
    ("投入运营", "in_production"),
    ("投入生产", "in_production"),
    ("正式投产", "in_production"),
    ("建成投产", "in_production"),
    ("竣工投产", "in_production"),
    ("投产", "in_production"),  # production start
    ("正常生产", "in_production"),  # producing normally (已正常生产)
    ("开业", "in_production"),
    ("运营", "in_production"),
    ("达产", "full_production"),  # full production
    ("满产", "full_production"),
)
# 签署投资协议 / 签订增资扩产协议 / 签订项目投资协议书 / 签署了合作合同: a signing, whatever the agreement is called.
_SIGN_DEAL = r"(?:签署|签订)[^,。;:!?\n]{0,8}?(?:协议书|协议|合同)"
_STAGE_RE = re.compile(_SIGN_DEAL + "|" + "|".join(re.escape(w) for w, _ in sorted(STAGE_WORDS, key=lambda x: -len(x[0]))))
_STAGE_OF = dict(STAGE_WORDS)

# Words that turn a following stage word into a plan (expected milestone), not a reported fact.
PLAN_WORDS: tuple[str, ...] = (
    "计划",  # plan to
    "预计",  # expected
    "将于",
    "将",  # will
    "即将",  # about to
    "拟",  # intend
    "力争",  # strive to
    "争取",
    "有望",  # likely
    "预期",
    "确保",  # ensure (a target)
    "准备",
    "如期",  # on schedule (a target date)
    "目标",
    "还将",
    "促",  # 促开工: to be pushed to start
    "加快",  # speed up (not yet done)
    "加速",  # 加速落地: as 加快
    "尽快",
    "明年",  # next year
    "年底前",
    "年内",
    "下一步",
    "今后",
    "未来",
)
# Plan words that govern only their own clause: 确保双过半…目标任务不放松,…完成从破土动工到主体工程建设.
CLAUSE_PLAN_WORDS = frozenset({"目标", "确保", "如期", "促", "准备", "争取", "力争"})
# Stage words that describe work under way: true whatever plan words stand before them.
ONGOING = frozenset({"加快推进", "继续推进", "进展顺利", "在建", "施工中", "设备安装", "续建", "建设现场", "建设工地",
                     "施工现场", "土建"})
# Words that mark a stage as done even with a plan word nearby.
DONE_WORDS: tuple[str, ...] = ("已", "已经", "顺利", "成功", "实现", "完成", "了", "举行", "此次", "本次", "正在")

# Stage words that are never stages on their own in these senses.
# 开工率, 投产效率, 签约项目数, 建成区 (built-up area), 开工数量增长84% / 签约金额 (a statistic about projects).
_FALSE_FOLLOW = ("率", "效率", "项目数", "面积", "区面积", "区", "数量", "个数")


# Ongoing-work words that a plan marker can put in the future, and those markers.
_PLANNABLE = frozenset({"设备安装", "土建"})
_STRONG_PLAN = re.compile(r"计划|预计|拟|力争|争取|有望|将于|将在|准备(?!工作)")
_RUN_BY = re.compile(r"(投入|正式|开始|建成)$")
# An outcome stated right after a stage word (投产可实现 / 投产,年产值可达 / 达产即可新增): the stage is a condition.
_OUTCOME_AFTER = re.compile(r"(?:达效|达产)?(?:后)?(?:,)?(?:全部|全面)?(?:年产值|年营业收入|年销售收入|年税收|产值)?"
                            r"(?:即可|可|将|能|预计)(?:实现|达到|达|新增|形成|年产|带动|提供|贡献)")
# 也在一季度开工 / 于2024年底开工建设: 在/于 a named period, with no plan word, reports when it happened.
_IN_PERIOD = re.compile(r"(?:在|于)(?:(?:今年|去年|\d{4}年)?(?:第?[一二三四1-4]|上|下)(?:季度|半年)|(?:去年|\d{4}年)(?:底|末))$")
_AFTER_COND = re.compile(r"(?:达产|投产|运营|完成)?(?:后|之后|以后)")
_COND_BEFORE = re.compile(r"后[^,。;]{0,6}$")
_PERIOD_BEFORE = re.compile(r"(?:季度|半年|年底|年内|月底|年末)(?:内|前)?$")
_AMOUNT_PLAN = re.compile(r"计划(?:总)?投资|预计(?:年)?产值|预计达产|预计年")


@dataclass(frozen=True)
class StageMention:
    start: int
    end: int
    word: str
    stage: str
    planned: bool


_LUMPED_START = re.compile(r"(?:开工|动工)[并和及、]?$")
_FIND_STAGES_RE1 = re.compile(r"(?:已|已经|顺利|正式|成功|目前|现已)[\u4e00-\u9fff]{0,2}$")


def find_stages(work: str, start: int = 0, end: int | None = None) -> list[StageMention]:
    """Stage words in work[start:end], each marked planned or reported by the words just before it.

    >>> [(s.word, s.stage, s.planned) for s in find_stages("1月已开工建设,计划3月首线试生产")]
    [('开工建设', 'started', False), ('试生产', 'trial_production', True)]
    >>> [(s.stage, s.planned) for s in find_stages("项目投产后2年内达产")]
    [('full_production', True)]
    >>> [(s.word, s.planned) for s in find_stages("去年开工建设,预计今年一季度进行设备安装,目前加快推进")]
    [('开工建设', False), ('设备安装', True), ('加快推进', False)]
    >>> [(s.stage, s.planned) for s in find_stages("即将启动建设,有望实现一年试产、两年达产")]
    [('trial_production', True), ('full_production', True)]
    >>> [(s.word, s.planned) for s in find_stages("项目全部投产可实现年产值20亿元。一期建成投产,年产值可达5亿元")]
    [('投产', True), ('建成投产', True)]
    >>> [(s.word, s.planned) for s in find_stages("项目已建成投产,年产值可达5亿元。Y项目签约,将带动就业")]
    [('建成投产', False), ('签约', False)]
    >>> [(s.word, s.planned) for s in find_stages("A项目也在一季度开工建设,B项目一季度开工")]
    [('开工建设', False), ('开工', True)]
    >>> [(s.word, s.stage) for s in find_stages("双方签订增资扩产协议,并签署了战略合作协议书")]
    [('签订增资扩产协议', 'signed'), ('签署了战略合作协议书', 'signed')]
    >>> [s.stage for s in find_stages("集中开工投产A、B等30个项目")]
    ['started']
    """
    end = len(work) if end is None else end
    out: list[StageMention] = []
    for m in _STAGE_RE.finditer(work, start, end):
        word = m.group(0)
        if work.startswith(_FALSE_FOLLOW, m.end()):
            continue
        if _IN_CAMPAIGN.match(work, m.end()):
            continue  # “项目落地攻坚年” / “签约开工竞赛”活动: a campaign's name, not a milestone
        if word == "投产" and _LUMPED_START.search(work, max(start, m.start() - 3), m.start()):
            continue  # 集中开工投产A、B等30个项目: a start-and-production group; each item is started at least
        if word.startswith("试") and work[m.start() - 1 : m.start()] == "测":
            continue  # 封装测试产业园 / 测试生产线: 测试 (testing), not 试产
        if word == "运营" and not _RUN_BY.search(work[max(0, m.start() - 2) : m.start()]):
            continue
        # 建成一座…工厂 / 建成X项目 without 已: what is to be built, a plan rather than a completion.
        builds = word == "建成" and _builds_object(work, m.start(), m.end())
        # 投产后 / 建成后: a condition for something else, not an event that happened.
        if _AFTER_COND.match(work, m.end(), m.end() + 5):
            continue  # 达产后年产值… / 建成达产后: a condition for something else, not a milestone
        conditional = bool(_COND_BEFORE.search(work[max(start, m.start() - 8) : m.start()])) or bool(
            # 一季度开工 / 年底投产 without 已: a period not yet over, so a plan.
            _PERIOD_BEFORE.search(work[max(start, m.start() - 6) : m.start()])
            # 也在一季度开工建设: 在/于 a named quarter with no plan word reports when it happened.
            and not _IN_PERIOD.search(work[max(start, m.start() - 10) : m.start()])
        )
        if not conditional and _STAGE_OF.get(word) in ("completed", "in_production", "full_production") and \
                _OUTCOME_AFTER.match(work, m.end(), m.end() + 16) and \
                not _FIND_STAGES_RE1.search(work[max(start, m.start() - 6) : m.start()]):
            conditional = True  # 项目全部投产可实现年产值… / 一期建成投产,年产值可达…: an outcome's condition, not news
        if word in ONGOING:
            # Work under way is reported, unless a plan marker governs it in its clause (预计一季度进行设备安装).
            planned = word in _PLANNABLE and bool(_STRONG_PLAN.search(work, _clause_start(work, m.start()), m.start()))
            # 也将加快推进 / 将继续推进: 将 right before the progress word puts it ahead, not under way now.
            planned = planned or work[max(start, m.start() - 1) : m.start()] == "将"
        else:
            planned = builds or conditional or _planned(work, m.start(), start)
        stage = _STAGE_OF.get(word, "signed")  # only a _SIGN_DEAL match is not in the table
        if word in ("主体结构", "主体工程"):
            # 完成了主体结构施工 = topped out; 主体结构施工中 = under construction.
            around = work[max(0, m.start() - 10) : m.end() + 6]
            stage = "capped" if "完成" in around or "封顶" in around else "started"
        out.append(StageMention(m.start(), m.end(), word, stage, planned))
    return out


# The rest of a quoted campaign name after a stage word in it (…落地攻坚年”, …开工竞赛”活动).
_IN_CAMPAIGN = re.compile(r"[^“”,。;!?\n]{0,8}(?:攻坚年|攻坚战|攻坚行动|年|行动|竞赛|擂台赛|百日会战|会战|月)”")


# What may follow 建成 when it reports completion (建成投产, 已建成, 建成并…, 建成使用).
_BUILT_FOLLOW = re.compile(r"[,。;、:!?\n\s)”]|$|投|并|运营|使用|开业|验收|通车|通水|通电|达产|试产|交付|移交|以来|至今|于")


_BUILDS_OBJECT_RE2 = re.compile(r"(?:已|已经|顺利|全面|基本|全部|相继|先后|陆续)$")


def _builds_object(work: str, s: int, e: int) -> bool:
    """`建成X` with a noun object after it: what will be built, not a completion.

    >>> _builds_object("扩建车间,建成数字孪生工厂", 6, 8), _builds_object("项目已建成投产", 3, 5)
    (True, False)
    >>> _builds_object("已建成一座电厂", 1, 3)
    False
    """
    if _BUILDS_OBJECT_RE2.search(work[max(0, s - 2) : s]):
        return False
    return not _BUILT_FOLLOW.match(work, e)


# Nouns that contain a plan word (准备工作 = preparations, 未来产业 = future industries).
_PLAN_NOUN = re.compile(r"准备工作|准备阶段|未来(?:产业|科技|城|之城|社区|工厂|新城|感|已来)|面向未来|目标任务")
# …的X项目(正式): the stage word's subject is a name introduced by a 的-clause.
_SUBJECT_AFTER_DE = re.compile(r"的[^,。;的]{1,40}(?:项目|工程|基地|园|中心)(?:[一二三四五六七八九十]期)?"
                               r"(?:正式|顺利|成功|集中|今天|当天|今日|日前|近日)?$")


_QUOTED = re.compile(r"“[^“”]{1,30}”")
_INSIDE_ITEM = re.compile(r"、[\u4e00-\u9fffA-Za-z()]{1,10}(?:计划|规划)[\u4e00-\u9fffA-Za-z()]{2,12}[、等]")


def _planned(work: str, i: int, floor: int) -> bool:
    """A plan word earlier in the sentence, not overridden by a done word after it.

    计划总投资 / 计划投资 are amounts, not plans, and are blanked before looking; so are nouns holding a
    plan word (准备工作, 未来产业), and a plan word inside a 的-clause describing the subject.

    >>> w = "X项目提前完成准备工作并正式开工。被誉为未来产业标杆的Y项目开工。将打造最大基地的Z项目正式开工。"
    >>> [s.planned for s in find_stages(w)]
    [False, False, False]
    >>> [s.planned for s in find_stages("项目将在现有厂区的基础上开工建设。计划明年开工的W项目")]
    [True, True]
    >>> [s.planned for s in find_stages("阿里创新中心、芯火计划双创基地、创新奇智等十余个项目完成签约")]
    [False]
    """
    clause_start = max(floor, _sentence_start(work, i))
    head = _AMOUNT_PLAN.sub(lambda m: " " * len(m.group(0)), work[clause_start:i])
    head = _PLAN_NOUN.sub(lambda m: " " * len(m.group(0)), head)  # 准备工作 / 未来产业: nouns, not plans
    head = _QUOTED.sub(lambda m: " " * len(m.group(0)), head)  # “共享机遇•共赢未来”签约仪式: a slogan, not a plan
    last_comma = head.rfind(",")
    plan_at = max((head.rfind(w) + len(w) for w in PLAN_WORDS
                   if w in head and (w not in CLAUSE_PLAN_WORDS or head.rfind(w) > last_comma)), default=-1)
    if plan_at >= 0 and _SUBJECT_AFTER_DE.search(head, plan_at):
        return False  # 将打造…基地的X项目正式开工: the plan word is inside the clause describing the subject
    if plan_at >= 0 and _INSIDE_ITEM.search(head, max(0, plan_at - 24), min(len(head), plan_at + 24)):
        return False  # A、芯火计划双创基地、B等项目完成签约: the plan word is inside a list item's name
    if plan_at < 0:
        # "有望实现一年试产、两年达产": the plan word governs the list.
        prev = work[max(floor, clause_start - 20) : clause_start]
        if work[clause_start - 1 : clause_start] == "、" and any(w in prev for w in PLAN_WORDS):
            return True
        return False
    # 实现 / 完成 after a plan word are part of the plan (将在今年完成装修…,实现开业运营).
    done_at = max((head.rfind(w) + len(w) for w in DONE_WORDS if w in head and w not in ("实现", "完成")),
                  default=-1)
    if done_at > plan_at and not head[plan_at:].startswith(("实现", "完成")):
        return False
    return True


def _sentence_start(work: str, i: int) -> int:
    return last_of(work, "。!?\n", 0, i) + 1


def _clause_start(work: str, i: int) -> int:
    j = last_of(work, ",。;:!?\n、", 0, i)
    return j + 1


def most_advanced(stages: list[str]) -> str | None:
    """The latest stage in STAGES order.

    >>> most_advanced(["signed", "capped", "started"])
    'capped'
    >>> most_advanced([]) is None
    True
    """
    return max(stages, key=stage_rank) if stages else None
