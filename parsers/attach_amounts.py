"""Amounts: which investment figure belongs to which project, and its phase amounts."""

from __future__ import annotations

import re

from .amounts import Amount, is_investment
from .model import PhaseAmount
from .names import (
    NameMention,
)
from .project_ctx import (
    SUBJECT,
    TALLY_COUNT,
    Ctx,
    _one_project_before,
    _sentence_end_loose,
    respectively_lists,
    scope_of_mention,
)
from .text import last_of

# Words that mark a phase amount (首期…计划投资45亿元) rather than the project total.
PHASE_WORDS = ("首期", "一期", "二期", "三期", "四期", "其中")




_BUILD_PROJECTS_RE6 = re.compile(r"分别(?:是|为)|包括")




_BUILD_PROJECTS_RE8 = re.compile(r"的?(?:这个|该|此)?项目")


_TITLE_STOP = re.compile(r"[。;]")


_BUILD_PROJECTS_RE10 = re.compile(r"投资(?:额|总额)?$")


_BUILD_PROJECTS_RE11 = re.compile(r"(?:为|是)")


_BUILD_PROJECTS_RE12 = re.compile(r"(?:这个|该|此)[^,。;]{0,12}项目$")


_BUILD_PROJECTS_RE13 = re.compile(r"(?:这个|该|此)项目[^,。;]{0,6}$")


_BUILD_PROJECTS_RE14 = re.compile(r",(?:主要)?(?:建设|用于建设|打造|新建|实施)")


_BUILD_PROJECTS_RE16 = re.compile(r"(?:这个|该|此)")


_AMOUNT_BEFORE_RE20 = re.compile(r"(?:人民币)?(?:级)?的?")


_COUNTED_AFTER = re.compile(r"(?:、[^,。;、]{1,30})+等[\d一二三四五六七八九十两]+[余多]?个")
_BUILD_GAP = re.compile(r",(?:将|拟|计划|主要|用于)?(?:在[\u4e00-\u9fff]{2,12}?)?(?:投资)?(?:建设|新建|兴建|打造|实施)")


def _amount_before(ctx: Ctx, m: NameMention) -> Amount | None:
    """`投资100亿元的X项目` / `扩产增资3.5亿元的X`: an amount ending at most a few characters before the name.

    A list item's own amount stands right before it (总投资45亿元的A、总投资20亿元的B等项目).
    """
    start = m.start
    rest = _COUNTED_AFTER.match(ctx.work, m.end)
    if rest and "元的" not in rest.group(0):
        return None  # 投资136.6亿元的A、B等21个产业项目: before a counted list, the whole list's total
    for a in reversed(ctx.amounts):
        if a.end > start:
            continue
        gap = ctx.work[a.end : start]
        clause = last_of(ctx.work, ",。;:\n、", 0, a.start) + 1
        if gap == "," and _own_total_clause(ctx.work, a, clause):
            return a  # …领军企业,总投资24.68亿元,年产4万吨…项目: a clause of its own naming the next project's total
        if _BUILD_GAP.fullmatch(gap) and is_investment(ctx.work, a, clause) and \
                not _OWN_TOTAL_CLAUSE_RE22.search(ctx.work[clause : a.start].rstrip("总投资计划约达为")):
            return a  # 天桥建设有限公司投资近24亿元,将在乌鲁木齐建设X项目: the company's sum builds the project it names
        if len(gap) > 6 or not _AMOUNT_BEFORE_RE20.fullmatch(gap):
            return None
        if is_investment(ctx.work, a, clause) or (gap.endswith("的") and not _non_investment_before(ctx.work, a, clause)):
            return a
        return None
    return None


_OWN_TOTAL_CLAUSE_RE21 = re.compile(r"(?:计划)?(?:总投资|投资总额)(?:额)?(?:为|达|约)?")


_OWN_TOTAL_CLAUSE_RE22 = re.compile(r"(?:项目|工程|基地|园|中心|港|线)[”\"]?$")


def _own_total_clause(work: str, a: Amount, clause: int) -> bool:
    """The amount's clause is only `总投资X亿元`, and the clause before it does not end in a project name."""
    if not _OWN_TOTAL_CLAUSE_RE21.fullmatch(work[clause : a.start]):
        return False
    prev = work[max(0, clause - 30) : max(0, clause - 1)]
    prev_clause = prev[max(prev.rfind(c) for c in ",。;:\n") + 1 :]
    if TALLY_COUNT.search(prev_clause):
        return False  # 开工项目68个,总投资426亿元,A项目…: the total is the tally's
    return not _OWN_TOTAL_CLAUSE_RE22.search(prev)


