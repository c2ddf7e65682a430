"""Data fingerprints of the exported tables, so a run with nothing new rewrites no file.

Each table is fingerprinted per bucket of keys (the key its export chunks by, bucket = key // size), so an
export rewrites only the buckets that changed: a hash of cheap SQL aggregates over the bucket's rows (counts,
id sums and maxima, the latest parse time, ...), computed in the database with one GROUP BY per table, without
reading rows into Python; the projects table, the one analysts edit through overrides, is hashed row by row
(its columns only, one row per project).
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


def _grouped(session: Session, key: Any, size: int, *exprs: Any) -> dict[int, list[str]]:
    """The aggregates per bucket of ``size`` keys (bucket = key // size), computed in the database."""
    bucket = (key // size).label("bucket")
    return {int(b): [str(v) for v in rest]
            for b, *rest in session.execute(select(bucket, *exprs).group_by(bucket)).tuples()}


def _projects_hashes(session: Session, size: int) -> dict[int, str]:
    digests: dict[int, Any] = {}
    stmt = select(*PROJECT_FIELDS).order_by(Project.id).execution_options(yield_per=5000)
    for row in session.execute(stmt):
        digests.setdefault(row[0] // size, hashlib.sha256()).update(repr(tuple(row)).encode())
    return {b: d.hexdigest() for b, d in digests.items()}


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def bucket_fingerprints(session: Session, size: int) -> dict[str, dict[int, str]]:
    """Per exported table, per bucket of ``size`` keys (the key its export chunks by), a hash that changes
    whenever that bucket's rows can have changed; a bucket with no rows has no entry."""
    a = Article
    articles = _grouped(session, a.id, size, func.count(a.id), func.sum(a.id), func.max(a.id), func.max(a.parsed_at),
                        func.sum(a.parse_attempts), func.count(a.parse_error), func.count(a.duplicate_of_id),
                        func.count(a.parser_version))
    urls = _grouped(session, ArticleUrl.article_id, size, func.count(ArticleUrl.id), func.sum(ArticleUrl.article_id))
    mentions = _grouped(session, Mention.project_id, size, func.count(Mention.id), func.sum(Mention.id),
                        func.sum(Mention.project_id), func.max(Mention.id))
    milestones = _grouped(session, Milestone.project_id, size, func.count(Milestone.id), func.sum(Milestone.id),
                          func.sum(Milestone.project_id), func.max(Milestone.id))
    batches = _grouped(session, Batch.id, size, func.count(Batch.id), func.sum(Batch.id), func.max(Batch.id))
    sources = [list(r) for r in session.execute(select(Source.id, Source.district).order_by(Source.id))]
    return {
        # a project's row shows its own columns, its mentions' and milestones' (same bucket: they chunk by
        # project id) and its first article's URL and source district; an article's URL, date and source
        # never change in place (a changed text is a new article row), so other articles do not move it
        "projects": {b: _hash(h, mentions.get(b), milestones.get(b), sources)
                     for b, h in _projects_hashes(session, size).items()},
        "milestones": {b: _hash(v) for b, v in milestones.items()},
        "mentions": {b: _hash(v) for b, v in mentions.items()},
        "batches": {b: _hash(v) for b, v in batches.items()},
        "articles": {b: _hash(v, urls.get(b)) for b, v in articles.items()},
    }


def table_fingerprints(buckets: dict[str, dict[int, str]]) -> dict[str, str]:
    """One hash per table from its buckets' (the workbook is rewritten when one of these moves)."""
    return {table: _hash(sorted(prints.items())) for table, prints in buckets.items()}
