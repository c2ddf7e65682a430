"""Idempotent load and query functions; each takes a session and never commits (the caller owns it)."""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from parsers.model import ArticleFacts, stage_rank
from parsers.model import Project as ProjectRecord
from storage.models import (
    Alert,
    Article,
    ArticleUrl,
    Batch,
    Failure,
    Mention,
    Milestone,
    Page,
    Project,
    Run,
    Source,
    utcnow,
)

MAX_PARSE_ATTEMPTS = 3


def _insert(session: Session, model: type) -> Any:
    """The dialect's INSERT, which offers on_conflict_do_nothing / do_update on both backends."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database dialect: {name}")


def _rowcount(result: Any) -> int:
    """Rows an INSERT/UPDATE touched (CursorResult.rowcount; typed as Result by the session API)."""
    return int(result.rowcount)


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def text_fingerprint(text: str) -> str:
    """Hash of an article's text that ignores whitespace and width differences (NFKC).

    >>> text_fingerprint("项目 签约，总投资10亿元") == text_fingerprint("项目签约,总投资10亿元\\n")
    True
    """
    norm = unicodedata.normalize("NFKC", text)
    return sha256(re.sub(r"\s+", "", norm))


# --- runs and sources --------------------------------------------------------------------------


def start_run(session: Session, kind: str) -> int:
    run = Run(kind=kind, stats={})
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, status: str, stats: dict[str, Any], error: str | None = None) -> None:
    session.execute(
        update(Run)
        .where(Run.id == run_id)
        .values(status=status, stats=stats, error=error, finished_at=utcnow())
    )


def ensure_source(session: Session, name: str, url: str, kind: str = "auto",
                  city: str | None = None, district: str | None = None) -> int:
    stmt = _insert(session, Source).values(name=name, url=url, kind=kind, city=city, district=district,
                                           created_at=utcnow())
    stmt = stmt.on_conflict_do_update(index_elements=["name"],
                                      set_={"url": url, "kind": kind, "city": city, "district": district})
    session.execute(stmt)
    return int(session.execute(select(Source.id).where(Source.name == name)).scalar_one())


def record_failure(session: Session, stage: str, error: str, *, run_id: int | None = None,
                   source_id: int | None = None, url: str | None = None) -> None:
    session.add(Failure(stage=stage, error=error[:4000], run_id=run_id, source_id=source_id, url=url))


# --- pages and articles --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageIn:
    """What the flow hands storage for one fetch (mirrors the spider item, without I/O types)."""

    url: str
    final_url: str | None
    status: int
    body: bytes
    encoding: str | None
    headers: dict[str, str]
    error: str | None
    list_date: date | None
    list_title: str | None
    fetched_at: datetime
    extra: dict[str, Any]


def store_page(session: Session, page: PageIn, *, source_id: int | None, run_id: int | None) -> int:
    """Insert a fetch; an identical re-fetch of the same URL updates the existing row instead."""
    digest = sha256(page.body)
    values = {
        "source_id": source_id,
        "run_id": run_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "error": page.error,
        "headers": page.headers,
        "encoding": page.encoding,
        "body_gz": gzip.compress(page.body) if page.body else None,
        "body_sha256": digest,
        "list_date": page.list_date,
        "list_title": page.list_title,
        "extra": page.extra,
        "fetched_at": page.fetched_at,
        "extracted": False,
    }
    stmt = _insert(session, Page).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["url", "body_sha256"],
        set_={"fetched_at": page.fetched_at, "run_id": run_id, "status": page.status, "error": page.error},
    )
    session.execute(stmt)
    return int(session.execute(
        select(Page.id).where(Page.url == page.url, Page.body_sha256 == digest)
    ).scalar_one())


def page_body(page: Page) -> bytes:
    return gzip.decompress(page.body_gz) if page.body_gz else b""


def known_article_urls(session: Session) -> set[str]:
    return set(session.execute(select(ArticleUrl.url)).scalars())


@dataclass(frozen=True)
class StoredArticle:
    article_id: int
    is_new: bool  # a new article text
    is_duplicate: bool  # the text was already stored under another URL


def store_article(session: Session, *, url: str, source_id: int | None, page_id: int | None,
                  title: str | None, published_on: date | None, origin: str | None, text: str) -> StoredArticle:
    """Store an article once per distinct text; a republished copy only adds its URL."""
    digest = text_fingerprint(text)
    ins = _insert(session, Article).values(
        text_sha256=digest, url=url, source_id=source_id, page_id=page_id, title=title,
        published_on=published_on, origin=origin, text=text, parse_status="pending", parse_attempts=0,
        created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["text_sha256"]).returning(Article.id)
    inserted = session.execute(ins).scalar_one_or_none() is not None
    article_id = int(session.execute(select(Article.id).where(Article.text_sha256 == digest)).scalar_one())
    url_ins = _insert(session, ArticleUrl).values(
        url=url, article_id=article_id, source_id=source_id, page_id=page_id, first_seen_at=utcnow()
    ).on_conflict_do_nothing(index_elements=["url"]).returning(ArticleUrl.id)
    url_new = session.execute(url_ins).scalar_one_or_none() is not None
    return StoredArticle(article_id, is_new=inserted, is_duplicate=(not inserted and url_new))


def articles_to_parse(session: Session, parser_version: str, limit: int = 10_000) -> list[Article]:
    """Articles never parsed, parsed by an older parser, or failed fewer than MAX_PARSE_ATTEMPTS times."""
    stmt = (
        select(Article)
        .where(or_(
            Article.parse_status == "pending",
            (Article.parse_status == "failed") & (Article.parse_attempts < MAX_PARSE_ATTEMPTS),
            (Article.parse_status == "parsed") & (Article.parser_version != parser_version),
        ))
        .order_by(Article.id)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def mark_parse_failed(session: Session, article_id: int, error: str) -> None:
    session.execute(
        update(Article).where(Article.id == article_id).values(
            parse_status="failed", parse_error=error[:4000], parse_attempts=Article.parse_attempts + 1,
            parsed_at=utcnow(),
        )
    )


# --- projects ------------------------------------------------------------------------------------

_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】·•●、,，.。:：;；!！?？\-—_]+")


def project_key(name: str, city: str | None) -> str:
    """Identity of a project for upserts: NFKC name without punctuation or a trailing 项目, plus the city.

    >>> project_key("中创新航动力电池及储能系统江门基地项目", "江门市")
    '江门市|中创新航动力电池及储能系统江门基地'
    >>> project_key("华秋电子“5G+工业互联网”柔性智造基地 ", None) == project_key("华秋电子5G+工业互联网柔性智造基地", None)
    True
    """
    norm = _KEY_DROP.sub("", unicodedata.normalize("NFKC", name))
    norm = re.sub(r"项目$", "", norm)
    return f"{city or ''}|{norm}"[:400]


def _merge_project(session: Session, project_id: int, rec: ProjectRecord) -> None:
    """Fold one article's record into the project: the most advanced stage wins; blanks get filled."""
    proj = session.get(Project, project_id, with_for_update=True)
    assert proj is not None
    changed = False
    if stage_rank(rec.stage) > stage_rank(proj.stage):
        proj.stage, proj.stage_date = rec.stage, rec.stage_date
        changed = True
    # headline amount: the first stated amount stays; later articles' values live in mentions
    for attr in ("amount_yuan", "amount_qualifier", "amount_text", "investor", "location", "industry"):
        if getattr(proj, attr) is None and getattr(rec, attr) is not None:
            setattr(proj, attr, getattr(rec, attr))
            changed = True
    if rec.is_expansion and not proj.is_expansion:
        proj.is_expansion = True
        changed = True
    if changed:
        proj.updated_at = utcnow()