def _non_investment_before(work: str, a: Amount, clause: int) -> bool:
    from .amounts import NON_INVESTMENT

    head = work[clause : a.start]
    return any(k in head for k in NON_INVESTMENT)


# …、芯火双创基地、创新奇智等十余个项目完成签约,总投资超过100亿元: an item followed by more items and 等
# (not when each gets it: …、C等,投资体量均超100亿元)
_AMOUNT_AFTER_RE23 = re.compile(r"\s*(?:在内|等|、[^,。;、]{2,20}等(?![^。;]{0,30}[均各]))")


def _amount_after(ctx: Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int],
                  claimed: set[int]) -> Amount | None:
    s_end = ctx.sentence_of(m.start)[1]
    lo, hi = scope_of_mention(ctx, m, ordered, gid)
    if _AMOUNT_AFTER_RE23.match(ctx.work[m.end : m.end + 60]) or (
            m.group is not None and ctx.work.startswith("等", m.group[1])):
        return None  # 包括X在内,…总投资566亿元 / A、B、C等项目,总投资35亿元: the amount is the group's
    if m.group is not None:
        # A list item's own amount sits inside its item (A(总投资15亿元)、B…); after the list comes the whole
        # list's total (开工建设A、B、C,总投资合计420亿元).
        nxt = ctx.work.find("、", m.end, m.group[1])
        lo, hi = m.end, nxt if nxt >= 0 else m.group[1]
    if m.kind != "heading":
        hi = min(hi, _sentence_end_loose(ctx.work, m.end))
    for a in ctx.amounts:
        if a.start < lo or a.start >= hi or id(a) in claimed:
            continue
        clause = last_of(ctx.work, ",。;:\n", 0, a.start) + 1
        if not is_investment(ctx.work, a, clause):
            continue
        if _phase_amount(ctx.work, a, max(clause, m.end)):
            continue
        if TALLY_COUNT.search(ctx.work[min(clause, max(lo, m.end)) : a.start]):
            continue  # an amount of a tally (项目15个,总投资…)
        semi = ctx.work.rfind(";", m.end, a.start)
        if semi >= 0 and _BUILD_PROJECTS_RE14.match(ctx.work[a.end : a.end + 6]):
            continue  # A项目;B企业追加投资8亿元,实施C项目: the amount opens the next item's clause
        return a
    del s_end
    return None


def _phase_amount(work: str, a: Amount, floor: int) -> bool:
    """A phase word (首期/一期…/其中) written after `floor` and at most 12 characters before the amount.

    The floor is the end of the project's name: the name's own phase (恒力三期项目总投资200亿元) is the
    project, and its total is the project's amount.

    >>> w = "恒力三期项目总投资200亿元,其中一期投资50亿元"
    >>> from parsers.amounts import find_amounts
    >>> [_phase_amount(w, a, 6) for a in find_amounts(w)]
    [False, True]
    """
    before = work[max(floor, a.start - 12) : a.start]
    return any(w in before for w in PHASE_WORDS)


_PROJECT_RE28 = re.compile(r"首期|一期")


_AMOUNT_PHRASE_RE30 = re.compile(r"(?:计划|预计|初步意向)?(?:总投资|投资总额|投资规模|投资额|投资|扩产增资|增资)(?:额|金额)?(?:为|达|约|超过|超|约合)?"
                  r"(?:人民币)?:?$")


def _amount_phrase(ctx: Ctx, a: Amount) -> str:
    """The amount with the investment words before it: `计划总投资200亿元`."""
    work = ctx.work
    m = _AMOUNT_PHRASE_RE30.search(work[max(0, a.start - 14) : a.start])
    start = a.start - (len(m.group(0)) if m else 0)
    return ctx.prep.verbatim(start, a.end)


def _phase_start(work: str, a: Amount) -> int:
    i = max(work.rfind(w, max(0, a.start - 30), a.start) for w in ("首期", "一期"))
    return i if i >= 0 else a.start


