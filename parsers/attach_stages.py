"""Stages and milestone dates: which reported or planned stage words speak about a project, and when."""

from __future__ import annotations

import re
from bisect import bisect_right

from .amounts import cn_number
from .dates import find_dates
from .mentions import _title_segment
from .model import Expected, Milestone, stage_rank
from .names import (
    NameMention,
)
from .project_ctx import INTENT, ITEM_NUMBER, TALLY_COUNT, Ctx, scope_of_mention
from .stages import StageMention
from .text import last_of

# A clause whose subject is the article's one project: 项目/该项目/项目一期/首条生产线 before the stage word.
_BARE_SUBJECT = re.compile(r"^(?:目前|当前|现在|如今)?(?:(?:该|这个|此)?项目(?![二三四五六七八九十]期)|一期|首期|首条生产线)")


_SINGLE_PROJECT_STAGES_RE24 = re.compile(r"^\d{4}年|^\d{1,2}月(?:\d{1,2}日)?(?:底|初|中旬|下旬|上旬)?|^(?:同年|当年|当月|今年|去年)\d{0,2}月?")


_SINGLE_PROJECT_STAGES_RE25 = re.compile(r"\d+\s*个|[二三四五六七八九十]期")


def _single_project_stages(ctx: Ctx, ordered: list[NameMention]) -> list[StageMention]:
    """Reported stage words of body clauses about the article's one project (同年9月,项目破土动工 /
    目前一期已实现满产); a clause on phase 2 or a tally (…个) is not about it.

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> w = "X报道\\n甲乙新材料年产5万吨树脂项目生产车间里机器轰鸣。今年5月,项目一期进入试生产,目前一期已实现满产。"
    >>> from parsers.projects import build_projects
    >>> p, = build_projects(prepare(w), Anchor(2024, 9, 5), None)
    >>> p.stage
    'full_production'
    """
    work = ctx.work
    out: list[StageMention] = []
    for st in ctx.stages:
        if st.planned or st.start < ctx.title_end or _alternative(work, st):
            continue
        cs = last_of(work, ",。;:!?\n", 0, st.start) + 1
        clause = work[cs : st.start]
        clause_m = _SINGLE_PROJECT_STAGES_RE24.sub("", clause)
        if not _BARE_SUBJECT.search(clause_m) or _SINGLE_PROJECT_STAGES_RE25.search(clause):
            continue
        if any(cs <= o.start < st.start for o in ordered):
            continue  # the clause names the project itself: its own scope reads it
        out.append(st)
    return out


_AFTER_SPAN = re.compile(r"(签约|开工|动工|投产|建成|竣工|试产|试生产)后(\d+|[一二两三四五六七八九十])(年|个月)")


_BASE_STAGE = {"签约": "signed", "开工": "started", "动工": "started", "投产": "in_production", "建成": "completed",
               "竣工": "completed", "试产": "trial_production", "试生产": "trial_production"}


_DERIVE_WHEN_RE29 = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _derive_when(e: Expected, history: list[Milestone]) -> Expected:
    """`投产后2年内达产`: a plan counted from a milestone that has a date in the history.

    >>> h = [Milestone("in_production", "2023-11-08", "")]
    >>> _derive_when(Expected("full_production", "预计投产后2年内达产", None), h).when
    '2025-11'
    >>> _derive_when(Expected("full_production", "投产后18个月达产", None), [Milestone("in_production", "2023", "")]).when is None
    True
    >>> _derive_when(Expected("full_production", "投产后2年达产", None), []).when is None
    True
    """
    m = _AFTER_SPAN.search(e.when_text)
    if e.when is not None or not m:
        return e
    base = next((h.date for h in history if h.stage == _BASE_STAGE[m.group(1)] and h.date), None)
    bm = _DERIVE_WHEN_RE29.match(base or "")
    if not bm:
        return e
    n = int(cn_number(m.group(2)) or 0)
    year, month = int(bm.group(1)), int(bm.group(2)) if bm.group(2) else None
    if m.group(3) == "年":
        when = f"{year + n:04d}" + (f"-{month:02d}" if month else "")
    elif month is None:
        return e  # months counted from a year-only date cannot be placed
    else:
        k = year * 12 + month - 1 + n
        when = f"{k // 12:04d}-{k % 12 + 1:02d}"
    return Expected(stage=e.stage, when_text=e.when_text, when=when)