def upsert_project(session: Session, rec: ProjectRecord, *, city: str | None, district: str | None,
                   article_id: int) -> int:
    key = project_key(rec.name, city)
    ins = _insert(session, Project).values(
        key=key, name=rec.name, investor=rec.investor, amount_yuan=rec.amount_yuan,
        amount_qualifier=rec.amount_qualifier, amount_text=rec.amount_text, location=rec.location,
        city=city, district=district, industry=rec.industry, stage=rec.stage, stage_date=rec.stage_date,
        is_expansion=rec.is_expansion, first_article_id=article_id, first_seen_at=utcnow(), updated_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["key"]).returning(Project.id)
    inserted = session.execute(ins).scalar_one_or_none() is not None
    project_id = int(session.execute(select(Project.id).where(Project.key == key)).scalar_one())
    if not inserted:
        _merge_project(session, project_id, rec)
    return project_id


def save_facts(session: Session, article_id: int, facts: ArticleFacts, *, parser_version: str,
               city: str | None, district: str | None) -> list[int]:
    """Replace an article's parsed records with ``facts`` (re-parsing never duplicates). Returns project ids."""
    session.execute(delete(Mention).where(Mention.article_id == article_id))
    session.execute(delete(Milestone).where(Milestone.article_id == article_id))
    session.execute(delete(Batch).where(Batch.article_id == article_id))
    project_ids: list[int] = []
    for rec in facts.projects:
        pid = upsert_project(session, rec, city=city, district=district, article_id=article_id)
        if pid in project_ids:
            continue  # two records of one article resolved to one project: keep the first
        project_ids.append(pid)
        session.add(Mention(article_id=article_id, project_id=pid, name=rec.name, amount_yuan=rec.amount_yuan,
                            stage=rec.stage, evidence=rec.evidence,
                            record=ArticleFacts(projects=(rec,)).to_json()["projects"][0],
                            parser_version=parser_version))
        seen: set[tuple[str, str]] = set()
        for ms in rec.stage_history:
            if ("reported", ms.stage) not in seen:
                seen.add(("reported", ms.stage))
                session.add(Milestone(project_id=pid, article_id=article_id, kind="reported", stage=ms.stage,
                                      date=ms.date, text=ms.text))
        if rec.stage and ("reported", rec.stage) not in seen:
            seen.add(("reported", rec.stage))
            session.add(Milestone(project_id=pid, article_id=article_id, kind="reported", stage=rec.stage,
                                  date=rec.stage_date, text=rec.evidence))
        for ex in rec.expected:
            if ("expected", ex.stage) not in seen:
                seen.add(("expected", ex.stage))
                session.add(Milestone(project_id=pid, article_id=article_id, kind="expected", stage=ex.stage,
                                      date=ex.when, text=ex.when_text))
    seen_events: set[str] = set()
    for b in facts.batches:
        if b.event_text in seen_events:
            continue
        seen_events.add(b.event_text)
        session.add(Batch(article_id=article_id, event_text=b.event_text, date=b.date, location=b.location,
                          project_count=b.project_count, count_qualifier=b.count_qualifier,
                          amount_yuan=b.amount_yuan, amount_qualifier=b.amount_qualifier, stages=list(b.stages),
                          part_of=b.part_of, evidence=b.evidence, parser_version=parser_version))
    session.execute(update(Article).where(Article.id == article_id).values(
        parse_status="parsed", parser_version=parser_version, parse_error=None, parsed_at=utcnow(),
        parse_attempts=Article.parse_attempts + 1,
    ))
    session.flush()
    return project_ids


