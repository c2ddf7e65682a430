"""Typed ORM models: the database is also the queue between pipeline stages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from alerts.periods import period_end

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="auto")
    city: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Run(Base):
    """One pass of the pipeline; stats is the summary the CLI prints."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # run | demo | reparse
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | ok | failed | crashed
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # who runs it: a `running` row whose process is gone is marked `crashed` by the next run
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    # refreshed at every stage boundary and every ~15 s while the run lives: a stale one means the run is
    # dead even when its pid exists (another host, or the pid was reused)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stage: Mapped[str | None] = mapped_column(String(20))  # the stage running now (crawl, extract, ...)


class Page(Base):
    """One fetch result (raw body kept compressed so parsers can re-run without re-crawling).

    Identical re-fetches of a URL collapse onto one row (url, body_sha256).
    """

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("url", "body_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    encoding: Mapped[str | None] = mapped_column(String(40))
    body_gz: Mapped[bytes | None] = mapped_column(LargeBinary)
    body_sha256: Mapped[str] = mapped_column(String(64))
    list_date: Mapped[date | None] = mapped_column(Date)
    list_title: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. continuation pages, redirects
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    extracted: Mapped[bool] = mapped_column(Boolean, default=False)
    # the outcome of the last extraction: article | not_article (a profile, column or search page) |
    # failed (an error or a near-empty text); the last two are retried when extractor_version changes
    extract_status: Mapped[str | None] = mapped_column(String(20))
    extract_note: Mapped[str | None] = mapped_column(Text)  # the cause of not_article / failed
    extractor_version: Mapped[str | None] = mapped_column(String(20))


class Article(Base):
    """One distinct article text (exact duplicates under other URLs are rows of ArticleUrl)."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"))
    title: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    origin: Mapped[str | None] = mapped_column(String(200))  # the page's 文章来源
    # where published_on was read: meta | visible | script | url | list (parsers.pagedate.ORIGINS)
    date_origin: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    # article: news text for parsers.parse_article; table: a page of project tables for parsers.table
    kind: Mapped[str] = mapped_column(String(10), default="article", server_default="article")
    parse_status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    parser_version: Mapped[str | None] = mapped_column(String(40))
    parse_error: Mapped[str | None] = mapped_column(Text)
    parse_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # e.g. "truncated:123456" (only the leading part was parsed), "over_budget" (parse time budget hit)
    parse_flags: Mapped[str | None] = mapped_column(String(200))
    parsed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # near-duplicates: the MinHash signature, and the cluster's representative (None = this is one)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    similarity: Mapped[float | None] = mapped_column(Float)
    # an updated article (same URL, changed text) is a new row pointing at the version it replaces
    version_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))

    urls: Mapped[list[ArticleUrl]] = relationship(back_populates="article")


class ArticleUrl(Base):
    """Every canonical URL an article was seen under; the first is the article's own URL."""

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    article: Mapped[Article] = relationship(back_populates="urls")


class Project(Base):
    """A resolved project; `key` is its identity (normalised name + city) for idempotent upserts."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    name: Mapped[str] = mapped_column(Text)
    investor: Mapped[str | None] = mapped_column(Text)
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    amount_qualifier: Mapped[str | None] = mapped_column(String(20))
    amount_text: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(Text)
    # 产业 / 基础设施 / 社会民生 (parsers.category): lets analysts filter out non-招商 records
    category: Mapped[str | None] = mapped_column(String(10))
    stage: Mapped[str | None] = mapped_column(String(30))
    stage_date: Mapped[str | None] = mapped_column(String(10))
    is_expansion: Mapped[bool] = mapped_column(Boolean, default=False)
    first_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    names: Mapped[list[Any]] = mapped_column(default=list)  # every name articles used, for resolution
    expansion_of_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))  # 二期 / 增资扩产 of
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))  # analyst merge


class ProjectKey(Base):
    """Blocking keys of a live project (parsers.blocking): resolution compares a record only with the
    projects sharing a key in its city, never with every project. Kept in sync by storage.project_keys."""

    __tablename__ = "project_keys"
    __table_args__ = (Index("ix_project_keys_city_key", "city", "key"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)  # index: lookups without a city
    city: Mapped[str] = mapped_column(String(100), default="")  # the project's city, "" for none


class ProjectOverride(Base):
    """An analyst's decision, kept apart from derived data so it survives re-parsing and re-resolution.

    kind = merge (other_project_id folded into project_id), split (mentions named `name_core` leave
    project_id for new_project_id), set (field := value on project_id).
    """

    __tablename__ = "project_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    other_project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    name_core: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SourceHealth(Base):
    """Per source and run: what the crawl and extraction yielded (for `investwatch sources` and ops alerts)."""

    __tablename__ = "source_health"
    __table_args__ = (UniqueConstraint("run_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    links_found: Mapped[int] = mapped_column(Integer, default=0)  # article links seen on lists/feeds
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    empty_extractions: Mapped[int] = mapped_column(Integer, default=0)
    # list pages / feeds / API pages fetched and parsed, and those that failed (0 ok + errors = nothing reached)
    listings_ok: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    listings_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error_causes: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)  # "connection refused" -> 12
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ListPage(Base):
    """A list page (HTML list, feed, sitemap or API page) of a source whose last fetch failed.

    Kept so the branch behind it is not lost: the next runs fetch it first (`pending`, with back-off)
    until it works (the row is then deleted) or has failed ``attempts`` times (`given_up`, reported).
    """

    __tablename__ = "list_pages"
    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))  # canonical URL as requested
    page_no: Mapped[int] = mapped_column(Integer, default=1)  # 1 = the source's entry page
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | given_up
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed fetches in a row (one per run)
    last_error: Mapped[str] = mapped_column(Text, default="")
    first_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))  # the run of the last failure


class Mention(Base):
    """A project as one article reports it (the parser's record, verbatim)."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("article_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    stage: Mapped[str | None] = mapped_column(String(30))
    evidence: Mapped[str] = mapped_column(Text, default="")
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    parser_version: Mapped[str] = mapped_column(String(40))


_Day = date  # Milestone has a column named `date`, which hides the type inside its class body


class Milestone(Base):
    """A reported (happened) or expected (planned) stage of a project, with the article behind it."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("project_id", "article_id", "kind", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # reported | expected
    stage: Mapped[str] = mapped_column(String(30))
    date: Mapped[str | None] = mapped_column(String(10))  # ISO date or partial (2023, 2023-03, 2023-Q1)
    text: Mapped[str] = mapped_column(Text, default="")
    # the last day `date` can mean (2023-03 -> 2023-03-31), set on every insert (the listener below): the
    # time-driven alert rules find what fell due since their last run by an indexed range on it
    ends_on: Mapped[_Day | None] = mapped_column(Date, index=True)


class Batch(Base):
    """A ceremony or tally of projects reported by one article."""

    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("article_id", "event_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    event_text: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(10))
    location: Mapped[str | None] = mapped_column(Text)
    project_count: Mapped[int | None] = mapped_column(Integer)
    count_qualifier: Mapped[str | None] = mapped_column(String(20))
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    amount_qualifier: Mapped[str | None] = mapped_column(String(20))
    stages: Mapped[list[Any]] = mapped_column(default=list)
    part_of: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    parser_version: Mapped[str] = mapped_column(String(40))


class Alert(Base):
    """The outbox: one row per (alert key, channel); sent once, failures kept and retried."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("key", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    channel: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(100))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # pending | sending (claimed) | inflight (handed to apprise) | unconfirmed (outcome unknown) | sent | failed
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by_run: Mapped[int | None] = mapped_column(Integer)  # released at once when that run is dead
    resends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # re-sends after an unknown outcome


class Failure(Base):
    """A recorded failure of any stage (fetch, extract, parse, send) with its cause, for retry and review."""

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    stage: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@event.listens_for(Milestone, "before_insert")
@event.listens_for(Milestone, "before_update")
def _milestone_ends_on(_mapper: object, _connection: object, target: Milestone) -> None:
    # set here, not by each writer, so no insert path can leave it stale
    target.ends_on = period_end(target.date)


class StageMark(Base):
    """Where a stage stopped last time (a watermark), so the next run reads only what changed since."""

    __tablename__ = "stage_marks"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
