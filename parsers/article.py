"""The parse entry point: prepare the text, classify it, then extract projects and batches."""

from __future__ import annotations

from .batches import build_batches
from .classify import is_investment_article
from .dates import Anchor
from .model import ArticleFacts
from .places import dominant_district, event_place
from .projects import build_projects
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
    district = _as_written(prep, dominant_district(prep.work))
    batches = build_batches(prep, anchor, district)
    event_date = next((b.date for b in batches if b.part_of is None and b.date and len(b.date) == 10), None)
    events = [b for b in batches if b.part_of is None and b.date and len(b.date) == 10]
    event_stage = events[0].stages[0] if len(events) == 1 and len(events[0].stages) == 1 else None
    # Projects that state no place of their own are where the article's event is held (X区举行…集中开工仪式).
    held = _as_written(prep, event_place(prep.work))
    projects = build_projects(prep, anchor, held or district, event_date, event_stage)
    return ArticleFacts(projects=tuple(projects), batches=tuple(batches))


def _as_written(prep: Prepared, place: str | None) -> str | None:
    """A place found in the working text, spelt as the original writes it (traditional script, full width).

    >>> _as_written(prepare("翠亨新區招商。"), "翠亨新区")
    '翠亨新區'
    """
    if place is None:
        return None
    i = prep.work.find(place)
    return prep.verbatim(i, i + len(place)) if i >= 0 else place
