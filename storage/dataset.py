"""The analyst dataset as pandas frames (machine column names), read from the database in chunks of keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleUrl, Batch, Mention, Milestone, Project, Source
from storage.schema import columns

_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:省|自治区)")
_DISTRICT_HEAD = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:自治县|新区|区|县|市))")


def district_of(location: str | None, city: str | None) -> str | None:
    """The 区/县/市 a location starts with, once its province and city are removed; None when it names none.

    >>> district_of("江门市江海区高新区", "江门市"), district_of("鹤山市共和镇", "江门市"), district_of("鹤山工业城", "江门市")
    ('江海区', '鹤山市', None)
    >>> district_of("广东省江门市", "江门市"), district_of("蓬江区", None)
    (None, '蓬江区')
    """
    if not location:
        return None
    rest = _PROVINCE.sub("", location.strip())
    for prefix in filter(None, (city, (city or "")[:-1] if (city or "").endswith("市") else None)):
        if rest.startswith(prefix):
            rest = rest[len(prefix):]
            break
    m = _DISTRICT_HEAD.match(rest)
    return m.group(1) if m else None


def fill_district(district: str | None, location: str | None, city: str | None, source_district: str | None
                  ) -> str | None:
    """The project's own district, else the one its place names, else its first article's source's.

    >>> fill_district(None, "鹤山工业城", "江门市", "江海区"), fill_district(None, "蓬江区杜阮镇", "江门市", "江海区")
    ('江海区', '蓬江区')
    """
    return district or district_of(location, city) or source_district or None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None  # pandas hands missing text back as NaN


def _query(session: Session, stmt: object, cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).mappings().all(), columns=cols)  # type: ignore[call-overload]


CHUNK_ROWS = 1000  # keys per bucket: a change re-reads ~1000 rows per cluster of touched ids; memory flat in history


def _key_ranges(session: Session, key: Any, where: Any = None, size: int = CHUNK_ROWS) -> Iterator[tuple[int, int]]:
    """(first, last) of consecutive runs of ``size`` distinct key values, by keyset paging (no OFFSET scan)."""
    last: int | None = None
    while True:
        stmt = select(key).distinct().order_by(key).limit(size)
        if where is not None:
            stmt = stmt.where(where)
        if last is not None:
            stmt = stmt.where(key > last)
        keys = list(session.execute(stmt).scalars())
        if not keys:
            return
        yield keys[0], keys[-1]
        if len(keys) < size:
            return
        last = keys[-1]


def _articles(session: Session, lo: int, hi: int) -> pd.DataFrame:
    cols = ["article_id", "url", "title", "published_on", "date_origin", "origin", "parse_status",
            "parser_version", "parse_error", "created_at"]
    articles = _query(session, select(
        Article.id.label("article_id"), Article.url, Article.title, Article.published_on, Article.date_origin,
        Article.origin, Article.parse_status, Article.parser_version, Article.parse_error, Article.created_at,
    ).where(Article.id.between(lo, hi)).order_by(Article.id), cols)
    urls = _query(session, select(ArticleUrl.article_id, ArticleUrl.url).where(ArticleUrl.article_id.between(lo, hi)),
                  ["article_id", "url"])
    copies = urls.groupby("article_id")["url"].apply(lambda s: " ".join(sorted(s))) if len(urls) else None
    articles["all_urls"] = articles["article_id"].map(copies) if copies is not None else ""
    return articles[columns("articles")]


def _mentions(session: Session, lo: int, hi: int) -> pd.DataFrame:
    frame = _query(session, select(
        Mention.project_id, Mention.article_id, Article.url.label("article_url"), Article.published_on,
        Mention.name.label("name_as_written"), Mention.amount_yuan, Mention.stage, Mention.evidence,
        Mention.parser_version,
    ).join(Article, Article.id == Mention.article_id).where(Mention.project_id.between(lo, hi))
        .order_by(Mention.project_id, Article.published_on, Article.id), columns("mentions"))
    frame["amount_yuan"] = frame["amount_yuan"].astype("Int64")
    return frame


def _milestones(session: Session, lo: int, hi: int) -> pd.DataFrame:
    return _query(session, select(
        Milestone.project_id, Milestone.kind, Milestone.stage, Milestone.date, Milestone.text,
        Milestone.article_id, Article.url.label("article_url"),
    ).join(Article, Article.id == Milestone.article_id).where(Milestone.project_id.between(lo, hi))
        .order_by(Milestone.project_id, Milestone.kind.desc(), Milestone.date), columns("milestones"))


def _batches(session: Session, lo: int, hi: int) -> pd.DataFrame:
    batches = _query(session, select(
        Batch.id.label("batch_id"), Batch.article_id, Article.url.label("article_url"), Batch.event_text,
        Batch.date, Batch.location, Batch.project_count, Batch.count_qualifier, Batch.amount_yuan,
        Batch.amount_qualifier, Batch.stages, Batch.part_of, Batch.evidence,
    ).join(Article, Article.id == Batch.article_id).where(Batch.id.between(lo, hi)).order_by(Batch.id),
        columns("batches"))
    if len(batches):
        batches["stages"] = batches["stages"].map(lambda v: ",".join(v or []))
    batches["amount_yuan"] = batches["amount_yuan"].astype("Int64")
    batches["project_count"] = batches["project_count"].astype("Int64")
    return batches


def _projects(session: Session, lo: int, hi: int) -> pd.DataFrame:
    """Live projects with ids in [lo, hi], with what their mentions and milestones say (queried for the range)."""
    cols = ["project_id", "name", "investor", "amount_yuan", "amount_qualifier", "amount_text", "stage",
            "stage_date", "location", "city", "district", "industry", "category", "is_expansion", "first_seen_at",
            "first_article_id", "expansion_of_id", "source_district", "first_article_url"]
    projects = _query(session, select(
        Project.id.label("project_id"), Project.name, Project.investor, Project.amount_yuan,
        Project.amount_qualifier, Project.amount_text, Project.stage, Project.stage_date, Project.location,
        Project.city, Project.district, Project.industry, Project.category, Project.is_expansion, Project.first_seen_at,
        Project.first_article_id, Project.expansion_of_id, Source.district.label("source_district"),
        Article.url.label("first_article_url"),
    ).outerjoin(Article, Article.id == Project.first_article_id).outerjoin(Source, Source.id == Article.source_id)
        .where(Project.merged_into_id.is_(None), Project.id.between(lo, hi)).order_by(Project.id), cols)
    mentions, milestones = _mentions(session, lo, hi), _milestones(session, lo, hi)
    projects["expansion_of_id"] = projects["expansion_of_id"].astype("Int64")
    projects["amount_yuan"] = projects["amount_yuan"].astype("Int64")
    projects["amount_yi"] = (projects["amount_yuan"].astype("Float64") / 1e8).round(2)
    projects["district"] = [fill_district(_str(d), _str(loc), _str(c), _str(s)) for d, loc, c, s in zip(
        projects["district"], projects["location"], projects["city"], projects["source_district"], strict=True)]
    if len(mentions):
        per = mentions.groupby("project_id")
        projects["article_count"] = projects["project_id"].map(per["article_url"].nunique()).fillna(0).astype("Int64")
        projects["article_urls"] = projects["project_id"].map(
            per["article_url"].apply(lambda s: " ".join(dict.fromkeys(s))))
        dates = mentions.dropna(subset=["published_on"]).groupby("project_id")["published_on"]
        projects["first_reported_on"] = projects["project_id"].map(dates.min())
        projects["last_reported_on"] = projects["project_id"].map(dates.max())
    else:
        projects["article_count"] = pd.array([0] * len(projects), dtype="Int64")
        projects["article_urls"] = ""
        projects["first_reported_on"] = None
        projects["last_reported_on"] = None
    # officials count a project once, at its first signing: the earliest reported signing date
    signed = milestones[(milestones["kind"] == "reported") & (milestones["stage"] == "signed")].dropna(subset=["date"])
    projects["signed_on"] = projects["project_id"].map(signed.groupby("project_id")["date"].min()) if len(signed) else None
    return projects[columns("projects")]


# per table: the key its rows are chunked by (rows of one key never split across chunks) and the chunk reader
_CHUNKED: dict[str, tuple[Any, Any, Callable[[Session, int, int], pd.DataFrame]]] = {
    "projects": (Project.id, Project.merged_into_id.is_(None), _projects),
    "milestones": (Milestone.project_id, None, _milestones),
    "mentions": (Mention.project_id, None, _mentions),
    "batches": (Batch.id, None, _batches),
    "articles": (Article.id, None, _articles),
}
TABLE_NAMES = tuple(_CHUNKED)


def table_chunks(session: Session, table: str, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """One table of the dataset as frames of at most ``size`` keys each, in the table's documented order;
    at least one frame (empty when the table is), so a writer always sees the columns."""
    key, where, read = _CHUNKED[table]
    empty = True
    for lo, hi in _key_ranges(session, key, where, size):
        empty = False
        yield read(session, lo, hi)
    if empty:
        yield read(session, 0, -1)


def bucket_frame(session: Session, table: str, bucket: int, size: int = CHUNK_ROWS) -> pd.DataFrame:
    """The rows of one table whose chunk key falls in bucket ``bucket`` (keys ``bucket*size`` to
    ``(bucket+1)*size - 1``), in the table's documented order: the unit an export caches and rewrites."""
    _key, _where, read = _CHUNKED[table]
    return read(session, bucket * size, (bucket + 1) * size - 1)


def dataset_rows(session: Session) -> int:
    """Rows of all the dataset's tables (counted in the database): what a workbook costs to write."""
    from sqlalchemy import func

    total = 0
    for key, where, _read in _CHUNKED.values():
        stmt = select(func.count(key))
        total += int(session.execute(stmt.where(where) if where is not None else stmt).scalar_one())
    return total


def empty_frame(session: Session, table: str) -> pd.DataFrame:
    """The table with no rows, its documented columns and types (a header, a sheet's first frame)."""
    return _CHUNKED[table][2](session, 0, -1)


def dataset_frames(session: Session) -> dict[str, pd.DataFrame]:
    """projects, milestones, mentions, batches and articles, each whole, with its documented columns."""
    return {name: pd.concat(list(table_chunks(session, name)), ignore_index=True) for name in TABLE_NAMES}
