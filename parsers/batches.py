"""Batch events: ceremonies (集中开工/签约活动) and tallies of landed or started projects, with their splits."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from .amounts import Amount, cn_number, find_amounts, is_investment
from .dates import Anchor, find_dates, period_year
from .model import Batch
from .text import Prepared, finditer_from, last_of, paragraphs

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
             "重点推进", "符合")
# A count of projects: number + 个/项/家 (enterprises count for 投产 batches).
_COUNT = re.compile(
    r"(?<![数几若])(?P<pre>近|超过|超|逾|约|共|达|合计)?"
    r"(?:(?P<num>\d+)(?P<more>多|余)?(?P<unit>个|家|项|宗)"
    r"|(?P<cnum>[一二三四五六七八九十百两]+)(?P<cmore>多|余)?(?P<cunit>个|家|大(?=[\u4e00-\u9fff]{0,4}项目))"
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
class _Tally:
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


def _stages_in(text: str) -> tuple[str, ...]:
    """Batch stages named in text; stage words that state a condition (建成投产后) do not count.

    >>> _stages_in("5个项目集中开工,全部建成投产后")
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
            r"\d+月\d+(?:—\d+)?日|之后|随后|还|并|和|同时|了|聚焦|——|我市|我区|我县)")
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


def find_tallies(work: str, start: int, end: int, amounts: list[Amount]) -> list[_Tally]:
    """Counts of projects in work[start:end], each with the investment amount that goes with it."""
    out: list[_Tally] = []
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
                not (period and _stages_in(work[ca : clause_end])):
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
        own = _stages_in(work[lo_st:hi_st])
        stages = own if (own or amt is None) else _stages_in(work[max(start, ca - 30) : clause_end])
        if amt is None and "、" in work[wide : m.start()] and not _FIND_TALLIES_RE10.search(work[wide:ca]) \
                and not _FIND_TALLIES_RE11.search(work[wide : m.start()].rstrip("项目共有达")):
            stages = ()  # 引进500强、上市公司、龙头项目31个: a category split, not a batch (A、B等项目N个 is named)
        shared = None
        if in_list and amt is not None and not any(counts[k].start() > m.start() and counts[k].start() < clause_end
                                                   for k in range(i + 1, len(counts))) and amt.start > clause_end:
            shared, amt = amt, None  # …、148个项目集中签约,总投资超6000亿元: the total of the whole list
        out.append(_Tally(m.start(), m.end(), n, q, amt, stages, (ca, item_end if in_list else clause_end), shared,
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
_IS_PROJECT_COUNT_RE19 = re.compile(r"项目(?:共有|共计|共|有|达|合计|总数|占)?(?:近|超过|超|逾|约)?$")
_IS_PROJECT_COUNT_RE20 = re.compile(r"(?:开工|签约|竣工|投产)$")
_IS_PROJECT_COUNT_RE21 = re.compile(r"投产|开工|签约|竣工")


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
    if n is None or n < 2:
        return False  # 一个 is an article, not a tally
    if _IS_PROJECT_COUNT_RE16.match(after):
        return False  # 七个国家重大外资项目之一: a distinction, not a tally

    if _IS_PROJECT_COUNT_RE17.match(after) and not _IS_PROJECT_COUNT_RE18.match(after):
        return True
    return bool(_IS_PROJECT_COUNT_RE19.search(before)) or bool(
        _IS_PROJECT_COUNT_RE20.search(before))


_HELD_AT = re.compile(r"在([\u4e00-\u9fffA-Za-z0-9()·]{2,25}?)(?:隆重)?(?:举行|举办|召开|开幕)")


_HELD_AT_RE22 = re.compile(r"之际|期间|背景|基础|推动|下")


def _held_at(prep: Prepared, sa: int, sb: int) -> str | None:
    """`在X举行`: the place an event was held, as written."""
    m = _HELD_AT.search(prep.work, sa, sb)
    if not m or _HELD_AT_RE22.search(m.group(1)):
        return None
    return prep.verbatim(m.start(1), m.end(1))


_BUILD_BATCHES_RE23 = re.compile(r"(?:当天|当日|此次|本次|这次|会上|活动上|现场|其中|大会|这\d+个|这些)")
_BUILD_BATCHES_RE24 = re.compile(r"\(?原标题")
_BUILD_BATCHES_RE25 = re.compile(r"\s*(?:其中|分别)")
_BUILD_BATCHES_RE26 = re.compile(r"[。,;]")


def build_batches(prep: Prepared, anchor: Anchor, default_place: str | None = None) -> list[Batch]:
    """Batch events of an article in order of appearance; a split carries its parent's event_text.

    >>> from parsers.text import prepare
    >>> w = "昨日,全市重大项目集中动工(投产)活动举行,总投资148.9亿元的21个重大项目集中动工(投产)。"
    >>> [(b.event_text, b.project_count, b.amount_yuan, b.date) for b in build_batches(prepare(w), Anchor(2021, 3, 10))]
    [('全市重大项目集中动工(投产)活动', 21, 14890000000, '2021-03-09')]
    """
    work = prep.work
    paras = paragraphs(work)
    amounts = find_amounts(work)
    events = find_events(work)
    title_end = paras[0][1] if paras and _is_title(work, paras[0]) else 0
    batches: list[Batch] = []
    context_date: str | None = anchor.iso()
    parent: Batch | None = None
    last_event: Batch | None = None
    prev_excluded = False  # the previous sentence's tally was a goal or plan
    for pa, pb in paras:
        if pb <= title_end:
            continue
        para_text = work[pa:pb]
        if _BUILD_BATCHES_RE24.match(para_text) or (len(para_text) <= 40 and not _BUILD_BATCHES_RE26.search(para_text)):
            continue  # a repeated original headline or a sub-heading: both restate the body in rounder words
        # A paragraph that goes on about the same event keeps its parent (当天/此次/本次/其中…).
        if _BUILD_BATCHES_RE23.match(para_text):
            parent = parent or last_event
        else:
            parent = None
        for sa, sb in _sentences_loose(work, pa, pb):
            sent = work[sa:sb]
            ds = [d for d in find_dates(work, anchor, sa, sb) if d.value]
            explicit = [d for d in ds if d.precision == "day"]
            rel = [d for d in ds if d.precision == "relative_day"]
            date: str | None = None
            if explicit:
                date = explicit[0].value
            elif rel:
                date = context_date if rel[0].text in ("当天", "当日") and context_date else rel[0].value
            if explicit:
                context_date = explicit[-1].value
            items: list[tuple[int, tuple[int, int] | _Tally]] = [(a, (a, b)) for a, b in events if sa <= a < sb]
            excluded_from: int | None = None
            if prev_excluded and _BUILD_BATCHES_RE25.match(sent):
                excluded_from = sa  # 其中,新开工项目160个: a split of a goal or plan is a plan too
            prev_excluded = False
            for t in find_tallies(work, sa, sb, amounts):
                if excluded_from is None and _excluded(work, t, sa):
                    excluded_from = t.start  # a goal or plan: its splits go with it
                if excluded_from is not None:
                    prev_excluded = True
                    continue
                items.append((t.start, t))
            items.sort(key=lambda x: x[0])
            for _, item in items:
                if isinstance(item, tuple):
                    a, e = item
                    ev_text = prep.verbatim(a, e)
                    same = next((x for x in batches if _same_event(ev_text, x.event_text)), None)
                    if same is not None:
                        if len(ev_text) > len(same.event_text):
                            # The fuller name (2023年…(香港)投资推介会 over 投资推介会) replaces the short one.
                            k = batches.index(same)
                            fuller = replace(same, event_text=ev_text, date=same.date or date,
                                             evidence=prep.verbatim(sa, sb))
                            batches[k] = fuller
                            batches = [replace(x, part_of=ev_text) if x.part_of == same.event_text else x
                                       for x in batches]
                            same = fuller
                        parent = last_event = same
                        continue
                    batch = Batch(event_text=ev_text, date=date or (context_date if "当天" in sent else None),
                                  location=_held_at(prep, sa, sb) or default_place,
                                  stages=_stages_in(work[a:e]) or _stages_in(sent), evidence=prep.verbatim(sa, sb))
                    batches.append(batch)
                    parent = last_event = batch
                    continue
                t = item
                if t.shared is not None and parent is not None and parent.amount_yuan is None and \
                        t.shared.yuan is not None:
                    k = batches.index(parent)
                    was_last = parent is last_event
                    parent = replace(parent, amount_yuan=t.shared.yuan, amount_qualifier=t.shared.qualifier)
                    batches[k] = parent
                    if was_last:
                        last_event = parent
                amount_yuan = t.amount.yuan if t.amount else None
                aq = t.amount.qualifier if t.amount and amount_yuan is not None else None
                # A category split with neither stage nor amount is dropped, unless it sits in a list of
                # stage splits (21个签约项目、15个促进度项目、22个促竣工项目: still a part of the batch).
                staged_sibling = t.listed and any(isinstance(o, _Tally) and o.listed and o.stages
                                                  and o.clause[1] >= t.clause[0] - 40 and o is not t
                                                  for _, o in items)
                if not t.stages and t.amount is None and not staged_sibling:
                    continue
                tdate = date or period_year(work, anchor, sa, sb)
                # A restatement of a batch already found (这100个项目…总投资481亿元): fill its gaps.
                dup = next((x for x in batches if x.project_count is not None and x.project_count == t.count
                            and (x.amount_yuan is None or amount_yuan is None or x.amount_yuan == amount_yuan)
                            and (not t.stages or not x.stages or set(t.stages) <= set(x.stages))), None)
                if dup is not None:
                    if dup.amount_yuan is None and amount_yuan is not None:
                        k = batches.index(dup)
                        batches[k] = replace(dup, amount_yuan=amount_yuan, amount_qualifier=aq)
                        if parent is dup:
                            parent = batches[k]
                        dup = batches[k]
                    if dup.part_of is None:
                        parent = dup
                    continue
                if parent is not None and parent.project_count is None and parent.amount_yuan is None and \
                        _fits(parent, t):
                    k = batches.index(parent)
                    was_last = parent is last_event
                    parent = replace(parent, project_count=t.count,
                                     count_qualifier=t.count_qual if t.count is not None else None,
                                     amount_yuan=amount_yuan, amount_qualifier=aq,
                                     stages=parent.stages or t.stages)
                    batches[k] = parent
                    if was_last:
                        last_event = parent
                    continue
                tb = Batch(
                    event_text=prep.verbatim(*_tally_text(work, t)),
                    date=tdate,
                    location=parent.location if parent else default_place,
                    project_count=t.count,
                    count_qualifier=t.count_qual if t.count is not None else None,
                    amount_yuan=amount_yuan,
                    amount_qualifier=aq,
                    stages=t.stages or (parent.stages if parent else ()),
                    part_of=parent.event_text if parent else None,
                    evidence=prep.verbatim(sa, sb),
                )
                batches.append(tb)
                if parent is None:
                    parent = tb
            # …签约仪式举行,总投资86亿元: an event sentence with a total but no count.
            ev = last_event
            if ev is not None and ev in batches and ev.project_count is None and ev.amount_yuan is None \
                    and ev.evidence == prep.verbatim(sa, sb):
                total = _event_total(work, amounts, sa, sb)
                if total is not None:
                    k = batches.index(ev)
                    batches[k] = replace(ev, amount_yuan=total.yuan, amount_qualifier=total.qualifier)
                    if parent is ev:
                        parent = batches[k]
                    last_event = batches[k]
    batches = _headline_count(prep, title_end, amounts, batches)
    # An event with no figures, no stage in its name and no split is a meeting, not a batch.
    parents = {b.part_of for b in batches if b.part_of}
    return [
        b for b in batches
        if b.project_count is not None or b.amount_yuan is not None or b.event_text in parents
        or any(w in b.event_text for w in EVENT_STAGE)
    ]


_TOTAL_LEAD = re.compile(r"(?:计划)?(?:总投资|投资总额|总投资额|投资总额为|合计投资)(?:额)?(?:达|约|超过|超|为|近|逾)?$")


_EVENT_TOTAL_RE27 = re.compile(r"\s*(?:的|项目|以上)")


def _event_total(work: str, amounts: list[Amount], sa: int, sb: int) -> Amount | None:
    """The one amount in an event sentence written as a clause of its own (,总投资86亿元), not before a name."""
    found = []
    for a in amounts:
        if not (sa <= a.start < sb) or a.yuan is None:
            continue
        clause = last_of(work, ",;:", sa, a.start) + 1
        if clause <= sa or not _TOTAL_LEAD.search(work[clause : a.start]):
            continue
        if _EVENT_TOTAL_RE27.match(work[a.end : a.end + 3]):
            continue  # 总投资20亿元的X项目: a project's amount
        found.append(a)
    return found[0] if len(found) == 1 else None


def _headline_count(prep: Prepared, title_end: int, amounts: list[Amount], batches: list[Batch]) -> list[Batch]:
    """`12个项目集中签约 总投资86亿元` as the headline: the count of a body event that states none.

    The body's figures win (README: a headline restating a batch is left out); the headline fills a gap.
    It also settles `93个项目集中开工签约` over a body event that took its first split (60个…开工) as its own
    count while the other split (33个…签约) became a sub-batch: the splits add up to the headline.
    """
    work = prep.work
    if title_end <= 0:
        return batches
    tallies = [t for t in find_tallies(work, 0, title_end, amounts) if t.count is not None]
    top = [b for b in batches if b.part_of is None]
    if len(tallies) != 1 or not top:
        return batches
    t, b = tallies[0], top[0]
    if b.project_count is not None:
        return _split_by_headline(prep, t, b, batches, title_end)
    head_yuan = t.amount.yuan if t.amount else None
    if (t.stages and b.stages and not set(t.stages) & set(b.stages)) or (
            head_yuan is not None and b.amount_yuan is not None and head_yuan != b.amount_yuan):
        return batches
    if any(x.project_count == t.count for x in batches):
        return batches  # the body already has this count (a split)
    k = batches.index(b)
    out = list(batches)
    out[k] = replace(b, project_count=t.count, count_qualifier=t.count_qual)
    return out


def _split_by_headline(prep: Prepared, t: _Tally, b: Batch, batches: list[Batch], title_end: int) -> list[Batch]:
    children = [x for x in batches if x.part_of == b.event_text and x.project_count is not None]
    if not children or t.count is None or b.project_count is None or \
            t.count != b.project_count + sum(x.project_count or 0 for x in children):
        return batches
    work = prep.work
    at = work.find(f"{b.project_count}个", title_end)
    if at < 0:
        return batches
    ca = last_of(work, ",;:、。\n", 0, at) + 1
    cb = min((k for k in (work.find(c, at) for c in ",;。\n") if k >= 0), default=len(work))
    sa = last_of(work, "。!?\n", 0, at) + 1
    sb = min((k + 1 for k in (work.find(c, at) for c in "。!?") if k >= 0), default=len(work))
    own = Batch(event_text=prep.verbatim(ca, cb), date=b.date, location=b.location, project_count=b.project_count,
                count_qualifier=b.count_qualifier, amount_yuan=b.amount_yuan, amount_qualifier=b.amount_qualifier,
                stages=b.stages, part_of=b.event_text, evidence=prep.verbatim(sa, sb).strip())
    head_yuan = t.amount.yuan if t.amount else None
    top = replace(b, project_count=t.count, count_qualifier=t.count_qual, amount_yuan=head_yuan,
                  amount_qualifier=t.amount.qualifier if t.amount and head_yuan is not None else None,
                  stages=tuple(sorted(set(b.stages) | set(t.stages), key=_STAGE_ORDER.index)))
    k = batches.index(b)
    return batches[:k] + [top, own] + batches[k + 1 :]


_STAGE_ORDER = ["signed", "started", "completed", "in_production"]


def _fits(parent: Batch, t: _Tally) -> bool:
    """A tally is the event's own figure unless it covers only part of the event's stages (a split)."""
    return not t.stages or not parent.stages or set(t.stages) >= set(parent.stages)


def _tally_text(work: str, t: _Tally) -> tuple[int, int]:
    a, b = t.clause
    return a, max(b, t.end)


def _excluded(work: str, t: _Tally, floor: int) -> bool:
    """A goal, plan, reserve or lead list (NOT_BATCH words around the count).

    要/将/拟 are single characters found inside many words (主要, 重要): they count only right before the
    count (将引进12个项目) or before a stage verb after it (12个项目将于年内开工).

    >>> w = "签约的12个项目主要涉及新材料,总投资150亿元。此次签约的12个项目将进一步完善产业链。全年将引进12个项目。"
    >>> [_excluded(w, t, 0) for t in find_tallies(w, 0, len(w), find_amounts(w))]
    [False, False, True]
    >>> w = "另有12个项目将于年内开工。"
    >>> [_excluded(w, t, 0) for t in find_tallies(w, 0, len(w), find_amounts(w))]
    [True]
    """
    _, b = t.clause
    a = last_of(work, ",;。\n", 0, t.start) + 1
    seg = work[max(floor, a - 8) : b]
    if any(w in seg for w in NOT_BATCH if w not in _SOFT_PLAN):
        return True
    return bool(_SOFT_BEFORE.search(work, max(floor, a - 8), t.start)) or bool(_SOFT_AFTER.match(work, t.end, b))


_SOFT_PLAN = ("要", "将", "拟")
_SOFT_BEFORE = re.compile(r"(?<![主重需只必])(?:要|将|拟)[\u4e00-\u9fff]{0,5}$")
_SOFT_AFTER = re.compile(r"[^,;。]*?(?<![主重需只必])(?:要|将|拟)[^,;。]{0,8}?"
                         r"(?:签约|开工|动工|投产|竣工|建成|落地|落户|引进|开建|实施)")


_SAME_EVENT_RE28 = re.compile(r"[\s()“”\"·,、的]")


def _same_event(a: str, b: str) -> bool:
    ka = _SAME_EVENT_RE28.sub("", a)
    kb = _SAME_EVENT_RE28.sub("", b)
    return ka in kb or kb in ka


_IS_TITLE_RE29 = re.compile(r"[。]")


def _is_title(work: str, span: tuple[int, int]) -> bool:
    line = work[span[0] : span[1]]
    return len(line) <= 60 and not _IS_TITLE_RE29.search(line)


_SENTENCES_LOOSE_RE30 = re.compile(r"[。!?]")


def _sentences_loose(work: str, a: int, b: int) -> list[tuple[int, int]]:
    """Sentences ended by 。!? only (a tally and its amount are often split by ;)."""
    out: list[tuple[int, int]] = []
    s = a
    for m in _SENTENCES_LOOSE_RE30.finditer(work[a:b]):
        e = a + m.end()
        out.append((s, e))
        s = e
    if s < b:
        out.append((s, b))
    return out
