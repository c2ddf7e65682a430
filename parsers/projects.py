"""Projects: merge name mentions into one record per project and attach amount, stage, place, investor, dates."""

from __future__ import annotations

import re

from .amounts import Amount, find_amounts
from .attach_amounts import (
    _TITLE_STOP,
    _amount_phrase,
    assign_amounts,
    phase_amounts,
)
from .attach_places import _location, listed_places
from .attach_stages import milestones
from .category import categorise
from .companies import _BACKGROUND, _INVESTS, COMPANY_SUFFIX, _find_companies, _industry, _investor
from .dates import Anchor
from .mentions import (
    _is_place_project,
    _merge_title_groups,
    _place_stems,
    cluster,
    find_mentions,
    name_key,
    short_aliases,
)
from .model import Project
from .names import (
    NameMention,
)
from .project_ctx import (
    INTENT,
    ITEM_NUMBER,
    Ctx,
)
from .stages import find_stages
from .text import Prepared, paragraphs, sentences

# Words that mark an expansion of something already there.
EXPANSION_WORDS = ("二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期", "扩建", "扩产", "增资", "技改", "产能扩大", "升级改造", "扩能",
                   "二次布局")


def build_projects(prep: Prepared, anchor: Anchor, default_place: str | None,
                   event_date: str | None = None, event_stage: str | None = None,
                   default_after: int = 0) -> list[Project]:
    """One Project per named project in the article, attributes read around its mentions."""
    work = prep.work
    ctx = Ctx(
        prep=prep,
        work=work,
        anchor=anchor,
        sents=sentences(work),
        paras=paragraphs(work),
        amounts=find_amounts(work),
        stages=find_stages(work),
        default_place=default_place,
        default_after=default_after,
        event_date=event_date,
        event_stage=event_stage,
    )
    ctx.companies = _find_companies(work)
    ctx.short_names = frozenset(c for c in ctx.companies if not c[2].endswith(COMPANY_SUFFIX))
    ctx.invests = [bool(_INVESTS.match(work, e, e + 40)) for _, e, _ in ctx.companies]
    ctx.background = frozenset(name for _, ce, name in ctx.companies if _BACKGROUND.match(work[ce : ce + 4]))
    mentions = find_mentions(work)
    # Only short names declared for a project (not for a zone: 起步区) count.
    aliases = {k: v for k, v in short_aliases(work).items() if any(m.name.endswith(v) or v.endswith(m.name)
                                                                    for m in mentions)}
    # A declared short name is a mention wherever it appears.
    for short in aliases:
        for mm in re.finditer(re.escape(short), work):
            if not any(o.start <= mm.start() < o.end for o in mentions):
                mentions.append(NameMention(mm.start(), mm.end(), short, "head"))
    # A name the text writes again word for word (a list item without a head word, that no finder sees twice:
    # 现场签约的A和B两大项目…其中,位于X的A总投资500亿元) is mentioned there too.
    for name in {m.name for m in mentions if len(m.name) >= 6}:
        if work.count(name) < 2:
            continue  # written once (most names): nothing to add, and str.count is much cheaper than the scan below
        for mm in re.finditer(re.escape(name), work):
            if not any(o.start < mm.end() and mm.start() < o.end for o in mentions):
                mentions.append(NameMention(mm.start(), mm.end(), name, "head"))
    mentions.sort(key=lambda x: x.start)
    groups = cluster(mentions, aliases, _place_stems(work))
    first_line = work.find("\n")
    if 0 < first_line <= 60 and not _TITLE_STOP.search(work[:first_line]) and not ITEM_NUMBER.match(work):
        ctx.title_end = first_line
    groups = _merge_title_groups(work, groups, ctx.title_end)
    ctx.single = len(groups) == 1
    gid = {id(m): i for i, g in enumerate(groups) for m in g}
    ordered = sorted(mentions, key=lambda m: m.start)
    ctx.assigned_place = listed_places(ctx, ordered, gid)
    amount_of = assign_amounts(ctx, ordered, gid)
    projects: list[Project] = []
    for k, grp in enumerate(groups):
        if all(_is_place_project(work, m.name) for m in grp):
            continue
        proj = _project(ctx, grp, amount_of.get(k), ordered, gid)
        if not proj.stage_history and all(INTENT.search(work, *ctx.sentence_of(m.start)) for m in grp):
            continue  # 达成投资意向,涉及X等项目 / 意向投资…的X项目进入磋商: a lead, not a project
        if proj.name:
            projects.append(proj)
    return projects


def _project(ctx: Ctx, group: list[NameMention], amount: tuple[Amount, bool] | None,
             ordered: list[NameMention], gid: dict[int, int]) -> Project:
    prep, work = ctx.prep, ctx.work
    names = []
    for m in group:
        v = prep.verbatim(m.start, m.end, squeeze=True)
        if v not in names:
            names.append(v)
    canonical = max(names, key=lambda n: (len(name_key(n)), n.endswith("项目")))
    aliases = tuple(n for n in names if n != canonical and name_key(n) != name_key(canonical))
    first = group[0]

    # Amount and phase amounts.
    amount_yuan = amount_text = qualifier = None
    for a in [amount[0]] if amount is not None else []:
        amount_yuan = a.yuan
        if amount_yuan is not None:
            amount_text = _amount_phrase(ctx, a)
            qualifier = a.qualifier
    phases = phase_amounts(ctx, group, ordered, gid)
    history, expected = milestones(ctx, group, ordered, gid)
    stage = history[-1].stage if history else None
    stage_date = history[-1].date if history else None

    # Place.
    location, loc_aliases = _location(ctx, group, ordered, gid)

    # Investor.
    investor, inv_aliases = _investor(ctx, group, canonical, ordered, gid)
    if investor is not None and investor.replace(" ", "") == canonical.replace(" ", ""):
        # A signatory standing for its project (A公司、B大学等多家单位签约) is named, not invested in by itself:
        # the name already says who, so there is no separate investor (泰莱集团项目 keeps 泰莱集团).
        investor, inv_aliases = None, ()

    # Expansion.
    scope_text = "".join(work[max(0, m.start - 12) : m.end] for m in group)
    is_exp = any(w in n for n in names for w in EXPANSION_WORDS) or any(
        w in scope_text for w in ("扩产增资", "增资扩产", "二次布局")
    )

    industry = _industry(ctx, group, ordered, gid)
    sa, sb = ctx.sentence_of(first.start)
    evidence = prep.verbatim(sa, sb)
    return Project(
        name=canonical,
        aliases=aliases,
        investor=investor,
        investor_aliases=inv_aliases,
        amount_yuan=amount_yuan,
        amount_text=amount_text,
        amount_qualifier=qualifier,
        phase_amounts=tuple(phases),
        location=location,
        location_aliases=loc_aliases,
        industry=industry,
        category=categorise(canonical, industry),
        stage=stage,
        stage_date=stage_date,
        stage_history=tuple(history),
        expected=tuple(expected),
        is_expansion=is_exp,
        evidence=evidence,
    )