def _stages_for(ctx: Ctx, m: NameMention, ordered: list[NameMention],
                gid: dict[int, int]) -> tuple[list[StageMention], list[StageMention]]:
    """Reported and planned stage words that speak about this mention, nearest scope first."""
    work = ctx.work
    lo, hi = scope_of_mention(ctx, m, ordered, gid)
    start = m.group[0] if m.group else m.start
    clause_start = last_of(work, ",。;:\n", 0, start) + 1
    sent = ctx.sentence_of(start)

    def pick(a: int, b: int) -> tuple[list[StageMention], list[StageMention]]:
        sts = [s for s in ctx.stages_between(a, b) if not _alternative(work, s)]
        return [s for s in sts if not s.planned], [s for s in sts if s.planned]

    # Words in the list or clause right before the name (集中开工A、B / 此次开工建设A) speak for it first.
    # 暨 joins two events (集中开竣工暨X项目开工仪式): words before it are the other event's.
    before_start = last_of(work, ",。;:\n、暨", 0, start) + 1 if m.group is None else \
        max(clause_start, work.rfind("暨", 0, start) + 1)
    rep_before, plan_before = pick(before_start, start)
    colon = [] if rep_before else (_colon_list_stage(ctx, start) or _tally_list_stage(ctx, start))
    if colon:
        # 集中开工的6个项目分别为:A;B;…;F,总投资…: every item of the list takes the intro's stage, not a
        # stage word of the sentence after the list.
        return colon, plan_before
    rep_after, plan_after = pick(lo, hi)
    # 同时,对已投产项目进行了奖励: past the name's sentence, a stage word that modifies a 项目 noun describes a
    # class of projects, not this one.
    rep_after = [s for s in rep_after if s.start < sent[1] or not _MODIFIES_PROJECT.match(work, s.end)]
    # …竣工投产活动举行,A、B将在三季度陆续竣工投产: the name's own clause plans the stage the event before it names;
    # the event is held, the projects are not done.
    own_plans = {s.stage for s in plan_after if start <= s.start < sent[1]}
    if not own_plans:
        # the list's verb after the last item (A、B将…竣工投产) is every item's
        clause_end = _CLAUSE_MARK.search(work, m.end)
        verb = ctx.stages_between(m.end, clause_end.start() if clause_end else len(work))
        if verb and verb[0].planned:
            own_plans = {verb[0].stage}
            plan_after = plan_after + verb[:1]
    rep_after = [s for s in rep_after if not (s.start < clause_start and s.stage in own_plans)]
    rep = rep_before if rep_before else rep_after
    plan = plan_after + plan_before
    if not rep:
        # The first stage word after the name in its sentence (…等3个项目上台签约), if it is reported.
        nxt = [s for s in ctx.stages if hi <= s.start < sent[1] and not _alternative(work, s)]
        if plan_before:
            nxt = []  # 将…建成A、B等项目,加快推进C: A's own verb is a plan; C's verb is not A's
        if nxt and not nxt[0].planned:
            rep = [nxt[0]]
        elif nxt and not any(hi <= o.start < nxt[0].start and gid[id(o)] != gid[id(m)]
                             and (m.group is None or o.group != m.group) for o in ordered):
            plan = plan or [nxt[0]]  # …,Y项目计划明年投产: a plan after another project's name is that one's
    if not rep:
        # The nearest reported stage word earlier in the sentence (各类项目相继动工,A等项目…), not a stage the
        # name's own clause plans.
        prev = [s for s in ctx.stages_between(sent[0], start) if not _alternative(work, s) and s.stage not in own_plans]
        if prev and not prev[-1].planned:
            rep = [prev[-1]]
    if not rep and m.kind != "heading":
        # A paragraph-level stage from sentences that name no other project (6个投产项目…。华秋…等项目).
        para = ctx.paragraph_of(start)
        for sa, sb in ctx.sents:
            if sa < para[0] or sb > para[1] or sa > start:
                continue
            others = [o for o in ordered if sa <= o.start < sb and gid[id(o)] != gid[id(m)]
                      and (m.group is None or o.group != m.group)]
            if not others:
                r3, _ = pick(sa, sb)
                rep = rep + r3
    if not rep and m.kind != "heading":
        rep = _list_intro_stage(ctx, start)
    if not rep and m.kind != "heading":
        rep = _inherited_stage(ctx, start)
    return rep, plan


