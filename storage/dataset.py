"""The analyst dataset as pandas frames (machine column names), read from the database in one pass."""

from __future__ import annotations

import re

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


def _articles(session: Session) -> pd.DataFrame:
    cols = ["article_id", "url", "title", "published_on", "date_origin", "origin", "parse_status",
            "parser_version", "parse_error", "created_at"]
    articles = _query(session, select(
        Article.id.label("article_id"), Article.url, Article.title, Article.published_on, Article.date_origin,
        Article.origin, Article.parse_status, Article.parser_version, Article.parse_error, Article.created_at,
    ).order_by(Article.id), cols)
    urls = _query(session, select(ArticleUrl.article_id, ArticleUrl.url), ["article_id", "url"])
    copies = urls.groupby("article_id")["url"].apply(lambda s: " ".join(sorted(s))) if len(urls) else None
    articles["all_urls"] = articles["article_id"].map(copies) if copies is not None else ""
    return articles


def _projects(session: Session, mentions: pd.DataFrame, milestones: pd.DataFrame,
              articles: pd.DataFrame) -> pd.DataFrame:
    cols = ["project_id", "name", "investor", "amount_yuan", "amount_qualifier", "amount_text", "stage",
            "stage_date", "location", "city", "district", "industry", "category", "is_expansion", "first_seen_at",
            "first_article_id", "expansion_of_id", "source_district"]
    projects = _query(session, select(
        Project.id.label("project_id"), Project.name, Project.investor, Project.amount_yuan,
        Project.amount_qualifier, Project.amount_text, Project.stage, Project.stage_date, Project.location,
        Project.city, Project.district, Project.industry, Project.category, Project.is_expansion, Project.first_seen_at,
        Project.first_article_id, Project.expansion_of_id, Source.district.label("source_district"),
    ).outerjoin(Article, Article.id == Project.first_article_id).outerjoin(Source, Source.id == Article.source_id)
        .where(Project.merged_into_id.is_(None)).order_by(Project.id), cols)
    projects["expansion_of_id"] = projects["expansion_of_id"].astype("Int64")
    projects["amount_yuan"] = projects["amount_yuan"].astype("Int64")
    projects["amount_yi"] = (projects["amount_yuan"].astype("Float64") / 1e8).round(2)
    projects["district"] = [fill_district(_str(d), _str(loc), _str(c), _str(s)) for d, loc, c, s in zip(
        projects["district"], projects["location"], projects["city"], projects["source_district"], strict=True)]
    url_of = dict(zip(articles["article_id"], articles["url"], strict=True))
    projects["first_article_url"] = projects["first_article_id"].map(url_of)
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


def dataset_frames(session: Session) -> dict[str, pd.DataFrame]:
    """projects, milestones, mentions, batches and articles, each with its documented columns."""
    articles = _articles(session)
    mentions = _query(session, select(
        Mention.project_id, Mention.article_id, Article.url.label("article_url"), Article.published_on,
        Mention.name.label("name_as_written"), Mention.amount_yuan, Mention.stage, Mention.evidence,
        Mention.parser_version,
    ).join(Article, Article.id == Mention.article_id).order_by(Mention.project_id, Article.published_on, Article.id),
        columns("mentions"))
    milestones = _query(session, select(
        Milestone.project_id, Milestone.kind, Milestone.stage, Milestone.date, Milestone.text,
        Milestone.article_id, Article.url.label("article_url"),
    ).join(Article, Article.id == Milestone.article_id)
        .order_by(Milestone.project_id, Milestone.kind.desc(), Milestone.date), columns("milestones"))
    batches = _query(session, select(
        Batch.id.label("batch_id"), Batch.article_id, Article.url.label("article_url"), Batch.event_text,
        Batch.date, Batch.location, Batch.project_count, Batch.count_qualifier, Batch.amount_yuan,
        Batch.amount_qualifier, Batch.stages, Batch.part_of, Batch.evidence,
    ).join(Article, Article.id == Batch.article_id).order_by(Batch.id), columns("batches"))
    if len(batches):
        batches["stages"] = batches["stages"].map(lambda v: ",".join(v or []))
    for frame in (mentions, batches):
        frame["amount_yuan"] = frame["amount_yuan"].astype("Int64")
    batches["project_count"] = batches["project_count"].astype("Int64")
    projects = _projects(session, mentions, milestones, articles)
    return {"projects": projects, "milestones": milestones, "mentions": mentions, "batches": batches,
            "articles": articles[columns("articles")]}
