"""Read-only project queries for alerts, summaries and the CLI: former ids, outbox keys, projects with their
articles, a project's timeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.model import stage_rank
from storage.models import Alert, Article, Mention, Milestone, Project


def former_ids(session: Session) -> dict[int, tuple[int, ...]]:
    """Live project id -> every id folded into it (analyst merges, re-parse successions), transitively."""
    parent: dict[int, int] = {pid: into for pid, into in session.execute(
        select(Project.id, Project.merged_into_id).where(Project.merged_into_id.is_not(None))).tuples() if into}
    out: dict[int, list[int]] = {}
    for pid in sorted(parent):
        root, seen = pid, {pid}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        out.setdefault(root, []).append(pid)
    return {k: tuple(v) for k, v in out.items()}


def known_alert_keys(session: Session, keys: Sequence[str]) -> set[tuple[str, str]]:
    """The (key, channel) pairs of the outbox among ``keys``."""
    if not keys:
        return set()
    rows = session.execute(select(Alert.key, Alert.channel).where(Alert.key.in_(sorted(set(keys))))).tuples()
    return set(rows.all())



@dataclass(frozen=True)
class ProjectRow:
    """A project with the articles behind it, for rules and summaries."""

    project: Project
    article_urls: tuple[str, ...]
    article_titles: tuple[str, ...]


def projects_with_articles(session: Session, project_ids: Iterable[int] | None = None) -> list[ProjectRow]:
    stmt = select(Project).where(Project.merged_into_id.is_(None)).order_by(Project.id)
    if project_ids is not None:
        stmt = stmt.where(Project.id.in_(list(project_ids)))
    projects = list(session.execute(stmt).scalars())
    links = session.execute(
        select(Mention.project_id, Article.url, Article.title)
        .join(Article, Article.id == Mention.article_id)
        .order_by(Article.published_on.is_(None), Article.published_on, Article.id)
    ).all()
    by_project: dict[int, list[tuple[str, str]]] = {}
    for pid, url, title in links:
        by_project.setdefault(pid, []).append((url, title or ""))
    return [
        ProjectRow(p, tuple(u for u, _ in by_project.get(p.id, [])), tuple(t for _, t in by_project.get(p.id, [])))
        for p in projects
    ]


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # reported | expected
    stage: str
    date: str | None
    text: str
    article_id: int
    article_url: str
    article_title: str | None
    published_on: str | None


def timeline(session: Session, project_id: int) -> list[TimelineEntry]:
    rows = session.execute(
        select(Milestone, Article.url, Article.title, Article.published_on)
        .join(Article, Article.id == Milestone.article_id)
        .where(Milestone.project_id == project_id)
    ).all()
    entries = [TimelineEntry(m.kind, m.stage, m.date, m.text, m.article_id, url, title,
                             pub.isoformat() if pub else None) for m, url, title, pub in rows]
    return sorted(entries, key=lambda e: (e.kind != "reported", e.date or e.published_on or "9999",
                                          stage_rank(e.stage)))