def assign_amounts(ctx: Ctx, ordered: list[NameMention], gid: dict[int, int]) -> dict[int, tuple[Amount, bool]]:
    """Group id -> its investment amount (and whether it was written after the name), in passes from the
    most to the least explicit wording; an amount goes to one project unless the text shares it."""
    work = ctx.work
    claimed: set[int] = set()
    amount_of: dict[int, tuple[Amount, bool]] = {}
    # Pass 0: 总投资分别为a、b和c: the i-th amount is the i-th name's.
    for ss, fb, ce, names in respectively_lists(work, ordered, gid):
        if _BUILD_PROJECTS_RE10.search(work[max(ss, fb.start() - 6) : fb.start()]) and \
                _BUILD_PROJECTS_RE11.match(work[fb.end() : fb.end() + 1]):
            listed = [a for a in ctx.amounts if fb.end() <= a.start < ce and a.yuan is not None]
            if len(listed) == len(names) and not any(id(a) in claimed for a in listed):
                for g, amt in zip(names, listed, strict=True):
                    if g not in amount_of:
                        amount_of[g] = (amt, False)
                        claimed.add(id(amt))
    # Pass 0b: A项目、B项目均超30亿元 / A、B各投资5亿元: an amount marked 均/各 after names goes to each of them.
    for each in ctx.amounts:
        if each.yuan is None or id(each) in claimed or not _EACH.search(work, max(0, each.start - 6), each.start):
            continue
        sa = last_of(work, "。;!?\n", 0, each.start) + 1
        named = list(dict.fromkeys(gid[id(o)] for o in ordered if sa <= o.start and o.end <= each.start))
        if len(named) >= 2:
            claimed.add(id(each))
            for g in named:
                amount_of.setdefault(g, (each, True))
    # Pass 1: amounts written right before a name (投资100亿元的X项目).
    for m in ordered:
        a = _amount_before(ctx, m)
        if a is not None and id(a) not in claimed:
            claimed.add(id(a))
            amount_of.setdefault(gid[id(m)], (a, False))
    # Pass 2: the first investment amount after the name in its scope.
    for m in ordered:
        g = gid[id(m)]
        if g in amount_of:
            continue
        a = _amount_after(ctx, m, ordered, gid, claimed)
        if a is not None:
            claimed.add(id(a))
            amount_of[g] = (a, True)
    # Pass 3: one amount shared by a list (投资10亿元以上项目2个,分别是A和B / 10亿元以上项目共12个,…包括A、B): each
    # gets it.
    for fb in _BUILD_PROJECTS_RE6.finditer(work):
        clause = last_of(work, "。;\n", 0, fb.start()) + 1
        includes = fb.group(0) == "包括"
        shared = [a for a in ctx.amounts if clause <= a.start < fb.start() and a.yuan is not None
                  # 签约10亿元以上项目共12个,…包括A、B: a size class of projects signed is theirs too
                  and (is_investment(work, a, clause) or (includes and _size_class(work, a)))]
        if len(shared) != 1:
            continue
        size_class = _size_class(work, shared[0])
        if includes and not size_class:
            continue  # 总投资8亿元,包括A和B: a total whose parts may be named later, left to the other passes
        if not size_class:
            claimed.add(id(shared[0]))  # 两个项目总投资8亿元,分别是A和B: one total for several goes to none
            continue
        end = _sentence_end_loose(work, fb.end())
        comma = work.find(",", fb.end(), end)
        end = comma if comma > 0 else end
        for o in ordered:
            if fb.end() <= o.start < end and gid[id(o)] not in amount_of:
                amount_of[gid[id(o)]] = (shared[0], False)
    # Pass 4: `这个计划投资44亿元的项目` / `该项目总投资…`: an anaphoric amount goes to the last project named before.
    for a in ctx.amounts:
        if id(a) in claimed or a.yuan is None:
            continue
        clause = last_of(work, ",。;:\n", 0, a.start) + 1
        if not is_investment(work, a, clause):
            continue
        anaphor = _BUILD_PROJECTS_RE12.search(work[a.end : a.end + 20].split(",")[0]) or _BUILD_PROJECTS_RE13.search(work[clause : a.start])
        tail = _BUILD_PROJECTS_RE8.match(work[a.end : a.end + 6])
        # 该项目由X投资建设,总投资50亿元: a sentence about 该项目 whose first investment figure this is.
        sent_start = last_of(work, "。!?\n", 0, a.start) + 1
        subj = SUBJECT.match(work, sent_start, sent_start + 12)
        subject = subj is not None and (bool(subj.group(1)) or _one_project_before(work, sent_start, ordered, gid)) and not any(
            w in work[max(sent_start, a.start - 12) : a.start] for w in PHASE_WORDS) and not any(
            sent_start <= b.start < a.start and is_investment(work, b, sent_start) for b in ctx.amounts) and not any(
            sent_start <= o.start < a.start for o in ordered)
        if not (anaphor or subject or (tail and _BUILD_PROJECTS_RE16.search(work[clause : a.start]))):
            continue
        prev = [o for o in ordered if o.end <= a.start]
        if prev and gid[id(prev[-1])] not in amount_of and a.start - prev[-1].end < 200:
            amount_of[gid[id(prev[-1])]] = (a, True)
            claimed.add(id(a))
    # Pass 5: `计划总投资50亿元,建设…的X项目`: an amount stated just before, with a building verb between.
    for m in ordered:
        if gid[id(m)] in amount_of or m.kind == "heading":
            continue
        sa, _ = ctx.sentence_of(m.start)
        before = [a for a in ctx.amounts if sa <= a.start and a.end <= m.start and id(a) not in claimed
                  and a.yuan is not None]
        if not before:
            continue
        a = before[-1]
        between = work[a.end : m.start]
        clause = last_of(work, ",。;:\n", 0, a.start) + 1
        if (len(between) <= 40 and _BUILD_PROJECTS_RE14.match(between)
                and not TALLY_COUNT.search(work[clause : m.start])
                and not any(o is not m and a.end <= o.start < m.start for o in ordered)
                and is_investment(work, a, clause)):
            amount_of[gid[id(m)]] = (a, True)
            claimed.add(id(a))
    # Pass 6: 投产项目1个,总投资0.5亿元,为X项目: the total of a tally of one is the project it spells out.
    for a in ctx.amounts:
        if id(a) in claimed or a.yuan is None or not _ONE_TALLY_BEFORE.search(work, max(0, a.start - 24), a.start):
            continue
        spelt = _SPELT_AFTER.match(work, a.end)
        if spelt is None:
            continue
        first = next((o for o in ordered if spelt.end() <= o.start <= spelt.end() + 2), None)
        if first is not None and gid[id(first)] not in amount_of:
            amount_of[gid[id(first)]] = (a, True)
            claimed.add(id(a))
    return amount_of


