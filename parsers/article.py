"""The parse entry point: prepare the text, classify it, then extract projects and batches."""

from __future__ import annotations

import re
from dataclasses import replace

from .batches import build_batches
from .classify import is_investment_article, is_plan_article, plan_keeps_tallies
from .dates import Anchor
from .event_places import event_place
from .model import ArticleFacts, Batch, Project
from .places import dominant_district, headline_place, is_relative_place, strip_relative
from .projects import build_projects
from .section_places import first_text_mention, relative_home
from .text import Prepared, prepare


def parse_article(text: str, published: str | None = None) -> ArticleFacts:
    """See parsers.parse_article.

    >>> parse_article("会议强调，要持续优化营商环境，力争全年引进项目超100个。", "2024-01-01").projects
    ()
    """
    prep = prepare(text)
    anchor = Anchor.parse(published)
    if not is_investment_article(prep.work):
        return ArticleFacts(notes=("not an investment article",))
    plan = is_plan_article(prep.work)
    if plan and not plan_keeps_tallies(prep.work):
        return ArticleFacts(notes=("a plan or project list: no reported milestone",))
    district = _as_written(prep, dominant_district(prep.work))
    batches = build_batches(prep, anchor, district)
    event_date = next((b.date for b in batches if b.part_of is None and b.date and len(b.date) == 10), None)
    events = [b for b in batches if b.part_of is None and b.date and len(b.date) == 10]
    # The article's one event (…开工仪式举行, 10个项目集中开工) gives its stage to the projects it lists, dated
    # or not (a page without a year still reports the ceremony).
    ceremonies = events or [b for b in batches if b.part_of is None and _CEREMONY.search(b.event_text)]
    if not ceremonies and len({st for b in batches for st in b.stages}) == 1:
        # Without a ceremony or a dated event, tallies that all report one stage (437个项目开工, 咸阳市开工项目200个,
        # 宝鸡市集中开工64个) are the article's events.
        ceremonies = [b for b in batches if b.part_of is None]
    stages = {_event_stage(c) for c in ceremonies}
    # One event, or several that all report the same stage (a province's 开工 and each city's 开工 分会场).
    event_stage = stages.pop() if len(stages) == 1 else None
    # Projects that state no place of their own are where the article's event is held (X区举行…集中开工仪式).
    held = _as_written(prep, event_place(prep.work))
    if not (held or district):
        held = _as_written(prep, headline_place(prep.work) or relative_home(prep.work))
    if plan:  # a plan article's named projects are planned ones; only its tallies report events
        return ArticleFacts(batches=tuple(batches), notes=("a plan or project list: projects are planned",))
    # A district the article names first after a project (outside photo captions) is not where that project is:
    # the text reached the district's own part later (此次南海区宣布…55个项目 after the city's featured ones).
    after = first_text_mention(prep.work, district) if district and not held else 0
    projects = build_projects(prep, anchor, held or district, event_date, event_stage, default_after=after)
    home = next((p for p in (held, district) if p and not is_relative_place(p)), None)
    return ArticleFacts(projects=tuple(_resolve_place(p, home) for p in projects),
                        batches=tuple(replace(b, location=home) if is_relative_place(b.location) else b for b in batches))


def _event_stage(event: Batch) -> str | None:
    """The stage an event gives the projects it lists that state none of their own.

    A start-and-production event (集中开工投产活动) has started its projects at least: those that state no
    production are the ones it started. Other mixes (签约 and 开工 groups) leave the stage to each project.

    >>> _event_stage(Batch(event_text="集中开工投产活动", stages=("started", "in_production")))
    'started'
    >>> _event_stage(Batch(event_text="签约及集中开工活动", stages=("signed", "started"))) is None
    True
    """
    stages = set(event.stages)
    if len(stages) == 1:
        return event.stages[0]
    if stages == {"started", "in_production"}:
        return "started"
    return None


def _resolve_place(p: Project, home: str | None) -> Project:
    """A relative place (我县, 该区) is the article's own place when the article names it, else unknown.

    >>> _resolve_place(Project(name="X项目", location="我县", location_aliases=("我县",)), "德清县").location
    '德清县'
    >>> _resolve_place(Project(name="X项目", location="我县"), None).location is None
    True
    """
    aliases = tuple(a for a in p.location_aliases if not is_relative_place(a))
    if not is_relative_place(p.location):
        return replace(p, location_aliases=aliases) if aliases != p.location_aliases else p
    location = strip_relative(p.location or "") or home or (aliases[0] if aliases else None)
    return replace(p, location=location, location_aliases=tuple(a for a in aliases if a != location))


_CEREMONY = re.compile(r"仪式|儀式|活动|活動|大会|大會")


def _as_written(prep: Prepared, place: str | None) -> str | None:
    """A place found in the working text, spelt as the original writes it (traditional script, full width).

    >>> _as_written(prepare("翠亨新區招商。"), "翠亨新区")
    '翠亨新區'
    """
    if place is None:
        return None
    i = prep.work.find(place)
    return prep.verbatim(i, i + len(place)) if i >= 0 else place