def _inherited_only(ctx: Ctx, m: NameMention, ordered: list[NameMention], gid: dict[int, int]) -> list[StageMention]:
    """The stage _stages_for falls back to from the sentence before a 其中 list, or [] when another rule spoke."""
    if m.kind == "heading":
        return []
    return _inherited_stage(ctx, m.group[0] if m.group else m.start)


_MODIFIES_PROJECT = re.compile(r"[\u4e00-\u9fff]{0,6}?项目")
_LIST_INTRO = re.compile(r"\s*其中|[^。!?]*?(?:分别为|分别是|包括|如下|涵盖)")


def _inherited_stage(ctx: Ctx, start: int) -> list[StageMention]:
    """A list opened by 其中/分别为/包括 takes the stage of the event sentence right before it, even when that
    sentence ends the previous paragraph (…5个项目集中签约。¶其中,A项目…;B项目…).

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> from parsers.projects import build_projects
    >>> p, = build_projects(prepare("5个项目集中签约,总投资9亿元。\\n其中,甲乙电池项目总投资5亿元。"), Anchor(2024, 6, 12), None)
    >>> p.stage
    'signed'
    """
    work = ctx.work
    s0 = last_of(work, "。!?\n", 0, start) + 1
    if not _LIST_INTRO.match(work, s0, start):
        return []
    pe = s0
    while pe > 0 and work[pe - 1] in "。!?\n ":
        pe -= 1
    if work[pe:s0].count("\n") > 1 or pe == 0:
        return []
    ps = last_of(work, "。!?\n", 0, pe) + 1
    if not (_EVENT_MARK.search(work, ps, pe) or TALLY_COUNT.search(work[ps:pe]) or _GROUP.search(work, ps, pe)):
        return []
    return _first_reported(ctx, ps, pe)


# 一批国内知名企业落户拉萨。其中,A项目…: a group of firms or projects counted without a figure is an event too
_GROUP = re.compile(r"一批[^,。;]{0,12}?(?:企业|项目|企業|項目)")


def _list_intro_stage(ctx: Ctx, start: int) -> list[StageMention]:
    """A numbered list item takes the stage of the line that introduces the list (签约项目如下:).

    Only when the item opens its paragraph; sibling items above it are skipped.
    """
    work = ctx.work
    k = bisect_right(ctx.para_starts, start) - 1
    if k < 1 or not ITEM_NUMBER.match(work, ctx.paras[k][0]) or \
            work[ctx.paras[k][0] : start].strip(" .、()●■◆▲★○•0123456789一二三四五六七八九十"):
        return []
    for a, b in reversed(ctx.paras[max(0, k - 30) : k]):
        if ITEM_NUMBER.match(work, a):
            continue  # a sibling item
        if not work[a:b].endswith(":"):
            return []
        sent_a = last_of(work, "。!?;", a, b - 1) + 1
        reported = [s for s in ctx.stages if sent_a <= s.start < b and not s.planned]
        return reported[:1]
    return []


