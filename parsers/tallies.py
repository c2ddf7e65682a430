"""Finding batch material: event names (集中开工仪式), counts of projects (共32个) and tallies (N个项目, 总投资X),
with the words that make a count a plan, a period statistic or a size class. batches.py builds Batches from them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .amounts import Amount, cn_number, is_investment
from .text import Prepared, finditer_from, last_of

# Words ending an event name.
EVENT_ENDS = ("活动", "仪式", "大会", "推进会", "交流会", "推介会", "签约会", "洽谈会", "开工会", "现场会", "分会场",
              "启动会", "博览会", "峰会", "论坛")
# Words an event name must contain to be about projects (not any meeting).
EVENT_CORE = ("集中", "签约", "开工", "动工", "投产", "竣工", "开竣工", "招商", "推介")
# Event names that say which stage the event covers; an event without one needs its own figures to count.
EVENT_STAGE = ("集中", "签约", "开工", "动工", "投产", "竣工", "开竣工", "奠基")
# Batch stage words (what a batch covers); 引进 = brought in = signed.
BATCH_STAGES: tuple[tuple[str, str], ...] = (
    ("签约", "signed"),  # signed
    ("落户", "signed"),  # settled
    ("落地", "signed"),
    ("引进", "signed"),  # brought in
    ("签订", "signed"),
    ("开工", "started"),  # started
    ("动工", "started"),
    ("开竣工", "started"),
    ("竣工", "completed"),  # completed
    ("建成", "completed"),
    ("投产", "in_production"),  # production
    ("投用", "in_production"),
)
# Words that make a count a goal, plan, reserve or lead list: never a batch.
NOT_BATCH = ("力争", "锚定", "目标", "储备", "拟", "意向", "计划新开工", "安排", "列入", "纳入", "谋划", "在谈",
             "每人引进", "主攻", "强攻", "争取", "确保", "线索", "要", "预计", "将", "推介了", "累计完成", "计划开工",
             "年度计划", "上年度", "在库", "统计在库", "评审中", "实施周期", "涵盖", "推介重点", "推介项目", "洽谈",
             "重点推进", "符合", "前期项目", "推出", "落实", "先后有", "目前已有",
             # 确定2023年市重大项目510个: a list designated, not an event
             "确定")
# A count of projects: number + 个/项/家 (enterprises count for 投产 batches). N大…项目 counts big projects
# (四大产业项目顺利投产) unless a count of its own follows (六大优势产业项目146个: six industries) or a policy's
# 凡/非 opens it (凡六大产业项目入驻园区的).
_COUNT = re.compile(
    r"(?<![数几若])(?P<pre>近|超过|超|逾|约|共|达|合计)?"
    r"(?:(?P<num>\d+)(?P<more>多|余)?(?P<unit>个|家|项|宗)"
    r"|(?<![凡非])(?P<cnum>[一二三四五六七八九十百两]+)(?P<cmore>多|余)?(?P<cunit>个|家|大(?=[\u4e00-\u9fff]{0,4}项目(?!\d+个)))"
    r"|(?P<many>多个|一批|数个|若干个?)(?=[\u4e00-\u9fff]{0,8}项目))"  # a tally without a figure: count null
)


# Every character a _COUNT match can start with, for text.finditer_from, each with the characters the match
# must go on with (a figure needs its unit: 20亿 / 2025年 never start a count).
_COUNT_NEXT = r"[\d一二三四五六七八九十百两多数若]"  # what may follow a pre word
# (The leading class lets the engine skip every other character without trying the branches.)
_COUNT_FIRST = re.compile(
    rf"[近逾约共达超合0-9一二三四五六七八九十百两多数若](?:(?<=[近逾约共达])(?={_COUNT_NEXT})|(?<=超)(?=过?{_COUNT_NEXT})"
    rf"|(?<=合)(?=计{_COUNT_NEXT})|(?<=[0-9])(?=\d*[多余]?[个家项宗])"
    r"|(?<=[一二三四五六七八九十百两])(?=[一二三四五六七八九十百两]*[多余]?[个家大]|批)|(?<=[多数])(?=个)|(?<=若)(?=干))"
)


@dataclass(frozen=True)
class Tally:
    start: int
    end: int
    count: int | None
    count_qual: str | None
    amount: Amount | None
    stages: tuple[str, ...]
    clause: tuple[int, int]
    shared: Amount | None = None  # an amount after a 、-list of counts: the whole event's total
    listed: bool = False  # one of several counts joined by 、 in one clause


# 建成投产后 / 全部投产以后: a condition for what follows, not an event.
_CONDITION = re.compile(r"(?:签约|开工|动工|竣工|建成|投产|投用|落地|达产)+(?:并|及)?(?:全部|全面)?(?:后|之后|以后)")


_BATCH_STAGES_LONGEST_FIRST = sorted(BATCH_STAGES, key=lambda x: -len(x[0]))


def stages_in(text: str) -> tuple[str, ...]:
    """Batch stages named in text; stage words that state a condition (建成投产后) do not count.

    >>> stages_in("5个项目集中开工,全部建成投产后")
    ('started',)
    """
    out: list[str] = []
    t = _CONDITION.sub(" ", text)
    for w, s in _BATCH_STAGES_LONGEST_FIRST:
        if w in t:
            t = t.replace(w, " ")
            if s not in out:
                out.append(s)
    order = ["signed", "started", "completed", "in_production"]
    return tuple(sorted(out, key=order.index))


def _count(m: re.Match[str]) -> tuple[int | None, str]:
    if m.group("many"):
        return None, "over"
    n = cn_number(m.group("num") or m.group("cnum"))
    q = {"近": "nearly", "超过": "over", "超": "over", "逾": "over", "约": "about"}.get(m.group("pre") or "", "exact")
    if m.group("more") or m.group("cmore"):
        q = "over"
    return (int(n) if n is not None else None), q


_EVENT_END = re.compile("|".join(EVENT_ENDS))
_EVENT_RUN = re.compile(r"(?:[\u4e00-\u9fffA-Za-z0-9()“”\"·—\-]|(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff]))+$")


_FIND_EVENTS_RE1 = re.compile(r"(?:在|于|举行|召开|举办|参加|出席|今日|今天|昨日|昨天|当天|日前|近日|上午|下午|一场|一次|"
            # 和 joins two events, unless it joins two stages of one (…集中签约和开工仪式)
            r"\d+月\d+(?:—\d+)?日|之后|随后|还|并|和(?!(?:集中)?(?:签约|开工|动工|投产|竣工)(?:仪式|活动))|同时|了|聚焦|"
            r"——|我市|我区|我县)")
_FIND_EVENTS_RE2 = re.compile(r"(?:工作|座谈|调度)会$")
_FIND_EVENTS_RE3 = re.compile(r"举行|举办|召开|在|上|现场|当天|期间|会上|开幕|启动|活动中|隆重|成功|一场|一次")
_FIND_EVENTS_RE4 = re.compile(r"(?:项目|工程|基地|产业园)(?:[一二三四五六七八九十]期)?(?:正式|隆重|顺利)?(?:举行|举办)$")
_FIND_EVENTS_RE5 = re.compile(r"(?:的|一系列|系列|一场|多场|各|有关|相关)")
_FIND_EVENTS_RE6 = re.compile(r"历次|之最|每次|各类")
_FIND_EVENTS_RE7 = re.compile(r"(?:之后|以后|之前|结束)")
_FIND_EVENTS_RE8 = re.compile(r"[\d一二三四五六七八九十百两多]个")
_FIND_EVENTS_RE9 = re.compile(r"\d+个")


def find_events(work: str) -> list[tuple[int, int]]:
    """Spans of event names (…集中开工活动, …招商大会, …签约仪式).

    >>> w = "昨日,全市第一季度重大项目集中动工(投产)活动举行"
    >>> [w[a:b] for a, b in find_events(w)]
    ['全市第一季度重大项目集中动工(投产)活动']
    >>> w = "8月6日,江门市全球招商大会成功举行"
    >>> [w[a:b] for a, b in find_events(w)]
    ['江门市全球招商大会']
    >>> find_events("10月24日,总投资12亿元的甲乙产业园项目举行开工仪式")
    []
    """
    out: list[tuple[int, int]] = []
    for m in _EVENT_END.finditer(work):
        e = m.end()
        run = _EVENT_RUN.search(work, max(0, m.start() - 60), m.start())
        if not run or run.end() - run.start() < 4:
            continue
        s = run.start()
        text = work[s:e]
        cut = 0
        for c in _FIND_EVENTS_RE1.finditer(text,
        ):
            if len(text) - c.end() >= 4:
                cut = c.end()
        s += cut
        text = work[s:e]
        if not any(w in text for w in EVENT_CORE):
            continue
        if _FIND_EVENTS_RE2.search(text) and "集中" not in text:
            continue
        # An event is held: 举行/召开 near it, or 在…上 around it; otherwise it is a comparison (创历次…活动之最).
        near = work[max(0, s - 8) : s] + "|" + work[e : e + 6]
        if not _FIND_EVENTS_RE3.search(near):
            continue
        if _FIND_EVENTS_RE4.search(work[max(0, s - 14) : s]) \
                and "集中" not in text and not _FIND_EVENTS_RE9.search(text):
            continue  # X项目举行开工仪式: one project's own ceremony, not a batch
        if _FIND_EVENTS_RE5.match(text) or _FIND_EVENTS_RE6.search(text) or _FIND_EVENTS_RE7.match(work[e : e + 3]):
            continue
        out.append((s, e))
    # 4月9日,西平市第二批重大项目集中开工。: a dated statement of a collective start is the event itself.
    for m in _BARE_EVENT.finditer(work):
        s = last_of(work, ",。;:\n", 0, m.start()) + 1
        sent = last_of(work, "。!?\n", 0, s) + 1
        if m.end() - s > 40 or not _DAY_BEFORE.search(work, sent, s) or _PLANNED_EVENT.search(work, sent, m.end()):
            continue
        if any(sent <= a < m.end() for a, _ in out) or _FIND_EVENTS_RE8.search(work[s : m.end()]):
            continue  # the sentence already names its event, or this is a tally (12个项目集中开工)
        out.append((s, m.end()))
    return sorted(out)


_BARE_EVENT = re.compile(r"项目集中(?:开竣工|开工|签约|投产|竣工|动工)(?=[。,;!\n]|$)")
_DAY_BEFORE = re.compile(r"\d{1,2}月\d{1,2}日")
_PLANNED_EVENT = re.compile(r"将|计划|拟|力争|预计|准备|即将|争取")


_FIND_TALLIES_RE10 = re.compile(r"\d+\s*个|项目")
_FIND_TALLIES_RE11 = re.compile(r"等(?:项目)?$")
_FIND_TALLIES_RE12 = re.compile(r"\s*的")
_FIND_TALLIES_RE13 = re.compile(r"(?:\(含\))?(?:以上|及以上)的?[\u4e00-\u9fff]{0,6}项目|\(含\)")
_FIND_TALLIES_RE14 = re.compile(r"增长|同比|占")
_FIND_TALLIES_RE15 = re.compile(r"的?[\u4e00-\u9fff]{0,6}项目")


_CLAUSE_END = re.compile(r"[,;。\n]")


def find_tallies(work: str, start: int, end: int, amounts: list[Amount]) -> list[Tally]:
    """Counts of projects in work[start:end], each with the investment amount that goes with it."""
    out: list[Tally] = []
    counts = [m for m in finditer_from(_COUNT, _COUNT_FIRST, work, start, end) if _is_project_count(work, m)]
    starts: list[int] | None = None
    for i, m in enumerate(counts):
        ca = last_of(work, ",;:、。\n", start, m.start()) + 1
        ca = max(ca, start)
        nxt = counts[i + 1].start() if i + 1 < len(counts) else end
        clause_end_m = _CLAUSE_END.search(work, m.end(), end)
        clause_end = clause_end_m.start() if clause_end_m else end
        # The amount: in the count's clause, or the next clause before the next count.
        amt: Amount | None = None
        if starts is None:
            starts = [a.start for a in amounts]  # amounts are in text order
        for a in amounts[bisect_left(starts, ca) : bisect_left(starts, nxt)]:
            if a.yuan is None and a.currency == "元" or a.per_unit:
                continue
            if ca <= a.start < nxt:
                cl = last_of(work, ",;:。\n", 0, a.start) + 1
                if not is_investment(work, a, cl):
                    continue
                if a.start < m.start() and not _FIND_TALLIES_RE12.match(work[a.end : a.end + 2]):
                    continue
                if (_FIND_TALLIES_RE13.match(work[a.end : a.end + 12])
                        or (a.text.endswith("以上") and _FIND_TALLIES_RE15.match(work[a.end : a.end + 10]))) \
                        and a.start < m.start() + 12:
                    continue  # 10亿元以上的项目: a size class, not the total
                if a.start > clause_end and _FIND_TALLIES_RE14.search(work[clause_end : a.start]) is None and \
                        a.start - clause_end > 30:
                    continue
                amt = a
                break
        n, q = _count(m)
        if n is None and amt is None:
            continue  # 一批项目 with no total: nothing to record
        if amt is None and _CONDITION.search(work, m.end(), clause_end):
            continue  # 5个项目全部建成投产后,预计…: a condition, not a tally of an event
        period = _PERIOD_TALLY.search(work, max(start, last_of(work, ",;。\n", start, m.start()) - 12),
                                      m.start()) or _WHOLE_YEAR.search(
            work, max(start, last_of(work, "。\n", start, m.start()) + 1), m.start())
        if _SIZE_CLASS.search(work[max(ca, m.start() - 20) : min(clause_end, m.end() + 20)]) and amt is None and \
                not (period and stages_in(work[ca : clause_end])):
            continue  # 12个投资额超过亿元的项目 / 亿元以上项目21个: a size class inside a batch
        if _SIZE_BAND.search(work, max(ca, m.start() - 24), m.start()) and not _OWN_TOTAL.match(work, m.end()):
            # 总投资10亿元至30亿元的项目13个 / 50亿元以上制造业项目有22个: a band of a larger tally; one stating its
            # own total (10亿元及以上项目共43个,总投资1189亿元) is a sub-batch.
            continue
        wide = max(start, last_of(work, ",;。\n", start, m.start()) + 1)
        # In a 、-list of counts (242个项目集中开工、148个项目集中竣工…) each count's stage is its own item's.
        prev_end = counts[i - 1].end() if i > 0 else start
        in_list = _listed_counts(work, counts, i, wide, clause_end)
        item_end = work.find("、", m.end(), clause_end)
        item_end = item_end if item_end > 0 else clause_end
        lo_st = max(wide, prev_end, work.rfind("、", wide, m.start()) + 1) if in_list else wide
        hi_st = min(item_end, nxt) if in_list else clause_end
        own = stages_in(work[lo_st:hi_st])
        stages = own if (own or amt is None) else stages_in(work[max(start, ca - 30) : clause_end])
        if amt is None and "、" in work[wide : m.start()] and not _FIND_TALLIES_RE10.search(work[wide:ca]) \
                and not _FIND_TALLIES_RE11.search(work[wide : m.start()].rstrip("项目共有达")):
            stages = ()  # 引进500强、上市公司、龙头项目31个: a category split, not a batch (A、B等项目N个 is named)
        shared = None
        if in_list and amt is not None and not any(counts[k].start() > m.start() and counts[k].start() < clause_end
                                                   for k in range(i + 1, len(counts))) and amt.start > clause_end:
            shared, amt = amt, None  # …、148个项目集中签约,总投资超6000亿元: the total of the whole list
        out.append(Tally(m.start(), m.end(), n, q, amt, stages, (ca, item_end if in_list else clause_end), shared,
                          in_list))
    return out


# A period that a tally counts over (一季度, 今年以来, 1至5月): 一季度新开工亿元以上项目1268个 is a tally of
# its own, not a size class inside an event.
_PERIOD_TALLY = re.compile(r"季度|以来|上半年|下半年|\d{1,2}\s*(?:至|-|—|~)\s*\d{1,2}月")
# A past whole year opening the sentence (过去一年,…全年新签约…、新开工亿元以上产业项目458个): each tally in it counts over it.
_WHOLE_YEAR = re.compile(r"过去一年|(?:去|上|\d{4})年(?:全年|以来|共|累计)|全年(?=[^,;。]{0,4}(?:新签约|签约|新开工|开工|竣工|投产))")


def _listed_counts(work: str, counts: list[re.Match[str]], i: int, wide: int, clause_end: int) -> bool:
    """Whether count i is one of several counts joined by 、 in one clause."""
    near = [c for c in counts if wide <= c.start() < clause_end]
    return len(near) >= 2 and "、" in work[near[0].end() : near[-1].start()]


_SIZE_CLASS = re.compile(r"(?:超过?|以上|及以上|\(含\))[^,;。]{0,3}亿元的|亿元(?:\(含\))?(?:及)?以上(?:的)?[^,;。]{0,6}项目")


# A size band written with its own bound (10亿元至30亿元, 50亿元以上): the bound is not the tally's total.
_SIZE_BAND = re.compile(r"\d+(?:\.\d+)?亿?元?(?:\(含\))?(?:至|到|-|—|~)\d+(?:\.\d+)?亿元(?:\(含\))?(?:的)?[^,;。\d]{0,6}项目"
                        r"[^,;。\d]{0,3}$|\d+(?:\.\d+)?亿元(?:\(含\))?(?:及)?以上(?:的)?[^,;。\d]{0,6}项目(?:有|共)?$")


_OWN_TOTAL = re.compile(r"[,,]?(?:计划)?(?:总投资|投资总额|合计投资)(?:额)?(?:达|约|超过|超|为|近|逾)?\d")


_IS_PROJECT_COUNT_RE16 = re.compile(r"[^,;。]{0,10}?项目之一")
_IS_PROJECT_COUNT_RE17 = re.compile(r"[^,;。等]{0,12}?项目")
_IS_PROJECT_COUNT_RE18 = re.compile(r"[^,;。]{0,12}?(?:线索|代表|小组|专班)")
_IS_PROJECT_COUNT_RE19 = re.compile(r"项目(?:共有|共计|共|有|达|合计|总数|占|数(?:达到|达|为|共)?)?(?:近|超过|超|逾|约)?$")  # 签约项目数达到33个
_IS_PROJECT_COUNT_RE20 = re.compile(r"(?:开工|签约|竣工|投产)$")
_IS_PROJECT_COUNT_RE21 = re.compile(r"投产|开工|签约|竣工")
_ONE_STAGED = re.compile(r"(?:投产|开工|签约|竣工|动工)(?:的)?项目$")
_TOTAL_AFTER = re.compile(r",?(?:计划)?总?投资")


def _is_project_count(work: str, m: re.Match[str]) -> bool:
    """A count is of projects when 项目/企业 is next to it (21个重大项目, 项目共47个, 投产企业共14家)."""
    after = work[m.end() : m.end() + 14]
    before = work[max(0, m.start() - 12) : m.start()]
    unit = m.group("unit") or m.group("cunit")
    if m.group("many"):
        return True  # the lookahead already put 项目 right after it
    if unit == "家":
        return "企业" in before[-6:] and bool(_IS_PROJECT_COUNT_RE21.search(before))
    n = cn_number(m.group("num") or m.group("cnum"))
    if n is None or n < 1:
        return False
    if n == 1:
        # 一个 is an article, not a tally; 投产项目1个,总投资0.5亿元 (a stage's 项目 and a figure) is a tally of one
        # with its total right after (a one-item split of an event, not a project named by its count)
        return bool(m.group("num")) and bool(_ONE_STAGED.search(before)) and bool(_TOTAL_AFTER.match(after))
    if _IS_PROJECT_COUNT_RE16.match(after):
        return False  # 七个国家重大外资项目之一: a distinction, not a tally

    if _IS_PROJECT_COUNT_RE17.match(after) and not _IS_PROJECT_COUNT_RE18.match(after):
        return True
    return bool(_IS_PROJECT_COUNT_RE19.search(before)) or bool(
        _IS_PROJECT_COUNT_RE20.search(before))


_HELD_AT = re.compile(r"在([\u4e00-\u9fffA-Za-z0-9()·]{2,25}?)(?:隆重)?(?:举行|举办|召开|开幕)")


_HELD_AT_RE22 = re.compile(r"之际|期间|背景|基础|推动|下")


def held_at(prep: Prepared, sa: int, sb: int) -> str | None:
    """`在X举行`: the place an event was held, as written."""
    m = _HELD_AT.search(prep.work, sa, sb)
    if not m or _HELD_AT_RE22.search(m.group(1)):
        return None
    return prep.verbatim(m.start(1), m.end(1))