@dataclass(frozen=True)
class ProjectRow:
    """A project with the articles behind it, for rules and summaries."""

    project: Project
    article_urls: tuple[str, ...]
    article_titles: tuple[str, ...]


def projects_with_articles(session: Session, project_ids: Iterable[int] | None = None) -> list[ProjectRow]:
    stmt = select(Project).order_by(Project.id)
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


# --- alerts outbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxItem:
    key: str
    channel: str
    rule: str
    project_id: int | None
    urgent: bool
    title: str
    body: str


def enqueue_alerts(session: Session, items: Sequence[OutboxItem]) -> int:
    """Add alerts to the outbox; a key already there (sent or pending) is left alone. Returns rows added."""
    added = 0
    for it in items:
        stmt = _insert(session, Alert).values(
            key=it.key, channel=it.channel, rule=it.rule, project_id=it.project_id, urgent=it.urgent,
            title=it.title, body=it.body, status="pending", attempts=0, created_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["key", "channel"]).returning(Alert.id)
        added += session.execute(stmt).scalar_one_or_none() is not None
    return added


LEASE = timedelta(minutes=10)


def claim_due_alerts(session: Session, now: datetime, max_attempts: int) -> list[Alert]:
    """Atomically take pending alerts that are due (or whose sender crashed mid-send) for delivery.

    The conditional UPDATE is the lock: of two concurrent runs only one flips a row to 'sending'.
    """
    candidates = session.execute(
        select(Alert.id).where(
            or_(
                (Alert.status == "pending") & (or_(Alert.next_attempt_at.is_(None), Alert.next_attempt_at <= now)),
                (Alert.status == "sending") & (Alert.next_attempt_at <= now),  # lease expired: sender died
            ),
            Alert.attempts < max_attempts,
        ).order_by(Alert.id)
    ).scalars().all()
    claimed: list[Alert] = []
    for alert_id in candidates:
        res = session.execute(
            update(Alert)
            .where(Alert.id == alert_id, Alert.status != "sent",
                   or_(Alert.status == "pending", Alert.next_attempt_at <= now))
            .values(status="sending", next_attempt_at=now + LEASE)
        )
        if _rowcount(res) == 1:
            alert = session.get(Alert, alert_id)
            assert alert is not None
            claimed.append(alert)
    return claimed


def mark_alert_sent(session: Session, alert_id: int) -> None:
    session.execute(update(Alert).where(Alert.id == alert_id).values(
        status="sent", sent_at=utcnow(), last_error=None, attempts=Alert.attempts + 1, next_attempt_at=None))


def mark_alert_failed(session: Session, alert_id: int, error: str, now: datetime) -> None:
    """Keep the alert pending with its error; the next run retries, then back off exponentially (max 1 day)."""
    alert = session.get(Alert, alert_id)
    assert alert is not None
    attempts = alert.attempts + 1
    delay = timedelta(0) if attempts == 1 else timedelta(minutes=min(2 ** (attempts - 2), 60 * 24))
    session.execute(update(Alert).where(Alert.id == alert_id).values(
        status="pending", last_error=error[:2000], attempts=attempts, next_attempt_at=now + delay))


def alert_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Alert.status, func.count()).group_by(Alert.status)).all()
    return {status: int(n) for status, n in rows}


def now_utc() -> datetime:
    return datetime.now(UTC)
