"""Batch events: ceremonies (集中开工/签约活动) and tallies of landed or started projects, with their splits."""

from __future__ import annotations

import re
from dataclasses import replace

from .amounts import Amount, find_amounts
from .dates import Anchor, find_dates, period_year
from .model import Batch
from .tallies import (
    EVENT_STAGE,
    NOT_BATCH,
    Tally,
    find_events,
    find_tallies,
    held_at,
    stages_in,
)
from .text import Prepared, last_of, paragraphs

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
            items: list[tuple[int, tuple[int, int] | Tally]] = [(a, (a, b)) for a, b in events if sa <= a < sb]
            excluded_from: int | None = None
            if prev_excluded and _BUILD_BATCHES_RE25.match(sent):
                excluded_from = sa  # 其中,新开工项目160个: a split of a goal or plan is a plan too
            prev_excluded = False
            for t in find_tallies(work, sa, sb, amounts):
                if excluded_from is not None and ";" in work[excluded_from : t.start]:
                    excluded_from = None  # 列入计划项目16个…;A、B等8个项目开工建设: a ; ends the plan's splits
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
                                  location=held_at(prep, sa, sb) or default_place,
                                  stages=stages_in(work[a:e]) or stages_in(sent), evidence=prep.verbatim(sa, sb))
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
                staged_sibling = t.listed and any(isinstance(o, Tally) and o.listed and o.stages
                                                  and o.clause[1] >= t.clause[0] - 40 and o is not t
                                                  for _, o in items)
                if not t.stages and t.amount is None and not staged_sibling:
                    continue
                tdate = date or period_year(work, anchor, sa, sb)
                # A restatement of a batch already found (这100个项目…总投资481亿元): fill its gaps.
                back = bool(_BACK_REFERENCE.match(work, t.clause[0], t.start + 1))
                dup = next((x for x in batches if x.project_count is not None and x.project_count == t.count
                            and (x.amount_yuan is None or amount_yuan is None or x.amount_yuan == amount_yuan
                                 # 这7个项目分别为:总投资20.8亿元的A…: the amount is the first item's
                                 or back
                                 # 约43亿元 over 总投资42.95亿元: the same total, rounded
                                 or _rounded_same(x.amount_yuan, amount_yuan))
                            and (not t.stages or not x.stages or set(t.stages) <= set(x.stages)
                                 # 开竣工投产重大项目27个,总投资123亿 over …开工、竣工、投产重大项目共27个,总投资123亿元:
                                 # the same count and total restated with other stage words
                                 or (amount_yuan is not None and x.amount_yuan == amount_yuan))), None)
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
    kept = [
        b for b in batches
        if b.project_count is not None or b.amount_yuan is not None or b.event_text in parents
        or (any(w in b.event_text for w in EVENT_STAGE) and not _ONE_PROJECTS_CEREMONY.search(b.event_text))
    ]
    return [b for b in kept if not _restated_event(b, kept, parents)]


# …集团投资建设的X产业园项目开工仪式: the ceremony of one named project (a facility head before 项目, no 集中 or
# count) is that project's milestone, not a batch.
_ONE_PROJECTS_CEREMONY = re.compile(r"^(?!.*(?:集中|批|个|项目群|重点|重大))"
                                    r".*(?:产业园|基地|工厂|厂区|园区|中心|城|工程)项目(?:开工|签约|奠基|投产|竣工)仪式$")


def _restated_event(b: Batch, batches: list[Batch], parents: set[str]) -> bool:
    """An event named again without figures (本次开工仪式, 此次集中开工活动) when the article already reports that
    event with its figures: the same batch, restated.

    >>> e = Batch(event_text="全县重点项目集中开工仪式", project_count=12, stages=("started",))
    >>> _restated_event(Batch(event_text="此次集中开工活动", stages=("started",)), [e], set())
    True
    >>> _restated_event(Batch(event_text="集中签约仪式", stages=("signed",)), [e], set())
    False
    """
    if b.project_count is not None or b.amount_yuan is not None or b.part_of is not None or b.event_text in parents:
        return False
    return any(o is not b and o.part_of is None and (o.project_count is not None or o.amount_yuan is not None)
               and set(o.stages) == set(b.stages) for o in batches)


_TOTAL_LEAD = re.compile(r"(?:计划)?(?:总投资|投资总额|总投资额|投资总额为|合计投资)(?:额)?(?:达|约|超过|超|为|近|逾)?$")


_EVENT_TOTAL_RE27 = re.compile(r"\s*(?:的|项目|以上)")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*(?:-|—|–|~|至|到)\s*(?:19|20)\d{2}年")


# 这7个项目 / 上述10个项目 / 以上项目 opening a clause: the batch named before, restated
_BACK_REFERENCE = re.compile(r"\s*(?:其中,?)?(?:这|上述|以上|该批|此次的?)")


def _rounded_same(a: int | None, b: int | None) -> bool:
    """Two totals of one batch written at two precisions (约43亿元, 42.95亿元): within 2 %.

    >>> _rounded_same(4_300_000_000, 4_295_000_000), _rounded_same(4_300_000_000, 3_900_000_000)
    (True, False)
    """
    return a is not None and b is not None and abs(a - b) <= 0.02 * max(a, b)


