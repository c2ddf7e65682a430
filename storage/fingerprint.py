"""Data fingerprints of the exported tables, so a run with nothing new rewrites no file.

Each table's fingerprint is a hash of cheap SQL aggregates over the rows it is made of (counts, id sums and
maxima, the latest parse time, ...), computed in the database without reading rows into Python; the projects
table, the one analysts edit through overrides, is hashed row by row (its columns only, one row per project).
Every write path of the pipeline and of the analyst commands moves one of these figures: inserts and deletes
change counts and id sums, a merge or split moves mentions and milestones (their project id sums), a
re-parse changes parse times and attempts. `investwatch export` rewrites regardless.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleUrl, Batch, Mention, Milestone, Project, Source

PROJECT_FIELDS = (Project.id, Project.name, Project.investor, Project.amount_yuan, Project.amount_qualifier,
                  Project.amount_text, Project.stage, Project.stage_date, Project.location, Project.city,
                  Project.district, Project.industry, Project.category, Project.is_expansion, Project.first_seen_at,
                  Project.first_article_id, Project.expansion_of_id, Project.merged_into_id, Project.updated_at)


def _aggregates(session: Session, *exprs: Any) -> list[Any]:
    return [str(v) for v in session.execute(select(*exprs)).one()]


def _projects_hash(session: Session) -> str:
    digest = hashlib.sha256()
    for row in session.execute(select(*PROJECT_FIELDS).order_by(Project.id).execution_options(yield_per=5000)):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def table_fingerprints(session: Session) -> dict[str, str]:
    """Per exported table, a hash that changes whenever the table's content can have changed."""
    articles = _aggregates(session, func.count(Article.id), func.coalesce(func.sum(Article.id), 0),
                           func.max(Article.id), func.max(Article.parsed_at),
                           func.coalesce(func.sum(Article.parse_attempts), 0), func.count(Article.parse_error),
                           func.count(Article.duplicate_of_id), func.count(Article.parser_version))
    urls = _aggregates(session, func.count(ArticleUrl.id), func.coalesce(func.sum(ArticleUrl.article_id), 0))
    mentions = _aggregates(session, func.count(Mention.id), func.coalesce(func.sum(Mention.id), 0),
                           func.coalesce(func.sum(Mention.project_id), 0), func.max(Mention.id))
    milestones = _aggregates(session, func.count(Milestone.id), func.coalesce(func.sum(Milestone.id), 0),
                             func.coalesce(func.sum(Milestone.project_id), 0), func.max(Milestone.id))
    batches = _aggregates(session, func.count(Batch.id), func.coalesce(func.sum(Batch.id), 0), func.max(Batch.id))
    sources = [list(r) for r in session.execute(select(Source.id, Source.district).order_by(Source.id))]
    return {
        "projects": _hash(_projects_hash(session), mentions, milestones, articles, sources),
        # an article's URL and date (the only article columns these three show) never change in place: a
        # changed text is a new article row, so these tables depend on their own rows alone
        "milestones": _hash(milestones),
        "mentions": _hash(mentions),
        "batches": _hash(batches),
        "articles": _hash(articles, urls),
    }