def _first_reported(ctx: Ctx, a: int, b: int) -> list[StageMention]:
    """The first reported (not planned, not an alternative) stage word in [a, b), as a one-item list or []."""
    return [s for s in ctx.stages_between(a, b) if not s.planned and not _alternative(ctx.work, s)][:1]


_ALTERNATIVE_RE31 = re.compile(r"(?:动工|开工|签约|投产)$")


def _alternative(work: str, s: StageMention) -> bool:
    """`动工(投产)`: the stage in brackets after another stage word is an alternative, not a second fact."""
    return work[s.start - 1 : s.start] == "(" and work[s.end : s.end + 1] == ")" and bool(
        _ALTERNATIVE_RE31.search(work[max(0, s.start - 4) : s.start - 1])
    )


_CLAUSE_MARK = re.compile(r"[,。;:\n]")


def _clause_text(ctx: Ctx, st: StageMention) -> str:
    work = ctx.work
    a = last_of(work, ",。;:\n", 0, st.start) + 1
    m = _CLAUSE_MARK.search(work, st.end)
    b = m.start() if m else len(work)
    return ctx.prep.verbatim(a, b)


_STAGE_DATE_RE32 = re.compile(r"\s*其中")


_DATE_FIELD = re.compile(r"(?:时间|日期)[为:]")


_FIELD_END = re.compile(r"[,。;\n]")


def _stage_date(ctx: Ctx, st: StageMention) -> str | None:
    """A date written in the stage's clause (or the sentence before it), else the article's event date."""
    work = ctx.work
    field_ = _DATE_FIELD.match(work, st.end)
    if field_:
        # 开工时间:2024年4月: a field whose value is the date.
        nxt = _FIELD_END.search(work, field_.end())
        ds = find_dates(work, ctx.anchor, field_.end(), nxt.start() if nxt else len(work))
        if ds and ds[0].value and ds[0].start == field_.end():
            return ds[0].value
    a = last_of(work, ",。;\n", 0, st.start) + 1
    sa, sb = ctx.sentence_of(st.start)
    ds = [d for d in find_dates(work, ctx.anchor, a, st.start) if d.value and d.precision != "vague"]
    if ds:
        if ds[-1].precision in ("quarter", "half") or (
                ds[-1].precision == "year" and _EVENT_NOUN.match(work, st.end, st.end + 12)):
            # 3月15日,一季度重大项目集中开工活动… / 10月15日,2024年秋季…签约仪式: the period names the event;
            # the day dates it.
            days = [d for d in find_dates(work, ctx.anchor, sa, a) if d.value and d.precision == "day"]
            if days:
                return days[-1].value
        return ds[-1].value
    # A date earlier in the sentence, unless another stage word stands between (今年3月开工,目前已封顶).
    ds = [d for d in find_dates(work, ctx.anchor, sa, st.start) if d.value and d.precision != "vague"
          and not any(d.end <= o.start < st.start and o is not st and not o.planned for o in ctx.stages)]
    if ds:
        return ds[-1].value
    # The article's event date only for a stage reported as part of that event (此次/本次/集中/同步…), in this
    # sentence or the one before it in the paragraph, or in a list introduced by the event (签约项目如下:).
    # …or a sentence opening with 其中 (one of the event's projects).
    pa, _ = ctx.paragraph_of(st.start)
    full_stop = last_of(work, "。!?", pa, st.start)  # the previous full sentence (not ;-clause)
    prev_sa = last_of(work, "。!?", pa, full_stop) + 1 if full_stop >= 0 else sa
    if _EVENT_MARK.search(work, max(pa, min(prev_sa, sa)), sb) or work[sb - 1 : sb] == ":" or \
            _STAGE_DATE_RE32.match(work[last_of(work, "。!?\n", 0, st.start) + 1 :]) or \
            _INTRO_AFTER.match(work, st.end) or \
            _COLON_LIST.search(work, last_of(work, "。!?\n", 0, st.start) + 1, st.start):
        return ctx.event_date
    return None


