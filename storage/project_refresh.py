"""Project derivation: a project's fields recomputed from its mentions, milestones and the analyst's overrides.

The fields are *derived* (recomputed here after every change of what stands behind them), so re-parsing or
re-resolving never leaves stale values behind:
- name: the most complete (longest) name any article used;
- amount (headline): the value most articles state; on a tie, the earliest article's. Every article's
  own value stays in `mentions`;
- stage: the most advanced reported milestone, with the date reported for it;
- investor, location, industry: the most frequent value, ties to the earliest article.
Overrides (`project_overrides`) are applied last and are never touched by re-parsing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from parsers.identity import is_expansion_name
from parsers.model import stage_rank
from storage import project_keys
from storage.models import Article, Mention, Milestone, Project, ProjectOverride, utcnow

_CHUNK = 500  # project ids per IN (...) list
# built once (values bound at execution): see storage/projects.py
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_PROJECTS = select(Project).where(Project.id.in_(_IDS))
_RECORDS = (select(Mention.project_id, Mention.record, Article.id).join(Article, Article.id == Mention.article_id)
            .where(Mention.project_id.in_(_IDS))
            .order_by(Mention.project_id, Article.published_on.is_(None), Article.published_on, Article.id))
_REPORTED = select(Milestone.project_id, Milestone.stage, Milestone.date).where(Milestone.project_id.in_(_IDS),
                                                                               Milestone.kind == "reported")
_SETS = (select(ProjectOverride.project_id, ProjectOverride.field, ProjectOverride.value)
         .where(ProjectOverride.project_id.in_(_IDS), ProjectOverride.kind == "set").order_by(ProjectOverride.id))


def _most_common(values: Sequence[Any]) -> Any:
    """Most frequent non-null value; ties go to the one seen first (values come in article order).

    >>> _most_common([None, 3, 5, 5, 3]), _most_common([None])
    (3, None)
    """
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    return next(v for v in present if counts[v] == top)


def refresh_projects(session: Session, project_ids: Iterable[int]) -> None:
    """Recompute these projects (see the module's doc). Three queries per 500 projects instead of four per
    project: a re-parse refreshes every project each article touches, and the per-project queries were most
    of its storage time. A project's derivation reads only its own rows, so the order changes nothing."""
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), _CHUNK):
        _refresh_chunk(session, ids[start:start + _CHUNK])
    project_keys.sync(session, ids)  # names and city (an override may set it) are what resolution looks up


def refresh_project(session: Session, pid: int) -> None:
    """Recompute one project's fields from its mentions and milestones, then apply the analyst's overrides."""
    refresh_projects(session, [pid])


def _refresh_chunk(session: Session, ids: list[int]) -> None:
    found = {p.id: p for p in session.execute(_PROJECTS, {"ids": ids}).scalars()}
    if not found:
        return
    live = sorted(found)
    records: dict[int, list[tuple[dict[str, Any], int]]] = {}
    for pid, record, article_id in session.execute(_RECORDS, {"ids": live}).tuples():
        records.setdefault(pid, []).append((record, article_id))
    reported: dict[int, list[tuple[str, str | None]]] = {}
    for pid, stage, when in session.execute(_REPORTED, {"ids": live}).tuples():
        reported.setdefault(pid, []).append((stage, when))
    overrides: dict[int, list[tuple[str, str | None]]] = {}
    for pid, field, value in session.execute(_SETS, {"ids": live}).tuples():
        overrides.setdefault(pid, []).append((field or "", value))
    for pid, proj in found.items():
        _derive(proj, records.get(pid, []), reported.get(pid, []))
        for field, value in overrides.get(pid, []):
            _apply_set(proj, field, value)
        proj.updated_at = utcnow()


def _derive(proj: Project, rows: list[tuple[dict[str, Any], int]], reported: list[tuple[str, str | None]]) -> None:
    """A project's fields from its mentions' records (article order) and its reported milestones."""
    if rows:
        records = [r for r, _ in rows]
        proj.name = max((r["name"] for r in records), key=len)
        # names come from the current mentions only: a name a re-parse no longer reads stops attracting matches
        proj.names = list(dict.fromkeys(n for r in records for n in (r["name"], *(r.get("aliases") or ()))))
        amount = _most_common([r.get("amount_yuan") for r in records])
        first: dict[str, Any] = next((r for r in records if r.get("amount_yuan") == amount), {}) if amount is not None else {}
        proj.amount_yuan = amount
        proj.amount_qualifier = first.get("amount_qualifier")
        proj.amount_text = first.get("amount_text")
        proj.investor = _most_common([r.get("investor") for r in records])
        proj.location = _most_common([r.get("location") for r in records])
        proj.industry = _most_common([r.get("industry") for r in records])
        proj.category = _most_common([r.get("category") for r in records])
        # one article's surrounding words (…增资扩产…) must not turn a base into an expansion: most mentions
        # decide, or a name that itself says 二期 / 扩产
        flagged = sum(bool(r.get("is_expansion")) for r in records)
        proj.is_expansion = flagged * 2 > len(records) or any(is_expansion_name(n) for n in proj.names or [])
        proj.first_article_id = rows[0][1]
    if reported:
        top = max(reported, key=lambda r: stage_rank(r[0]))[0]
        dates = sorted(d for s, d in reported if s == top and d)
        proj.stage, proj.stage_date = top, (dates[0] if dates else None)
    elif rows:
        proj.stage, proj.stage_date = None, None


def _apply_set(proj: Project, field: str, value: str | None) -> None:
    if field == "amount_yuan":
        setattr(proj, field, int(value) if value not in (None, "") else None)
    elif field == "is_expansion":
        proj.is_expansion = (value or "").lower() in ("1", "true", "yes", "是")
    else:
        setattr(proj, field, value or None)