_PROJECT_SUBJECT = re.compile(r"\s*(?:该|此|这个|其)?(?:项目|工程)(?:一期|二期)?(?:计划)?(?:总投资|投资总额)")


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
        if _PROJECT_SUBJECT.match(work, clause):
            continue  # 主会场设置在X,项目总投资19.7亿元 / …在X项目现场举行,该项目总投资22.5亿元: the host project's
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


def _split_by_headline(prep: Prepared, t: Tally, b: Batch, batches: list[Batch], title_end: int) -> list[Batch]:
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


def _fits(parent: Batch, t: Tally) -> bool:
    """A tally is the event's own figure unless it covers only part of the event's stages (a split)."""
    return not t.stages or not parent.stages or set(t.stages) >= set(parent.stages)


def _tally_text(work: str, t: Tally) -> tuple[int, int]:
    a, b = t.clause
    return a, max(b, t.end)


def _excluded(work: str, t: Tally, floor: int) -> bool:
    """A goal, plan, reserve or lead list (NOT_BATCH words around the count).

    要/将/拟 are single characters found inside many words (主要, 重要): they count only right before the
    count (将引进12个项目) or before a stage verb after it (12个项目将于年内开工).

    >>> w = "签约的12个项目主要涉及新材料,总投资150亿元。此次签约的12个项目将进一步完善产业链。全年将引进12个项目。"
    >>> [_excluded(w, t, 0) for t in find_tallies(w, 0, len(w), find_amounts(w))]
    [False, False, True]
    >>> w = "另有12个项目将于年内开工。"
    >>> [_excluded(w, t, 0) for t in find_tallies(w, 0, len(w), find_amounts(w))]
    [True]
    >>> w = "该园区还将建成华宇电机、恒通纸业等8个项目。"
    >>> [_excluded(w, t, 0) for t in find_tallies(w, 0, len(w), find_amounts(w))]
    [True]
    """
    _, b = t.clause
    a = last_of(work, ",;。\n", 0, t.start) + 1
    seg = work[max(floor, a - 8) : b]
    if any(w in seg for w in NOT_BATCH if w not in _SOFT_PLAN):
        return True
    ss = last_of(work, "。!?\n", 0, t.start) + 1
    if _YEAR_RANGE.search(work, ss, t.start):
        return True  # 2016-2020年,累计引进…项目20个以上: a period's statistic or target, not an event
    if _AIM_OPEN.search(work, ss, t.start) and _AIM_CLOSE.search(work, t.end, _sentence_end(work, t.end)):
        return True  # 紧紧围绕全年落地项目18个以上,…的目标: the figures of a target being worked towards
    return bool(_SOFT_BEFORE.search(work, max(floor, a - 8), t.start)) or bool(_SOFT_AFTER.match(work, t.end, b)) \
        or bool(_SOFT_VERB_BEFORE.search(work, max(floor, a), t.start))


_AIM_OPEN = re.compile(r"围绕|锚定|瞄准|对标|朝着|奔着|向着")
_AIM_CLOSE = re.compile(r"的(?:目标|任务)")


def _sentence_end(work: str, i: int) -> int:
    ends = [k for k in (work.find(c, i) for c in "。!?\n") if k >= 0]
    return min(ends) if ends else len(work)


_SOFT_PLAN = ("要", "将", "拟")
_SOFT_BEFORE = re.compile(r"(?<![主重需只必])(?:要|将|拟)[\u4e00-\u9fff]{0,5}$")
_PLAN_VERB = r"(?:签约|开工|动工|投产|竣工|建成|落地|落户|引进|开建|实施)"
# 该园区还将建成A、B等8个项目: a planned verb opening the clause whose list the count closes.
_SOFT_VERB_BEFORE = re.compile(rf"(?<![主重需只必])(?:要|将|拟)(?:于[^,;。]{{0,8}}?)?{_PLAN_VERB}[^,;。]*$")
_SOFT_AFTER = re.compile(rf"[^,;。]*?(?<![主重需只必])(?:要|将|拟)[^,;。]{{0,8}}?{_PLAN_VERB}")


_SAME_EVENT_RE28 = re.compile(r"[\s()“”\"·,、的]")


# A bare ceremony (集中开工仪式, 签约活动): only its stage word and kind of event say which one it is.
_BARE_EVENT = re.compile(r"(?:集中)?(签约|开工|动工|投产|竣工|开竣工)(仪式|活动)")


def _same_event(a: str, b: str) -> bool:
    """Whether two event names are one event: one holds the other, or a bare ceremony names one part of a joint
    event (集中开工仪式 in 德州招商引资项目5月份集中开工暨签约仪式).

    >>> _same_event("集中开工仪式", "德州招商引资项目5月份集中开工暨签约仪式"), _same_event("集中投产仪式", "集中开工暨签约仪式")
    (True, False)
    """
    ka = _SAME_EVENT_RE28.sub("", a)
    kb = _SAME_EVENT_RE28.sub("", b)
    if ka in kb or kb in ka:
        return True
    for x, y in ((a, b), (b, a)):
        bare = _BARE_EVENT.fullmatch(x)
        if bare and "暨" in y and bare.group(1) in y and y.endswith(bare.group(2)):
            return True
    return False


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