# 签约项目分别为: / 开工项目包括: the stage word names the list that follows.
# 签约项目分别为:A…;B…,落户X: a stage word inside a colon-introduced list is the listed event's.
_COLON_LIST = re.compile(r"(?:分别为|分别是|包括|如下):")
_COLON_INTRO = re.compile(r"(?:分别为|分别是|包括|如下|有):$")


def _colon_list_stage(ctx: Ctx, start: int) -> list[StageMention]:
    """The reported stage of the intro of a colon list (…开工的6个项目分别为:A;B;C) for an item of it: the items
    are separated by ; or 、 and no sentence ends between the colon and the item.

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> from parsers.projects import build_projects
    >>> w = "集中开工的3个项目分别为:甲乙电机生产项目;丙丁物流园区建设项目;戊己智能装备产业园建设项目,总投资9亿元。投产一批共有6个项目。"
    >>> [p.stage for p in build_projects(prepare(w), Anchor(2024, 6, 12), None)]
    ['started', 'started', 'started']
    """
    work = ctx.work
    s0 = last_of(work, "。!?\n", 0, start) + 1
    colon = work.rfind(":", s0, start)
    if colon < 0 or not _COLON_INTRO.search(work, s0, colon + 1):
        return []
    return _first_reported(ctx, s0, colon)


# 开工项目4个,总投资2.36亿元,为A,…;B,…: a stage tally whose sentence goes on to spell its projects out.
_TALLY_INTRO = re.compile(r"[^。;!?]{0,30}?(?:签约|开工|动工|投产|竣工)[^。;,]{0,6}?项目(?:\d+|[一二两三四五六七八九十]+)个"
                          r"[^。;!?:]{0,30}?,(?:分别)?(?:为|是|包括|有)")


def _tally_list_stage(ctx: Ctx, start: int) -> list[StageMention]:
    """The stage of a tally that opens the item's sentence and spells out its projects after 为/包括, items
    separated by ; (开工项目4个,总投资2.36亿元,为A,计划总投资1.2亿元;B,…): each item is one of the tally's.

    >>> from parsers.text import prepare
    >>> from parsers.dates import Anchor
    >>> from parsers.projects import build_projects
    >>> w = ("开工项目3个,总投资5亿元,为甲乙电机生产项目,将建设厂房;丙丁物流园区建设项目,将建设生产线,投产后年产值3亿元;"
    ...      "戊己智能装备产业园建设项目,计划总投资1亿元。投产项目1个,为庚辛纸业项目,10月正式投产。")
    >>> [p.stage for p in build_projects(prepare(w), Anchor(2024, 6, 12), None)]
    ['started', 'started', 'started', 'in_production']
    """
    work = ctx.work
    s0 = last_of(work, "。!?\n", 0, start) + 1
    intro = _TALLY_INTRO.match(work, s0, start)
    if not intro:
        return []
    return _first_reported(ctx, s0, intro.end())


_INTRO_AFTER = re.compile(r"[^,;。!?]{0,6}?(?:分别为|分别是|包括|如下)")


_EVENT_NOUN = re.compile(r"[^,。;]{0,6}?(?:仪式|活动|大会|推进会)")


_EVENT_MARK = re.compile(r"此次|本次|集中|现场|当天|今天|今日|昨日|昨天|仪式|活动|同步|同日|同一天")


def _expected_when(ctx: Ctx, st: StageMention) -> tuple[str | None, str]:
    work = ctx.work
    a = last_of(work, ",。;:\n、", 0, st.start) + 1
    ds = find_dates(work, ctx.anchor, a, st.start, future=True)
    text = ctx.prep.verbatim(a, st.end)
    if ds:
        return ds[-1].value, text
    return None, text