_ONE_TALLY_BEFORE = re.compile(r"项目1个,(?:计划)?(?:总投资|投资)(?:约|达|为)?$")
_SPELT_AFTER = re.compile(r",(?:为|是|即)")


def phase_amounts(ctx: Ctx, group: list[NameMention], ordered: list[NameMention], gid: dict[int, int]) -> list[PhaseAmount]:
    """Investment figures of a phase (首期/一期…投资X) in the project's scopes."""
    prep, work = ctx.prep, ctx.work
    phases: list[PhaseAmount] = []
    for m in group:
        lo, hi = scope_of_mention(ctx, m, ordered, gid)
        for a in ctx.amounts:
            if lo <= a.start < hi and a.yuan is not None:
                before = work[max(0, m.end, a.start - 14) : a.start]  # the name's own 一期 is not a phase amount
                clause = last_of(work, ",。;:\n", 0, a.start) + 1
                if _PROJECT_RE28.search(before) and is_investment(work, a, clause):
                    text = prep.verbatim(_phase_start(work, a), a.end)
                    pa = PhaseAmount(text=text, amount_yuan=a.yuan)
                    if pa not in phases:
                        phases.append(pa)
    return phases


# 均/各/每个 right before an amount: the figure is each listed project's, not their sum.
_EACH = re.compile(r"(?:均|各|每个项目|每个)(?:计划)?(?:总投资|投资|为|在|达|超过?|逾)?[^,。;]{0,2}$")
_SIZE_AFTER = re.compile(r"\s*(?:\(含\))?(?:及)?以上")


def _size_class(work: str, a: Amount) -> bool:
    """`投资10亿元以上项目2个` / `超10亿元的项目`: the amount is a size class its projects share, not their total.

    >>> from parsers.amounts import find_amounts
    >>> w = "投资10亿元以上项目2个,分别是A。两个项目总投资8亿元,分别是B"
    >>> [_size_class(w, a) for a in find_amounts(w)]
    [True, False]
    """
    return bool(_SIZE_AFTER.match(work, a.end)) or a.qualifier in ("over", "at_least") or bool(
        _EACH.search(work, max(0, a.start - 6), a.start))