def _after_article(ctx: Ctx, date: str | None) -> bool:
    """A stage date in a later year than the article's own."""
    return bool(date and ctx.anchor.year and date[:4].isdigit() and int(date[:4]) > ctx.anchor.year)


def milestones(ctx: Ctx, group: list[NameMention], ordered: list[NameMention],
               gid: dict[int, int]) -> tuple[list[Milestone], list[Expected]]:
    """The project's reported stages (oldest stage first) and its planned milestones not yet reported."""
    prep, work = ctx.prep, ctx.work
    first = group[0]
    history: list[Milestone] = []
    expected: list[Expected] = []
    per: list[tuple[list[StageMention], list[StageMention]]] = []
    inherited: set[int] = set()
    for m in group:
        rep, plan = _stages_for(ctx, m, ordered, gid)
        if rep and len(group) > 1 and rep == _inherited_only(ctx, m, ordered, gid):
            inherited.add(len(per))
        if m.end <= ctx.title_end:
            # A headline 从一纸协议到满产满销——X项目建设纪实: a stage word in another part of the headline is
            # the story's arc, not X's news.
            seg = _title_segment(work, m.start, m.end, ctx.title_end)
            rep = [st for st in rep if seg[0] <= st.start < seg[1]]
        per.append((rep, plan))
    lent = {st.stage for k in inherited for st in per[k][0]}
    if inherited and any(rep or lent & {st.stage for st in plan} for k, (rep, plan) in enumerate(per)
                         if k not in inherited):
        # 开工A、B等16个项目;竣工C等11个项目。其中,A项目总投资10亿元: a 其中 sentence lends the last event's stage
        # only to a name that has no stage of its own elsewhere in the article (A、B将在三季度陆续竣工投产。…本次
        # 竣工投产项目…。其中,A项目…: nor to one whose own clause plans that stage).
        per = [([], plan) if k in inherited else (rep, plan) for k, (rep, plan) in enumerate(per)]
    if ctx.single:
        # One project in the article: the body's 项目/该项目/一期 sentences speak about it.
        per.append((_single_project_stages(ctx, ordered), []))
    for rep, plan in per:
        for st in rep:
            date = _stage_date(ctx, st)
            if _after_article(ctx, date):
                plan = [*plan, st]  # 2019年全面竣工投产 in a 2017 article: a later year is a plan, with no plan word
                continue
            text = _clause_text(ctx, st)
            same = next((k for k, h in enumerate(history) if h.stage == st.stage), None)
            if same is None:
                history.append(Milestone(stage=st.stage, date=date, text=text))
            elif history[same].date is None and date is not None:
                history[same] = Milestone(stage=st.stage, date=date, text=text)  # a headline's undated mention
        for st in plan:
            when, when_text = _expected_when(ctx, st)
            if not any(e.stage == st.stage for e in expected):
                expected.append(Expected(stage=st.stage, when_text=when_text, when=when))
    # A headline's undated stage is the dated event's when they are the same stage.
    history = [Milestone(stage=h.stage, date=ctx.event_date, text=h.text)
               if h.date is None and h.stage == ctx.event_stage and ctx.event_date else h for h in history]
    if not history and ctx.event_stage and all(stage_rank(e.stage) > stage_rank(ctx.event_stage) for e in expected) \
            and not all(INTENT.search(work, *ctx.sentence_of(m.start)) for m in group):
        # An article about one dated event (X项目集中签约仪式): a project it names with no stage of its own is
        # one of the event's, unless it only plans that stage.
        sa, sb = ctx.sentence_of(first.start)
        history.append(Milestone(stage=ctx.event_stage, date=ctx.event_date, text=prep.verbatim(sa, sb)))
    history.sort(key=lambda h: stage_rank(h.stage))
    stage = history[-1].stage if history else None
    # A stage reported as happened is not also expected.
    expected = [_derive_when(e, history) for e in expected if stage_rank(e.stage) > stage_rank(stage)]
    return history, expected
